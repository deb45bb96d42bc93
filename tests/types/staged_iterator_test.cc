// The staged-writes iterator against a model: engine contents plus staged puts and
// deletions, merged, must read exactly like the std::map of the final state, in both
// directions and after every kind of seek.
#include "types/staged_iterator.h"

#include <doctest/doctest.h>

#include <map>
#include <random>

#include "strata/db.h"
#include "support/temp_dir.h"

namespace strata::types {

TEST_SUITE("staged iterator") {
  TEST_CASE("merges staged writes over the engine in both directions") {
    testing::TempDir dir;
    Options options;
    auto opened = DB::Open(options, dir.path());
    REQUIRE(opened.ok());
    DB& db = **opened;
    std::mt19937 rng(7);
    auto key = [&] { return "k" + std::to_string(rng() % 60); };
    for (int round = 0; round < 40; ++round) {
      std::map<std::string, std::string> model;
      WriteBatch batch;
      for (int i = 0; i < 40; ++i) {
        std::string k = key();
        if (rng() % 4 == 0) {
          batch.Delete(k);
        } else {
          batch.Put(k, "db" + std::to_string(i));
        }
      }
      REQUIRE(db.Write(WriteOptions(), &batch).ok());
      auto all = db.NewIterator(ReadOptions());
      for (all->SeekToFirst(); all->Valid(); all->Next())
        model[std::string(all->key())] = all->value();
      Overlay overlay;
      for (int i = 0; i < 15; ++i) {
        std::string k = key();
        if (rng() % 3 == 0) {
          overlay[k] = std::nullopt;
          model.erase(k);
        } else {
          overlay[k] = "staged" + std::to_string(i);
          model[k] = *overlay[k];
        }
      }
      std::string lower = rng() % 2 ? "" : "k2", upper = rng() % 2 ? "" : "k5";
      std::map<std::string, std::string> in_range;
      for (auto& [k, v] : model) {
        if ((lower.empty() || k >= lower) && (upper.empty() || k < upper)) in_range[k] = v;
      }
      auto it = NewStagedIterator(&db, &overlay, lower, upper);
      std::vector<std::pair<std::string, std::string>> fwd, bwd;
      for (it->SeekToFirst(); it->Valid(); it->Next()) fwd.emplace_back(it->key(), it->value());
      for (it->SeekToLast(); it->Valid(); it->Prev()) bwd.emplace_back(it->key(), it->value());
      std::vector<std::pair<std::string, std::string>> expect(in_range.begin(), in_range.end());
      CHECK(fwd == expect);
      std::reverse(expect.begin(), expect.end());
      CHECK(bwd == expect);
      for (int s = 0; s < 20; ++s) {
        std::string target = key();
        auto lb = in_range.lower_bound(target);
        it->Seek(target);
        CHECK(it->Valid() == (lb != in_range.end()));
        if (it->Valid() && lb != in_range.end()) {
          CHECK(it->key() == lb->first);
          // Changing direction lands on the neighbours.
          auto before = lb == in_range.begin() ? in_range.end() : std::prev(lb);
          it->Prev();
          CHECK(it->Valid() == (before != in_range.end()));
          if (it->Valid()) CHECK(it->key() == before->first);
        }
        auto ub = in_range.upper_bound(target);
        it->SeekForPrev(target);
        bool expect_valid = ub != in_range.begin();
        CHECK(it->Valid() == expect_valid);
        if (it->Valid() && expect_valid) {
          CHECK(it->key() == std::prev(ub)->first);
          it->Next();
          CHECK(it->Valid() == (ub != in_range.end()));
          if (it->Valid()) CHECK(it->key() == ub->first);
        }
      }
    }
  }
}

}  // namespace strata::types
