#include "engine/memtable.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

namespace strata {

TEST_SUITE("memtable") {
  TEST_CASE("get sees the newest version at each snapshot") {
    MemTable mem;
    mem.Add(1, ValueType::kValue, "k", "v1");
    mem.Add(2, ValueType::kValue, "k", "v2");
    mem.Add(3, ValueType::kDeletion, "k", "");
    mem.Add(4, ValueType::kValue, "k", "v4");
    std::string_view v;
    CHECK(mem.Get("k", 0, &v) == MemTable::LookupResult::kNotFound);
    REQUIRE(mem.Get("k", 1, &v) == MemTable::LookupResult::kFound);
    CHECK(v == "v1");
    REQUIRE(mem.Get("k", 2, &v) == MemTable::LookupResult::kFound);
    CHECK(v == "v2");
    CHECK(mem.Get("k", 3, &v) == MemTable::LookupResult::kDeleted);
    REQUIRE(mem.Get("k", 100, &v) == MemTable::LookupResult::kFound);
    CHECK(v == "v4");
    CHECK(mem.Get("absent", 100, &v) == MemTable::LookupResult::kNotFound);
  }

  TEST_CASE("the key-range shortcut finds the first, last and every key, and none outside") {
    MemTable mem;
    std::string_view v;
    CHECK(mem.Get("m", 100, &v) == MemTable::LookupResult::kNotFound);  // empty
    // Inserted out of order, so the range moves at both ends.
    for (std::string k : {"m", "d", "x", "a", "z", "b"}) mem.Add(1, ValueType::kValue, k, k + "!");
    for (std::string k : {"a", "b", "d", "m", "x", "z"}) {
      REQUIRE(mem.Get(k, 100, &v) == MemTable::LookupResult::kFound);
      CHECK(v == k + "!");
    }
    for (std::string k : {"", "0", "A", "c", "za", "zz", "~"}) {
      CHECK(mem.Get(k, 100, &v) == MemTable::LookupResult::kNotFound);
    }
  }

  TEST_CASE("the hash index agrees with a model through growth, also mid-rehash") {
    const uint32_t seed = 7;
    CAPTURE(seed);
    std::mt19937 rng(seed);
    MemTable mem;
    std::map<std::string, std::string> model;  // "" marks a deletion
    auto check = [&](int keys) {
      for (int i = 0; i < keys; ++i) {
        std::string k = "key" + std::to_string(i);
        std::string_view v;
        auto r = mem.Get(k, kMaxSequenceNumber, &v);
        auto it = model.find(k);
        if (it == model.end()) {
          REQUIRE(r == MemTable::LookupResult::kNotFound);
        } else if (it->second.empty()) {
          REQUIRE(r == MemTable::LookupResult::kDeleted);
        } else {
          REQUIRE(r == MemTable::LookupResult::kFound);
          REQUIRE(v == it->second);
        }
      }
    };
    for (uint64_t seq = 1; seq <= 50000; ++seq) {
      // Mostly new keys early (the index grows), and updates of keys that may still sit in
      // the old table while it is being moved across.
      std::string k = "key" + std::to_string(rng() % std::min<uint64_t>(20000, seq + 100));
      if (rng() % 4 == 0) {
        mem.Add(seq, ValueType::kDeletion, k, "");
        model[k] = "";
      } else {
        std::string v = std::to_string(seq);
        mem.Add(seq, ValueType::kValue, k, v);
        model[k] = v;
      }
      if (seq % 97 == 0) check(static_cast<int>(std::min<uint64_t>(20000, seq + 200)));
    }
    check(25000);
  }

  TEST_CASE("iterator walks every version in both directions") {
    auto mem = std::make_shared<MemTable>();
    mem->Add(1, ValueType::kValue, "b", "1");
    mem->Add(2, ValueType::kValue, "a", "2");
    mem->Add(3, ValueType::kValue, "b", "3");
    auto it = MemTable::NewIterator(mem);
    it->SeekToFirst();
    REQUIRE(it->Valid());
    CHECK(it->user_key() == "a");
    it->Next();
    CHECK(it->value() == "3");
    it->Next();
    CHECK(it->value() == "1");
    it->Next();
    CHECK_FALSE(it->Valid());
    it->SeekToLast();
    CHECK(it->value() == "1");
    it->Prev();
    CHECK(it->value() == "3");
    it->SeekForPrev("b", SeekTrailer(4));  // (b, seq 4) sorts before every b: lands on a
    CHECK(it->user_key() == "a");
    it->SeekForPrev("b", 0);
    CHECK(it->value() == "1");
  }
}

}  // namespace strata
