#include "strata/db.h"
#include "support/engine_hooks.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <optional>
#include <chrono>
#include <random>
#include <thread>
#include <string>

#include "engine/env.h"
#include "engine/wal_writer.h"
#include "support/temp_dir.h"

namespace strata {
namespace {

using Model = std::map<std::string, std::string>;

std::unique_ptr<DB> OpenDb(const std::string& dir, size_t memtable_size = 64u << 20,
                           Env* env = nullptr) {
  Options options;
  options.memtable_size = memtable_size;
  options.env = env;
  // Small levels and files, so a test's few megabytes reach level 2 and beyond.
  options.level1_max_bytes = 256 * 1024;
  options.target_file_size = 64 * 1024;
  auto db = DB::Open(options, dir);
  REQUIRE_MESSAGE(db.ok(), db.status().ToString());
  return std::move(*db);
}

std::optional<std::string> Get(DB* db, std::string_view key, const Snapshot* snap = nullptr) {
  ReadOptions ro;
  ro.snapshot = snap;
  std::string v;
  auto r = db->Get(ro, key, &v);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  if (!*r) return std::nullopt;
  return v;
}

// Checks a full scan, both directions, and random seeks against the model.
void CheckIterator(DB* db, const Model& model, std::mt19937& rng, const Snapshot* snap = nullptr) {
  ReadOptions ro;
  ro.snapshot = snap;
  auto it = db->NewIterator(ro);
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    REQUIRE(m != model.end());
    REQUIRE(it->key() == m->first);
    REQUIRE(it->value() == m->second);
  }
  REQUIRE(m == model.end());
  REQUIRE(it->status().ok());
  auto r = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
    REQUIRE(r != model.rend());
    REQUIRE(it->key() == r->first);
    REQUIRE(it->value() == r->second);
  }
  REQUIRE(r == model.rend());
  for (int i = 0; i < 200; ++i) {
    std::string target = "key" + std::to_string(rng() % 1200);
    it->Seek(target);
    auto ge = model.lower_bound(target);
    if (ge == model.end()) {
      REQUIRE_FALSE(it->Valid());
      continue;
    }
    REQUIRE(it->Valid());
    REQUIRE(it->key() == ge->first);
    // Change direction mid-scan: prev then next comes back.
    it->Prev();
    if (ge == model.begin()) {
      REQUIRE_FALSE(it->Valid());
    } else {
      REQUIRE(it->Valid());
      REQUIRE(it->key() == std::prev(ge)->first);
      it->Next();
      REQUIRE(it->key() == ge->first);
    }
    it->SeekForPrev(target);
    auto le = model.upper_bound(target);
    if (le == model.begin()) {
      REQUIRE_FALSE(it->Valid());
    } else {
      REQUIRE(it->Valid());
      REQUIRE(it->key() == std::prev(le)->first);
    }
  }
}

// The path of the one WAL segment in dir.
std::string OnlyLog(const std::string& dir) {
  std::vector<std::string> names;
  REQUIRE(Env::Default()->ListDir(dir, &names).ok());
  std::string found;
  for (const auto& n : names) {
    if (n.size() > 4 && n.substr(n.size() - 4) == ".log") {
      REQUIRE(found.empty());
      found = dir + "/" + n;
    }
  }
  REQUIRE_FALSE(found.empty());
  return found;
}

}  // namespace

TEST_SUITE("db") {
  TEST_CASE("a random mix of writes, reads, scans, snapshots and reopens matches std::map") {
    const uint32_t seed = 2024;
    CAPTURE(seed);
    std::mt19937 rng(seed);
    testing::TempDir dir;
    Model model;
    // A tiny memtable seals often, so reads merge several memtables.
    auto db = OpenDb(dir.path(), 64 * 1024);
    std::unique_ptr<const Snapshot> snap;
    Model snap_model;
    for (int round = 0; round < 8; ++round) {
      for (int i = 0; i < 3000; ++i) {
        std::string key = "key" + std::to_string(rng() % 1000);
        int op = rng() % 10;
        if (op < 5) {
          std::string value(rng() % 64, static_cast<char>('a' + rng() % 26));
          REQUIRE(db->Put(WriteOptions(), key, value).ok());
          model[key] = value;
        } else if (op < 7) {
          REQUIRE(db->Delete(WriteOptions(), key).ok());
          model.erase(key);
        } else if (op < 8) {
          WriteBatch batch;
          for (int j = 0; j < 5; ++j) {
            std::string k = "key" + std::to_string(rng() % 1000);
            if (rng() % 3 == 0) {
              batch.Delete(k);
              model.erase(k);
            } else {
              batch.Put(k, "batch" + std::to_string(i));
              model[k] = "batch" + std::to_string(i);
            }
          }
          REQUIRE(db->Write(WriteOptions(), &batch).ok());
        } else {
          auto expected = model.find(key);
          auto got = Get(db.get(), key);
          if (expected == model.end()) {
            REQUIRE_FALSE(got.has_value());
          } else {
            REQUIRE(got == expected->second);
          }
        }
        if (i == 1000 && round % 2 == 0) {
          snap = db->GetSnapshot();
          snap_model = model;
        }
      }
      REQUIRE(db->FlushWal().ok());
      if (round % 2 == 1) REQUIRE(testing::FlushAndCompact(db.get()).ok());
      CheckIterator(db.get(), model, rng);
      if (snap) {
        CheckIterator(db.get(), snap_model, rng, snap.get());
        for (auto& [k, v] : snap_model) REQUIRE(Get(db.get(), k, snap.get()) == v);
        snap.reset();
      }
      if (round % 3 == 2) {
        db.reset();
        db = OpenDb(dir.path(), 64 * 1024);
        CheckIterator(db.get(), model, rng);
      }
    }
    REQUIRE(testing::FlushAndCompact(db.get()).ok());
    CheckIterator(db.get(), model, rng);
    DbStats stats = db->GetStats();
    CHECK(stats.flushes > 0);
    CHECK(stats.compactions + stats.trivial_moves > 0);
    CHECK(stats.levels[0].files < 4);
    uint64_t deeper = 0;
    for (int l = 1; l < 7; ++l) deeper += stats.levels[l].files;
    CHECK(deeper > 0);
  }

  TEST_CASE("compaction keeps what snapshots see and drops what nobody can") {
    testing::TempDir dir;
    auto db = OpenDb(dir.path(), 64 * 1024);
    std::string big(200, 'x');
    for (int i = 0; i < 2000; ++i) REQUIRE(db->Put(WriteOptions(), "k" + std::to_string(i), "old" + big).ok());
    auto snap = db->GetSnapshot();
    for (int i = 0; i < 2000; ++i) {
      if (i % 2) {
        REQUIRE(db->Delete(WriteOptions(), "k" + std::to_string(i)).ok());
      } else {
        REQUIRE(db->Put(WriteOptions(), "k" + std::to_string(i), "new" + big).ok());
      }
    }
    REQUIRE(testing::FlushAndCompact(db.get()).ok());
    for (int i = 0; i < 2000; i += 37) {
      std::string k = "k" + std::to_string(i);
      CHECK(Get(db.get(), k, snap.get()) == "old" + big);
      CHECK(Get(db.get(), k) == (i % 2 ? std::nullopt : std::optional<std::string>("new" + big)));
    }
    DbStats with_snapshot = db->GetStats();
    snap.reset();
    // Rewrite everything once more so every file is compacted without the snapshot.
    for (int i = 0; i < 2000; i += 2) REQUIRE(db->Put(WriteOptions(), "k" + std::to_string(i), "last").ok());
    REQUIRE(db->CompactAll().ok());
    uint64_t bytes = 0, entries_bytes_before = 0;
    DbStats after = db->GetStats();
    for (int l = 0; l < 7; ++l) {
      bytes += after.levels[l].bytes;
      entries_bytes_before += with_snapshot.levels[l].bytes;
    }
    CHECK(bytes < entries_bytes_before / 4);  // old versions and tombstones are gone
    for (int i = 0; i < 2000; i += 37) {
      CHECK(Get(db.get(), "k" + std::to_string(i)) == (i % 2 ? std::nullopt : std::optional<std::string>("last")));
    }
  }

  TEST_CASE("the compaction filter drops entries, and older versions stay hidden") {
    testing::TempDir dir;
    Options options;
    options.memtable_size = 64 * 1024;
    options.level1_max_bytes = 128 * 1024;
    options.target_file_size = 32 * 1024;
    options.compaction_filter = [](std::string_view key, std::string_view value) {
      return value == "expired";
    };
    auto opened = DB::Open(options, dir.path());
    REQUIRE(opened.ok());
    auto db = std::move(*opened);
    for (int i = 0; i < 3000; ++i) REQUIRE(db->Put(WriteOptions(), "k" + std::to_string(i), std::string(100, 'a')).ok());
    REQUIRE(testing::FlushAndCompact(db.get()).ok());
    for (int i = 0; i < 3000; i += 3) REQUIRE(db->Put(WriteOptions(), "k" + std::to_string(i), "expired").ok());
    REQUIRE(db->CompactAll().ok());
    for (int i = 0; i < 3000; i += 50) {
      std::string k = "k" + std::to_string(i);
      // Dropped by the filter; the older value underneath must not come back.
      CHECK(Get(db.get(), k) == (i % 3 == 0 ? std::nullopt : std::optional<std::string>(std::string(100, 'a'))));
    }
  }

  TEST_CASE("files that are mostly tombstones are compacted away without being asked") {
    testing::TempDir dir;
    auto db = OpenDb(dir.path());
    auto sst_bytes = [&] {
      DbStats s = db->GetStats();
      uint64_t total = 0;
      for (const auto& l : s.levels) total += l.bytes;
      return total;
    };
    WriteOptions wo;
    for (int i = 0; i < 20000; ++i) {
      REQUIRE(db->Put(wo, "key" + std::to_string(i), std::string(100, 'v')).ok());
    }
    REQUIRE(testing::FlushAndCompact(db.get()).ok());
    uint64_t full = sst_bytes();
    for (int i = 0; i < 20000; ++i) REQUIRE(db->Delete(wo, "key" + std::to_string(i)).ok());
    // One level-0 file of tombstones: below every size and count trigger.
    REQUIRE(testing::FlushAndCompact(db.get()).ok());
    MESSAGE("SST bytes: " << full << " with the keys, " << sst_bytes() << " once deleted");
    CHECK(db->GetStats().tombstone_compactions > 0);
    CHECK(sst_bytes() < full / 10);
    auto it = db->NewIterator(ReadOptions());
    it->SeekToFirst();
    CHECK_FALSE(it->Valid());
    CHECK(it->status().ok());
  }

  TEST_CASE("a database of flushed and compacted files reopens with everything") {
    testing::TempDir dir;
    {
      auto db = OpenDb(dir.path(), 64 * 1024);
      for (int i = 0; i < 20000; ++i) REQUIRE(db->Put(WriteOptions(), "key" + std::to_string(i), std::to_string(i)).ok());
      REQUIRE(testing::FlushAndCompact(db.get()).ok());
      for (int i = 0; i < 20000; i += 2) REQUIRE(db->Delete(WriteOptions(), "key" + std::to_string(i)).ok());
    }
    auto db = OpenDb(dir.path(), 64 * 1024);
    for (int i = 0; i < 20000; ++i) {
      REQUIRE(Get(db.get(), "key" + std::to_string(i)) ==
              (i % 2 ? std::optional<std::string>(std::to_string(i)) : std::nullopt));
    }
    // Once everything is flushed, obsolete files are gone: one WAL segment, one MANIFEST.
    REQUIRE(testing::FlushAndCompact(db.get()).ok());
    std::vector<std::string> names;
    REQUIRE(Env::Default()->ListDir(dir.path(), &names).ok());
    int manifests = 0, logs = 0;
    for (const auto& n : names) {
      manifests += n.rfind("MANIFEST-", 0) == 0;
      logs += n.size() > 4 && n.substr(n.size() - 4) == ".log";
    }
    CHECK(manifests == 1);
    CHECK(logs == 1);
  }

  TEST_CASE("bounds confine an iterator to a prefix") {
    testing::TempDir dir;
    auto db = OpenDb(dir.path());
    for (const char* k : {"a1", "b1", "b2", "b3", "c1"}) REQUIRE(db->Put(WriteOptions(), k, k).ok());
    std::string upper = PrefixSuccessor("b");
    ReadOptions ro;
    ro.lower_bound = "b";
    ro.upper_bound = upper;
    auto it = db->NewIterator(ro);
    std::string seen;
    for (it->SeekToFirst(); it->Valid(); it->Next()) seen += std::string(it->key()) + ",";
    CHECK(seen == "b1,b2,b3,");
    seen.clear();
    for (it->SeekToLast(); it->Valid(); it->Prev()) seen += std::string(it->key()) + ",";
    CHECK(seen == "b3,b2,b1,");
    it->Seek("a");
    CHECK(it->key() == "b1");
    it->SeekForPrev("z");
    CHECK(it->key() == "b3");
    CHECK(PrefixSuccessor(std::string("a\xff\xff", 3)) == "b");
    CHECK(PrefixSuccessor(std::string("\xff", 1)).empty());
  }

  TEST_CASE("mapped tables are read in place; unmapped ones through the block cache") {
    for (bool mmap : {true, false}) {
      CAPTURE(mmap);
      testing::TempDir dir;
      Options options;
      options.memtable_size = 64 * 1024;
      options.mmap_reads = mmap;
      auto db = DB::Open(options, dir.path());
      REQUIRE(db.ok());
      for (int i = 0; i < 3000; ++i) {
        REQUIRE((*db)->Put(WriteOptions(), "key" + std::to_string(i), std::string(100, 'v')).ok());
      }
      REQUIRE((*db)->CompactAll().ok());
      for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 3000; ++i) {
          auto value = Get(db->get(), "key" + std::to_string(i));
          REQUIRE(value == std::string(100, 'v'));
        }
      }
      DbStats stats = (*db)->GetStats();
      if (mmap) {
        CHECK(stats.block_cache_hits + stats.block_cache_misses == 0);
      } else {
        CHECK(stats.block_cache_hits > stats.block_cache_misses);  // the second round hits
        CHECK(stats.block_cache_usage > 0);
      }
    }
  }

  TEST_CASE("with tables larger than the block cache a random get reads at most one block") {
    // Both read paths, a block cache far smaller than the tables: the index finds the one
    // block, and the filters keep a lookup out of the tables without its key.
    for (bool mmap : {true, false}) {
      CAPTURE(mmap);
      testing::TempDir dir;
      Options options;
      options.memtable_size = 256 * 1024;
      options.block_cache_size = 64 * 1024;
      options.mmap_reads = mmap;
      auto db = DB::Open(options, dir.path());
      REQUIRE(db.ok());
      const int n = 40000;
      for (int i = 0; i < n; ++i) {
        REQUIRE((*db)->Put(WriteOptions(), "key" + std::to_string(i), std::string(100, 'v')).ok());
      }
      REQUIRE(testing::FlushAndCompact(db->get()).ok());
      DbStats before = (*db)->GetStats();
      uint64_t bytes = 0;
      for (const auto& level : before.levels) bytes += level.bytes;
      CHECK(bytes > 8 * options.block_cache_size);
      std::mt19937 rng(7);
      const int gets = 2000;
      for (int i = 0; i < gets; ++i) {
        REQUIRE(Get(db->get(), "key" + std::to_string(rng() % n)) == std::string(100, 'v'));
      }
      DbStats after = (*db)->GetStats();
      uint64_t found = after.table_blocks_read - before.table_blocks_read;
      CHECK(found >= gets * 9 / 10);  // nearly every key is in a table, not the memtable
      CHECK(found <= gets * 11 / 10);  // ... and costs one block (a filter false positive more)
      for (int i = 0; i < gets; ++i) {
        REQUIRE(!Get(db->get(), "nokey" + std::to_string(i)).has_value());
      }
      uint64_t missing = (*db)->GetStats().table_blocks_read - after.table_blocks_read;
      CHECK(missing <= gets / 10);  // a key that is nowhere reads no block, bar false positives
    }
  }

  TEST_CASE("after a power loss at any moment, exactly the acknowledged writes are there") {
    // Every write is synced (appendfsync always), so a power loss (only synced bytes
    // survive) must leave exactly the writes acknowledged before it, whatever flushes,
    // compactions, file deletions and MANIFEST syncs were in flight. On tmpfs when there is
    // one, so the syncs are cheap.
    std::filesystem::path parent = std::filesystem::exists("/dev/shm")
                                       ? std::filesystem::path("/dev/shm")
                                       : std::filesystem::temp_directory_path();
    testing::TempDir dir(parent);
    FaultInjectionEnv env;
    Options options;
    options.env = &env;
    options.wal_sync = WalSyncMode::kAlways;
    options.memtable_size = 32 * 1024;
    options.level1_max_bytes = 128 * 1024;
    options.target_file_size = 32 * 1024;
    auto db = DB::Open(options, dir.path());
    REQUIRE(db.ok());
    WriteOptions wo;
    wo.flush_wal = true;
    std::mt19937 rng(21);
    std::map<std::string, std::string> model;
    for (int i = 1; i <= 8000; ++i) {
      std::string key = "key" + std::to_string(rng() % 700);
      if (rng() % 8 == 0) {
        REQUIRE((*db)->Delete(wo, key).ok());
        model.erase(key);
      } else {
        std::string value = std::string(40 + rng() % 80, static_cast<char>('a' + i % 26)) +
                            std::to_string(i);
        REQUIRE((*db)->Put(wo, key, value).ok());
        model[key] = value;
      }
      if (i % 200 != 0) continue;
      CAPTURE(i);
      testing::TempDir lost(parent);
      REQUIRE(env.CopySyncedState(dir.path(), lost.path()).ok());
      auto after = DB::Open(Options(), lost.path());
      REQUIRE_MESSAGE(after.ok(), after.status().ToString());
      auto it = (*after)->NewIterator(ReadOptions());
      auto m = model.begin();
      for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
        REQUIRE(m != model.end());
        REQUIRE(it->key() == m->first);
        REQUIRE(it->value() == m->second);
      }
      REQUIRE(it->status().ok());
      REQUIRE(m == model.end());
    }
    CHECK((*db)->GetStats().compactions > 0);
  }

  TEST_CASE("a torn log tail is cut at open and every complete write survives") {
    testing::TempDir dir;
    {
      auto db = OpenDb(dir.path());
      for (int i = 0; i < 100; ++i) {
        REQUIRE(db->Put(WriteOptions(), "k" + std::to_string(i), std::to_string(i)).ok());
      }
    }
    {
      std::ofstream out(OnlyLog(dir.path()), std::ios::binary | std::ios::app);
      out.write("\x12\x34\x56\x78\xff\x00\x00\x00partial", 15);  // a header promising 255 bytes
    }
    auto db = OpenDb(dir.path());
    CHECK(db->GetStats().recovered_torn_bytes == 15);
    for (int i = 0; i < 100; ++i) CHECK(Get(db.get(), "k" + std::to_string(i)) == std::to_string(i));
    // The cut log is appended to again, and what follows survives another reopen.
    REQUIRE(db->Put(WriteOptions(), "after", "cut").ok());
    db.reset();
    db = OpenDb(dir.path());
    CHECK(Get(db.get(), "after") == "cut");
    CHECK(db->GetStats().recovered_torn_bytes == 0);
  }

  TEST_CASE("damage inside an older log segment is reported, never skipped") {
    testing::TempDir dir;
    // Two segments as a crash would leave them before a flush: 10 (older) and 11.
    uint64_t seq = 1;
    for (uint64_t number : {10, 11}) {
      auto file = Env::Default()->NewAppendableFile(dir.file("0000" + std::to_string(number) + ".log"));
      REQUIRE(file.ok());
      WalWriter writer(std::move(*file), number, 0);
      for (int i = 0; i < 3; ++i) {
        WriteBatch batch;
        batch.Put("k" + std::to_string(seq), "v");
        batch.set_sequence(seq++);
        writer.AddRecord(batch.data());
      }
      REQUIRE(writer.Flush().ok());
    }
    SUBCASE("intact segments replay in order") {
      auto db = OpenDb(dir.path());
      for (int i = 1; i <= 6; ++i) CHECK(Get(db.get(), "k" + std::to_string(i)) == "v");
    }
    SUBCASE("a flipped byte in the older one refuses to open") {
      {
        std::fstream f(dir.file("000010.log"), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(20);
        f.put('!');
      }
      auto db = DB::Open(Options(), dir.path());
      REQUIRE_FALSE(db.ok());
      CHECK(db.status().IsCorruption());
      CHECK(db.status().message().find("000010.log") != std::string_view::npos);
    }
  }

  TEST_CASE("a flipped byte in an SST or the MANIFEST is reported, never served") {
    testing::TempDir dir;
    {
      auto db = OpenDb(dir.path(), 64 * 1024);
      for (int i = 0; i < 5000; ++i) REQUIRE(db->Put(WriteOptions(), "key" + std::to_string(i), std::string(100, 'v')).ok());
      REQUIRE(db->CompactAll().ok());
    }
    std::vector<std::string> names;
    REQUIRE(Env::Default()->ListDir(dir.path(), &names).ok());
    std::string sst, manifest;
    for (const auto& n : names) {
      if (n.size() > 4 && n.substr(n.size() - 4) == ".sst" && sst.empty()) sst = dir.file(n);
      if (n.rfind("MANIFEST-", 0) == 0) manifest = dir.file(n);
    }
    REQUIRE_FALSE(sst.empty());
    auto flip = [](const std::string& path, std::streamoff at) {
      std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
      f.seekg(at);
      char c;
      f.get(c);
      f.seekp(at);
      f.put(static_cast<char>(c ^ 0x04));
    };
    SUBCASE("data block") {
      flip(sst, 50);
      auto db = OpenDb(dir.path(), 64 * 1024);
      std::string value;
      bool reported = false;
      for (int i = 0; i < 5000 && !reported; ++i) {
        auto r = db->Get(ReadOptions(), "key" + std::to_string(i), &value);
        if (!r.ok()) {
          CHECK(r.status().IsCorruption());
          CHECK(r.status().message().find(".sst") != std::string_view::npos);
          reported = true;
        } else {
          REQUIRE(*r);
          REQUIRE(value == std::string(100, 'v'));  // never wrong data
        }
      }
      CHECK(reported);
      auto it = db->NewIterator(ReadOptions());
      size_t seen = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) ++seen;
      CHECK(it->status().IsCorruption());  // the scan stops and says why
      CHECK(seen < 5000);
    }
    SUBCASE("manifest record") {
      flip(manifest, 12);  // inside the first (snapshot) record, which others follow
      auto db = DB::Open(Options(), dir.path());
      REQUIRE_FALSE(db.ok());
      CHECK(db.status().IsCorruption());
      CHECK(db.status().message().find("MANIFEST") != std::string_view::npos);
    }
  }

  TEST_CASE("a second open of the same directory is refused") {
    testing::TempDir dir;
    auto db = OpenDb(dir.path());
    auto second = DB::Open(Options(), dir.path());
    REQUIRE_FALSE(second.ok());
    CHECK(second.status().message().find("in use") != std::string_view::npos);
  }

  TEST_CASE("a full disk refuses writes, keeps reads, and recovers when space returns") {
    testing::TempDir dir;
    FaultInjectionEnv env;
    {
      auto db = OpenDb(dir.path(), 64u << 20, &env);
      REQUIRE(db->Put(WriteOptions(), "before", "1").ok());
      REQUIRE(db->FlushWal().ok());
      env.fail_appends = true;
      REQUIRE(db->Put(WriteOptions(), "during", "2").ok());  // buffered: not yet written
      CHECK(db->FlushWal().IsIOError());
      CHECK(db->Put(WriteOptions(), "refused", "3").IsIOError());
      CHECK(db->BackgroundError().IsIOError());
      CHECK(Get(db.get(), "before") == "1");
      env.fail_appends = false;
      REQUIRE(db->FlushWal().ok());  // the retry writes the buffered record
      CHECK(db->BackgroundError().ok());
      REQUIRE(db->Put(WriteOptions(), "after", "4").ok());
    }
    auto db = OpenDb(dir.path());
    CHECK(Get(db.get(), "before") == "1");
    CHECK(Get(db.get(), "during") == "2");
    CHECK_FALSE(Get(db.get(), "refused").has_value());
    CHECK(Get(db.get(), "after") == "4");
  }

  TEST_CASE("a segment switch that fails on a full disk is retried, and nothing is lost") {
    testing::TempDir dir;
    FaultInjectionEnv env;
    {
      auto db = OpenDb(dir.path(), 64 * 1024, &env);
      std::string value(1000, 'v');
      int i = 0;
      // Fill the memtable until a switch is due, with the disk full at that moment.
      while (db->GetStats().sealed_memtables == 0 && i < 1000) {
        if (i == 10) env.fail_appends = true;
        Status s = db->Put(WriteOptions(), "k" + std::to_string(i), value);
        if (!s.ok()) break;  // refused once the switch failed
        ++i;
      }
      CHECK(db->BackgroundError().IsIOError());
      CHECK(db->GetStats().sealed_memtables == 0);
      env.fail_appends = false;
      REQUIRE(db->FlushWal().ok());  // the buffered records reach the log
      REQUIRE(db->Put(WriteOptions(), "after", "x").ok());  // and the switch is retried
      CHECK(db->GetStats().sealed_memtables == 1);
      for (int j = 0; j < i; ++j) REQUIRE(Get(db.get(), "k" + std::to_string(j)) == value);
    }
    auto db = OpenDb(dir.path());
    CHECK(Get(db.get(), "after") == "x");
    CHECK(Get(db.get(), "k0") == std::string(1000, 'v'));
  }

  TEST_CASE("a failed fsync under appendfsync always is fatal for writes") {
    testing::TempDir dir;
    FaultInjectionEnv env;
    Options options;
    options.env = &env;
    options.wal_sync = WalSyncMode::kAlways;
    auto db = DB::Open(options, dir.path());
    REQUIRE(db.ok());
    REQUIRE((*db)->Put(WriteOptions(), "a", "1").ok());
    env.fail_syncs = true;
    REQUIRE((*db)->Put(WriteOptions(), "b", "2").ok());
    CHECK((*db)->FlushWal().IsIOError());
    env.fail_syncs = false;
    CHECK((*db)->Put(WriteOptions(), "c", "3").IsIOError());  // never silently retried
    CHECK((*db)->FlushWal().IsIOError());
  }
}

}  // namespace strata
