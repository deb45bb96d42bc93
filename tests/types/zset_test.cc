#include "types/zset.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "support/keyspace_fixture.h"

namespace strata::types {

using Fixture = testing::KeyspaceFixture;

namespace {

// The members in score order, read from the score index.
std::vector<Scored> ByScore(Fixture& f, std::string_view key) {
  auto z = Zset::Load(f.Op(), key);
  REQUIRE(z.ok());
  std::vector<Scored> out;
  REQUIRE(ForEachElement(*f.ks, *z, kScoreTag, [&](std::string_view suffix, std::string_view) {
            out.push_back({std::string(suffix.substr(8)), DecodeScore(suffix)});
            return true;
          }).ok());
  return out;
}

}  // namespace

TEST_SUITE("zset") {
  TEST_CASE("adds, removes and pops keep both indexes and the size in step with a model") {
    Fixture f;
    const uint32_t seed = 77;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::map<std::string, double> model;
    for (int step = 0; step < 2000; ++step) {
      std::string member = "m" + std::to_string(rng() % 150);
      double score = static_cast<double>(rng() % 1000) / 4 - 100;
      switch (rng() % 5) {
        case 0:
        case 1: {
          double scores[] = {score};
          std::string_view members[] = {member};
          auto r = Zset::Add(f.Op(), "z", {}, scores, members);
          REQUIRE(r.ok());
          model[member] = score;
          break;
        }
        case 2: {
          std::string_view members[] = {member};
          auto r = Zset::Remove(f.Op(), "z", members);
          REQUIRE(r.ok());
          CHECK(*r == model.erase(member));
          break;
        }
        case 3: {
          bool max = rng() % 2;
          auto popped = Zset::Pop(f.Op(), "z", max, 2);
          REQUIRE(popped.ok());
          std::set<std::pair<double, std::string>> order;
          for (const auto& [m, s] : model) order.emplace(s, m);
          for (const auto& p : *popped) {
            auto expect = max ? *order.rbegin() : *order.begin();
            CHECK(p.member == expect.second);
            CHECK(p.score == expect.first);
            order.erase(expect);
            model.erase(p.member);
          }
          break;
        }
        case 4: {
          double scores[] = {1.5};
          std::string_view members[] = {member};
          auto r = Zset::Add(f.Op(), "z", {.incr = true}, scores, members);
          REQUIRE(r.ok());
          model[member] = model.count(member) ? model[member] + 1.5 : 1.5;
          CHECK(r->score == model[member]);
          break;
        }
      }
      if (step % 40 == 0) REQUIRE(f.ks->Commit().ok());
      if (step % 700 == 699) f.Reopen();
    }
    REQUIRE(f.ks->Commit().ok());
    std::set<std::pair<double, std::string>> order;
    for (const auto& [m, s] : model) order.emplace(s, m);
    auto index = ByScore(f, "z");
    REQUIRE(index.size() == order.size());
    size_t i = 0;
    for (const auto& [s, m] : order) {
      CHECK(index[i].member == m);
      CHECK(index[i].score == s);
      auto one = Zset::ScoreOf(*f.ks, *Zset::Load(f.Op(), "z"), m);
      REQUIRE(one.ok());
      CHECK(**one == s);
      ++i;
    }
    auto z = Zset::Load(f.Op(), "z");
    REQUIRE(z.ok());
    CHECK(z->meta.size == model.size());
  }

  TEST_CASE("NX, XX, GT and LT decide which members change") {
    Fixture f;
    double s1[] = {5};
    std::string_view a[] = {"a"};
    REQUIRE(Zset::Add(f.Op(), "z", {}, s1, a).ok());
    double s2[] = {3};
    auto nx = Zset::Add(f.Op(), "z", {.nx = true}, s2, a);
    REQUIRE(nx.ok());
    CHECK(nx->skipped);
    auto gt = Zset::Add(f.Op(), "z", {.gt = true}, s2, a);
    REQUIRE(gt.ok());
    CHECK(gt->skipped);
    auto lt = Zset::Add(f.Op(), "z", {.lt = true}, s2, a);
    REQUIRE(lt.ok());
    CHECK(lt->changed == 1);
    std::string_view b[] = {"b"};
    auto xx = Zset::Add(f.Op(), "z", {.xx = true}, s2, b);
    REQUIRE(xx.ok());
    CHECK(xx->added == 0);
    auto scores = Zset::Scores(f.Op(), "z", std::vector<std::string_view>{"a", "b"});
    REQUIRE(scores.ok());
    CHECK((*scores)[0] == 3.0);
    CHECK_FALSE((*scores)[1].has_value());
  }

  TEST_CASE("an increment to NaN is refused") {
    Fixture f;
    double inf[] = {INFINITY};
    double minus_inf[] = {-INFINITY};
    std::string_view a[] = {"a"};
    REQUIRE(Zset::Add(f.Op(), "z", {}, inf, a).ok());
    CHECK(TypeErrorOf(Zset::Add(f.Op(), "z", {.incr = true}, minus_inf, a).status()) ==
          TypeError::kScoreNan);
  }

  TEST_CASE("popping everything deletes the key") {
    Fixture f;
    double scores[] = {1, 2, 3};
    std::string_view members[] = {"a", "b", "c"};
    REQUIRE(Zset::Add(f.Op(), "z", {}, scores, members).ok());
    auto popped = Zset::Pop(f.Op(), "z", false, 10);
    REQUIRE(popped.ok());
    CHECK(popped->size() == 3);
    REQUIRE(f.ks->Commit().ok());
    CHECK(f.ks->counts(0).keys == 0);
    auto z = Zset::Load(f.Op(), "z");
    REQUIRE(z.ok());
    CHECK_FALSE(z->found);
  }

  TEST_CASE("ranges by rank, score and lex; rank; remove range; the algebra") {
    Fixture f;
    std::vector<double> scores = {1, 2, 2, 3, 5};
    std::string_view members[] = {"a", "b", "c", "d", "e"};
    REQUIRE(Zset::Add(f.Op(), "z", {}, scores, members).ok());
    auto names = [](Result<std::vector<Scored>> r) {
      REQUIRE(r.ok());
      std::string out;
      for (const auto& s : *r) out += s.member;
      return out;
    };
    using R = Zset::Range;
    CHECK(names(Zset::InRange(f.Op(), "z", R{.start = 1, .stop = -2})) == "bcd");
    CHECK(names(Zset::InRange(f.Op(), "z", R{.rev = true, .start = 0, .stop = 1})) == "ed");
    R by_score{.kind = R::kScore, .min = {2, true}, .max = {5, false}};
    CHECK(names(Zset::InRange(f.Op(), "z", by_score)) == "de");
    R limited{.kind = R::kScore, .min = {0, false}, .max = {10, false}, .offset = 1, .limit = 2};
    CHECK(names(Zset::InRange(f.Op(), "z", limited)) == "bc");
    limited.offset = -1;  // Redis: a negative offset returns nothing
    CHECK(names(Zset::InRange(f.Op(), "z", limited)).empty());
    R lex{.kind = R::kLex, .rev = true};
    lex.lex_min = {"b", true, 0};
    lex.lex_max = {"", false, 1};
    CHECK(names(Zset::InRange(f.Op(), "z", lex)) == "edc");
    auto rank = Zset::Rank(f.Op(), "z", "d", false);
    REQUIRE(rank.ok());
    CHECK((*rank)->first == 3);
    CHECK((*rank)->second == 3);
    CHECK((*Zset::Rank(f.Op(), "z", "d", true))->first == 1);
    CHECK_FALSE(Zset::Rank(f.Op(), "z", "nosuch", false)->has_value());

    REQUIRE(f.ks->PutKey(0, "s", Type::kString, 0, "x").ok());
    std::string_view bad[] = {"z", "s"};
    CHECK(TypeErrorOf(Zset::CheckAlgebraInputs(f.Op(), bad)) == TypeError::kWrongType);
    std::vector<double> other_scores = {10, 20};
    std::string_view other[] = {"a", "x"};
    REQUIRE(Zset::Add(f.Op(), "y", {}, other_scores, other).ok());
    std::string_view zy[] = {"z", "y"};
    std::vector<double> weights = {1, 2};
    auto inter = Zset::Combine(f.Op(), zy, Zset::Algebra::kInter, weights, Zset::Aggregate::kSum);
    REQUIRE(inter.ok());
    REQUIRE(inter->size() == 1);
    CHECK(inter->front().member == "a");
    CHECK(inter->front().score == 21);
    auto diff = Zset::Combine(f.Op(), zy, Zset::Algebra::kDiff, weights, Zset::Aggregate::kSum);
    CHECK(names(diff) == "bcde");
    REQUIRE(Zset::Store(f.Op(), "dst", *diff).ok());
    CHECK(*Zset::Card(f.Op(), "dst") == 4);

    CHECK(*Zset::RemoveRange(f.Op(), "z", by_score) == 2);
    CHECK(names(Zset::InRange(f.Op(), "z", R{})) == "abc");
    REQUIRE(f.ks->Commit().ok());
    f.Reopen();
    CHECK(names(Zset::InRange(f.Op(), "z", R{})) == "abc");
    CHECK(*Zset::Card(f.Op(), "z") == 3);
  }
}

}  // namespace strata::types
