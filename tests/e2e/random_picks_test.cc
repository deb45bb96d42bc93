// Random picks are uniform: RANDOMKEY, SRANDMEMBER, SPOP, HRANDFIELD and ZRANDMEMBER, with
// and without a count (up to types::kUniformPickLimit members), checked as Redis's own tests check
// them: 100 draws per member, and a chi-square statistic. Redis requires it below 40 for its
// 10-member collections; for N members the bound here is the same significance, df + 6 * sqrt(2 *
// df) (df = N - 1).
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {
namespace {

double ChiSquare(const std::vector<std::string>& draws, size_t members) {
  std::map<std::string, size_t> counts;
  for (const auto& d : draws) counts[d]++;
  double expected = static_cast<double>(draws.size()) / static_cast<double>(members);
  double chi2 = 0;
  for (const auto& [m, n] : counts) chi2 += (n - expected) * (n - expected) / expected;
  chi2 += static_cast<double>(members - counts.size()) * expected;  // members never drawn
  return chi2;
}

double Bound(size_t members) {
  double df = static_cast<double>(members - 1);
  return members <= 10 ? 40.0 : df + 6 * std::sqrt(2 * df);
}

std::string Member(size_t i) { return "member:" + std::to_string(i * 7919 % 100003); }

// Fills key with n members of its type (skewed names, so that random seeks would be biased).
void Fill(Client& c, const std::string& type, const std::string& key, size_t n) {
  for (size_t i = 0; i < n; i += 500) {
    std::vector<std::string> cmd{type == "set" ? "SADD" : type == "hash" ? "HSET" : "ZADD", key};
    for (size_t j = i; j < std::min(n, i + 500); ++j) {
      if (type == "zset") cmd.push_back(std::to_string(j));
      cmd.push_back(Member(j) + (j % 3 == 0 ? std::string(40, 'z') : ""));
      if (type == "hash") cmd.push_back("v");
    }
    REQUIRE(c.Run(cmd).rfind("(integer)", 0) == 0);
  }
}

}  // namespace

TEST_SUITE("e2e random picks") {
  TEST_CASE("SRANDMEMBER, HRANDFIELD and ZRANDMEMBER are uniform, with repeats and without") {
    ServerProcess server;
    auto c = server.Connect();
    const std::pair<std::string, std::string> kinds[] = {
        {"set", "SRANDMEMBER"}, {"hash", "HRANDFIELD"}, {"zset", "ZRANDMEMBER"}};
    for (size_t n : {2u, 10u, 1000u, 10000u}) {
      for (const auto& [type, command] : kinds) {
        CAPTURE(n);
        CAPTURE(command);
        std::string key = type + std::to_string(n);
        Fill(*c, type, key, n);
        // A negative count: 100 * n draws with repeats, in one call.
        std::vector<std::string> draws;
        REQUIRE(c->RunArray({command, key, "-" + std::to_string(100 * n)}, &draws));
        REQUIRE(draws.size() == 100 * n);
        CHECK(ChiSquare(draws, n) < Bound(n));
        // A positive count: distinct members each time, uniform over many calls.
        size_t count = std::max<size_t>(1, n / 10);
        std::vector<std::string> all;
        for (size_t round = 0; round < 100 * n / count; ++round) {
          std::vector<std::string> picked;
          REQUIRE(c->RunArray({command, key, std::to_string(count)}, &picked));
          REQUIRE(picked.size() == count);
          CHECK(std::set<std::string>(picked.begin(), picked.end()).size() == count);
          all.insert(all.end(), picked.begin(), picked.end());
        }
        CHECK(ChiSquare(all, n) < Bound(n));
      }
    }
  }

  TEST_CASE("SPOP is uniform (the popped member is added back each time)") {
    ServerProcess server;
    auto c = server.Connect();
    for (size_t n : {10u, 1000u, 10000u}) {
      CAPTURE(n);
      std::string key = "s" + std::to_string(n);
      Fill(*c, "set", key, n);
      std::vector<std::string> draws;
      const size_t batch = std::max<size_t>(1, n / 10);  // pops in flight before re-adding
      for (size_t i = 0; i < 100 * n; i += batch) {
        for (size_t j = 0; j < batch; ++j) c->Append({"SPOP", key});
        std::vector<std::string> popped;
        for (size_t j = 0; j < batch; ++j) {
          std::string r = c->Read();
          REQUIRE(r.size() > 2);
          popped.push_back(r.substr(1, r.size() - 2));  // "member" as rendered
        }
        for (const auto& m : popped) c->Append({"SADD", key, m});
        for (size_t j = 0; j < batch; ++j) REQUIRE(c->Read() == "(integer) 1");
        draws.insert(draws.end(), popped.begin(), popped.end());
      }
      CHECK(ChiSquare(draws, n) < Bound(n));
      CHECK(c->Run({"SCARD", key}) == "(integer) " + std::to_string(n));
    }
  }

  TEST_CASE("RANDOMKEY is uniform") {
    ServerProcess server;
    auto c = server.Connect();
    for (size_t n : {2u, 10u, 500u}) {
      CAPTURE(n);
      CHECK(c->Run({"FLUSHALL"}) == "OK");
      for (size_t i = 0; i < n; ++i) c->Append({"SET", Member(i), "v"});
      for (size_t i = 0; i < n; ++i) c->Read();
      std::vector<std::string> draws;
      for (size_t i = 0; i < 100 * n; ++i) c->Append({"RANDOMKEY"});
      for (size_t i = 0; i < 100 * n; ++i) draws.push_back(c->Read());
      CHECK(ChiSquare(draws, n) < Bound(n));
    }
  }
}

}  // namespace strata::testing
