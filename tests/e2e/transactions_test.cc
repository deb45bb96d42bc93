#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {

TEST_SUITE("e2e transactions") {
  TEST_CASE("MULTI queues, EXEC runs in order and sees its own writes") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"MULTI"}, "OK"},
        {{"SET", "a", "1"}, "QUEUED"},
        {{"INCR", "a"}, "QUEUED"},
        {{"GET", "a"}, "QUEUED"},
        {{"INCR", "s"}, "QUEUED"},
        {{"SET", "s", "x"}, "QUEUED"},
        {{"INCR", "s"}, "QUEUED"},  // a run-time error does not stop the others
        {{"DBSIZE"}, "QUEUED"},
        {{"KEYS", "*"}, "QUEUED"},
        {{"EXEC"},
         "[OK, (integer) 2, \"2\", (integer) 1, OK, (error) ERR value is not an integer or out "
         "of range, (integer) 2, [\"a\", \"s\"]]"},
        {{"EXEC"}, "(error) ERR EXEC without MULTI"},
        {{"DISCARD"}, "(error) ERR DISCARD without MULTI"},
        {{"MULTI"}, "OK"},
        {{"MULTI"}, "(error) ERR MULTI calls can not be nested"},
        {{"SET", "a", "100"}, "QUEUED"},
        {{"DISCARD"}, "OK"},
        {{"GET", "a"}, "\"2\""},
        {{"MULTI"}, "OK"},
        {{"EXEC"}, "[]"},
    });
  }

  TEST_CASE("an error while queueing aborts the whole transaction") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c, {
        {{"MULTI"}, "OK"},
        {{"SET", "a", "1"}, "QUEUED"},
        {{"NOSUCHCOMMAND"}, "(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning with: "},
        {{"GET"}, "(error) ERR wrong number of arguments for 'get' command"},
        {{"EXEC"}, "(error) EXECABORT Transaction discarded because of previous errors."},
        {{"GET", "a"}, "(nil)"},
        {{"MULTI"}, "OK"},
        {{"WATCH", "a"}, "(error) ERR WATCH inside MULTI is not allowed"},
        {{"SET", "a", "1"}, "QUEUED"},
        {{"EXEC"}, "[OK]"},  // a WATCH refused inside MULTI does not abort it
    });
  }

  TEST_CASE("no-multi commands (SAVE, SHUTDOWN) are refused inside MULTI and abort it") {
    ServerProcess server;
    auto c = server.Connect();
    for (const char* cmd : {"SAVE", "SHUTDOWN"}) {
      CAPTURE(cmd);
      CheckSteps(
          *c, {
                  {{"MULTI"}, "OK"},
                  {{"SET", "a", cmd}, "QUEUED"},
                  {{cmd}, "(error) ERR Command not allowed inside a transaction"},
                  {{"EXEC"}, "(error) EXECABORT Transaction discarded because of previous errors."},
                  {{"GET", "a"}, "(nil)"},
              });
    }
    CHECK(c->Run({"PING"}) == "PONG");  // the server is still up
    CHECK(c->Run({"COMMAND", "INFO", "save"}).find("no_multi") != std::string::npos);
    CHECK(c->Run({"COMMAND", "INFO", "exec"}).find("no_multi") == std::string::npos);
  }

  TEST_CASE("WATCH: EXEC fails when a watched key changes, expires or is flushed") {
    ServerProcess server;
    auto c = server.Connect();
    auto other = server.Connect();
    CHECK(c->Run({"SET", "w", "1"}) == "OK");
    CheckSteps(*c, {{{"WATCH", "w"}, "OK"}, {{"MULTI"}, "OK"}, {{"SET", "r", "1"}, "QUEUED"}});
    CHECK(other->Run({"SET", "w", "2"}) == "OK");
    CHECK(c->Run({"EXEC"}) == "(nil)");
    CHECK(c->Run({"GET", "r"}) == "(nil)");

    // Unchanged: EXEC runs. UNWATCH forgets.
    CheckSteps(*c, {{{"WATCH", "w"}, "OK"}, {{"MULTI"}, "OK"}, {{"SET", "r", "1"}, "QUEUED"},
                    {{"EXEC"}, "[OK]"}});
    CheckSteps(*c, {{{"WATCH", "w"}, "OK"}, {{"UNWATCH"}, "OK"}});
    CHECK(other->Run({"SET", "w", "3"}) == "OK");
    CheckSteps(*c, {{{"MULTI"}, "OK"}, {{"SET", "r", "2"}, "QUEUED"}, {{"EXEC"}, "[OK]"}});

    // A watched key that expires after WATCH.
    CHECK(c->Run({"SET", "e", "1", "PX", "100"}) == "OK");
    CheckSteps(*c, {{{"WATCH", "e"}, "OK"}, {{"MULTI"}, "OK"}, {{"SET", "r", "3"}, "QUEUED"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK(c->Run({"EXEC"}) == "(nil)");

    // Deleting a missing watched key is no change; FLUSHDB of a database holding it is.
    CheckSteps(*c, {{{"WATCH", "missing"}, "OK"}});
    CHECK(other->Run({"DEL", "missing"}) == "(integer) 0");
    CheckSteps(*c, {{{"MULTI"}, "OK"}, {{"EXEC"}, "[]"}});
    CheckSteps(*c, {{{"WATCH", "w"}, "OK"}});
    CHECK(other->Run({"FLUSHDB"}) == "OK");
    CheckSteps(*c, {{{"MULTI"}, "OK"}, {{"EXEC"}, "(nil)"}});

    // The transaction's own writes do not fail it; another database's same key does not.
    CHECK(c->Run({"SET", "w", "1"}) == "OK");
    CheckSteps(*c, {{{"WATCH", "w"}, "OK"}});
    CHECK(other->Run({"SELECT", "1"}) == "OK");
    CHECK(other->Run({"SET", "w", "x"}) == "OK");
    CheckSteps(*c, {{{"MULTI"}, "OK"}, {{"SET", "w", "2"}, "QUEUED"}, {{"EXEC"}, "[OK]"}});
  }

  TEST_CASE("EXEC is one log record: a torn tail keeps all of a transaction or none") {
    ServerProcess server;
    {
      auto c = server.Connect();
      CHECK(c->Run({"SET", "before", "1"}) == "OK");
      c->Append({"MULTI"});
      for (int i = 0; i < 2000; ++i) {
        c->Append({"SET", "tx:" + std::to_string(i), std::string(100, 'v')});
      }
      c->Append({"EXEC"});
      CHECK(c->Read() == "OK");
      for (int i = 0; i < 2000; ++i) REQUIRE(c->Read() == "QUEUED");
      CHECK(c->Read().size() > 2000);
      CHECK(c->Run({"DBSIZE"}) == "(integer) 2001");
    }
    server.Kill();
    // Cut the log inside the transaction's record, as a power loss mid-write would.
    std::filesystem::path newest;
    for (auto& e : std::filesystem::directory_iterator(server.dir())) {
      if (e.path().extension() == ".log" && (newest.empty() || e.path() > newest)) {
        newest = e.path();
      }
    }
    REQUIRE_FALSE(newest.empty());
    auto size = std::filesystem::file_size(newest);
    REQUIRE(size > 150000);
    std::filesystem::resize_file(newest, size - 100000);
    server.Restart();
    auto c = server.Connect();
    CHECK(c->Run({"GET", "before"}) == "\"1\"");
    CHECK(c->Run({"EXISTS", "tx:0", "tx:999", "tx:1999"}) == "(integer) 0");
    CHECK(c->Run({"KEYS", "tx:*"}) == "[]");
    CHECK(c->Run({"DBSIZE"}) == "(integer) 1");  // counted again: the stamp was cut too
  }

  TEST_CASE("EXEC survives SIGKILL whole: concurrent transfers keep their sum") {
    ServerProcess server({"--appendfsync", "always"});
    {
      auto c = server.Connect();
      CHECK(c->Run({"MSET", "x", "1000000", "y", "0"}) == "OK");
    }
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&] {
        auto c = server.Connect();
        for (int i = 0; !stop && c->connected(); ++i) {
          c->Append({"MULTI"});
          c->Append({"DECRBY", "x", "7"});
          c->Append({"INCRBY", "y", "7"});
          c->Append({"EXEC"});
          for (int r = 0; r < 4; ++r) c->Read();
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    server.Kill();
    stop = true;
    for (auto& th : clients) th.join();
    server.Restart();
    auto c = server.Connect();
    std::string x = c->Run({"GET", "x"}), y = c->Run({"GET", "y"});
    long long sum = std::stoll(x.substr(1)) + std::stoll(y.substr(1));
    CHECK(sum == 1000000);
    CHECK(y != "\"0\"");  // transfers did happen
  }
}

}  // namespace strata::testing
