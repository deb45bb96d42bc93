// Blocked clients as Redis serves them: which writes wake them, which do not, sub-millisecond
// timeouts, and CLIENT UNBLOCK.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {
namespace {

// Runs command on its own connection in a thread; Wait() returns its reply.
class Waiter {
 public:
  Waiter(const ServerProcess& server, std::vector<std::string> command)
      : client_(server.Connect()), thread_([this, command] { reply_ = client_->Run(command); }) {}
  std::string Wait() {
    thread_.join();
    return reply_;
  }

 private:
  std::unique_ptr<Client> client_;
  std::string reply_;
  std::thread thread_;
};

bool BlockedCount(Client& c, int n) {
  return Eventually(
      [&] {
        return c.Run({"INFO", "clients"}).find("blocked_clients:" + std::to_string(n)) !=
               std::string::npos;
      },
      3000);
}

}  // namespace

TEST_SUITE("e2e blocking") {
  TEST_CASE("a key moved into place by RENAME, MOVE, COPY or SWAPDB wakes its waiters") {
    ServerProcess server;
    auto c = server.Connect();
    struct Case {
      const char* name;
      std::vector<std::vector<std::string>> setup, wake;
    };
    const Case cases[] = {
        {"RENAME", {{"RPUSH", "src", "v"}}, {{"RENAME", "src", "q"}}},
        {"COPY", {{"RPUSH", "src", "v"}}, {{"COPY", "src", "q"}}},
        {"MOVE",
         {{"SELECT", "1"}, {"RPUSH", "q", "v"}, {"SELECT", "0"}},
         {{"SELECT", "1"}, {"MOVE", "q", "0"}, {"SELECT", "0"}}},
        {"SWAPDB", {{"SELECT", "1"}, {"RPUSH", "q", "v"}, {"SELECT", "0"}}, {{"SWAPDB", "0", "1"}}},
    };
    for (const Case& k : cases) {
      CAPTURE(k.name);
      CHECK(c->Run({"FLUSHALL"}) == "OK");
      for (const auto& cmd : k.setup) c->Run(cmd);
      Waiter w(server, {"BLPOP", "q", "5"});
      REQUIRE(BlockedCount(*c, 1));
      for (const auto& cmd : k.wake) c->Run(cmd);
      CHECK(w.Wait() == "[\"q\", \"v\"]");
    }
  }

  TEST_CASE("inside one MULTI a key pushed, deleted and set to a string wakes nobody") {
    ServerProcess server;
    auto c = server.Connect();
    Waiter w(server, {"BLPOP", "k", "1"});
    REQUIRE(BlockedCount(*c, 1));
    CheckSteps(*c, {{{"MULTI"}, "OK"},
                    {{"RPUSH", "k", "v"}, "QUEUED"},
                    {{"DEL", "k"}, "QUEUED"},
                    {{"SET", "k", "s"}, "QUEUED"},
                    {{"EXEC"}, "[(integer) 1, (integer) 1, OK]"}});
    CHECK(w.Wait() == "(nil)");  // it timed out, still waiting for a list
    CHECK(c->Run({"GET", "k"}) == "\"s\"");
  }

  TEST_CASE("a timeout of 0.001 s times out, not 'forever'") {
    ServerProcess server;
    auto c = server.Connect();
    for (const char* t : {"0.001", "0.0001"}) {
      CAPTURE(t);
      auto start = std::chrono::steady_clock::now();
      CHECK(c->Run({"BLPOP", "none", t}) == "(nil)");
      CHECK(c->Run({"BZPOPMIN", "none", t}) == "(nil)");
      CHECK(c->Run({"BLMPOP", t, "1", "none", "LEFT"}) == "(nil)");
      CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    }
  }

  TEST_CASE("WAIT with no replicas: 0 at once for 0 replicas, else 0 after the timeout") {
    ServerProcess server;
    auto c = server.Connect();
    CHECK(c->Run({"WAIT", "0", "0"}) == "(integer) 0");
    auto start = std::chrono::steady_clock::now();
    CHECK(c->Run({"WAIT", "1", "200"}) == "(integer) 0");
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(190));
    CheckSteps(*c,
               {{{"MULTI"}, "OK"}, {{"WAIT", "1", "0"}, "QUEUED"}, {{"EXEC"}, "[(integer) 0]"}});
    // WAIT 1 0 waits for ever; CLIENT UNBLOCK ends it with the count.
    RawClient waiting(server.port());
    waiting.Send("*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$1\r\n0\r\n");
    REQUIRE(BlockedCount(*c, 1));
    std::string list = c->Run({"CLIENT", "LIST"});
    size_t at = list.find("cmd=wait");
    REQUIRE(at != std::string::npos);
    size_t id_at = list.rfind("id=", at);
    std::string id = list.substr(id_at + 3, list.find(' ', id_at) - id_at - 3);
    CHECK(c->Run({"CLIENT", "UNBLOCK", id}) == "(integer) 1");
    CHECK(waiting.Read(4) == ":0\r\n");
  }

  TEST_CASE("CLIENT UNBLOCK ends a wait with the timeout reply or -UNBLOCKED") {
    ServerProcess server;
    auto c = server.Connect();
    RawClient blocked(server.port());
    blocked.Send("*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n");
    std::string id_line = blocked.Read(1);
    while (id_line.find("\r\n") == std::string::npos) id_line += blocked.Read(1);
    std::string id = id_line.substr(1, id_line.find("\r\n") - 1);
    CHECK(c->Run({"CLIENT", "UNBLOCK", id}) == "(integer) 0");  // not blocked yet
    const std::pair<const char*, std::string> hows[] = {
        {"TIMEOUT", "*-1\r\n"},
        {"ERROR", "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"},
    };
    for (const auto& [how, reply] : hows) {
      CAPTURE(how);
      // A PING pipelined behind the wait runs once the wait ends.
      blocked.Send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n");
      REQUIRE(BlockedCount(*c, 1));
      CHECK(c->Run({"CLIENT", "LIST", "ID", id}).find("flags=b") != std::string::npos);
      CHECK(c->Run({"CLIENT", "UNBLOCK", id, how}) == "(integer) 1");
      CHECK(blocked.Read(reply.size() + 7) == reply + "+PONG\r\n");
      CHECK(BlockedCount(*c, 0));
    }
    CHECK(c->Run({"CLIENT", "UNBLOCK", id, "sometimes"}) ==
          "(error) ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    CHECK(c->Run({"RPUSH", "q", "v"}) == "(integer) 1");  // nobody pops it
    CHECK(c->Run({"LLEN", "q"}) == "(integer) 1");
  }
}

}  // namespace strata::testing
