// Compaction picking, seen through what it must guarantee: after the engine settles, level 0
// is below its trigger and every deeper level is within its size target, and nothing written
// was lost or resurrected on the way down.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "strata/db.h"
#include "support/engine_hooks.h"
#include "support/temp_dir.h"

namespace strata {

TEST_SUITE("compaction picking") {
  TEST_CASE("levels settle within their targets, and reads see the newest versions") {
    testing::TempDir dir;
    Options options;
    options.memtable_size = 64 << 10;
    options.level1_max_bytes = 256 << 10;
    options.target_file_size = 64 << 10;
    options.l0_compaction_trigger = 4;
    auto db = DB::Open(options, dir.path());
    REQUIRE(db.ok());
    std::mt19937 rng(99);
    std::map<std::string, std::string> model;
    WriteOptions wo;
    for (int i = 0; i < 60000; ++i) {
      char key[16];
      std::snprintf(key, sizeof(key), "key%07u", static_cast<unsigned>(rng() % 20000));
      if (rng() % 10 == 0) {
        REQUIRE((*db)->Delete(wo, key).ok());
        model.erase(key);
      } else {
        std::string value(40 + rng() % 60, static_cast<char>('a' + rng() % 26));
        REQUIRE((*db)->Put(wo, key, value).ok());
        model[key] = value;
      }
      if (i % 5000 == 0) (*db)->PollBackgroundWork();
    }
    REQUIRE(testing::FlushAndCompact(db->get()).ok());
    DbStats stats = (*db)->GetStats();
    CHECK(stats.levels[0].files < static_cast<uint64_t>(options.l0_compaction_trigger));
    uint64_t target = options.level1_max_bytes;
    int deepest = 0;
    for (int level = 1; level < 7; ++level, target *= 10) {
      if (stats.levels[level].files > 0) deepest = level;
      INFO("level " << level << ": " << stats.levels[level].bytes << " bytes");
      CHECK(stats.levels[level].bytes <= target);
    }
    CHECK(deepest >= 2);  // the data (~1.4 MB) went below level 1
    auto it = (*db)->NewIterator(ReadOptions());
    auto m = model.begin();
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
      REQUIRE(m != model.end());
      CHECK(it->key() == m->first);
      CHECK(it->value() == m->second);
    }
    CHECK(m == model.end());
    REQUIRE(it->status().ok());
  }
}

}  // namespace strata
