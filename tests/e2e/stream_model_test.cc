// A randomized model test of one stream with several consumer groups: adds, group reads,
// acks, claims, trims, deletes and DUMP/RESTORE over itself, against a model kept here, with
// `appendfsync always` and a SIGKILL and restart after every round. After each restart the
// entries, every group's cursor and pending entries list (owner and delivery count) and each
// consumer's own pending entries must be exactly the model's: no acknowledged write lost.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {
namespace {

struct Pending {
  std::string consumer;
  int deliveries = 0;
};

struct Group {
  long long last_delivered = 0;      // IDs are "<n>-0"; n here
  std::map<long long, Pending> pel;  // id -> owner
};

struct Model {
  std::set<long long> entries;
  long long next = 1;
  std::map<std::string, Group> groups;
};

std::string Id(long long n) { return std::to_string(n) + "-0"; }

// Lua that flattens replies into strings the test can compare.
constexpr const char* kReadGroup =
    "local r = redis.call('xreadgroup', 'group', ARGV[1], ARGV[2], 'count', ARGV[3], "
    "'streams', KEYS[1], '>') local ids = {} if r then for _, e in ipairs(r[1][2]) do "
    "ids[#ids + 1] = e[1] end end return ids";
constexpr const char* kClaim =
    "local r = redis.call('xclaim', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3]) local ids = {} "
    "for _, e in ipairs(r) do ids[#ids + 1] = e[1] end return ids";
constexpr const char* kPending =
    "local r = redis.call('xpending', KEYS[1], ARGV[1], '-', '+', 1000000) local out = {} "
    "for _, p in ipairs(r) do out[#out + 1] = p[1] .. ' ' .. p[2] .. ' ' .. p[4] end "
    "return out";
constexpr const char* kOwnPending =
    "local r = redis.call('xpending', KEYS[1], ARGV[1], '-', '+', 1000000, ARGV[2]) "
    "local out = {} for _, p in ipairs(r) do out[#out + 1] = p[1] end return out";
constexpr const char* kGroups =
    "local r = redis.call('xinfo', 'groups', KEYS[1]) local out = {} for _, g in ipairs(r) "
    "do out[#out + 1] = g[2] .. ' ' .. g[6] .. ' ' .. g[8] end return out";
constexpr const char* kEntries =
    "local r = redis.call('xrange', KEYS[1], '-', '+') local out = {} for _, e in ipairs(r) "
    "do out[#out + 1] = e[1] end return out";
constexpr const char* kDumpRestore =
    "local p = redis.call('dump', KEYS[1]) return {redis.call('restore', KEYS[1], 0, p, "
    "'replace')['ok']}";

std::vector<std::string> Eval(Client& c, const char* script, std::vector<std::string> argv) {
  std::vector<std::string> args = {"EVAL", script, "1", "s"};
  args.insert(args.end(), argv.begin(), argv.end());
  std::vector<std::string> out;
  REQUIRE(c.RunArray(args, &out));
  return out;
}

void CheckAgainstModel(Client& c, const Model& m, const std::vector<std::string>& consumers) {
  std::vector<std::string> want_entries;
  for (long long n : m.entries) want_entries.push_back(Id(n));
  CHECK(Eval(c, kEntries, {}) == want_entries);
  CHECK(c.Run({"XLEN", "s"}) == "(integer) " + std::to_string(m.entries.size()));
  std::vector<std::string> want_groups;
  for (const auto& [name, g] : m.groups) {
    want_groups.push_back(name + " " + std::to_string(g.pel.size()) + " " + Id(g.last_delivered));
    std::vector<std::string> want_pel;
    for (const auto& [id, p] : g.pel) {
      want_pel.push_back(Id(id) + " " + p.consumer + " " + std::to_string(p.deliveries));
    }
    CHECK(Eval(c, kPending, {name}) == want_pel);
    for (const std::string& consumer : consumers) {
      std::vector<std::string> want_own;
      for (const auto& [id, p] : g.pel) {
        if (p.consumer == consumer) want_own.push_back(Id(id));
      }
      CHECK(Eval(c, kOwnPending, {name, consumer}) == want_own);
    }
  }
  CHECK(Eval(c, kGroups, {}) == want_groups);
}

}  // namespace

TEST_SUITE("e2e stream model") {
  TEST_CASE("groups, claims, trims and deletes match a model across SIGKILL and RESTORE") {
    const unsigned seed = 20261203;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    ServerProcess server({"--appendfsync", "always"});
    const std::vector<std::string> group_names = {"billing", "mail", "search"};
    const std::vector<std::string> consumers = {"c1", "c2", "c3"};
    Model m;
    {
      auto c = server.Connect();
      for (const std::string& g : group_names) {
        REQUIRE(c->Run({"XGROUP", "CREATE", "s", g, "0", "MKSTREAM"}) == "OK");
        m.groups[g];
      }
    }
    for (int round = 0; round < 5; ++round) {
      auto c = server.Connect();
      for (int op = 0; op < 250; ++op) {
        const std::string& gname = group_names[pick(group_names.size())];
        Group& g = m.groups[gname];
        const std::string& consumer = consumers[pick(consumers.size())];
        unsigned dice = rng() % 100;
        if (dice < 35) {  // XADD
          long long n = m.next++;
          REQUIRE(c->Run({"XADD", "s", Id(n), "n", std::to_string(n)}) == "\"" + Id(n) + "\"");
          m.entries.insert(n);
        } else if (dice < 55) {  // XREADGROUP >
          int count = 1 + static_cast<int>(pick(8));
          std::vector<std::string> want;
          for (auto it = m.entries.upper_bound(g.last_delivered);
               it != m.entries.end() && static_cast<int>(want.size()) < count; ++it) {
            want.push_back(Id(*it));
            g.pel[*it] = Pending{consumer, 1};
            g.last_delivered = *it;
          }
          REQUIRE(Eval(*c, kReadGroup, {gname, consumer, std::to_string(count)}) == want);
        } else if (dice < 75) {  // XACK
          if (g.pel.empty()) continue;
          auto it = std::next(g.pel.begin(), static_cast<long>(pick(g.pel.size())));
          REQUIRE(c->Run({"XACK", "s", gname, Id(it->first)}) == "(integer) 1");
          g.pel.erase(it);
        } else if (dice < 85) {  // XCLAIM: moves it, or drops it if the entry is gone
          if (g.pel.empty()) continue;
          auto it = std::next(g.pel.begin(), static_cast<long>(pick(g.pel.size())));
          long long id = it->first;
          std::vector<std::string> want;
          if (m.entries.count(id)) {
            want.push_back(Id(id));
            it->second = Pending{consumer, it->second.deliveries + 1};
          } else {
            g.pel.erase(it);
          }
          REQUIRE(Eval(*c, kClaim, {gname, consumer, Id(id)}) == want);
        } else if (dice < 92) {  // XDEL
          if (m.entries.empty()) continue;
          long long n = *std::next(m.entries.begin(), static_cast<long>(pick(m.entries.size())));
          REQUIRE(c->Run({"XDEL", "s", Id(n)}) == "(integer) 1");
          m.entries.erase(n);
        } else if (dice < 97) {  // XTRIM MAXLEN =
          size_t keep = m.entries.size() * 3 / 4;
          size_t removed = m.entries.size() - keep;
          REQUIRE(c->Run({"XTRIM", "s", "MAXLEN", std::to_string(keep)}) ==
                  "(integer) " + std::to_string(removed));
          while (m.entries.size() > keep) m.entries.erase(m.entries.begin());
        } else {  // DUMP the stream and RESTORE it over itself: nothing may change
          REQUIRE(Eval(*c, kDumpRestore, {}) == std::vector<std::string>{"OK"});
        }
      }
      CheckAgainstModel(*c, m, consumers);
      server.Kill();
      server.Restart();
      auto after = server.Connect();
      CheckAgainstModel(*after, m, consumers);
    }
  }
}

}  // namespace strata::testing
