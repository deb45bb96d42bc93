// maxmemory and eviction (types/eviction.h) as a Redis user sees them: what each policy
// evicts, OOM under noeviction, the data set's bytes kept exact, the budget across restarts.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {
namespace {

// A field of INFO (any section) as an integer; -1 when missing.
long long InfoField(Client& c, const std::string& section, const std::string& field) {
  std::string info = c.Run({"INFO", section});
  size_t at = info.find(field + ":");
  if (at == std::string::npos) return -1;
  return std::atoll(info.c_str() + at + field.size() + 1);
}

long long Dataset(Client& c) { return InfoField(c, "memory", "used_memory_dataset"); }

bool Exists(Client& c, const std::string& key) { return c.Run({"EXISTS", key}) == "(integer) 1"; }

void SetMany(Client& c, const std::string& prefix, int n,
             const std::vector<std::string>& extra = {}) {
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> args{"SET", prefix + std::to_string(i), std::string(100, 'v')};
    args.insert(args.end(), extra.begin(), extra.end());
    c.Append(args);
  }
  for (int i = 0; i < n; ++i) REQUIRE(c.Read() == "OK");
}

// Subscribes c to client-side caching's invalidations; returns its id, for REDIRECT.
std::string ListenForInvalidations(Client& c) {
  std::string id = c.Run({"CLIENT", "ID"}).substr(10);
  CHECK(c.Run({"SUBSCRIBE", "__redis__:invalidate"}) ==
        "[\"subscribe\", \"__redis__:invalidate\", (integer) 1]");
  return id;
}

// The sum of MEMORY USAGE over every key.
long long SumOfUsage(Client& c) {
  std::vector<std::string> keys;
  REQUIRE(c.RunArray({"KEYS", "*"}, &keys));
  long long sum = 0;
  for (const std::string& k : keys) {
    std::string r = c.Run({"MEMORY", "USAGE", k});
    REQUIRE(r.rfind("(integer) ", 0) == 0);
    sum += std::atoll(r.c_str() + 10);
  }
  return sum;
}

long long Usage(Client& c, const std::string& key) {
  return std::atoll(c.Run({"MEMORY", "USAGE", key}).c_str() + 10);
}

}  // namespace

TEST_SUITE("e2e eviction") {
  TEST_CASE(
      "the data set's bytes are exact per key: INFO is the sum of MEMORY USAGE, "
      "restarts and crashes included") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
                       {{"SET", "s", "hello"}, "OK"},
                       {{"APPEND", "s", " world"}, "(integer) 11"},
                       {{"HSET", "h", "a", "1", "b", "22", "c", "333"}, "(integer) 3"},
                       {{"HSET", "h", "a", "longer value"}, "(integer) 0"},
                       {{"HDEL", "h", "b"}, "(integer) 1"},
                       {{"HINCRBY", "h", "n", "5"}, "(integer) 5"},
                       {{"SADD", "set", "x", "y", "z"}, "(integer) 3"},
                       {{"SREM", "set", "y"}, "(integer) 1"},
                       {{"ZADD", "z", "1", "a", "2", "b", "3", "c"}, "(integer) 3"},
                       {{"ZINCRBY", "z", "5", "a"}, "\"6\""},
                       {{"ZREM", "z", "b"}, "(integer) 1"},
                       {{"RPUSH", "l", "a", "bb", "ccc", "dddd", "bb"}, "(integer) 5"},
                       {{"LREM", "l", "0", "bb"}, "(integer) 2"},
                       {{"LINSERT", "l", "BEFORE", "ccc", "new"}, "(integer) 4"},
                       {{"LINSERT", "l", "AFTER", "ccc", "tail-side"}, "(integer) 5"},
                       {{"LPOP", "l"}, "\"a\""},
                       {{"XADD", "x", "1-1", "f", "v"}, "\"1-1\""},
                       {{"XADD", "x", "1-2", "f", "vv"}, "\"1-2\""},
                       {{"XDEL", "x", "1-1"}, "(integer) 1"},
                       {{"EXPIRE", "h", "1000"}, "(integer) 1"},
                       {{"RENAME", "set", "set2"}, "OK"},
                       {{"COPY", "h", "h2"}, "(integer) 1"},
                       {{"PERSIST", "h"}, "(integer) 1"},
                   });
    // What the element writes counted is what a fresh copy of the same value counts.
    for (std::string key : {"h", "set2", "l", "z"}) {
      std::string dump;
      REQUIRE(c->RunBulk({"DUMP", key}, &dump));
      REQUIRE(c->Run({"RESTORE", key + "-fresh", "0", dump}) == "OK");
      long long fresh = Usage(*c, key + "-fresh") - static_cast<long long>(6);  // "-fresh"
      if (key != "z") CHECK_MESSAGE(Usage(*c, key) == fresh, key);  // (a sorted set's hints vary)
      CHECK(c->Run({"DEL", key + "-fresh"}) == "(integer) 1");
    }
    long long sum = SumOfUsage(*c);
    CHECK(sum > 0);
    CHECK(Dataset(*c) == sum);
    CHECK(server.Terminate() == 0);
    server.Restart();
    c = server.Connect();
    CHECK(Dataset(*c) == sum);
    CHECK(c->Run({"HSET", "h", "more", "x"}) == "(integer) 1");
    sum = SumOfUsage(*c);
    server.Kill();  // the saved bytes are not current: counted again at open
    server.Restart();
    c = server.Connect();
    CHECK(Dataset(*c) == sum);
    CHECK(c->Run({"FLUSHALL"}) == "OK");
    CHECK(Dataset(*c) == 0);
  }

  TEST_CASE(
      "noeviction: past maxmemory, commands that add data get -OOM; reads and deletes "
      "go on") {
    ServerProcess server({"--maxmemory", "20kb"});
    auto c = server.Connect();
    int written = 0;
    std::string r;
    while ((r = c->Run({"SET", "k" + std::to_string(written), std::string(100, 'v')})) == "OK") {
      ++written;
      REQUIRE(written < 1000);
    }
    CHECK(r == "(error) OOM command not allowed when used memory > 'maxmemory'.");
    CHECK(written > 100);
    CheckSteps(
        *c,
        {
            {{"GET", "k0"}, "\"" + std::string(100, 'v') + "\""},
            {{"LPUSH", "list", "x"},
             "(error) OOM command not allowed when used memory > 'maxmemory'."},
            {{"MULTI"}, "OK"},
            {{"SET", "a", "b"}, "(error) OOM command not allowed when used memory > 'maxmemory'."},
            {{"EXEC"}, "(error) EXECABORT Transaction discarded because of previous errors."},
            {{"DEL", "k0", "k1", "k2"}, "(integer) 3"},
            {{"SET", "k0", "v"}, "OK"},
        });
    CHECK(InfoField(*c, "stats", "evicted_keys") == 0);
    CHECK(c->Run({"DBSIZE"}) == "(integer) " + std::to_string(written - 2));
  }

  TEST_CASE("past maxmemory, a script's writes are refused unless it is flagged allow-oom") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "a", "1"}) == "OK");
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", "1"}) == "OK");
    std::string r = c->Run({"EVAL", "return redis.call('set','k','v')", "0"});
    CHECK(r.rfind("(error) OOM command not allowed when used memory > 'maxmemory'.", 0) == 0);
    CheckSteps(*c,
               {
                   {{"EVAL", "return redis.pcall('set','k','v')", "0"},
                    "(error) OOM command not allowed when used memory > 'maxmemory'."},
                   {{"EVAL", "return redis.call('get','a')", "0"}, "\"1\""},
                   {{"EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','k','v')", "0"}, "OK"},
                   {{"CONFIG", "SET", "maxmemory", "0"}, "OK"},
                   {{"EVAL", "return redis.call('set','k2','v')", "0"}, "OK"},
               });
  }

  TEST_CASE("allkeys-lru evicts the least recently used; the budget holds") {
    ServerProcess server({"--maxmemory-policy", "allkeys-lru"});
    auto c = server.Connect();
    SetMany(*c, "k", 200);
    for (int i = 0; i < 20; ++i) REQUIRE(c->Run({"GET", "k" + std::to_string(i)}) != "(nil)");
    long long full = Dataset(*c);
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", std::to_string(full / 2)}) == "OK");
    CHECK(Eventually([&] { return Dataset(*c) <= full / 2; }));
    for (int i = 0; i < 20; ++i) CHECK_MESSAGE(Exists(*c, "k" + std::to_string(i)), i);
    CHECK(!Exists(*c, "k20"));  // the oldest of those not read again
    long long evicted = InfoField(*c, "stats", "evicted_keys");
    CHECK(evicted > 50);
    SetMany(*c, "new", 50);  // half the budget: they push out older keys, not each other
    CHECK(Dataset(*c) <= full / 2);
    CHECK(InfoField(*c, "stats", "evicted_keys") > evicted);
    for (int i = 0; i < 50; ++i) CHECK(Exists(*c, "new" + std::to_string(i)));
  }

  TEST_CASE("volatile-lru, volatile-lfu and volatile-random evict only keys with a TTL") {
    for (std::string policy : {"volatile-lru", "volatile-lfu", "volatile-random"}) {
      CAPTURE(policy);
      ServerProcess server({"--maxmemory-policy", policy});
      auto c = server.Connect();
      SetMany(*c, "keep", 100);
      SetMany(*c, "ttl", 100, {"EX", "1000"});
      long long full = Dataset(*c);
      CHECK(c->Run({"CONFIG", "SET", "maxmemory", std::to_string(full * 3 / 4)}) == "OK");
      CHECK(Eventually([&] { return Dataset(*c) <= full * 3 / 4; }));
      CHECK(c->Run({"DBSIZE"}) != "(integer) 200");
      for (int i = 0; i < 100; ++i) REQUIRE(Exists(*c, "keep" + std::to_string(i)));
      // Past the keys with a TTL nothing can go: writes are refused.
      CHECK(c->Run({"CONFIG", "SET", "maxmemory", std::to_string(full / 4)}) == "OK");
      CHECK(c->Run({"SET", "one-more", "v"}) ==
            "(error) OOM command not allowed when used memory > 'maxmemory'.");
      CHECK(c->Run({"DBSIZE"}) == "(integer) 100");
    }
  }

  TEST_CASE("volatile-ttl evicts the keys that expire soonest") {
    ServerProcess server({"--maxmemory-policy", "volatile-ttl"});
    auto c = server.Connect();
    for (int i = 0; i < 100; ++i) {
      REQUIRE(c->Run({"SET", "t" + std::to_string(i), std::string(100, 'v'), "EX",
                      std::to_string(1000 + i * 10)}) == "OK");
    }
    long long full = Dataset(*c);
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", std::to_string(full / 2)}) == "OK");
    CHECK(Eventually([&] { return Dataset(*c) <= full / 2; }));
    CHECK(!Exists(*c, "t0"));
    CHECK(!Exists(*c, "t40"));
    CHECK(Exists(*c, "t60"));
    CHECK(Exists(*c, "t99"));
  }

  TEST_CASE("allkeys-lfu: a hot key survives a scan of cold keys; OBJECT FREQ counts") {
    ServerProcess server({"--maxmemory-policy", "allkeys-lfu"});
    auto c = server.Connect();
    SetMany(*c, "warm", 50);
    for (int i = 0; i < 300; ++i) REQUIRE(c->Run({"GET", "hot"}) == "(nil)");
    REQUIRE(c->Run({"SET", "hot", "x"}) == "OK");
    for (int i = 0; i < 300; ++i) REQUIRE(c->Run({"GET", "hot"}) == "\"x\"");
    std::string freq = c->Run({"OBJECT", "FREQ", "hot"});
    CHECK(std::atoi(freq.c_str() + 10) > 5);
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", std::to_string(Dataset(*c))}) == "OK");
    SetMany(*c, "cold", 500);  // each cold key once
    CHECK(Exists(*c, "hot"));
    CHECK(InfoField(*c, "stats", "evicted_keys") >= 450);
  }

  TEST_CASE("allkeys-random stays within the budget") {
    ServerProcess server({"--maxmemory-policy", "allkeys-random", "--maxmemory", "30kb"});
    auto c = server.Connect();
    SetMany(*c, "k", 1000);
    CHECK(Dataset(*c) <= 30 * 1024);
    CHECK(InfoField(*c, "stats", "evicted_keys") > 500);
  }

  TEST_CASE(
      "an evicted key: 'evicted' event, WATCH and client tracking see it, the collection "
      "is gone at once") {
    ServerProcess server({"--maxmemory-policy", "allkeys-lru"});
    auto c = server.Connect();
    auto sub = server.Connect();
    auto watcher = server.Connect();
    CHECK(c->Run({"CONFIG", "SET", "notify-keyspace-events", "Ee"}) == "OK");
    std::vector<std::string> fields{"HSET", "big"};
    for (int i = 0; i < 20000; ++i) {
      fields.push_back("f" + std::to_string(i));
      fields.push_back("v");
    }
    CHECK(c->Run(fields) == "(integer) 20000");
    CHECK(sub->Run({"SUBSCRIBE", "__keyevent@0__:evicted"}) ==
          "[\"subscribe\", \"__keyevent@0__:evicted\", (integer) 1]");
    auto redir = server.Connect();  // client-side caching: the reader's invalidations go here
    std::string id = ListenForInvalidations(*redir);
    auto reader = server.Connect();
    CHECK(reader->Run({"CLIENT", "TRACKING", "ON", "REDIRECT", id}) == "OK");
    CHECK(reader->Run({"HGET", "big", "f1"}) == "\"v\"");
    CHECK(watcher->Run({"WATCH", "big"}) == "OK");
    CHECK(watcher->Run({"MULTI"}) == "OK");
    CHECK(watcher->Run({"SET", "other", "v"}) == "QUEUED");
    SetMany(*c, "k", 10);
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", "10kb"}) == "OK");
    CHECK(sub->Read() == "[\"message\", \"__keyevent@0__:evicted\", \"big\"]");
    CHECK(redir->Read() == "[\"message\", \"__redis__:invalidate\", [\"big\"]]");
    CHECK(!Exists(*c, "big"));
    CHECK(watcher->Run({"EXEC"}) == "(nil)");
  }

  TEST_CASE(
      "a write past maxmemory evicts (in its own batch); a NOLOOP writer still hears of the "
      "key its write evicted") {
    ServerProcess server({"--maxmemory-policy", "allkeys-lru"});
    auto c = server.Connect();
    auto redir = server.Connect();
    std::string id = ListenForInvalidations(*redir);
    CHECK(c->Run({"CLIENT", "TRACKING", "ON", "REDIRECT", id, "NOLOOP"}) == "OK");
    SetMany(*c, "k", 10);
    long long limit = Dataset(*c) + 50;  // room for the 10 keys, not for an eleventh
    CHECK(c->Run({"CONFIG", "SET", "maxmemory", std::to_string(limit)}) == "OK");
    CHECK(c->Run({"GET", "k0"}) == "\"" + std::string(100, 'v') + "\"");  // tracked
    for (int i = 1; i < 10; ++i) CHECK(c->Run({"GET", "k" + std::to_string(i)}) != "(nil)");
    // Its own SET of a new key evicts k0, the least recently used: its own write is not
    // told back (NOLOOP), the eviction is.
    CHECK(c->Run({"SET", "new", std::string(100, 'v')}) == "OK");
    CHECK(redir->Read() == "[\"message\", \"__redis__:invalidate\", [\"k0\"]]");
    CHECK(InfoField(*c, "stats", "evicted_keys") == 1);
    CHECK(Dataset(*c) <= limit);
    CHECK(!Exists(*c, "k0"));
    CHECK(Exists(*c, "new"));
  }

  TEST_CASE("the budget holds across a restart: keys not used since are evicted first") {
    ServerProcess server({"--maxmemory-policy", "allkeys-lru", "--maxmemory", "40kb"});
    {
      auto c = server.Connect();
      SetMany(*c, "old", 1000);
      CHECK(Dataset(*c) <= 40 * 1024);
    }
    CHECK(server.Terminate() == 0);
    server.Restart();
    auto c = server.Connect();
    CHECK(Dataset(*c) <= 40 * 1024);
    long long before = InfoField(*c, "keyspace", "db0:keys");
    (void)before;
    SetMany(*c, "new", 100);
    CHECK(Dataset(*c) <= 40 * 1024);
    for (int i = 0; i < 100; ++i) CHECK_MESSAGE(Exists(*c, "new" + std::to_string(i)), i);
    CHECK(InfoField(*c, "stats", "evicted_keys") >= 90);
  }

  TEST_CASE(
      "redis-benchmark SETs with maxmemory a tenth of what they write: within 5%, no "
      "error") {
    ServerProcess server({"--maxmemory-policy", "allkeys-lru", "--maxmemory", "4mb"});
    auto c = server.Connect();
    std::string cmd = "redis-benchmark -p " + std::to_string(server.port()) +
                      " -t set -r 10000000 -n 2000000 -P 16 -q > " + server.dir() +
                      "/bench.out 2>&1";
    std::thread bench([&] { CHECK(std::system(cmd.c_str()) == 0); });
    long long worst = 0;
    auto poll = server.Connect();
    for (int i = 0; i < 100000 && InfoField(*poll, "stats", "total_commands_processed") < 2000000;
         ++i) {
      worst = std::max(worst, Dataset(*poll));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    bench.join();
    worst = std::max(worst, Dataset(*poll));
    CHECK(worst <= 4 * 1024 * 1024 * 105 / 100);
    CHECK(InfoField(*poll, "stats", "evicted_keys") > 500000);
    CHECK(InfoField(*poll, "stats", "total_error_replies") == 0);
  }
}

}  // namespace strata::testing
