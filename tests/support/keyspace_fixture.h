// A real engine in a temporary directory with a Keyspace over it: what tests of src/types/
// run against (no server).
#pragma once

#include <doctest/doctest.h>

#include <memory>

#include "strata/db.h"
#include "support/temp_dir.h"
#include "types/collection_ops.h"
#include "types/keyspace.h"

namespace strata::testing {

struct KeyspaceFixture {
  KeyspaceFixture() { Open(); }

  void Open() {
    ks.reset();
    db.reset();
    live = std::make_shared<types::LiveNamespaces>();
    Options options;
    options.memtable_size = 256 << 10;
    options.compaction_filter = types::LiveNamespaces::Filter(live);
    auto opened = DB::Open(options, dir.path());
    REQUIRE(opened.ok());
    db = std::move(*opened);
    ks = std::make_unique<types::Keyspace>(db.get(), 16, live);
    REQUIRE(ks->Open().ok());
  }
  // Commits what is staged, closes and opens the database again: what a restart sees.
  void Reopen() {
    REQUIRE(ks->Commit().ok());
    REQUIRE(ks->SaveCounts().ok());
    Open();
  }

  // The arguments of a type operation in db at time now_ms.
  types::OpArgs Op(int db_index = 0, int64_t now_ms = 1) {
    return types::OpArgs{*ks, db_index, now_ms};
  }

  // Every engine entry whose key starts with tag.
  size_t CountTagged(char tag) {
    size_t n = 0;
    auto it = db->NewIterator(ReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next()) n += it->key()[0] == tag;
    return n;
  }

  TempDir dir;
  std::shared_ptr<types::LiveNamespaces> live;
  std::unique_ptr<DB> db;
  std::unique_ptr<types::Keyspace> ks;
};

}  // namespace strata::testing
