#include "types/hash.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "support/keyspace_fixture.h"

namespace strata::types {

using Fixture = testing::KeyspaceFixture;

TEST_SUITE("hash") {
  TEST_CASE("set, get, delete and length agree with a std::map, across commits and reopens") {
    Fixture f;
    const uint32_t seed = 20261202;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::map<std::string, std::string> model;
    for (int step = 0; step < 3000; ++step) {
      std::string field = "f" + std::to_string(rng() % 200);
      std::string value = "v" + std::to_string(rng());
      switch (rng() % 4) {
        case 0:
        case 1: {
          std::string_view pair[] = {field, value};
          auto added = Hash::Set(f.Op(), "h", pair, false);
          REQUIRE(added.ok());
          CHECK(*added == (model.count(field) ? 0u : 1u));
          model[field] = value;
          break;
        }
        case 2: {
          std::string_view one[] = {field};
          auto deleted = Hash::Delete(f.Op(), "h", one);
          REQUIRE(deleted.ok());
          CHECK(*deleted == model.erase(field));
          break;
        }
        case 3: {
          auto got = Hash::Get(f.Op(), "h", field);
          REQUIRE(got.ok());
          auto it = model.find(field);
          CHECK(got->has_value() == (it != model.end()));
          if (it != model.end()) CHECK(**got == it->second);
          break;
        }
      }
      if (step % 50 == 0) REQUIRE(f.ks->Commit().ok());
      if (step % 1000 == 999) f.Reopen();
    }
    REQUIRE(f.ks->Commit().ok());
    auto len = Hash::Len(f.Op(), "h");
    REQUIRE(len.ok());
    CHECK(*len == model.size());
    auto all = Hash::GetAll(f.Op(), "h", true, true);
    REQUIRE(all.ok());
    std::vector<std::string> expect;
    for (const auto& [k, v] : model) {
      expect.push_back(k);
      expect.push_back(v);
    }
    CHECK(*all == expect);
    Meta meta;
    auto found = f.ks->LookupKey(0, "h", 1, &meta);
    REQUIRE(found.ok());
    CHECK(*found == !model.empty());
  }

  TEST_CASE("deleting the last field deletes the key") {
    Fixture f;
    std::string_view pairs[] = {"a", "1", "b", "2"};
    REQUIRE(Hash::Set(f.Op(), "h", pairs, false).ok());
    std::string_view fields[] = {"a", "b", "c"};
    auto deleted = Hash::Delete(f.Op(), "h", fields);
    REQUIRE(deleted.ok());
    CHECK(*deleted == 2);
    REQUIRE(f.ks->Commit().ok());
    Meta meta;
    auto found = f.ks->LookupKey(0, "h", 1, &meta);
    REQUIRE(found.ok());
    CHECK_FALSE(*found);
    CHECK(f.ks->counts(0).keys == 0);
  }

  TEST_CASE("only_new keeps the fields that exist") {
    Fixture f;
    std::string_view first[] = {"a", "1"};
    REQUIRE(Hash::Set(f.Op(), "h", first, false).ok());
    std::string_view again[] = {"a", "2", "b", "3"};
    auto added = Hash::Set(f.Op(), "h", again, true);
    REQUIRE(added.ok());
    CHECK(*added == 1);
    CHECK(**Hash::Get(f.Op(), "h", "a") == "1");
    CHECK(**Hash::Get(f.Op(), "h", "b") == "3");
  }

  TEST_CASE("increments refuse what Redis refuses") {
    Fixture f;
    std::string_view pairs[] = {"n", "9223372036854775806", "s", "abc", "x", "1.5"};
    REQUIRE(Hash::Set(f.Op(), "h", pairs, false).ok());
    auto one = Hash::IncrBy(f.Op(), "h", "n", 1);
    REQUIRE(one.ok());
    CHECK(*one == 9223372036854775807LL);
    CHECK(TypeErrorOf(Hash::IncrBy(f.Op(), "h", "n", 1).status()) == TypeError::kOverflow);
    CHECK(TypeErrorOf(Hash::IncrBy(f.Op(), "h", "s", 1).status()) == TypeError::kHashNotInteger);
    CHECK(TypeErrorOf(Hash::IncrByFloat(f.Op(), "h", "s", 1).status()) ==
          TypeError::kHashNotFloat);
    auto fl = Hash::IncrByFloat(f.Op(), "h", "x", 0.25L);
    REQUIRE(fl.ok());
    CHECK(*fl == "1.75");
    auto fresh = Hash::IncrBy(f.Op(), "h", "new", -5);
    REQUIRE(fresh.ok());
    CHECK(*fresh == -5);
    CHECK(*Hash::Len(f.Op(), "h") == 4);
  }

  TEST_CASE("a key of another type is WRONGTYPE, and nothing is written") {
    Fixture f;
    REQUIRE(f.ks->PutKey(0, "s", Type::kString, 0, "text").ok());
    std::string_view pairs[] = {"a", "1"};
    CHECK(TypeErrorOf(Hash::Set(f.Op(), "s", pairs, false).status()) == TypeError::kWrongType);
    CHECK(TypeErrorOf(Hash::Get(f.Op(), "s", "a").status()) == TypeError::kWrongType);
    REQUIRE(f.ks->Commit().ok());
    CHECK(f.CountTagged(kSubkeyTag) == 0);
  }

  TEST_CASE("random fields are distinct without repeats, and come from the hash") {
    Fixture f;
    std::vector<std::string> storage;
    for (int i = 0; i < 100; ++i) {
      storage.push_back("f" + std::to_string(i));
      storage.push_back(std::to_string(i));
    }
    std::vector<std::string_view> pairs(storage.begin(), storage.end());
    REQUIRE(Hash::Set(f.Op(), "h", pairs, false).ok());
    REQUIRE(f.ks->Commit().ok());
    SUBCASE("distinct") {
      auto picked = Hash::RandomFields(f.Op(), "h", 30, false);
      REQUIRE(picked.ok());
      CHECK(picked->size() == 30);
      std::set<std::string> seen;
      for (const auto& [field, value] : *picked) {
        CHECK(seen.insert(field).second);
        CHECK(field == "f" + value);
      }
    }
    SUBCASE("with repeats, more than the hash holds") {
      auto picked = Hash::RandomFields(f.Op(), "h", 300, true);
      REQUIRE(picked.ok());
      CHECK(picked->size() == 300);
    }
    SUBCASE("a missing hash gives nothing") {
      auto picked = Hash::RandomFields(f.Op(), "nope", 3, false);
      REQUIRE(picked.ok());
      CHECK(picked->empty());
    }
  }
}

}  // namespace strata::types
