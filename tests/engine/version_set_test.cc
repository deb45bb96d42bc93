// VersionSet and Version: edits recorded in the MANIFEST survive a reopen; a Version's
// levels, overlap queries and live files; the block cache's LRU.
#include <doctest/doctest.h>

#include "engine/block.h"
#include "engine/block_cache.h"
#include "engine/table_cache.h"
#include "engine/version_set.h"
#include "support/temp_dir.h"

namespace strata {
namespace {

FileMeta File(uint64_t number, std::string smallest, std::string largest, uint64_t size = 100) {
  FileMeta f;
  f.number = number;
  f.size = size;
  f.smallest = std::move(smallest);
  f.largest = std::move(largest);
  f.smallest_seq = number;
  f.largest_seq = number;
  f.entries = 10;
  return f;
}

std::vector<uint64_t> Numbers(const Version::Files& files) {
  std::vector<uint64_t> out;
  for (const auto& f : files) out.push_back(f->number);
  return out;
}

struct Fixture {
  testing::TempDir dir;
  BlockCache cache{1 << 20};
  TableCache tables{Env::Default(), dir.path(), 100, &cache, false};
  std::unique_ptr<VersionSet> vs;

  void Open(bool expect_existed) {
    vs = std::make_unique<VersionSet>(Env::Default(), dir.path(), &tables);
    bool existed = false;
    REQUIRE(vs->Recover(&existed).ok());
    CHECK(existed == expect_existed);
  }
};

}  // namespace

TEST_SUITE("version set") {
  TEST_CASE("edits are applied, recorded, and recovered after a reopen") {
    Fixture f;
    f.Open(false);
    VersionEdit add;
    add.new_files = {{0, File(10, "a", "m")}, {0, File(11, "c", "z")}, {1, File(12, "a", "f")},
                     {1, File(13, "g", "p", 250)}};
    add.log_number = 9;
    f.vs->set_last_sequence(500);
    REQUIRE(f.vs->LogAndApply(&add).ok());
    auto v = f.vs->current();
    CHECK(v->NumFiles() == 4);
    CHECK(v->LevelBytes(1) == 350);
    // Level 0 files may overlap; deeper ones are sorted and disjoint.
    CHECK(Numbers(v->Overlapping(1, "e", "h")) == std::vector<uint64_t>{12, 13});
    CHECK(Numbers(v->Overlapping(1, "q", "r")).empty());
    CHECK(Numbers(v->Overlapping(0, "n", "n")).size() == 1);

    VersionEdit move;
    move.deleted_files = {{1, 12}};
    move.new_files = {{2, File(14, "a", "f")}};
    REQUIRE(f.vs->LogAndApply(&move).ok());
    // File 12 stays live while a Version lists it: the old Version a reader holds, and the
    // one the durable MANIFEST describes until the edit is synced.
    v.reset();
    auto live = f.vs->LiveFiles();
    CHECK(std::count(live.begin(), live.end(), 12) == 1);
    f.vs->MarkSynced(f.vs->records_written());
    v = f.vs->current();
    live = f.vs->LiveFiles();
    CHECK(std::count(live.begin(), live.end(), 12) == 0);
    CHECK(std::count(live.begin(), live.end(), 14) == 1);
    uint64_t next = f.vs->NewFileNumber();

    f.Open(true);
    auto r = f.vs->current();
    CHECK(Numbers(r->files(1)) == std::vector<uint64_t>{13});
    CHECK(Numbers(r->files(2)) == std::vector<uint64_t>{14});
    CHECK(r->files(0).size() == 2);
    CHECK(f.vs->log_number() == 9);
    CHECK(f.vs->last_sequence() == 500);
    CHECK(f.vs->NewFileNumber() > next);  // numbers are never reused
  }

  TEST_CASE("an edit is encoded and decoded exactly; garbage does not decode") {
    VersionEdit e;
    e.log_number = 3;
    e.next_file_number = 77;
    e.last_sequence = 123456789;
    e.new_files = {{4, File(5, std::string("\0k", 2), "zz", 4096)}};
    e.deleted_files = {{2, 8}};
    VersionEdit d;
    REQUIRE(d.DecodeFrom(e.Encode()).ok());
    CHECK(d.log_number == e.log_number);
    CHECK(d.next_file_number == e.next_file_number);
    CHECK(d.last_sequence == e.last_sequence);
    REQUIRE(d.new_files.size() == 1);
    CHECK(d.new_files[0].first == 4);
    CHECK(d.new_files[0].second.smallest == std::string("\0k", 2));
    CHECK(d.new_files[0].second.size == 4096);
    CHECK(d.deleted_files == e.deleted_files);
    std::string truncated = e.Encode();
    truncated.resize(truncated.size() - 1);  // inside the last field
    VersionEdit t;
    CHECK_FALSE(t.DecodeFrom(truncated).ok());
    std::string unknown = e.Encode() + "\x7f";
    CHECK_FALSE(t.DecodeFrom(unknown).ok());
  }
}

TEST_SUITE("block cache") {
  TEST_CASE("least recently used blocks go first; a file's blocks can be dropped") {
    auto block = [](size_t n) { return std::make_shared<const Block>(std::string(n, 'x')); };
    BlockCache cache(1000);
    cache.Insert(1, 0, block(400));
    cache.Insert(1, 400, block(400));
    CHECK(cache.Lookup(1, 0) != nullptr);  // now the most recent
    cache.Insert(2, 0, block(400));        // evicts (1, 400)
    CHECK(cache.Lookup(1, 400) == nullptr);
    CHECK(cache.Lookup(1, 0) != nullptr);
    CHECK(cache.Lookup(2, 0) != nullptr);
    auto stats = cache.GetStats();
    CHECK(stats.usage <= 1000);
    CHECK(stats.hits == 3);
    CHECK(stats.misses == 1);
    cache.Insert(3, 0, block(5000));  // bigger than the cache: not kept
    CHECK(cache.Lookup(3, 0) == nullptr);
    CHECK(cache.Lookup(2, 0) != nullptr);
    cache.EraseFile(1);
    CHECK(cache.Lookup(1, 0) == nullptr);
    CHECK(cache.GetStats().usage <= 400 + 64);
  }
}

}  // namespace strata
