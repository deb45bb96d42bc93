#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {

TEST_SUITE("e2e keys") {
  TEST_CASE("TYPE, UNLINK, TOUCH, RENAME and RENAMENX") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"MSET", "a", "1", "b", "2", "c", "3"}, "OK"},
        {{"TYPE", "a"}, "string"},
        {{"TYPE", "nosuch"}, "none"},
        {{"TOUCH", "a", "b", "nosuch", "a"}, "(integer) 3"},
        {{"UNLINK", "c", "nosuch"}, "(integer) 1"},
        {{"RENAME", "nosuch", "x"}, "(error) ERR no such key"},
        {{"RENAMENX", "nosuch", "x"}, "(error) ERR no such key"},
        {{"SET", "t", "v", "EX", "100"}, "OK"},
        {{"RENAME", "t", "u"}, "OK"},
        {{"TTL", "u"}, "(integer) 100"},  // the expiry moves with the value
        {{"EXISTS", "t"}, "(integer) 0"},
        {{"RENAME", "a", "b"}, "OK"},  // overwrites b
        {{"GET", "b"}, "\"1\""},
        {{"RENAME", "b", "b"}, "OK"},
        {{"RENAMENX", "b", "b"}, "(integer) 0"},
        {{"RENAMENX", "b", "u"}, "(integer) 0"},
        {{"RENAMENX", "b", "z"}, "(integer) 1"},
        {{"MGET", "a", "b", "z"}, "[(nil), (nil), \"1\"]"},
        {{"DBSIZE"}, "(integer) 2"},
    });
  }

  TEST_CASE("COPY and MOVE between databases") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"SET", "k", "v", "EX", "100"}, "OK"},
        {{"COPY", "k", "k2"}, "(integer) 1"},
        {{"GET", "k2"}, "\"v\""},
        {{"TTL", "k2"}, "(integer) 100"},
        {{"COPY", "k", "k2"}, "(integer) 0"},
        {{"SET", "k", "w"}, "OK"},
        {{"COPY", "k", "k2", "REPLACE"}, "(integer) 1"},
        {{"GET", "k2"}, "\"w\""},
        {{"COPY", "k", "k"}, "(error) ERR source and destination objects are the same"},
        {{"COPY", "k", "k", "DB", "1"}, "(integer) 1"},
        {{"COPY", "k", "x", "DB", "16"}, "(error) ERR DB index is out of range"},
        {{"COPY", "k", "x", "DB", "one"}, "(error) ERR value is not an integer or out of range"},
        {{"COPY", "k", "x", "BAD"}, "(error) ERR syntax error"},
        {{"COPY", "nosuch", "x"}, "(integer) 0"},
        {{"MOVE", "k2", "2"}, "(integer) 1"},
        {{"EXISTS", "k2"}, "(integer) 0"},
        {{"MOVE", "k2", "2"}, "(integer) 0"},
        {{"SET", "k2", "again"}, "OK"},
        {{"MOVE", "k2", "2"}, "(integer) 0"},  // the target exists: nothing moves
        {{"MOVE", "k2", "0"}, "(error) ERR source and destination objects are the same"},
        {{"MOVE", "k2", "99"}, "(error) ERR DB index is out of range"},
        {{"SELECT", "2"}, "OK"},
        {{"GET", "k2"}, "\"w\""},
        {{"SELECT", "1"}, "OK"},
        {{"GET", "k"}, "\"w\""},
        {{"DBSIZE"}, "(integer) 1"},
    });
  }

  TEST_CASE("KEYS matches full globs and SWAPDB swaps whole databases") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5",
                  "a*b", "6", "other", "7"}) == "OK");
    CheckSteps(*c, {
        {{"KEYS", "h?llo"}, "[\"hallo\", \"hello\", \"hxllo\"]"},
        {{"KEYS", "h*llo"}, "[\"hallo\", \"heeeello\", \"hello\", \"hllo\", \"hxllo\"]"},
        {{"KEYS", "h[ae]llo"}, "[\"hallo\", \"hello\"]"},
        {{"KEYS", "h[^e]llo"}, "[\"hallo\", \"hxllo\"]"},
        {{"KEYS", "h[a-b]llo"}, "[\"hallo\"]"},
        {{"KEYS", "a\\*b"}, "[\"a*b\"]"},
        {{"KEYS", "nothing*"}, "[]"},
        {{"SELECT", "3"}, "OK"},
        {{"SET", "in3", "x"}, "OK"},
        {{"SWAPDB", "0", "3"}, "OK"},
        {{"KEYS", "*"}, "[\"a*b\", \"hallo\", \"heeeello\", \"hello\", \"hllo\", \"hxllo\", \"other\"]"},
        {{"DBSIZE"}, "(integer) 7"},
        {{"SELECT", "0"}, "OK"},
        {{"KEYS", "*"}, "[\"in3\"]"},
        {{"SWAPDB", "0", "x"}, "(error) ERR invalid second DB index"},
        {{"SWAPDB", "x", "0"}, "(error) ERR invalid first DB index"},
        {{"SWAPDB", "0", "16"}, "(error) ERR DB index is out of range"},
    });
  }

  TEST_CASE("SCAN walks every key once with COUNT, MATCH and TYPE") {
    ServerProcess server;
    auto c = server.Connect();
    std::vector<std::string> mset = {"MSET"};
    for (int i = 0; i < 1000; ++i) {
      mset.push_back((i % 2 ? "odd:" : "even:") + std::to_string(i));
      mset.push_back("v");
    }
    CHECK(c->Run(mset) == "OK");
    auto scan_all = [&](std::vector<std::string> options) {
      std::multiset<std::string> seen;
      std::string cursor = "0";
      int calls = 0;
      do {
        std::vector<std::string> args = {"SCAN", cursor};
        args.insert(args.end(), options.begin(), options.end());
        std::string reply = c->Run(args);
        // [\"<cursor>\", [\"k\", ...]]
        REQUIRE(reply.rfind("[\"", 0) == 0);
        size_t end = reply.find('"', 2);
        cursor = reply.substr(2, end - 2);
        for (size_t p = reply.find('"', end + 1); p != std::string::npos;) {
          size_t q = reply.find('"', p + 1);
          seen.insert(reply.substr(p + 1, q - p - 1));
          p = reply.find('"', q + 1);
        }
        ++calls;
      } while (cursor != "0" && calls < 10000);
      return std::make_pair(seen, calls);
    };
    auto [all, calls] = scan_all({"COUNT", "100"});
    CHECK(all.size() == 1000);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 1000);
    CHECK(calls >= 10);
    auto [odd, odd_calls] = scan_all({"MATCH", "odd:*", "COUNT", "50"});
    CHECK(odd.size() == 500);
    CHECK(odd_calls <= 12);  // a literal prefix seeks straight to the matching keys
    CHECK(scan_all({"MATCH", "*:99?"}).first.size() == 10);
    CHECK(scan_all({"TYPE", "string", "COUNT", "1000"}).first.size() == 1000);
    CHECK(scan_all({"TYPE", "hash", "COUNT", "1000"}).first.empty());
    CHECK(c->Run({"SCAN", "abc"}) == "(error) ERR invalid cursor");
    CHECK(c->Run({"SCAN", "0", "COUNT", "0"}) == "(error) ERR syntax error");
    CHECK(c->Run({"SCAN", "0", "BAD"}) == "(error) ERR syntax error");
  }

  TEST_CASE("SCAN returns every key that exists for the whole scan, under concurrent writes") {
    ServerProcess server;
    auto c = server.Connect();
    std::vector<std::string> mset = {"MSET"};
    for (int i = 0; i < 2000; ++i) {
      mset.push_back("stable:" + std::to_string(i));
      mset.push_back("v");
    }
    CHECK(c->Run(mset) == "OK");
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      auto w = server.Connect();
      for (int i = 0; !stop; ++i) {  // keys come and go all around the stable ones
        w->Run({"SET", "stable:" + std::to_string(i % 2000) + ":x", "v"});
        w->Run({"DEL", "stable:" + std::to_string((i * 7) % 2000) + ":x"});
        w->Run({"SET", "a" + std::to_string(i), "v"});
      }
    });
    std::set<std::string> seen;
    std::string cursor = "0";
    do {
      std::string reply = c->Run({"SCAN", cursor, "COUNT", "37"});
      size_t end = reply.find('"', 2);
      cursor = reply.substr(2, end - 2);
      for (size_t p = reply.find('"', end + 1); p != std::string::npos;) {
        size_t q = reply.find('"', p + 1);
        seen.insert(reply.substr(p + 1, q - p - 1));
        p = reply.find('"', q + 1);
      }
    } while (cursor != "0");
    stop = true;
    writer.join();
    int missing = 0;
    for (int i = 0; i < 2000; ++i) missing += seen.count("stable:" + std::to_string(i)) ? 0 : 1;
    CHECK(missing == 0);
  }

  TEST_CASE("RANDOMKEY returns live keys, nil when there are none") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"RANDOMKEY"}) == "(nil)");
    CHECK(c->Run({"MSET", "a", "1", "m", "2", "z", "3"}) == "OK");
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) seen.insert(c->Run({"RANDOMKEY"}));
    CHECK(seen == std::set<std::string>{"\"a\"", "\"m\"", "\"z\""});
    CHECK(c->Run({"FLUSHDB"}) == "OK");
    CHECK(c->Run({"RANDOMKEY"}) == "(nil)");
  }

  TEST_CASE("OBJECT gives plausible answers") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"MSET", "i", "12345", "s", "short", "r", std::string(100, 'x')}, "OK"},
        {{"OBJECT", "ENCODING", "i"}, "\"int\""},
        {{"OBJECT", "ENCODING", "s"}, "\"embstr\""},
        {{"OBJECT", "ENCODING", "r"}, "\"raw\""},
        {{"OBJECT", "ENCODING", "nosuch"}, "(nil)"},
        {{"OBJECT", "REFCOUNT", "s"}, "(integer) 1"},
        {{"OBJECT", "IDLETIME", "s"}, "(integer) 0"},
        {{"OBJECT", "FREQ", "s"},
         "(error) ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
         "Please note that when switching between policies at runtime LRU and LFU data will "
         "take some time to adjust."},
        {{"OBJECT", "NOPE", "s"},
         "(error) ERR unknown subcommand 'NOPE'. Try OBJECT HELP."},
    });
  }

  TEST_CASE("OBJECT IDLETIME: reads and writes touch a key; TTL, TYPE, EXISTS, OBJECT do not") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "k", "v"}) == "OK");
    CHECK(c->Run({"RPUSH", "l", "a"}) == "(integer) 1");
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    for (const auto& cmd : std::vector<std::vector<std::string>>{{"TTL", "k"},
                                                                 {"PTTL", "k"},
                                                                 {"TYPE", "k"},
                                                                 {"EXISTS", "k"},
                                                                 {"OBJECT", "ENCODING", "k"},
                                                                 {"EXPIRETIME", "k"},
                                                                 {"MEMORY", "USAGE", "k"},
                                                                 {"DEBUG", "OBJECT", "k"}}) {
      c->Run(cmd);
    }
    CHECK(c->Run({"OBJECT", "IDLETIME", "k"}) == "(integer) 2");
    CHECK(c->Run({"DEBUG", "OBJECT", "k"}).find("lru_seconds_idle:2") != std::string::npos);
    CHECK(c->Run({"GET", "k"}) == "\"v\"");
    CHECK(c->Run({"OBJECT", "IDLETIME", "k"}) == "(integer) 0");
    CHECK(c->Run({"LPUSH", "l", "b"}) == "(integer) 2");  // a write touches too
    CHECK(c->Run({"OBJECT", "IDLETIME", "l"}) == "(integer) 0");
    // CLIENT NO-TOUCH ON: reads leave the idle time alone; TOUCH still resets it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(c->Run({"CLIENT", "NO-TOUCH", "ON"}) == "OK");
    CHECK(c->Run({"GET", "k"}) == "\"v\"");
    CHECK(c->Run({"OBJECT", "IDLETIME", "k"}) == "(integer) 1");
    CHECK(c->Run({"TOUCH", "k"}) == "(integer) 1");
    CHECK(c->Run({"OBJECT", "IDLETIME", "k"}) == "(integer) 0");
    CHECK(c->Run({"CLIENT", "NO-TOUCH", "OFF"}) == "OK");
    CHECK(c->Run({"CLIENT", "NO-TOUCH", "maybe"}) == "(error) ERR syntax error");
    // SWAPDB keeps what each key's idle time is.
    CHECK(c->Run({"SWAPDB", "0", "1"}) == "OK");
    CHECK(c->Run({"SELECT", "1"}) == "OK");
    CHECK(c->Run({"OBJECT", "IDLETIME", "k"}) == "(integer) 0");

    // With an LFU policy, OBJECT FREQ counts uses (new keys start at 5, as in Redis) and
    // IDLETIME is refused.
    CHECK(c->Run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}) == "OK");
    CHECK(c->Run({"SET", "hot", "1"}) == "OK");
    CHECK(c->Run({"SET", "cold", "1"}) == "OK");
    for (int i = 0; i < 300; ++i) c->Run({"GET", "hot"});
    long long hot = std::stoll(c->Run({"OBJECT", "FREQ", "hot"}).substr(10));
    long long cold = std::stoll(c->Run({"OBJECT", "FREQ", "cold"}).substr(10));
    CHECK(cold >= 5);
    CHECK(cold <= 6);
    CHECK(hot > cold);
    CHECK(c->Run({"OBJECT", "IDLETIME", "hot"})
              .rfind("(error) ERR An LFU maxmemory policy is "
                     "selected, idle time not tracked.",
                     0) == 0);
  }

  TEST_CASE("MEMORY USAGE counts a key as stored, sampling large collections") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "small", "x"}) == "OK");
    CHECK(c->Run({"SET", "large", std::string(10000, 'x')}) == "OK");
    auto usage = [&](std::vector<std::string> args) {
      std::string r = c->Run(args);
      REQUIRE(r.rfind("(integer) ", 0) == 0);
      return std::stoll(r.substr(10));
    };
    long long small = usage({"MEMORY", "USAGE", "small"});
    long long large = usage({"MEMORY", "USAGE", "large"});
    CHECK(small > 1);
    CHECK(large >= 10000);
    CHECK(large < 10100);
    for (int i = 0; i < 1000; ++i) {
      c->Append({"HSET", "h", "field" + std::to_string(i), std::string(100, 'v')});
    }
    for (int i = 0; i < 1000; ++i) c->Read();
    long long all = usage({"MEMORY", "USAGE", "h", "SAMPLES", "0"});
    long long sampled = usage({"MEMORY", "USAGE", "h"});
    CHECK(all > 1000 * 100);
    CHECK(all < 1000 * 150);
    CHECK(sampled > all * 9 / 10);  // the first 5 fields are typical here
    CHECK(sampled < all * 11 / 10);
    CHECK(c->Run({"MEMORY", "USAGE", "nokey"}) == "(nil)");
    std::string stats = c->Run({"MEMORY", "STATS"});
    CHECK(stats.find("\"keys.count\", (integer) 3") != std::string::npos);
    CHECK(stats.find("\"db.0\"") != std::string::npos);
    std::string doctor = c->Run({"MEMORY", "DOCTOR"});
    CAPTURE(doctor);
    CHECK(doctor.find("No memory problems found") != std::string::npos);
    CHECK(c->Run({"MEMORY", "MALLOC-STATS"}).find("heap stats") != std::string::npos);
  }

  TEST_CASE("DUMP and RESTORE use Redis's payload format") {
    ServerProcess server;
    auto c = server.Connect();
    // Payloads produced by Redis 7.0's DUMP: the integer 2, and an LZF-compressed string.
    const std::string int_payload("\x00\xc0\x02\x0a\x00\x8f\xa2\xb0\xbc\xf8\xd4\x7e\xcb", 13);
    const std::string lzf_payload(
        "\x00\xc3\x0e\x41\x2c\x03\x61\x62\x63\x61\xe0\xff\x02\xe1\x15\x07\x01\x62\x63\x0a\x00"
        "\xd2\x57\x33\xce\xc0\x44\xe1\x2b", 29);
    std::string abc;
    for (int i = 0; i < 100; ++i) abc += "abc";
    CheckSteps(*c, {
        {{"RESTORE", "n", "0", int_payload}, "OK"},
        {{"GET", "n"}, "\"2\""},
        {{"DUMP", "n"}, "\"" + int_payload + "\""},  // byte for byte what Redis sends
        {{"RESTORE", "big", "0", lzf_payload}, "OK"},
        {{"GET", "big"}, "\"" + abc + "\""},
        {{"RESTORE", "n", "0", int_payload}, "(error) BUSYKEY Target key name already exists."},
        {{"RESTORE", "n", "0", int_payload, "REPLACE"}, "OK"},
        {{"RESTORE", "t", "100000", int_payload}, "OK"},
        {{"TTL", "t"}, "(integer) 100"},
        {{"RESTORE", "old", "1000", int_payload, "ABSTTL"}, "OK"},  // already expired
        {{"EXISTS", "old"}, "(integer) 0"},
        {{"RESTORE", "x", "-1", int_payload}, "(error) ERR Invalid TTL value, must be >= 0"},
        {{"RESTORE", "x", "0", "garbage-payload"},
         "(error) ERR DUMP payload version or checksum are wrong"},
        {{"RESTORE", "x", "0", int_payload, "IDLETIME", "-1"},
         "(error) ERR Invalid IDLETIME value, must be >= 0"},
        {{"RESTORE", "x", "0", int_payload, "FREQ", "256"},
         "(error) ERR Invalid FREQ value, must be >= 0 and <= 255"},
        {{"RESTORE", "x", "0", int_payload, "BAD"}, "(error) ERR syntax error"},
        {{"DUMP", "nosuch"}, "(nil)"},
        {{"EXISTS", "x"}, "(integer) 0"},
    });
    // A payload with a right checksum but an unknown object type.
    std::string odd = int_payload;
    odd[0] = '\x63';
    CHECK(c->Run({"RESTORE", "x", "0", odd}) ==
          "(error) ERR DUMP payload version or checksum are wrong");
    // Round trip of binary data.
    std::string bin("\x00\x01\xff\r\n", 5);
    CHECK(c->Run({"SET", "bin", bin}) == "OK");
    std::string dumped = c->Run({"DUMP", "bin"});
    CHECK(c->Run({"RESTORE", "bin2", "0", dumped.substr(1, dumped.size() - 2)}) == "OK");
    CHECK(c->Run({"GET", "bin2"}) == "\"" + bin + "\"");
  }

  TEST_CASE("DBSIZE is exact, FLUSHDB empties one database and counts survive restarts") {
    ServerProcess server;
    {
      auto c = server.Connect();
      CheckSteps(*c, {
          {{"MSET", "a", "1", "b", "2", "c", "3"}, "OK"},
          {{"SET", "a", "again"}, "OK"},
          {{"SET", "t", "v", "EX", "100"}, "OK"},
          {{"DEL", "b"}, "(integer) 1"},
          {{"DBSIZE"}, "(integer) 3"},
          {{"SELECT", "1"}, "OK"},
          {{"SET", "other", "x"}, "OK"},
          {{"FLUSHDB"}, "OK"},
          {{"DBSIZE"}, "(integer) 0"},
          {{"GET", "other"}, "(nil)"},
          {{"SELECT", "0"}, "OK"},
          {{"DBSIZE"}, "(integer) 3"},
      });
    }
    CHECK(server.Terminate() == 0);
    server.Restart();
    {
      auto c = server.Connect();
      CHECK(c->Run({"DBSIZE"}) == "(integer) 3");
      std::string info = c->Run({"INFO", "keyspace"});
      CHECK(info.find("db0:keys=3,expires=1,avg_ttl=") != std::string::npos);
      CHECK(info.find("db1:") == std::string::npos);
      for (int i = 0; i < 100; ++i) c->Run({"SET", "k" + std::to_string(i), "v"});
    }
    server.Kill();  // a crash: the counts are rebuilt if the last turn's stamp is missing
    server.Restart();
    auto c = server.Connect();
    CHECK(c->Run({"DBSIZE"}) == "(integer) 103");
    CHECK(c->Run({"FLUSHALL"}) == "OK");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 0");
    CHECK(c->Run({"KEYS", "*"}) == "[]");
  }
}

}  // namespace strata::testing
