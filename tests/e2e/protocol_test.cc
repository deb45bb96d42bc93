#include <doctest/doctest.h>

#include <thread>

#include "support/server_process.h"

namespace strata::testing {

TEST_SUITE("e2e protocol") {
  TEST_CASE("a pipeline of 10,000 commands is answered in order") {
    ServerProcess server;
    auto c = server.Connect();
    for (int i = 0; i < 10000; ++i) {
      if (i % 2 == 0) {
        c->Append({"SET", "key" + std::to_string(i), "value" + std::to_string(i)});
      } else {
        c->Append({"INCR", "counter"});
      }
    }
    for (int i = 0; i < 10000; ++i) {
      std::string r = c->Read();
      if (i % 2 == 0) {
        REQUIRE(r == "OK");
      } else {
        REQUIRE(r == "(integer) " + std::to_string(i / 2 + 1));
      }
    }
    CHECK(c->Run({"GET", "key9998"}) == "\"value9998\"");
  }

  TEST_CASE("inline commands work as from telnet, split across reads") {
    ServerProcess server;
    RawClient raw(server.port());
    raw.Send("SET greeting \"hello world\"\r\nGE");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    raw.Send("T greeting\nPING\r\n");
    CHECK(raw.Read(5 + 18 + 7) == "+OK\r\n$11\r\nhello world\r\n+PONG\r\n");
  }

  TEST_CASE("a command sent byte by byte waits for its last byte") {
    ServerProcess server;
    RawClient raw(server.port());
    std::string cmd = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n";
    for (char ch : cmd) raw.Send(std::string(1, ch));
    CHECK(raw.Read(5) == "+OK\r\n");
  }

  TEST_CASE("protocol errors close only the offending connection") {
    ServerProcess server;
    auto good = server.Connect();
    CHECK(good->Run({"SET", "k", "v"}) == "OK");
    struct Case {
      std::string input, reply;
    };
    std::vector<Case> cases = {
        {"*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
        {"*1\r\n!x\r\n", "-ERR Protocol error: expected '$', got '!'\r\n"},
        {"*1\r\n$-3\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
        {"*1\r\n$999999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
        {"SET k \"unterminated\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
        {std::string(70000, 'x'), "-ERR Protocol error: too big inline request\r\n"},
        {"PING\r\n*1\r\n$" + std::string(70000, '9'),
         "+PONG\r\n-ERR Protocol error: too big bulk count string\r\n"},
    };
    for (const auto& tc : cases) {
      CAPTURE(tc.reply);
      RawClient bad(server.port());
      bad.Send(tc.input);
      CHECK(bad.Read(tc.reply.size()) == tc.reply);
      CHECK(bad.ClosedByPeer());
      CHECK(good->Run({"GET", "k"}) == "\"v\"");
    }
  }

  TEST_CASE("a client sending garbage does not disturb another client mid-pipeline") {
    ServerProcess server;
    auto good = server.Connect();
    std::thread noise([&] {
      for (int i = 0; i < 20; ++i) {
        RawClient bad(server.port());
        bad.Send("*1\r\n$-1\r\n\x01\x02\x03garbage\r\n");
        bad.ClosedByPeer(1000);
      }
    });
    for (int i = 0; i < 2000; ++i) good->Append({"INCR", "n"});
    for (int i = 0; i < 2000; ++i) REQUIRE(good->Read() == "(integer) " + std::to_string(i + 1));
    noise.join();
    CHECK(good->Run({"PING"}) == "PONG");
  }

  TEST_CASE("a client that never reads gets backpressure while others are served") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"SET", "big", std::string(1 << 20, 'b')}) == "OK");
    // 200 GETs of 1 MiB each = 200 MiB of replies, never read.
    RawClient lazy(server.port());
    std::string get = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n";
    std::string burst;
    for (int i = 0; i < 200; ++i) burst += get;
    std::thread sender([&] { lazy.Send(burst); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(c->Run({"PING"}) == "PONG");
    std::string list = c->Run({"CLIENT", "LIST"});
    // The lazy client's queued output stays near the pause threshold, not 200 MiB.
    size_t line = list.rfind("id=", list.find("cmd=get"));
    size_t pos = list.find("omem=", line == std::string::npos ? 0 : line);
    CHECK(pos != std::string::npos);
    long long omem = pos == std::string::npos ? -1 : std::stoll(list.substr(pos + 5));
    CHECK(omem > 0);
    CHECK(omem < (16ll << 20));
    // Once it reads, every reply arrives.
    std::string all = lazy.Read(200 * ((1 << 20) + 12), 20000);
    sender.join();
    CHECK(all.size() == 200 * ((1 << 20) + 12));
  }
}

}  // namespace strata::testing
