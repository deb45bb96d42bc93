#include "types/set.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>

#include "support/keyspace_fixture.h"

namespace strata::types {

using Fixture = testing::KeyspaceFixture;

namespace {

std::vector<std::string> Sorted(std::set<std::string> s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_SUITE("set") {
  TEST_CASE("add, remove, contains, pop and card agree with a std::set across reopens") {
    Fixture f;
    const uint32_t seed = 7021;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::set<std::string> model;
    for (int step = 0; step < 3000; ++step) {
      std::string m = "m" + std::to_string(rng() % 300);
      std::string_view one[] = {m};
      switch (rng() % 5) {
        case 0:
        case 1: {
          auto added = Set::Add(f.Op(), "s", one);
          REQUIRE(added.ok());
          CHECK(*added == (model.insert(m).second ? 1u : 0u));
          break;
        }
        case 2: {
          auto removed = Set::Remove(f.Op(), "s", one);
          REQUIRE(removed.ok());
          CHECK(*removed == model.erase(m));
          break;
        }
        case 3: {
          auto has = Set::Contains(f.Op(), "s", one);
          REQUIRE(has.ok());
          CHECK(has->front() == (model.count(m) == 1));
          break;
        }
        case 4: {
          auto popped = Set::Pop(f.Op(), "s", 1 + rng() % 3);
          REQUIRE(popped.ok());
          for (const auto& p : *popped) CHECK(model.erase(p) == 1);
          break;
        }
      }
      if (step % 40 == 0) REQUIRE(f.ks->Commit().ok());
      if (step % 1000 == 999) f.Reopen();
    }
    REQUIRE(f.ks->Commit().ok());
    auto card = Set::Card(f.Op(), "s");
    REQUIRE(card.ok());
    CHECK(*card == model.size());
    auto members = Set::Members(f.Op(), "s");
    REQUIRE(members.ok());
    CHECK(*members == Sorted(model));
  }

  TEST_CASE("popping every member deletes the set; a discarded pop leaves it whole") {
    Fixture f;
    std::vector<std::string> all;
    for (int i = 0; i < 100; ++i) all.push_back("m" + std::to_string(i));
    std::vector<std::string_view> views(all.begin(), all.end());
    REQUIRE(Set::Add(f.Op(), "s", views).ok());
    REQUIRE(f.ks->Commit().ok());
    // A pop whose commit is discarded (a failed EXEC, a failed log write) pops nothing.
    auto popped = Set::Pop(f.Op(), "s", 60);
    REQUIRE(popped.ok());
    CHECK(popped->size() == 60);
    f.ks->Discard();
    auto members = Set::Members(f.Op(), "s");
    REQUIRE(members.ok());
    CHECK(members->size() == 100);
    std::set<std::string> seen;
    for (int round = 0; round < 30; ++round) {
      auto p = Set::Pop(f.Op(), "s", 7);
      REQUIRE(p.ok());
      for (auto& m : *p) CHECK(seen.insert(m).second);
      REQUIRE(f.ks->Commit().ok());
    }
    CHECK(seen.size() == 100);
    Meta meta;
    auto found = f.ks->LookupKey(0, "s", 1, &meta);
    REQUIRE(found.ok());
    CHECK_FALSE(*found);
    CHECK(f.CountTagged(kSubkeyTag) == 0);  // after compaction of the tombstones, nothing
  }

  TEST_CASE("move, the algebra and store") {
    Fixture f;
    std::string_view a[] = {"1", "2", "3", "4"}, b[] = {"3", "4", "5"}, c[] = {"4", "9"};
    REQUIRE(Set::Add(f.Op(), "a", a).ok());
    REQUIRE(Set::Add(f.Op(), "b", b).ok());
    REQUIRE(Set::Add(f.Op(), "c", c).ok());
    std::string_view abc[] = {"a", "b", "c"};
    auto u = Set::Combine(f.Op(), abc, Set::Algebra::kUnion);
    REQUIRE(u.ok());
    CHECK(*u == std::vector<std::string>{"1", "2", "3", "4", "5", "9"});
    auto i = Set::Combine(f.Op(), abc, Set::Algebra::kInter);
    REQUIRE(i.ok());
    CHECK(*i == std::vector<std::string>{"4"});
    auto d = Set::Combine(f.Op(), abc, Set::Algebra::kDiff);
    REQUIRE(d.ok());
    CHECK(*d == std::vector<std::string>{"1", "2"});
    std::string_view with_missing[] = {"a", "nosuch"};
    auto none = Set::Combine(f.Op(), with_missing, Set::Algebra::kInter);
    REQUIRE(none.ok());
    CHECK(none->empty());

    auto moved = Set::Move(f.Op(), "a", "c", "1");
    REQUIRE(moved.ok());
    CHECK(*moved);
    auto not_there = Set::Move(f.Op(), "a", "c", "1");
    REQUIRE(not_there.ok());
    CHECK_FALSE(*not_there);
    CHECK(*Set::Card(f.Op(), "a") == 3);
    CHECK(*Set::Card(f.Op(), "c") == 3);

    REQUIRE(Set::Store(f.Op(), "c", *d).ok());
    CHECK(*Set::Members(f.Op(), "c") == std::vector<std::string>{"1", "2"});
    REQUIRE(Set::Store(f.Op(), "c", std::vector<std::string>{}).ok());
    Meta meta;
    CHECK_FALSE(*f.ks->LookupKey(0, "c", 1, &meta));
  }

  TEST_CASE("a key of another type is refused with kWrongType, and nothing changes") {
    Fixture f;
    REQUIRE(f.ks->PutKey(0, "str", Type::kString, 0, "x").ok());
    std::string_view one[] = {"m"};
    CHECK(TypeErrorOf(Set::Add(f.Op(), "str", one).status()) == TypeError::kWrongType);
    CHECK(TypeErrorOf(Set::Pop(f.Op(), "str", 1).status()) == TypeError::kWrongType);
    REQUIRE(Set::Add(f.Op(), "s", one).ok());
    // SMOVE: a missing source answers before the destination's type is looked at.
    auto moved = Set::Move(f.Op(), "nosuch", "str", "m");
    REQUIRE(moved.ok());
    CHECK_FALSE(*moved);
    CHECK(TypeErrorOf(Set::Move(f.Op(), "s", "str", "m").status()) == TypeError::kWrongType);
    CHECK(*Set::Card(f.Op(), "s") == 1);
  }
}

}  // namespace strata::types
