// The merging iterator and the DB iterator, over memtables (real internal iterators), checked
// against a model in both directions and from random seeks.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "engine/db_iter.h"
#include "engine/memtable.h"
#include "engine/merging_iterator.h"

namespace strata {
namespace {

struct Entry {
  SequenceNumber seq;
  ValueType type;
  std::string value;
};
// user key -> every version, newest first.
using Model = std::map<std::string, std::vector<Entry>>;

std::string Key(int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "k%05d", i);
  return buf;
}

// Three memtables written in an interleaved order, so every key's versions are spread over
// several children of the merge.
struct Sources {
  std::vector<std::shared_ptr<MemTable>> mems;
  Model model;

  explicit Sources(uint32_t seed, int n = 600) {
    for (int i = 0; i < 3; ++i) mems.push_back(std::make_shared<MemTable>());
    std::mt19937 rng(seed);
    for (SequenceNumber seq = 1; seq <= static_cast<SequenceNumber>(n); ++seq) {
      std::string key = Key(static_cast<int>(rng() % 150));
      ValueType type = rng() % 4 == 0 ? ValueType::kDeletion : ValueType::kValue;
      std::string value = type == ValueType::kValue ? "v" + std::to_string(seq) : "";
      mems[rng() % 3]->Add(seq, type, key, value);
      auto& versions = model[key];
      versions.insert(versions.begin(), Entry{seq, type, value});
    }
  }

  std::unique_ptr<InternalIterator> Merged() const {
    std::vector<std::unique_ptr<InternalIterator>> children;
    for (const auto& m : mems) children.push_back(MemTable::NewIterator(m));
    return NewMergingIterator(std::move(children));
  }

  // The user's view at seq: the newest visible version of each key that is a value.
  std::map<std::string, std::string> View(SequenceNumber seq) const {
    std::map<std::string, std::string> out;
    for (const auto& [key, versions] : model) {
      for (const Entry& e : versions) {
        if (e.seq > seq) continue;
        if (e.type == ValueType::kValue) out[key] = e.value;
        break;
      }
    }
    return out;
  }
};

}  // namespace

TEST_SUITE("iterators") {
  TEST_CASE("the merging iterator yields every version in internal-key order, both ways") {
    Sources src(11);
    std::vector<std::pair<std::string, SequenceNumber>> expect;
    for (const auto& [key, versions] : src.model) {
      for (const Entry& e : versions) expect.emplace_back(key, e.seq);
    }
    auto it = src.Merged();
    size_t i = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++i) {
      REQUIRE(i < expect.size());
      CHECK(it->user_key() == expect[i].first);
      CHECK(TrailerSequence(it->trailer()) == expect[i].second);
    }
    CHECK(i == expect.size());
    i = expect.size();
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      REQUIRE(i > 0);
      --i;
      CHECK(it->user_key() == expect[i].first);
      CHECK(TrailerSequence(it->trailer()) == expect[i].second);
    }
    CHECK(i == 0);
    // Switching direction in the middle.
    it->Seek(Key(70), SeekTrailer(kMaxSequenceNumber));
    REQUIRE(it->Valid());
    std::string here(it->user_key());
    uint64_t trailer = it->trailer();
    it->Next();
    it->Prev();
    REQUIRE(it->Valid());
    CHECK(it->user_key() == here);
    CHECK(it->trailer() == trailer);
  }

  TEST_CASE("the DB iterator shows each snapshot's view, with bounds, forwards and backwards") {
    Sources src(23);
    std::mt19937 rng(5);
    for (SequenceNumber seq : {SequenceNumber{50}, SequenceNumber{300}, SequenceNumber{600}}) {
      auto view = src.View(seq);
      for (int round = 0; round < 20; ++round) {
        int a = static_cast<int>(rng() % 160), b = static_cast<int>(rng() % 160);
        if (a > b) std::swap(a, b);
        std::string lower = round == 0 ? "" : Key(a), upper = round == 0 ? "" : Key(b);
        auto it = NewDBIterator(src.Merged(), seq, lower, upper);
        std::vector<std::pair<std::string, std::string>> want;
        for (const auto& [k, v] : view) {
          if ((lower.empty() || k >= lower) && (upper.empty() || k < upper)) want.emplace_back(k, v);
        }
        std::vector<std::pair<std::string, std::string>> got;
        for (it->SeekToFirst(); it->Valid(); it->Next()) {
          got.emplace_back(std::string(it->key()), std::string(it->value()));
        }
        CHECK(got == want);
        got.clear();
        for (it->SeekToLast(); it->Valid(); it->Prev()) {
          got.emplace(got.begin(), std::string(it->key()), std::string(it->value()));
        }
        CHECK(got == want);
        // A seek lands on the first visible key at or after the target.
        std::string target = Key(static_cast<int>(rng() % 160));
        it->Seek(target);
        auto first = std::find_if(want.begin(), want.end(),
                                  [&](const auto& kv) { return kv.first >= target; });
        if (first == want.end()) {
          CHECK_FALSE(it->Valid());
        } else {
          REQUIRE(it->Valid());
          CHECK(it->key() == first->first);
        }
        CHECK(it->status().ok());
      }
    }
  }
}

}  // namespace strata
