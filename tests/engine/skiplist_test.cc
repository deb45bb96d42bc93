#include "engine/skiplist.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>

#include "engine/dbformat.h"
#include "support/internal_key.h"

namespace strata {
namespace {

using testing::IKey;

std::string RandomKey(std::mt19937& rng, int space) {
  return "k" + std::to_string(rng() % space);
}

}  // namespace

TEST_SUITE("skiplist") {
  TEST_CASE("user keys compare as bytes, unsigned, shorter first, at every length") {
    std::mt19937 rng(3);
    auto sign = [](int c) { return (c > 0) - (c < 0); };
    for (int i = 0; i < 200000; ++i) {
      // Short alphabets make long common prefixes; high bytes check the unsigned order.
      const char alphabet[] = {'a', 'b', '\x00', '\xff'};
      std::string a(rng() % 42, 'a'), b;
      for (char& c : a) c = alphabet[rng() % 4];
      b = a.substr(0, rng() % (a.size() + 1));
      if (rng() % 2 && !b.empty()) b[rng() % b.size()] = alphabet[rng() % 4];
      size_t extra = rng() % 12;
      for (size_t j = 0; j < extra; ++j) b.push_back(alphabet[rng() % 4]);
      REQUIRE(sign(CompareUserKey(a, b)) == sign(a.compare(b)));
      REQUIRE(sign(CompareUserKey(b, a)) == sign(b.compare(a)));
    }
  }

  TEST_CASE("an empty list finds nothing") {
    Arena arena;
    SkipList list(&arena);
    CHECK(list.First() == nullptr);
    CHECK(list.Last() == nullptr);
    CHECK(list.FindGreaterOrEqual("a", SeekTrailer(100)) == nullptr);
    CHECK(list.FindLessThan("a", 0) == nullptr);
  }

  TEST_CASE("random inserts match std::map in both directions") {
    const uint32_t seed = 42;
    CAPTURE(seed);
    std::mt19937 rng(seed);
    Arena arena;
    SkipList list(&arena);
    std::map<IKey, std::string> model;
    uint64_t seq = 1;
    SUBCASE("random order") {
      for (int i = 0; i < 20000; ++i) {
        std::string k = RandomKey(rng, 5000);
        std::string v = "v" + std::to_string(i);
        uint64_t t = PackTrailer(seq++, ValueType::kValue);
        list.Insert(k, t, v);
        model[{k, t}] = v;
      }
    }
    SUBCASE("near-sequential order (the splice path)") {
      for (int i = 0; i < 20000; ++i) {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "k%08d", i * 2 + (rng() % 3 == 0 ? -1 : 0));
        uint64_t t = PackTrailer(seq++, ValueType::kValue);
        list.Insert(buf, t, "x");
        model[{buf, t}] = "x";
      }
    }
    REQUIRE(list.size() == model.size());
    // Full forward walk.
    auto it = model.begin();
    for (const SkipList::Node* n = list.First(); n != nullptr; n = n->next[0], ++it) {
      REQUIRE(it != model.end());
      REQUIRE(n->user_key() == it->first.key);
      REQUIRE(n->trailer == it->first.trailer);
      REQUIRE(n->value() == it->second);
    }
    CHECK(it == model.end());
    // Seeks: >= and < of random targets.
    for (int i = 0; i < 5000; ++i) {
      IKey target{RandomKey(rng, 6000), SeekTrailer(rng() % (seq + 10))};
      auto ge = model.lower_bound(target);
      const SkipList::Node* n = list.FindGreaterOrEqual(target.key, target.trailer);
      if (ge == model.end()) {
        REQUIRE(n == nullptr);
      } else {
        REQUIRE(n != nullptr);
        REQUIRE(n->user_key() == ge->first.key);
        REQUIRE(n->trailer == ge->first.trailer);
      }
      const SkipList::Node* lt = list.FindLessThan(target.key, target.trailer);
      if (ge == model.begin()) {
        REQUIRE(lt == nullptr);
      } else {
        auto prev = std::prev(ge);
        REQUIRE(lt != nullptr);
        REQUIRE(lt->user_key() == prev->first.key);
        REQUIRE(lt->trailer == prev->first.trailer);
      }
    }
    REQUIRE(list.Last() != nullptr);
    CHECK(list.Last()->user_key() == model.rbegin()->first.key);
  }

  TEST_CASE("versions of one key are ordered newest first") {
    Arena arena;
    SkipList list(&arena);
    list.Insert("a", PackTrailer(1, ValueType::kValue), "old");
    list.Insert("a", PackTrailer(3, ValueType::kDeletion), "");
    list.Insert("a", PackTrailer(2, ValueType::kValue), "mid");
    const SkipList::Node* n = list.First();
    CHECK(TrailerSequence(n->trailer) == 3);
    CHECK(TrailerSequence(n->next[0]->trailer) == 2);
    CHECK(TrailerSequence(n->next[0]->next[0]->trailer) == 1);
    // A snapshot at seqno 2 lands on the version it can see.
    CHECK(list.FindGreaterOrEqual("a", SeekTrailer(2))->value() == "mid");
  }

  TEST_CASE("binary keys with zero bytes and prefixes sort by memcmp then length") {
    Arena arena;
    SkipList list(&arena);
    std::string with_nul("a\0b", 3);
    list.Insert("ab", PackTrailer(1, ValueType::kValue), "1");
    list.Insert(with_nul, PackTrailer(2, ValueType::kValue), "2");
    list.Insert("a", PackTrailer(3, ValueType::kValue), "3");
    list.Insert("", PackTrailer(4, ValueType::kValue), "4");
    const SkipList::Node* n = list.First();
    CHECK(n->user_key() == "");
    n = n->next[0];
    CHECK(n->user_key() == "a");
    n = n->next[0];
    CHECK(n->user_key() == with_nul);
    n = n->next[0];
    CHECK(n->user_key() == "ab");
  }
}

}  // namespace strata
