// Client-side caching as a caching client sees it: invalidations for the keys it read (RESP3
// pushes on its own connection, or __redis__:invalidate messages to a RESP2 REDIRECT target),
// BCAST prefixes, OPTIN, NOLOOP, the null invalidation of FLUSHALL, a broken redirect, and the
// table's key limit. Option errors are compared with redis-server's in
// tests/conformance/pubsub.txt.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {
namespace {

std::string Bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

std::string Invalidate(const std::vector<std::string>& keys) {
  std::string out = ">2\r\n" + Bulk("invalidate") + "*" + std::to_string(keys.size()) + "\r\n";
  for (const auto& k : keys) out += Bulk(k);
  return out;
}

std::string Resp2Invalidate(const std::vector<std::string>& keys) {
  std::string out = "*3\r\n" + Bulk("message") + Bulk("__redis__:invalidate") + "*" +
                    std::to_string(keys.size()) + "\r\n";
  for (const auto& k : keys) out += Bulk(k);
  return out;
}

// A RESP3 connection with tracking on (options after ON).
void StartTracking(RawClient& c, const std::vector<std::string>& options) {
  c.SendCommand({"HELLO", "3"});
  REQUIRE(c.Read(1 << 16, 300).find("proto") != std::string::npos);
  std::vector<std::string> cmd{"CLIENT", "TRACKING", "ON"};
  cmd.insert(cmd.end(), options.begin(), options.end());
  c.SendCommand(cmd);
  REQUIRE(c.Read(5) == "+OK\r\n");
}

}  // namespace

TEST_SUITE("e2e tracking") {
  TEST_CASE("default mode: a key read is invalidated once, at its first change") {
    ServerProcess server;
    auto w = server.Connect();
    REQUIRE(w->Run({"SET", "k", "v"}) == "OK");
    RawClient c(server.port());
    StartTracking(c, {});
    c.SendCommand({"GET", "k"});
    REQUIRE(c.Read(7) == "$1\r\nv\r\n");
    CHECK(w->Run({"INFO", "stats"}).find("tracking_total_keys:1") != std::string::npos);
    CHECK(w->Run({"CLIENT", "LIST"}).find("flags=t") != std::string::npos);
    REQUIRE(w->Run({"SET", "k", "v2"}) == "OK");
    std::string want = Invalidate({"k"});
    CHECK(c.Read(want.size()) == want);
    REQUIRE(w->Run({"SET", "k", "v3"}) == "OK");  // forgotten until read again
    CHECK(c.Read(1, 200).empty());
    // An expiring key is invalidated when it expires, too.
    REQUIRE(w->Run({"SET", "e", "v", "PX", "100"}) == "OK");
    c.SendCommand({"GET", "e"});
    REQUIRE(c.Read(7) == "$1\r\nv\r\n");
    want = Invalidate({"e"});
    CHECK(c.Read(want.size(), 3000) == want);
    // FLUSHALL tells everyone: a null invalidation.
    c.SendCommand({"GET", "k"});
    REQUIRE(c.Read(8) == "$2\r\nv3\r\n");
    REQUIRE(w->Run({"FLUSHALL"}) == "OK");
    want = ">2\r\n" + Bulk("invalidate") + "_\r\n";
    CHECK(c.Read(want.size()) == want);
  }

  TEST_CASE("REDIRECT to a RESP2 subscriber of __redis__:invalidate; a broken redirect") {
    ServerProcess server;
    auto w = server.Connect();
    RawClient redir(server.port());
    redir.SendCommand({"CLIENT", "ID"});
    std::string id = redir.Read(1 << 10, 300);
    id = id.substr(1, id.find('\r') - 1);
    redir.SendCommand({"SUBSCRIBE", "__redis__:invalidate"});
    REQUIRE(!redir.Read(1 << 10, 300).empty());
    {
      auto c = server.Connect();
      REQUIRE(c->Run({"CLIENT", "TRACKING", "ON", "REDIRECT", id}) == "OK");
      CHECK(c->Run({"CLIENT", "GETREDIR"}) == "(integer) " + id);
      c->Run({"MGET", "a", "b"});
      REQUIRE(w->Run({"MSET", "a", "1", "b", "2"}) == "OK");
      std::string want = Resp2Invalidate({"a"}) + Resp2Invalidate({"b"});
      CHECK(redir.Read(want.size()) == want);
    }
    // The target goes away: a RESP3 client is told, and its flags say so.
    RawClient c(server.port());
    RawClient gone(server.port());
    gone.SendCommand({"CLIENT", "ID"});
    std::string gone_id = gone.Read(1 << 10, 300);
    gone_id = gone_id.substr(1, gone_id.find('\r') - 1);
    StartTracking(c, {"REDIRECT", gone_id});
    c.SendCommand({"GET", "x"});
    REQUIRE(c.Read(3) == "_\r\n");
    gone.Send("QUIT\r\n");
    REQUIRE(gone.ClosedByPeer());
    REQUIRE(w->Run({"SET", "x", "1"}) == "OK");
    std::string want = ">2\r\n" + Bulk("tracking-redir-broken") + ":" + gone_id + "\r\n";
    CHECK(c.Read(want.size()) == want);
    CHECK(w->Run({"CLIENT", "LIST"}).find("flags=tR") != std::string::npos);
  }

  TEST_CASE("BCAST: every changed key under a prefix, batched per commit; NOLOOP") {
    ServerProcess server;
    auto w = server.Connect();
    RawClient c(server.port());
    StartTracking(c, {"BCAST", "PREFIX", "user:", "PREFIX", "cart:", "NOLOOP"});
    CHECK(w->Run({"INFO", "stats"}).find("tracking_total_prefixes:2") != std::string::npos);
    REQUIRE(w->Run({"MSET", "user:1", "a", "other", "b", "cart:9", "c"}) == "OK");
    std::string want = Invalidate({"user:1", "cart:9"});
    CHECK(c.Read(want.size()) == want);
    c.SendCommand({"SET", "user:2", "mine"});  // its own write: not sent back (NOLOOP)
    CHECK(c.Read(1 << 10, 300) == "+OK\r\n");
  }

  TEST_CASE("OPTIN: only the keys read right after CLIENT CACHING YES") {
    ServerProcess server;
    auto w = server.Connect();
    RawClient c(server.port());
    StartTracking(c, {"OPTIN"});
    c.SendCommand({"GET", "skip"});
    c.SendCommand({"CLIENT", "CACHING", "YES"});
    c.SendCommand({"GET", "keep"});
    c.SendCommand({"GET", "skip2"});
    REQUIRE(c.Read(3 + 5 + 3 + 3) == "_\r\n+OK\r\n_\r\n_\r\n");
    REQUIRE(w->Run({"MSET", "skip", "1", "keep", "1", "skip2", "1"}) == "OK");
    std::string want = Invalidate({"keep"});
    CHECK(c.Read(1 << 10, 500) == want);
  }

  TEST_CASE("tracking-table-max-keys: past the limit, keys are dropped and invalidated") {
    ServerProcess server;
    auto w = server.Connect();
    REQUIRE(w->Run({"CONFIG", "SET", "tracking-table-max-keys", "2"}) == "OK");
    RawClient c(server.port());
    StartTracking(c, {});
    c.SendCommand({"GET", "a"});
    c.SendCommand({"GET", "b"});
    REQUIRE(c.Read(6) == "_\r\n_\r\n");
    c.SendCommand({"GET", "c"});  // one of a, b is dropped and invalidated
    std::string got = c.Read(1 << 10, 500);
    CHECK(got.find("invalidate") != std::string::npos);
    CHECK(w->Run({"INFO", "stats"}).find("tracking_total_keys:2") != std::string::npos);
  }
}

}  // namespace strata::testing
