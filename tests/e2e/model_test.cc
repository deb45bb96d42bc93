// A random mix of string, list, set and keyspace commands, run against the server and against
// a small model of Redis's semantics written here; every reply is checked, and after every
// command so are DBSIZE and INFO keyspace of every database (keys created and removed by
// MOVE, COPY, RENAME, SWAPDB, RESTORE, expiry, MULTI/EXEC, list and set moves). Restarts and
// crashes (with appendfsync always) are interleaved: the data and the counts must come back.
#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "support/server_process.h"

namespace strata::testing {
namespace {

struct Entry {
  char type = 's';  // 's' string, 'l' list, 'S' set
  std::string value;
  std::deque<std::string> list;
  std::set<std::string> members;
  bool volatile_ = false;  // has an expiry (always far in the future here)
};

constexpr const char* kWrongType =
    "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

class Model {
 public:
  using Db = std::map<std::string, Entry>;

  std::string Apply(const std::vector<std::string>& a) {
    const std::string& cmd = a[0];
    Db& d = dbs_[db_];
    auto find = [&](const std::string& k) -> Entry* {
      auto it = d.find(k);
      return it == d.end() ? nullptr : &it->second;
    };
    if (cmd == "SET") {
      Entry* e = find(a[1]);
      if (a.size() > 3 && a[3] == "NX" && e) return "(nil)";
      if (a.size() > 3 && a[3] == "XX" && !e) return "(nil)";
      bool keep = a.size() > 3 && a[3] == "KEEPTTL" && e && e->volatile_;
      d[a[1]] = Entry{.value = a[2], .volatile_ = keep || (a.size() > 3 && a[3] == "EX")};
      return "OK";
    }
    if (cmd == "GET") {
      Entry* e = find(a[1]);
      if (e && e->type != 's') return kWrongType;
      return e ? Quote(e->value) : "(nil)";
    }
    if (cmd == "DEL") {
      long long n = 0;
      for (size_t i = 1; i < a.size(); ++i) n += d.erase(a[i]);
      return Int(n);
    }
    if (cmd == "EXISTS") {
      long long n = 0;
      for (size_t i = 1; i < a.size(); ++i) n += d.count(a[i]);
      return Int(n);
    }
    if (cmd == "INCR") {
      Entry* e = find(a[1]);
      if (e && e->type != 's') return kWrongType;
      long long v = 0;
      if (e) {
        size_t pos = 0;
        try {
          v = std::stoll(e->value, &pos);
        } catch (...) {
          pos = std::string::npos;
        }
        if (pos != e->value.size() || e->value.empty() || std::to_string(v) != e->value) {
          return "(error) ERR value is not an integer or out of range";
        }
      }
      v++;
      d[a[1]] = Entry{.value = std::to_string(v), .volatile_ = e && e->volatile_};
      return Int(v);
    }
    if (cmd == "APPEND") {
      if (Entry* e = find(a[1]); e && e->type != 's') return kWrongType;
      Entry& e = d[a[1]];
      e.value += a[2];
      return Int(static_cast<long long>(e.value.size()));
    }
    if (cmd == "GETDEL") {
      Entry* e = find(a[1]);
      if (!e) return "(nil)";
      if (e->type != 's') return kWrongType;
      std::string v = Quote(e->value);
      d.erase(a[1]);
      return v;
    }
    if (cmd == "RENAME") {
      Entry* e = find(a[1]);
      if (!e) return "(error) ERR no such key";
      Entry copy = *e;
      d.erase(a[1]);
      d[a[2]] = copy;
      return "OK";
    }
    if (cmd == "MOVE") {
      int to = std::stoi(a[2]);
      if (to == db_) return "(error) ERR source and destination objects are the same";
      Entry* e = find(a[1]);
      if (!e || dbs_[to].count(a[1])) return Int(0);
      dbs_[to][a[1]] = *e;
      d.erase(a[1]);
      return Int(1);
    }
    if (cmd == "COPY") {  // COPY src dst [DB n]
      int to = a.size() > 3 ? std::stoi(a[4]) : db_;
      Entry* e = find(a[1]);
      if (to == db_ && a[1] == a[2])
        return "(error) ERR source and destination objects are the same";
      if (!e || dbs_[to].count(a[2])) return Int(0);
      dbs_[to][a[2]] = *e;
      return Int(1);
    }
    if (cmd == "RESTORE") {  // from a DUMP of a[3] (see the loop): a copy with no expiry
      Entry* e = find(a[3]);
      if (!e) return "(error) ERR DUMP payload version or checksum are wrong";
      Entry copy = *e;
      copy.volatile_ = false;
      d[a[1]] = copy;
      return "OK";
    }
    if (cmd == "RPUSH" || cmd == "SADD") {
      char type = cmd == "RPUSH" ? 'l' : 'S';
      Entry* e = find(a[1]);
      if (e && e->type != type) return kWrongType;
      Entry& x = d[a[1]];
      x.type = type;
      if (type == 'l') {
        x.list.push_back(a[2]);
        return Int(static_cast<long long>(x.list.size()));
      }
      return Int(x.members.insert(a[2]).second ? 1 : 0);
    }
    if (cmd == "LPOP") {
      Entry* e = find(a[1]);
      if (!e) return "(nil)";
      if (e->type != 'l') return kWrongType;
      std::string v = e->list.front();
      e->list.pop_front();
      if (e->list.empty()) d.erase(a[1]);
      return Quote(v);
    }
    if (cmd == "SREM") {
      Entry* e = find(a[1]);
      if (!e) return Int(0);
      if (e->type != 'S') return kWrongType;
      long long n = static_cast<long long>(e->members.erase(a[2]));
      if (e->members.empty()) d.erase(a[1]);
      return Int(n);
    }
    if (cmd == "LMOVE" || cmd == "BLMOVE") {  // LEFT RIGHT
      Entry* src = find(a[1]);
      if (!src) return "(nil)";
      Entry* dst = find(a[2]);
      if (src->type != 'l' || (dst && dst->type != 'l')) return kWrongType;
      std::string v = src->list.front();
      src->list.pop_front();
      if (src->list.empty()) d.erase(a[1]);
      Entry& to = d[a[2]];
      to.type = 'l';
      to.list.push_back(v);
      return Quote(v);
    }
    if (cmd == "SUNIONSTORE") {  // dst a b
      std::set<std::string> out;
      for (size_t i = 2; i < a.size(); ++i) {
        Entry* e = find(a[i]);
        if (!e) continue;
        if (e->type != 'S') return kWrongType;
        out.insert(e->members.begin(), e->members.end());
      }
      if (out.empty()) {
        d.erase(a[1]);
        return Int(0);
      }
      Entry& x = d[a[1]];
      x = Entry{};
      x.type = 'S';
      x.members = out;
      return Int(static_cast<long long>(out.size()));
    }
    if (cmd == "EXPIRE") {
      Entry* e = find(a[1]);
      if (!e) return Int(0);
      if (a[2][0] == '-') {
        d.erase(a[1]);
      } else {
        e->volatile_ = true;
      }
      return Int(1);
    }
    if (cmd == "PERSIST") {
      Entry* e = find(a[1]);
      if (!e || !e->volatile_) return Int(0);
      e->volatile_ = false;
      return Int(1);
    }
    if (cmd == "TTL") {  // the test only sends EXPIRE 100000: the TTL rounds to it
      Entry* e = find(a[1]);
      if (!e) return Int(-2);
      return e->volatile_ ? "volatile" : Int(-1);
    }
    if (cmd == "DBSIZE") return Int(static_cast<long long>(d.size()));
    if (cmd == "SELECT") {
      db_ = std::stoi(a[1]);
      return "OK";
    }
    if (cmd == "FLUSHDB") {
      d.clear();
      return "OK";
    }
    if (cmd == "SWAPDB") {
      std::swap(dbs_[std::stoi(a[1])], dbs_[std::stoi(a[2])]);
      return "OK";
    }
    if (cmd == "KEYS") {
      std::string out = "[";
      for (const auto& [k, e] : d) out += (out.size() > 1 ? ", " : "") + Quote(k);
      return out + "]";
    }
    return "(unknown)";
  }

  int db() const { return db_; }
  void set_db(int db) { db_ = db; }

  // INFO keyspace's lines for databases 0..2, as the model counts them.
  std::string Keyspace() const {
    std::string out;
    for (int db = 0; db < 3; ++db) {
      auto it = dbs_.find(db);
      if (it == dbs_.end() || it->second.empty()) continue;
      long long expires = 0;
      for (const auto& [k, e] : it->second) expires += e.volatile_;
      out += "db" + std::to_string(db) + ":keys=" + std::to_string(it->second.size()) +
             ",expires=" + std::to_string(expires) + "\n";
    }
    return out;
  }

 private:
  static std::string Quote(const std::string& s) { return "\"" + s + "\""; }
  static std::string Int(long long v) { return "(integer) " + std::to_string(v); }

  std::map<int, Db> dbs_;
  int db_ = 0;
};

std::vector<std::string> RandomCommand(std::mt19937& rng) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(*(xs.begin() + rng() % xs.size()));
  };
  auto key = [&] { return "k" + std::to_string(rng() % 12); };
  auto value = [&] { return pick({"1", "-7", "abc", "", "10", "x y"}); };
  switch (rng() % 29) {
    case 0: return {"SET", key(), value()};
    case 1: return {"SET", key(), value(), pick({"NX", "XX", "KEEPTTL"})};
    case 2: return {"SET", key(), value(), "EX", "100000"};
    case 3: return {"GET", key()};
    case 4: return {"DEL", key(), key()};
    case 5: return {"EXISTS", key(), key(), key()};
    case 6: return {"INCR", key()};
    case 7: return {"APPEND", key(), value()};
    case 8: return {"GETDEL", key()};
    case 9: return {"RENAME", key(), key()};
    case 10: return {"MOVE", key(), std::to_string(rng() % 3)};
    case 11: return {"EXPIRE", key(), pick({"100000", "-1"})};
    case 12: return {"PERSIST", key()};
    case 13: return {"TTL", key()};
    case 14: return {"DBSIZE"};
    case 15: return {"SELECT", std::to_string(rng() % 3)};
    case 16: return rng() % 10 == 0 ? std::vector<std::string>{"FLUSHDB"}
                                    : std::vector<std::string>{"GET", key()};
    case 17: return {"SWAPDB", std::to_string(rng() % 3), std::to_string(rng() % 3)};
    case 18: return {"KEYS", "*"};
    case 19:
      return {"COPY", key(), key()};
    case 20:
      return {"COPY", key(), key(), "DB", std::to_string(rng() % 3)};
    case 21:
      return {"RPUSH", key(), value()};
    case 22:
      return {"LPOP", key()};
    case 23:
      return {"SADD", key(), value()};
    case 24:
      return {"SREM", key(), value()};
    case 25:
      if (rng() % 2) return {"BLMOVE", key(), key(), "LEFT", "RIGHT", "0.01"};
      return {"LMOVE", key(), key(), "LEFT", "RIGHT"};
    case 26:
      return {"SUNIONSTORE", key(), key(), key()};
    case 27:
      return {"RESTORE", key(), "0", key()};  // DUMP of the last key, then RESTORE
    default: return {"INCR", key()};
  }
}

// INFO keyspace's "dbN:keys=K,expires=E" lines, one per line, without avg_ttl.
std::string KeyspaceCounts(const std::string& info) {
  std::string out;
  size_t at = 0;
  while ((at = info.find("db", at)) != std::string::npos) {
    size_t comma = info.find(",avg_ttl", at);
    if (comma == std::string::npos) break;
    out += info.substr(at, comma - at) + "\n";
    at = comma;
  }
  return out;
}

// DUMP src, then RESTORE dst 0 payload REPLACE: the raw payload through the hiredis client.
std::string RestoreFromDump(Client& c, const std::string& dst, const std::string& src) {
  std::string payload;
  if (!c.RunBulk({"DUMP", src}, &payload)) return "(nil)";
  return c.Run({"RESTORE", dst, "0", payload, "REPLACE"});
}

}  // namespace

TEST_SUITE("e2e model") {
  TEST_CASE("a random command mix agrees with a model of Redis, across restarts and crashes") {
    ServerProcess server({"--appendfsync", "always"});
    Model model;
    std::mt19937 rng(20261124);
    auto c = server.Connect();
    int checked = 0;
    for (int round = 0; round < 6; ++round) {
      for (int i = 0; i < 1500; ++i) {
        std::vector<std::vector<std::string>> commands;
        bool transaction = rng() % 25 == 0;
        size_t n = transaction ? 1 + rng() % 6 : 1;
        for (size_t j = 0; j < n; ++j) {
          commands.push_back(RandomCommand(rng));
          // RESTORE needs a payload from DUMP first: not inside MULTI.
          if (transaction && commands.back()[0] == "RESTORE") commands.back() = {"DBSIZE"};
        }
        if (transaction) {
          // SELECT inside MULTI changes the database for the rest of the connection.
          REQUIRE(c->Run({"MULTI"}) == "OK");
          for (auto& cmd : commands) REQUIRE(c->Run(cmd) == "QUEUED");
          std::string expect = "[";
          for (auto& cmd : commands) {
            std::string e = model.Apply(cmd);
            expect += (expect.size() > 1 ? ", " : "") + e;
          }
          expect += "]";
          std::string got = c->Run({"EXEC"});
          if (expect.find("volatile") == std::string::npos) CHECK_MESSAGE(got == expect, "EXEC");
          continue;
        }
        std::string expect = model.Apply(commands[0]);
        std::string got;
        if (commands[0][0] == "RESTORE") {
          got = RestoreFromDump(*c, commands[0][1], commands[0][3]);
          // No payload (no such key): nothing to restore, as the model says.
          if (got == "(nil)") got = "(error) ERR DUMP payload version or checksum are wrong";
        } else {
          got = c->Run(commands[0]);
        }
        std::string text = commands[0][0] + (commands[0].size() > 1 ? " " + commands[0][1] : "");
        if (expect == "volatile") {
          CHECK_MESSAGE((got == "(integer) 100000" || got == "(integer) 99999"), text);
        } else {
          CHECK_MESSAGE(got == expect, text);
        }
        // The counts, after every command: DBSIZE of each database and INFO keyspace.
        std::string keyspace = c->Run({"INFO", "keyspace"});
        CHECK_MESSAGE(KeyspaceCounts(keyspace) == model.Keyspace(), text);
        ++checked;
      }
      // Restart: cleanly or by SIGKILL; the connection starts again in database 0.
      if (round % 2 == 0) {
        server.Kill();
      } else {
        REQUIRE(server.Terminate() == 0);
      }
      server.Restart();
      c = server.Connect();
      model.set_db(0);
      for (int db = 0; db < 3; ++db) {
        REQUIRE(c->Run({"SELECT", std::to_string(db)}) == "OK");
        model.set_db(db);
        CHECK(c->Run({"KEYS", "*"}) == model.Apply({"KEYS", "*"}));
        CHECK(c->Run({"DBSIZE"}) == model.Apply({"DBSIZE"}));
      }
      REQUIRE(c->Run({"SELECT", "0"}) == "OK");
      model.set_db(0);
    }
    MESSAGE("commands checked against the model: " << checked);
  }
}

}  // namespace strata::testing
