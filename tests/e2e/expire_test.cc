#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_SUITE("e2e expire") {
  TEST_CASE("EXPIRE family with NX, XX, GT and LT; TTL, PTTL, EXPIRETIME, PERSIST") {
    ServerProcess server;
    auto c = server.Connect();
    int64_t at = NowMs() / 1000 + 1000;
    CheckSteps(*c, {
        {{"EXPIRE", "nosuch", "100"}, "(integer) 0"},
        {{"TTL", "nosuch"}, "(integer) -2"},
        {{"PTTL", "nosuch"}, "(integer) -2"},
        {{"EXPIRETIME", "nosuch"}, "(integer) -2"},
        {{"SET", "k", "v"}, "OK"},
        {{"TTL", "k"}, "(integer) -1"},
        {{"EXPIRETIME", "k"}, "(integer) -1"},
        {{"EXPIRE", "k", "100", "XX"}, "(integer) 0"},
        {{"EXPIRE", "k", "100", "GT"}, "(integer) 0"},  // no expiry counts as forever
        {{"EXPIRE", "k", "100", "NX"}, "(integer) 1"},
        {{"EXPIRE", "k", "200", "NX"}, "(integer) 0"},
        {{"TTL", "k"}, "(integer) 100"},
        {{"EXPIRE", "k", "50", "GT"}, "(integer) 0"},
        {{"EXPIRE", "k", "200", "GT"}, "(integer) 1"},
        {{"EXPIRE", "k", "300", "LT"}, "(integer) 0"},
        {{"EXPIRE", "k", "150", "LT"}, "(integer) 1"},
        {{"TTL", "k"}, "(integer) 150"},
        {{"PEXPIRE", "k", "120000"}, "(integer) 1"},
        {{"TTL", "k"}, "(integer) 120"},
        {{"EXPIREAT", "k", std::to_string(at)}, "(integer) 1"},
        {{"EXPIRETIME", "k"}, "(integer) " + std::to_string(at)},
        {{"PEXPIRETIME", "k"}, "(integer) " + std::to_string(at * 1000)},
        {{"PEXPIREAT", "k", std::to_string(at * 1000 + 5)}, "(integer) 1"},
        {{"PEXPIRETIME", "k"}, "(integer) " + std::to_string(at * 1000 + 5)},
        {{"PERSIST", "k"}, "(integer) 1"},
        {{"PERSIST", "k"}, "(integer) 0"},
        {{"TTL", "k"}, "(integer) -1"},
        {{"EXPIRE", "k", "100", "NX", "XX"},
         "(error) ERR NX and XX, GT or LT options at the same time are not compatible"},
        {{"EXPIRE", "k", "100", "GT", "LT"},
         "(error) ERR GT and LT options at the same time are not compatible"},
        {{"EXPIRE", "k", "100", "FOO"}, "(error) ERR Unsupported option FOO"},
        {{"EXPIRE", "k", "abc"}, "(error) ERR value is not an integer or out of range"},
        {{"EXPIRE", "k", "9223372036854775807"},
         "(error) ERR invalid expire time in 'expire' command"},
        {{"PEXPIRE", "k", "9223372036854775807"},
         "(error) ERR invalid expire time in 'pexpire' command"},
        {{"TTL", "k"}, "(integer) -1"},
        {{"EXPIRE", "k", "-1"}, "(integer) 1"},  // a time in the past deletes the key
        {{"EXISTS", "k"}, "(integer) 0"},
        {{"SET", "k", "v"}, "OK"},
        {{"EXPIREAT", "k", "1"}, "(integer) 1"},
        {{"GET", "k"}, "(nil)"},
    });
  }

  TEST_CASE("an expired key is gone for every command at once") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "k", "v", "PX", "50"}) == "OK");
    CHECK(Eventually([&] { return c->Run({"GET", "k"}) == "(nil)"; }));
    CheckSteps(*c, {
        {{"EXISTS", "k"}, "(integer) 0"},
        {{"TTL", "k"}, "(integer) -2"},
        {{"TYPE", "k"}, "none"},
        {{"STRLEN", "k"}, "(integer) 0"},
        {{"KEYS", "*"}, "[]"},
        {{"INCR", "k"}, "(integer) 1"},  // a fresh key, without the old expiry
        {{"TTL", "k"}, "(integer) -1"},
    });
  }

  TEST_CASE("active expiry removes keys, so DBSIZE and INFO keyspace converge") {
    ServerProcess server;
    auto c = server.Connect();
    for (int i = 0; i < 5000; ++i) {
      c->Append({"SET", "short:" + std::to_string(i), "v", "PX", std::to_string(50 + i % 100)});
    }
    for (int i = 0; i < 5000; ++i) REQUIRE(c->Read() == "OK");
    CHECK(c->Run({"SET", "long", "v", "EX", "1000"}) == "OK");
    CHECK(c->Run({"SET", "forever", "v"}) == "OK");
    CHECK(Eventually([&] { return c->Run({"DBSIZE"}) == "(integer) 2"; }));
    std::string info = c->Run({"INFO", "keyspace"});
    CHECK(info.find("db0:keys=2,expires=1,avg_ttl=") != std::string::npos);
    std::string stats = c->Run({"INFO", "stats"});
    CHECK(stats.find("expired_keys:5000") != std::string::npos);
  }

  TEST_CASE("expiry times survive a restart as absolute times") {
    ServerProcess server;
    {
      auto c = server.Connect();
      CHECK(c->Run({"SET", "soon", "v", "PX", "300"}) == "OK");
      CHECK(c->Run({"SET", "later", "v", "EX", "1000"}) == "OK");
    }
    CHECK(server.Terminate() == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    server.Restart();
    auto c = server.Connect();
    CHECK(c->Run({"GET", "soon"}) == "(nil)");
    std::string ttl = c->Run({"TTL", "later"});
    CHECK((ttl == "(integer) 1000" || ttl == "(integer) 999"));
    CHECK(Eventually([&] { return c->Run({"DBSIZE"}) == "(integer) 1"; }));
  }
}

}  // namespace strata::testing
