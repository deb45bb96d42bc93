// Streams as a user runs them: blocking XREAD and XREADGROUP woken by another client's XADD,
// a consumer group work queue across restarts and SIGKILL (no acknowledged entry or ack
// lost, the pending lists exact), trimming, and the generic key commands on streams. Replies
// are compared with redis-server's in tests/conformance/streams.txt.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {
namespace {

long long Int(const std::string& reply) { return std::stoll(reply.substr(10)); }  // (integer) N

}  // namespace

TEST_SUITE("e2e streams") {
  TEST_CASE("XREAD BLOCK with $ wakes on another client's XADD, and times out") {
    ServerProcess server;
    auto c = server.Connect();
    REQUIRE(c->Run({"XADD", "s", "1-1", "old", "x"}) == "\"1-1\"");
    RawClient waiter(server.port());
    waiter.SendCommand({"XREAD", "BLOCK", "5000", "STREAMS", "s", "$"});
    REQUIRE(Eventually([&] {
      return c->Run({"INFO", "clients"}).find("blocked_clients:1") != std::string::npos;
    }));
    REQUIRE(c->Run({"XADD", "s", "2-1", "new", "y"}) == "\"2-1\"");
    std::string reply = waiter.Read(60);
    CHECK(reply.find("2-1") != std::string::npos);
    CHECK(reply.find("new") != std::string::npos);
    CHECK(reply.find("old") == std::string::npos);  // "$" was the last ID when it blocked
    waiter.SendCommand({"XREAD", "BLOCK", "100", "STREAMS", "s", "$"});
    CHECK(waiter.Read(5, 3000) == "*-1\r\n");
  }

  TEST_CASE("XREADGROUP BLOCK > wakes on XADD and delivers each entry to one consumer") {
    ServerProcess server;
    auto c = server.Connect();
    REQUIRE(c->Run({"XGROUP", "CREATE", "q", "g", "$", "MKSTREAM"}) == "OK");
    RawClient a(server.port()), b(server.port());
    a.SendCommand(
        {"XREADGROUP", "GROUP", "g", "ca", "COUNT", "1", "BLOCK", "5000", "STREAMS", "q", ">"});
    b.SendCommand(
        {"XREADGROUP", "GROUP", "g", "cb", "COUNT", "1", "BLOCK", "5000", "STREAMS", "q", ">"});
    REQUIRE(Eventually([&] {
      return c->Run({"INFO", "clients"}).find("blocked_clients:2") != std::string::npos;
    }));
    REQUIRE(c->Run({"XADD", "q", "1-1", "job", "1"}) == "\"1-1\"");
    REQUIRE(c->Run({"XADD", "q", "2-1", "job", "2"}) == "\"2-1\"");
    std::string ra = a.Read(40), rb = b.Read(40);
    CHECK(ra.find("1-1") != std::string::npos);  // first blocked, first served
    CHECK(rb.find("2-1") != std::string::npos);
    CHECK(c->Run({"XPENDING", "q", "g"}) ==
          "[(integer) 2, \"1-1\", \"2-1\", [[\"ca\", \"1\"], [\"cb\", \"1\"]]]");
    std::string full = c->Run({"XINFO", "STREAM", "q", "FULL"});
    CHECK(full.find("\"name\", \"g\", \"last-delivered-id\", \"2-1\", \"entries-read\", "
                    "(integer) 2, \"lag\", (integer) 0, \"pel-count\", (integer) 2") !=
          std::string::npos);
    CHECK(full.find("\"name\", \"ca\", \"seen-time\"") != std::string::npos);
  }

  TEST_CASE("a waiting XREADGROUP learns that its stream or its group was deleted") {
    ServerProcess server;
    auto c = server.Connect();
    REQUIRE(c->Run({"XGROUP", "CREATE", "q", "g", "$", "MKSTREAM"}) == "OK");
    RawClient reader(server.port());
    auto blocked = [&](int n) {
      return Eventually([&] {
        return c->Run({"INFO", "clients"}).find("blocked_clients:" + std::to_string(n)) !=
               std::string::npos;
      });
    };
    reader.SendCommand({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS", "q", ">"});
    REQUIRE(blocked(1));
    REQUIRE(c->Run({"DEL", "q"}) == "(integer) 1");
    CHECK(reader.Read(44) == "-UNBLOCKED the stream key no longer exists\r\n");
    REQUIRE(c->Run({"XGROUP", "CREATE", "q", "g", "$", "MKSTREAM"}) == "OK");
    reader.SendCommand({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS", "q", ">"});
    REQUIRE(blocked(1));
    REQUIRE(c->Run({"XGROUP", "DESTROY", "q", "g"}) == "(integer) 1");
    CHECK(reader.Read(73) ==
          "-NOGROUP the consumer group this client was blocked on no longer exists\r\n");
    // A plain XREAD waits on through a DEL.
    reader.SendCommand({"XREAD", "BLOCK", "5000", "STREAMS", "q", "$"});
    REQUIRE(blocked(1));
    REQUIRE(c->Run({"DEL", "q"}) == "(integer) 1");
    REQUIRE(c->Run({"XADD", "q", "5-1", "f", "v"}) == "\"5-1\"");
    CHECK(reader.Read(40).find("5-1") != std::string::npos);
  }

  TEST_CASE("a consumer group work queue loses no entry or ack across SIGKILL") {
    ServerProcess server({"--appendfsync", "always"});
    std::mt19937 rng(20261203);
    INFO("seed 20261203");
    std::map<std::string, std::string> acked_model;  // entry -> consumer that acked it
    std::set<std::string> added;
    {
      auto c = server.Connect();
      REQUIRE(c->Run({"XGROUP", "CREATE", "work", "g", "0", "MKSTREAM"}) == "OK");
    }
    int next = 1;
    for (int round = 0; round < 3; ++round) {
      auto c = server.Connect();
      for (int i = 0; i < 200; ++i) {
        std::string id = std::to_string(next++) + "-0";
        REQUIRE(c->Run({"XADD", "work", id, "n", id}) == "\"" + id + "\"");
        added.insert(id);
      }
      // Two consumers take entries and ack most of them.
      for (const char* consumer : {"c1", "c2"}) {
        std::vector<std::string> got;
        REQUIRE(c->RunArray({"EVAL",
                             "local r = redis.call('xreadgroup', 'group', 'g', ARGV[1], 'count', "
                             "'150', 'streams', 'work', '>') local ids = {} if r then for _, e "
                             "in ipairs(r[1][2]) do ids[#ids + 1] = e[1] end end return ids",
                             "0", consumer},
                            &got));
        for (const std::string& id : got) {
          if (rng() % 4 == 0) continue;  // left pending
          REQUIRE(c->Run({"XACK", "work", "g", id}) == "(integer) 1");
          acked_model[id] = consumer;
        }
      }
      server.Kill();
      server.Restart();
    }
    auto c = server.Connect();
    CHECK(Int(c->Run({"XLEN", "work"})) == static_cast<long long>(added.size()));
    std::vector<std::string> pending;
    REQUIRE(c->RunArray({"EVAL",
                         "local r = redis.call('xpending', 'work', 'g', '-', '+', '100000') "
                         "local ids = {} for _, p in ipairs(r) do ids[#ids + 1] = p[1] end "
                         "return ids",
                         "0"},
                        &pending));
    // Delivered = acked + pending; never delivered = the rest (still new for the group).
    std::set<std::string> pending_set(pending.begin(), pending.end());
    for (const auto& [id, consumer] : acked_model) CHECK(pending_set.count(id) == 0);
    std::string summary = c->Run({"XPENDING", "work", "g"});
    CHECK(summary.find("(integer) " + std::to_string(pending.size())) == 1);
    std::string groups = c->Run({"XINFO", "GROUPS", "work"});
    CHECK(groups.find("\"pending\", (integer) " + std::to_string(pending.size())) !=
          std::string::npos);
    // What was never delivered comes next, in order.
    std::vector<std::string> rest;
    REQUIRE(c->RunArray({"EVAL",
                         "local r = redis.call('xreadgroup', 'group', 'g', 'c3', 'streams', "
                         "'work', '>') local ids = {} if r then for _, e in ipairs(r[1][2]) do "
                         "ids[#ids + 1] = e[1] end end return ids",
                         "0"},
                        &rest));
    CHECK(acked_model.size() + pending.size() + rest.size() == added.size());
  }

  TEST_CASE("trimming a long stream keeps its newest entries and its counters") {
    ServerProcess server;
    auto c = server.Connect();
    for (int i = 1; i <= 20000; ++i) c->Append({"XADD", "big", std::to_string(i) + "-1", "f", "v"});
    for (int i = 1; i <= 20000; ++i) REQUIRE(c->Read() == "\"" + std::to_string(i) + "-1\"");
    CHECK(c->Run({"XTRIM", "big", "MAXLEN", "1000"}) == "(integer) 19000");
    CHECK(c->Run({"XLEN", "big"}) == "(integer) 1000");
    CHECK(c->Run({"XRANGE", "big", "-", "+", "COUNT", "1"}) == "[[\"19001-1\", [\"f\", \"v\"]]]");
    CHECK(c->Run({"XREVRANGE", "big", "+", "-", "COUNT", "1"}) ==
          "[[\"20000-1\", [\"f\", \"v\"]]]");
    CHECK(c->Run({"XTRIM", "big", "MINID", "19500"}) == "(integer) 499");
    std::string info = c->Run({"XINFO", "STREAM", "big"});
    CHECK(info.find("\"entries-added\", (integer) 20000") != std::string::npos);
    CHECK(info.find("\"recorded-first-entry-id\", \"19500-1\"") != std::string::npos);
    REQUIRE(server.Terminate() == 0);
    server.Restart();
    auto after = server.Connect();
    CHECK(after->Run({"XLEN", "big"}) == "(integer) 501");
    CHECK(after->Run({"XADD", "big", "1-1", "f", "v"}).find("equal or smaller") !=
          std::string::npos);
  }

  TEST_CASE("a stream trimmed from 200,000 entries to 1,000 gives its disk space back") {
    ServerProcess server({"--memtable-size", "1mb"});
    auto c = server.Connect();
    const std::string pad(60, 'p');
    for (int i = 1; i <= 200000; ++i) c->Append({"XADD", "s", std::to_string(i) + "-1", "f", pad});
    for (int i = 1; i <= 200000; ++i) REQUIRE(c->Read() == "\"" + std::to_string(i) + "-1\"");
    REQUIRE(c->Run({"XGROUP", "CREATE", "s", "g", "0"}) == "OK");
    REQUIRE(c->Run({"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"})
                .find("1-1") != std::string::npos);
    REQUIRE(c->Run({"DEBUG", "COMPACT"}) == "OK");
    auto stored = [&] {
      std::string info = c->Run({"INFO", "engine"});
      long long sum = 0;
      for (size_t at = info.find(",bytes="); at != std::string::npos;
           at = info.find(",bytes=", at + 1)) {
        sum += std::stoll(info.substr(at + 7));
      }
      return sum;
    };
    long long before = stored();
    REQUIRE(before > 10'000'000);
    // One MINID trim counted from its nearer side, then MAXLEN to the newest 1,000.
    CHECK(c->Run({"XTRIM", "s", "MINID", "100000"}) == "(integer) 99999");
    CHECK(c->Run({"XTRIM", "s", "MAXLEN", "1000"}) == "(integer) 99001");
    CHECK(c->Run({"XLEN", "s"}) == "(integer) 1000");
    CHECK(c->Run({"XRANGE", "s", "-", "+", "COUNT", "1"}) ==
          "[[\"199001-1\", [\"f\", \"" + pad + "\"]]]");
    CHECK(c->Run({"XRANGE", "s", "5-1", "5-1"}) == "[]");
    CHECK(c->Run({"XDEL", "s", "5-1"}) == "(integer) 0");
    // The trimmed entry still pending for the group is answered as deleted.
    CHECK(c->Run({"XCLAIM", "s", "g", "bob", "0", "1-1"}) == "[]");
    CHECK(Eventually([&] { return stored() < before / 10; }, 30000));
    INFO("stored before " << before << ", after " << stored());
    CHECK(c->Run({"COPY", "s", "t"}) == "(integer) 1");
    CHECK(c->Run({"XLEN", "t"}) == "(integer) 1000");
    server.Kill();
    server.Restart();
    auto after = server.Connect();
    CHECK(after->Run({"XLEN", "s"}) == "(integer) 1000");
    CHECK(after->Run({"XRANGE", "s", "-", "+", "COUNT", "1"}) ==
          "[[\"199001-1\", [\"f\", \"" + pad + "\"]]]");
    CHECK(after->Run({"XREVRANGE", "t", "+", "-", "COUNT", "1"}) ==
          "[[\"200000-1\", [\"f\", \"" + pad + "\"]]]");
    CHECK(after->Run({"XTRIM", "s", "MAXLEN", "0"}) == "(integer) 1000");
    CHECK(after->Run({"XRANGE", "s", "-", "+"}) == "[]");
    CHECK(after->Run({"XADD", "s", "300000-1", "f", "v"}) == "\"300000-1\"");
    CHECK(after->Run({"XRANGE", "s", "-", "+"}) == "[[\"300000-1\", [\"f\", \"v\"]]]");
  }

  TEST_CASE("the key commands work on streams: TYPE, COPY, RENAME, DEL, EXPIRE, SCAN TYPE") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(
        *c, {
                {{"XADD", "s", "1-1", "a", "1"}, "\"1-1\""},
                {{"XGROUP", "CREATE", "s", "g", "0"}, "OK"},
                {{"TYPE", "s"}, "stream"},
                {{"OBJECT", "ENCODING", "s"}, "\"stream\""},
                {{"COPY", "s", "t"}, "(integer) 1"},
                {{"XRANGE", "t", "-", "+"}, "[[\"1-1\", [\"a\", \"1\"]]]"},
                {{"XINFO", "GROUPS", "t"},
                 "[[\"name\", \"g\", \"consumers\", (integer) 0, \"pending\", (integer) 0, "
                 "\"last-delivered-id\", \"0-0\", \"entries-read\", (nil), \"lag\", (integer) 1]]"},
                {{"RENAME", "t", "u"}, "OK"},
                {{"XLEN", "u"}, "(integer) 1"},
                {{"SCAN", "0", "TYPE", "stream"}, "[\"0\", [\"s\", \"u\"]]"},
                {{"EXPIRE", "u", "100"}, "(integer) 1"},
                {{"DEL", "s", "u"}, "(integer) 2"},
                {{"XLEN", "s"}, "(integer) 0"},
                {{"XINFO", "GROUPS", "s"}, "(error) ERR no such key"},
                {{"SET", "str", "x"}, "OK"},
                {{"XADD", "str", "1-1", "a", "b"},
                 "(error) WRONGTYPE Operation against a key holding the wrong kind of value"},
            });
  }
}

}  // namespace strata::testing
