#include "types/list.h"

#include <doctest/doctest.h>

#include <deque>
#include <random>

#include "support/keyspace_fixture.h"

namespace strata::types {

using Fixture = testing::KeyspaceFixture;

namespace {

std::vector<std::string> All(Fixture& f, std::string_view key) {
  auto items = List::Range(f.Op(), key, 0, -1);
  REQUIRE(items.ok());
  return *items;
}

}  // namespace

TEST_SUITE("list") {
  TEST_CASE("push, pop, set, insert, remove and trim agree with a std::deque across reopens") {
    Fixture f;
    const uint32_t seed = 4242;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::deque<std::string> model;
    for (int step = 0; step < 2000; ++step) {
      std::string v = "v" + std::to_string(rng() % 20);
      std::string_view one[] = {v};
      bool left = rng() % 2;
      switch (rng() % 8) {
        case 0:
        case 1:
        case 2: {
          auto len = List::Push(f.Op(), "l", left, one, false);
          REQUIRE(len.ok());
          left ? model.push_front(v) : model.push_back(v);
          CHECK(*len == model.size());
          break;
        }
        case 3: {
          auto popped = List::Pop(f.Op(), "l", left, 2);
          REQUIRE(popped.ok());
          CHECK(popped->has_value() == !model.empty());
          for (size_t i = 0; *popped && i < (*popped)->size(); ++i) {
            CHECK((**popped)[i] == (left ? model.front() : model.back()));
            left ? model.pop_front() : model.pop_back();
          }
          break;
        }
        case 4: {
          if (model.empty()) break;
          int64_t index = static_cast<int64_t>(rng() % model.size()) - (left ? 0 : model.size());
          REQUIRE(List::Set(f.Op(), "l", index, v).ok());
          model[index < 0 ? index + model.size() : index] = v;
          break;
        }
        case 5: {
          std::string pivot = "v" + std::to_string(rng() % 20);
          auto len = List::Insert(f.Op(), "l", left, pivot, v);
          REQUIRE(len.ok());
          auto it = std::find(model.begin(), model.end(), pivot);
          if (model.empty()) {
            CHECK(*len == 0);
          } else if (it == model.end()) {
            CHECK(*len == -1);
          } else {
            model.insert(left ? it + 1 : it, v);  // left here means AFTER
            CHECK(*len == static_cast<int64_t>(model.size()));
          }
          break;
        }
        case 6: {
          int64_t count = static_cast<int64_t>(rng() % 5) - 2;
          auto removed = List::RemoveValue(f.Op(), "l", count, v);
          REQUIRE(removed.ok());
          uint64_t n = 0, limit = count == 0 ? UINT64_MAX : std::abs(count);
          if (count >= 0) {
            for (auto it = model.begin(); it != model.end() && n < limit;) {
              it = *it == v ? (++n, model.erase(it)) : it + 1;
            }
          } else {
            for (size_t i = model.size(); i-- > 0 && n < limit;) {
              if (model[i] == v) model.erase(model.begin() + i), ++n;
            }
          }
          CHECK(*removed == n);
          break;
        }
        case 7: {
          if (rng() % 10 != 0) break;
          REQUIRE(List::Trim(f.Op(), "l", 1, -2).ok());
          if (model.size() <= 2) {
            model.clear();
          } else {
            model.pop_front();
            model.pop_back();
          }
          break;
        }
      }
      if (step % 30 == 0) REQUIRE(f.ks->Commit().ok());
      if (step % 700 == 699) f.Reopen();
    }
    REQUIRE(f.ks->Commit().ok());
    CHECK(All(f, "l") == std::vector<std::string>(model.begin(), model.end()));
    CHECK(*List::Len(f.Op(), "l") == model.size());
  }

  TEST_CASE("ranges, indexes and positions use Redis's indexes") {
    Fixture f;
    std::string_view items[] = {"a", "b", "c", "b", "d"};
    REQUIRE(List::Push(f.Op(), "l", false, items, false).ok());
    CHECK(*List::Range(f.Op(), "l", -2, 100) == std::vector<std::string>{"b", "d"});
    CHECK(List::Range(f.Op(), "l", 3, 1)->empty());
    CHECK(**List::Index(f.Op(), "l", -1) == "d");
    CHECK_FALSE(List::Index(f.Op(), "l", 5)->has_value());
    CHECK(*List::Positions(f.Op(), "l", "b", 1, 10, 0) == std::vector<int64_t>{1, 3});
    CHECK(*List::Positions(f.Op(), "l", "b", -1, 1, 0) == std::vector<int64_t>{3});
    CHECK(*List::Positions(f.Op(), "l", "b", 2, 10, 0) == std::vector<int64_t>{3});
    CHECK(List::Positions(f.Op(), "l", "b", 1, 10, 1)->empty());  // MAXLEN 1
    CHECK(TypeErrorOf(List::Set(f.Op(), "l", 5, "x")) == TypeError::kIndexOutOfRange);
    CHECK(TypeErrorOf(List::Set(f.Op(), "nosuch", 0, "x")) == TypeError::kNoSuchKey);
  }

  TEST_CASE("move between lists and within one; the last pop deletes the key") {
    Fixture f;
    std::string_view items[] = {"1", "2", "3"};
    REQUIRE(List::Push(f.Op(), "a", false, items, false).ok());
    auto moved = List::Move(f.Op(), "a", "a", true, false);  // rotate
    REQUIRE(moved.ok());
    CHECK(**moved == "1");
    CHECK(All(f, "a") == std::vector<std::string>{"2", "3", "1"});
    REQUIRE(f.ks->PutKey(0, "str", Type::kString, 0, "x").ok());
    CHECK(TypeErrorOf(List::Move(f.Op(), "a", "str", true, true).status()) ==
          TypeError::kWrongType);
    CHECK(All(f, "a").size() == 3);  // nothing moved
    for (int i = 0; i < 3; ++i) REQUIRE(List::Move(f.Op(), "a", "b", false, true)->has_value());
    CHECK(All(f, "b") == std::vector<std::string>{"2", "3", "1"});
    CHECK_FALSE(List::Move(f.Op(), "a", "b", true, true)->has_value());
    REQUIRE(f.ks->Commit().ok());
    Meta meta;
    CHECK_FALSE(*f.ks->LookupKey(0, "a", 1, &meta));
    std::string_view x[] = {"x"};
    CHECK(*List::Push(f.Op(), "a", true, x, true) == 0);  // LPUSHX on a missing key
    CHECK_FALSE(*f.ks->LookupKey(0, "a", 1, &meta));
  }
}

}  // namespace strata::types
