// Pub/Sub and keyspace notifications as a subscriber sees them, byte for byte: the
// confirmations and messages of RESP2 and RESP3, subscribed mode's rules, pattern matching,
// publish order under pipelining, the pubsub output-limit cut-off, and the keyspace events of
// each class (active expiry included), after the commit of a transaction.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {
namespace {

std::string Bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

// An array (RESP2) or push (RESP3) of bulk strings, with an integer last when count >= 0.
std::string Msg(const std::vector<std::string>& parts, long long count = -1, char type = '*') {
  std::string out = type + std::to_string(parts.size() + (count >= 0 ? 1 : 0)) + "\r\n";
  for (const auto& p : parts) out += Bulk(p);
  if (count >= 0) out += ":" + std::to_string(count) + "\r\n";
  return out;
}

// Reads exactly what `want` is (or less, on timeout) and returns it.
std::string ReadLike(RawClient& c, const std::string& want) { return c.Read(want.size()); }

}  // namespace

TEST_SUITE("e2e pubsub") {
  TEST_CASE("SUBSCRIBE, PUBLISH and UNSUBSCRIBE reply and deliver as Redis (RESP2)") {
    ServerProcess server;
    auto pub = server.Connect();
    RawClient sub(server.port());
    sub.SendCommand({"SUBSCRIBE", "a", "b"});
    std::string want = Msg({"subscribe", "a"}, 1) + Msg({"subscribe", "b"}, 2);
    REQUIRE(ReadLike(sub, want) == want);
    CHECK(pub->Run({"PUBLISH", "a", "hello"}) == "(integer) 1");
    CHECK(pub->Run({"PUBLISH", "nobody", "x"}) == "(integer) 0");
    want = Msg({"message", "a", "hello"});
    CHECK(ReadLike(sub, want) == want);
    CHECK(pub->Run({"PUBSUB", "NUMSUB", "a", "b", "c"}) ==
          "[\"a\", (integer) 1, \"b\", (integer) 1, \"c\", (integer) 0]");
    CHECK(pub->Run({"PUBSUB", "CHANNELS", "a*"}) == "[\"a\"]");
    std::string info = pub->Run({"INFO", "stats"});
    CHECK(info.find("pubsub_channels:2") != std::string::npos);
    // Unsubscribing from everything names each channel, the count going down.
    sub.SendCommand({"UNSUBSCRIBE"});
    want = Msg({"unsubscribe", "a"}, 1) + Msg({"unsubscribe", "b"}, 0);
    CHECK(ReadLike(sub, want) == want);
    sub.SendCommand({"UNSUBSCRIBE"});  // from nothing: one confirmation with a null channel
    want = "*3\r\n" + Bulk("unsubscribe") + "$-1\r\n:0\r\n";
    CHECK(ReadLike(sub, want) == want);
    sub.SendCommand({"GET", "k"});  // out of subscribed mode
    CHECK(sub.Read(5) == "$-1\r\n");
    CHECK(pub->Run({"PUBSUB", "CHANNELS"}) == "[]");
  }

  TEST_CASE("PSUBSCRIBE matches with Redis's globs; PUBLISH counts every receiver") {
    ServerProcess server;
    auto pub = server.Connect();
    RawClient sub(server.port());
    sub.SendCommand({"PSUBSCRIBE", "news.*", "h?llo", "[ab]x"});
    std::string want = Msg({"psubscribe", "news.*"}, 1) + Msg({"psubscribe", "h?llo"}, 2) +
                       Msg({"psubscribe", "[ab]x"}, 3);
    REQUIRE(ReadLike(sub, want) == want);
    sub.SendCommand({"SUBSCRIBE", "news.tech"});
    want = Msg({"subscribe", "news.tech"}, 4);
    REQUIRE(ReadLike(sub, want) == want);
    CHECK(pub->Run({"PUBLISH", "news.tech", "m1"}) == "(integer) 2");
    CHECK(pub->Run({"PUBLISH", "hallo", "m2"}) == "(integer) 1");
    CHECK(pub->Run({"PUBLISH", "cx", "m3"}) == "(integer) 0");
    CHECK(pub->Run({"PUBLISH", "bx", "m4"}) == "(integer) 1");
    want = Msg({"message", "news.tech", "m1"}) + Msg({"pmessage", "news.*", "news.tech", "m1"}) +
           Msg({"pmessage", "h?llo", "hallo", "m2"}) + Msg({"pmessage", "[ab]x", "bx", "m4"});
    CHECK(ReadLike(sub, want) == want);
    CHECK(pub->Run({"PUBSUB", "NUMPAT"}) == "(integer) 3");
    sub.SendCommand({"PUNSUBSCRIBE", "h?llo"});
    want = Msg({"punsubscribe", "h?llo"}, 3);
    CHECK(ReadLike(sub, want) == want);
    CHECK(pub->Run({"PUBSUB", "NUMPAT"}) == "(integer) 2");
  }

  TEST_CASE("RESP2 subscribed mode: only the subscribe commands, PING, QUIT and RESET") {
    ServerProcess server;
    auto pub = server.Connect();
    RawClient sub(server.port());
    sub.SendCommand({"SUBSCRIBE", "c"});
    std::string want = Msg({"subscribe", "c"}, 1);
    REQUIRE(ReadLike(sub, want) == want);
    sub.SendCommand({"GET", "k"});
    want =
        "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
        "RESET are allowed in this context\r\n";
    CHECK(ReadLike(sub, want) == want);
    sub.SendCommand({"PING"});
    want = Msg({"pong", ""});
    CHECK(ReadLike(sub, want) == want);
    sub.SendCommand({"PING", "hi"});
    want = Msg({"pong", "hi"});
    CHECK(ReadLike(sub, want) == want);
    std::string list = pub->Run({"CLIENT", "LIST", "TYPE", "pubsub"});
    CHECK(list.find("flags=P") != std::string::npos);
    CHECK(list.find("sub=1 psub=0 ssub=0") != std::string::npos);
    sub.SendCommand({"RESET"});
    CHECK(sub.Read(8) == "+RESET\r\n");
    CHECK(pub->Run({"PUBSUB", "NUMSUB", "c"}) == "[\"c\", (integer) 0]");
    sub.SendCommand({"PING"});
    CHECK(sub.Read(7) == "+PONG\r\n");
  }

  TEST_CASE("RESP3: messages are pushes, and other commands run meanwhile") {
    ServerProcess server;
    auto pub = server.Connect();
    RawClient sub(server.port());
    sub.SendCommand({"HELLO", "3"});
    REQUIRE(sub.Read(1 << 16, 300).find("proto") != std::string::npos);
    sub.SendCommand({"SUBSCRIBE", "c"});
    std::string want = Msg({"subscribe", "c"}, 1, '>');
    REQUIRE(ReadLike(sub, want) == want);
    sub.SendCommand({"SET", "k", "v"});
    CHECK(sub.Read(5) == "+OK\r\n");
    CHECK(pub->Run({"PUBLISH", "c", "m"}) == "(integer) 1");
    want = Msg({"message", "c", "m"}, -1, '>');
    CHECK(ReadLike(sub, want) == want);
    // Its own message comes after the reply to PUBLISH, as in Redis 7.2.
    sub.SendCommand({"PUBLISH", "c", "self"});
    want = ":1\r\n" + Msg({"message", "c", "self"}, -1, '>');
    CHECK(ReadLike(sub, want) == want);
  }

  TEST_CASE("messages arrive in publish order under pipelining") {
    ServerProcess server;
    RawClient sub(server.port()), pub(server.port());
    sub.SendCommand({"SUBSCRIBE", "c"});
    std::string want = Msg({"subscribe", "c"}, 1);
    REQUIRE(ReadLike(sub, want) == want);
    std::string batch, expect;
    for (int i = 0; i < 2000; ++i) {
      std::string m = "m" + std::to_string(i);
      batch += "*3\r\n" + Bulk("PUBLISH") + Bulk("c") + Bulk(m);
      expect += Msg({"message", "c", m});
    }
    pub.Send(batch);
    CHECK(sub.Read(expect.size(), 10000) == expect);
  }

  TEST_CASE("SSUBSCRIBE and SPUBLISH: shard channels apart from the others") {
    ServerProcess server;
    auto pub = server.Connect();
    RawClient sub(server.port());
    sub.SendCommand({"SSUBSCRIBE", "s1", "s2"});
    std::string want = Msg({"ssubscribe", "s1"}, 1) + Msg({"ssubscribe", "s2"}, 2);
    REQUIRE(ReadLike(sub, want) == want);
    CHECK(pub->Run({"PUBLISH", "s1", "x"}) == "(integer) 0");
    CHECK(pub->Run({"SPUBLISH", "s1", "y"}) == "(integer) 1");
    want = Msg({"smessage", "s1", "y"});
    CHECK(ReadLike(sub, want) == want);
    CHECK(pub->Run({"PUBSUB", "SHARDCHANNELS"}).find("s2") != std::string::npos);
    CHECK(pub->Run({"PUBSUB", "SHARDNUMSUB", "s1"}) == "[\"s1\", (integer) 1]");
    sub.SendCommand({"SUNSUBSCRIBE", "s1"});
    want = Msg({"sunsubscribe", "s1"}, 1);
    CHECK(ReadLike(sub, want) == want);
  }

  TEST_CASE("a subscriber that never reads is cut off at the pubsub limit; others go on") {
    ServerProcess server;
    auto pub = server.Connect();
    REQUIRE(pub->Run({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 256kb 60"}) ==
            "OK");
    RawClient slow(server.port());
    slow.SendCommand({"SUBSCRIBE", "c"});
    std::string want = Msg({"subscribe", "c"}, 1);
    REQUIRE(ReadLike(slow, want) == want);
    RawClient fast(server.port());
    fast.SendCommand({"SUBSCRIBE", "c"});
    REQUIRE(ReadLike(fast, want) == want);
    std::string payload(64 * 1024, 'x');
    // Far more than the socket buffers and the limit hold, unless the slow one is cut off.
    for (int i = 0; i < 400; ++i) {
      pub->Run({"PUBLISH", "c", payload});
      fast.Read(Msg({"message", "c", payload}).size(), 2000);
    }
    CHECK(Eventually([&] {
      return pub->Run({"PUBSUB", "NUMSUB", "c"}) == "[\"c\", (integer) 1]";
    }));
    CHECK(server.Log().find("for overcoming of output buffer limits") != std::string::npos);
    CHECK(pub->Run({"PUBLISH", "c", "after"}) == "(integer) 1");
    want = Msg({"message", "c", "after"});
    CHECK(ReadLike(fast, want) == want);
  }

  TEST_CASE("a subscriber that disconnects is forgotten; CLIENT KILL TYPE pubsub") {
    ServerProcess server;
    auto c = server.Connect();
    {
      RawClient gone(server.port());
      gone.SendCommand({"SUBSCRIBE", "x"});
      REQUIRE(gone.Read(Msg({"subscribe", "x"}, 1).size()).size() > 0);
    }
    CHECK(Eventually([&] { return c->Run({"PUBLISH", "x", "m"}) == "(integer) 0"; }));
    RawClient sub(server.port());
    sub.SendCommand({"PSUBSCRIBE", "p*"});
    REQUIRE(sub.Read(Msg({"psubscribe", "p*"}, 1).size()).size() > 0);
    CHECK(c->Run({"CLIENT", "KILL", "TYPE", "pubsub"}) == "(integer) 1");
    CHECK(sub.ClosedByPeer());
    CHECK(c->Run({"PUBSUB", "NUMPAT"}) == "(integer) 0");
  }

  TEST_CASE("keyspace events of each class, keyspace and keyevent channels") {
    ServerProcess server;
    auto c = server.Connect();
    REQUIRE(c->Run({"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == "OK");
    RawClient sub(server.port());
    sub.SendCommand({"SUBSCRIBE", "__keyevent@0__:set", "__keyspace@0__:l"});
    std::string want =
        Msg({"subscribe", "__keyevent@0__:set"}, 1) + Msg({"subscribe", "__keyspace@0__:l"}, 2);
    REQUIRE(ReadLike(sub, want) == want);
    c->Run({"SET", "k", "v"});
    c->Run({"RPUSH", "l", "a"});
    c->Run({"LPOP", "l"});  // emptied: "lpop", then "del"
    want = Msg({"message", "__keyevent@0__:set", "k"}) +
           Msg({"message", "__keyspace@0__:l", "rpush"}) +
           Msg({"message", "__keyspace@0__:l", "lpop"}) +
           Msg({"message", "__keyspace@0__:l", "del"});
    CHECK(ReadLike(sub, want) == want);

    RawClient all(server.port());
    all.SendCommand({"PSUBSCRIBE", "__keyevent@0__:*"});
    want = Msg({"psubscribe", "__keyevent@0__:*"}, 1);
    REQUIRE(ReadLike(all, want) == want);
    auto ev = [](const std::string& event, const std::string& key) {
      return Msg({"pmessage", "__keyevent@0__:*", "__keyevent@0__:" + event, key});
    };
    c->Run({"HSET", "h", "f", "v"});
    c->Run({"SADD", "s", "m"});
    c->Run({"ZADD", "z", "1", "m"});
    c->Run({"XADD", "x", "1-1", "f", "v"});
    c->Run({"INCR", "n"});
    c->Run({"EXPIRE", "n", "100"});
    c->Run({"RENAME", "n", "n2"});
    c->Run({"DEL", "n2"});
    want = ev("hset", "h") + ev("sadd", "s") + ev("zadd", "z") + ev("xadd", "x") +
           ev("incrby", "n") + ev("expire", "n") + ev("rename_from", "n") + ev("rename_to", "n2") +
           ev("del", "n2");
    CHECK(ReadLike(all, want) == want);
    // A transaction's events come after its commit, in command order.
    c->Append({"MULTI"});
    c->Append({"SET", "t1", "1"});
    c->Append({"LPUSH", "t2", "a"});
    c->Append({"EXEC"});
    for (int i = 0; i < 4; ++i) c->Read();
    want = ev("set", "t1") + ev("lpush", "t2");
    CHECK(ReadLike(all, want) == want);
    // Only the classes asked for.
    REQUIRE(c->Run({"CONFIG", "SET", "notify-keyspace-events", "El"}) == "OK");
    c->Run({"SET", "quiet", "1"});
    c->Run({"LPUSH", "loud", "1"});
    want = ev("lpush", "loud");
    CHECK(ReadLike(all, want) == want);
  }

  TEST_CASE("expired is sent by active expiry and by a lookup, and the key is gone") {
    ServerProcess server;
    auto c = server.Connect();
    REQUIRE(c->Run({"CONFIG", "SET", "notify-keyspace-events", "Ex"}) == "OK");
    RawClient sub(server.port());
    sub.SendCommand({"SUBSCRIBE", "__keyevent@0__:expired"});
    std::string want = Msg({"subscribe", "__keyevent@0__:expired"}, 1);
    REQUIRE(ReadLike(sub, want) == want);
    // Nobody touches it: the expiry cycle finds it.
    c->Run({"SET", "idle", "v", "PX", "50"});
    want = Msg({"message", "__keyevent@0__:expired", "idle"});
    CHECK(ReadLike(sub, want) == want);
    CHECK(c->Run({"DBSIZE"}) == "(integer) 0");
    // Looked up once due (the lookup or the cycle, whichever comes first, removes it).
    c->Run({"SET", "looked", "v", "PX", "20"});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(c->Run({"GET", "looked"}) == "(nil)");
    want = Msg({"message", "__keyevent@0__:expired", "looked"});
    CHECK(ReadLike(sub, want) == want);
    CHECK(c->Run({"DBSIZE"}) == "(integer) 0");
    CHECK(c->Run({"INFO", "stats"}).find("expired_keys:2") != std::string::npos);
  }
}

}  // namespace strata::testing
