// DUMP and RESTORE of streams within Strata: a stream with groups, pending entries and
// consumers comes back whole (and survives a restart), and its groups go on where they
// were. Moving streams between Strata and redis-server both ways is
// tests/conformance/dump_restore.py.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {

TEST_SUITE("e2e streams") {
  TEST_CASE("DUMP and RESTORE copy a stream with its groups, and the copy goes on") {
    ServerProcess server;
    auto c = server.Connect();
    for (int i = 1; i <= 250; ++i) {
      c->Append({"XADD", "s", std::to_string(i) + "-1", "n", std::to_string(i), "pad",
                 std::string(static_cast<size_t>(i) * 3, 'p')});
    }
    for (int i = 1; i <= 250; ++i) REQUIRE(c->Read() == "\"" + std::to_string(i) + "-1\"");
    CheckSteps(*c, {
                       {{"XDEL", "s", "2-1", "249-1"}, "(integer) 2"},
                       {{"XGROUP", "CREATE", "s", "g", "0"}, "OK"},
                       {{"XGROUP", "CREATE", "s", "later", "$"}, "OK"},
                       {{"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"},
                        "[[\"s\", [[\"1-1\", [\"n\", \"1\", \"pad\", \"ppp\"]]]]]"},
                       {{"XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">"},
                        "[[\"s\", [[\"3-1\", [\"n\", \"3\", \"pad\", \"ppppppppp\"]], "
                        "[\"4-1\", [\"n\", \"4\", \"pad\", \"pppppppppppp\"]]]]]"},
                       {{"XACK", "s", "g", "3-1"}, "(integer) 1"},
                   });
    std::vector<std::string> moved;
    REQUIRE(c->RunArray({"EVAL",
                         "local p = redis.call('dump', 's') redis.call('restore', 'copy', "
                         "5000, p) return {redis.call('xinfo', 'stream', 's', 'full')[14], "
                         "redis.call('pttl', 'copy') > 0 and 'ttl' or 'none'}",
                         "0"},
                        &moved));
    CHECK(moved.back() == "ttl");
    const std::vector<std::string> views[] = {{"XINFO", "STREAM", "%", "FULL"},
                                              {"XRANGE", "%", "-", "+"},
                                              {"XPENDING", "%", "g"},
                                              {"XINFO", "GROUPS", "%"},
                                              {"XINFO", "CONSUMERS", "%", "g"}};
    auto same = [&](Client& client) {
      for (std::vector<std::string> view : views) {
        std::vector<std::string> on_copy = view;
        for (auto& a : view)
          if (a == "%") a = "s";
        for (auto& a : on_copy)
          if (a == "%") a = "copy";
        std::string want = client.Run(view), got = client.Run(on_copy);
        // Consumers' idle and inactive times are the only thing a moment may change.
        if (view[1] == "CONSUMERS") {
          CHECK(got.find("\"pending\", (integer) 1") != std::string::npos);
          continue;
        }
        CHECK(got == want);
      }
    };
    same(*c);
    REQUIRE(c->Run({"PERSIST", "copy"}) == "(integer) 1");
    REQUIRE(server.Terminate() == 0);
    server.Restart();
    auto after = server.Connect();
    same(*after);
    // The copy's groups go on: bob's pending entry, then what g has not read, then new ones.
    std::string bob = after->Run({"XPENDING", "copy", "g", "-", "+", "10", "bob"});
    CHECK(bob.find("[[\"4-1\", \"bob\", (integer) ") == 0);
    CheckSteps(*after,
               {
                   {{"XACK", "copy", "g", "4-1"}, "(integer) 1"},
                   {{"XREADGROUP", "GROUP", "g", "carol", "COUNT", "1", "STREAMS", "copy", ">"},
                    "[[\"copy\", [[\"5-1\", [\"n\", \"5\", \"pad\", \"" + std::string(15, 'p') +
                        "\"]]]]]"},
                   {{"XADD", "copy", "249-1", "x", "y"},
                    "(error) ERR The ID specified in XADD is equal or smaller than the target "
                    "stream top item"},
                   {{"XADD", "copy", "251-1", "x", "y"}, "\"251-1\""},
                   {{"XREADGROUP", "GROUP", "later", "dan", "STREAMS", "copy", ">"},
                    "[[\"copy\", [[\"251-1\", [\"x\", \"y\"]]]]]"},
                   {{"XLEN", "copy"}, "(integer) 249"},
                   {{"XLEN", "s"}, "(integer) 248"},
                   {{"RESTORE", "s", "0", "x"}, "(error) BUSYKEY Target key name already exists."},
               });
  }
}

}  // namespace strata::testing
