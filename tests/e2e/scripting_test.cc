// Scripts as a user runs them: EVAL and FCALL over the wire, busy scripts and SCRIPT KILL,
// SHUTDOWN NOSAVE, what survives a crash (libraries; a script's writes, all or none), MONITOR,
// INFO, and scripts whose keys are not in memory. Replies themselves are compared with
// redis-server's in tests/conformance/scripting.txt.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {
namespace {

const char* kSpin = "local i = 0 while true do i = i + 1 end";
const char* kBusyEval =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

}  // namespace

TEST_SUITE("e2e scripting") {
  TEST_CASE("EVAL, EVALSHA and FCALL run over the wire") {
    ServerProcess server;
    auto c = server.Connect();
    CheckSteps(*c,
               {
                   {{"EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"}, "OK"},
                   {{"SCRIPT", "LOAD", "return redis.call('get', KEYS[1])"},
                    "\"4e6d8fc8bb01276962cce5371fa795a7763657ae\""},
                   {{"EVALSHA", "4e6d8fc8bb01276962cce5371fa795a7763657ae", "1", "k"}, "\"v\""},
                   {{"EVALSHA", "4E6D8FC8BB01276962CCE5371FA795A7763657AE", "1", "k"}, "\"v\""},
                   {{"FUNCTION", "LOAD",
                     "#!lua name=lib\nredis.register_function('greet', function(keys, args) return "
                     "'hi ' .. args[1] end)"},
                    "\"lib\""},
                   {{"FCALL", "greet", "0", "you"}, "\"hi you\""},
                   {{"EVALSHA", "0000000000000000000000000000000000000000", "0"},
                    "(error) NOSCRIPT No matching script. Please use EVAL."},
               });
  }

  TEST_CASE("a busy script answers others -BUSY until SCRIPT KILL stops it") {
    ServerProcess server({"--busy-reply-threshold", "100"});
    RawClient runner(server.port());
    runner.SendCommand({"EVAL", kSpin, "0"});
    auto other = server.Connect();  // connects while the script runs
    CHECK(Eventually([&] { return other->Run({"PING"}) == std::string("(error) ") + kBusyEval; }));
    CHECK(other->Run({"GET", "x"}) == std::string("(error) ") + kBusyEval);
    // FUNCTION KILL does not stop an EVAL: it points at SCRIPT KILL.
    CHECK(other->Run({"FUNCTION", "KILL"}) == std::string("(error) ") + kBusyEval);
    CHECK(other->Run({"SHUTDOWN"}) == std::string("(error) ") + kBusyEval);
    auto late = server.Connect();
    CHECK(late->Run({"SCRIPT", "KILL"}) == "OK");
    std::string reply = runner.Read(60);
    CHECK(reply.find("-ERR Script killed by user with SCRIPT KILL...") == 0);
    CHECK(other->Run({"PING"}) == "PONG");
    CHECK(other->Run({"SCRIPT", "KILL"}) == "(error) NOTBUSY No scripts in execution right now.");
    CHECK(server.Log().find("Slow script detected") != std::string::npos);
  }

  TEST_CASE("a busy function is stopped by FUNCTION KILL, and FUNCTION STATS shows it") {
    ServerProcess server({"--busy-reply-threshold", "50"});
    auto c = server.Connect();
    REQUIRE(c->Run({"FUNCTION", "LOAD",
                    std::string("#!lua name=spin\nredis.register_function('spin', function() ") +
                        kSpin + " end)"}) == "\"spin\"");
    RawClient runner(server.port());
    runner.SendCommand({"FCALL", "spin", "0"});
    CHECK(Eventually([&] { return c->Run({"PING"}).find("BUSY") != std::string::npos; }));
    std::string stats = c->Run({"FUNCTION", "STATS"});
    CHECK(stats.find("\"name\", \"spin\", \"command\", [\"FCALL\", \"spin\", \"0\"]") !=
          std::string::npos);
    CHECK(c->Run({"SCRIPT", "KILL"}).find("You can only call FUNCTION KILL") != std::string::npos);
    CHECK(c->Run({"FUNCTION", "KILL"}) == "OK");
    CHECK(runner.Read(40).find("-ERR Script killed by user") == 0);
    CHECK(c->Run({"FUNCTION", "STATS"}).find("\"running_script\", (nil)") != std::string::npos);
  }

  TEST_CASE("a script that wrote cannot be killed; SHUTDOWN NOSAVE drops its writes") {
    ServerProcess server({"--busy-reply-threshold", "100", "--appendfsync", "always"});
    auto c = server.Connect();
    REQUIRE(c->Run({"SET", "before", "1"}) == "OK");
    RawClient runner(server.port());
    runner.SendCommand({"EVAL", std::string("redis.call('set', 'during', '1') ") + kSpin, "0"});
    auto other = server.Connect();
    CHECK(Eventually([&] { return other->Run({"PING"}).find("BUSY") != std::string::npos; }));
    CHECK(other->Run({"SCRIPT", "KILL"}).find("UNKILLABLE Sorry the script already executed") !=
          std::string::npos);
    RawClient stopper(server.port());
    stopper.SendCommand({"SHUTDOWN", "NOSAVE"});
    CHECK(server.WaitForExit() == 0);
    server.Restart();
    auto after = server.Connect();
    CHECK(after->Run({"GET", "before"}) == "\"1\"");
    CHECK(after->Run({"GET", "during"}) == "(nil)");
  }

  TEST_CASE("libraries survive SIGKILL; a deleted one stays deleted") {
    ServerProcess server({"--appendfsync", "always"});
    {
      auto c = server.Connect();
      REQUIRE(c->Run({"FUNCTION", "LOAD",
                      "#!lua name=keep\nredis.register_function('one', function() return 1 "
                      "end)"}) == "\"keep\"");
      REQUIRE(c->Run({"FUNCTION", "LOAD",
                      "#!lua name=gone\nredis.register_function('two', function() return 2 "
                      "end)"}) == "\"gone\"");
      REQUIRE(c->Run({"FUNCTION", "DELETE", "gone"}) == "OK");
      REQUIRE(c->Run({"SCRIPT", "LOAD", "return 3"}).size() == 42);
      REQUIRE(c->Run({"FLUSHALL"}) == "OK");  // keys only: libraries stay, as in Redis
    }
    server.Kill();
    server.Restart();
    auto c = server.Connect();
    CHECK(c->Run({"FCALL", "one", "0"}) == "(integer) 1");
    CHECK(c->Run({"FCALL", "two", "0"}) == "(error) ERR Function not found");
    // The script cache is memory only, as in Redis.
    CHECK(c->Run({"SCRIPT", "EXISTS", "e3c3a1a8c7e63a6b9a0a1a1a5d0f6f3f3a1f1a1a"}) ==
          "[(integer) 0]");
    std::string info = c->Run({"INFO", "memory"});
    CHECK(info.find("number_of_functions:1\r\n") != std::string::npos);
    CHECK(info.find("number_of_libraries:1\r\n") != std::string::npos);
    CHECK(info.find("number_of_cached_scripts:0\r\n") != std::string::npos);
  }

  TEST_CASE("with appendfsync always, SIGKILL leaves each script's writes all there or none") {
    ServerProcess server({"--appendfsync", "always"});
    constexpr int kKeys = 50;
    std::atomic<int> acked{0};
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      Client c(server.port());
      for (int i = 0; !stop; ++i) {
        std::string r = c.Run({"EVAL",
                               "for j = 1, tonumber(ARGV[2]) do redis.call('set', ARGV[1] .. ':' "
                               ".. j, j) end return 1",
                               "0", "s" + std::to_string(i), std::to_string(kKeys)});
        if (r != "(integer) 1") break;
        acked = i + 1;
      }
    });
    REQUIRE(Eventually([&] { return acked > 20; }));
    server.Kill();
    stop = true;
    writer.join();
    server.Restart();
    auto c = server.Connect();
    int total = std::stoi(c->Run({"DBSIZE"}).substr(10));
    CHECK(total % kKeys == 0);             // no script half applied
    CHECK(total >= acked.load() * kKeys);  // every acknowledged one there
    for (int i = 0; i < acked; ++i) {
      CHECK(c->Run({"EXISTS", "s" + std::to_string(i) + ":1", "s" + std::to_string(i) + ":50"}) ==
            "(integer) 2");
    }
  }

  TEST_CASE("MONITOR shows EVAL, then the commands its script ran, from lua") {
    ServerProcess server;
    auto monitor = server.Connect();
    REQUIRE(monitor->Run({"MONITOR"}) == "OK");
    auto c = server.Connect();
    REQUIRE(c->Run({"EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "mk"}) == "OK");
    std::string first = monitor->Read(), second = monitor->Read();
    CHECK(first.find("\"EVAL\" \"return redis.call('set', KEYS[1], 'v')\" \"1\" \"mk\"") !=
          std::string::npos);
    CHECK(second.find("[0 lua] \"set\" \"mk\" \"v\"") != std::string::npos);
    std::string stats = c->Run({"INFO", "commandstats"});
    CHECK(stats.find("cmdstat_eval:calls=1") != std::string::npos);
    CHECK(stats.find("cmdstat_set:calls=1") != std::string::npos);
  }

  TEST_CASE("a script whose keys are not in memory reads them and answers") {
    ServerProcess server({"--memtable-size", "256kb"});
    {
      auto c = server.Connect();
      for (int i = 0; i < 3000; ++i)
        c->Append({"SET", "key:" + std::to_string(i), std::to_string(i)});
      for (int i = 0; i < 3000; ++i) REQUIRE(c->Read() == "OK");
    }
    REQUIRE(server.Terminate() == 0);
    server.Restart();
    auto c = server.Connect();
    const char* sum =
        "local s = 0 for i = 1, #KEYS do s = s + tonumber(redis.call('get', KEYS[i])) end "
        "redis.call('set', 'sum', s) return s";
    std::vector<std::string> args = {"EVAL", sum, "300"};
    long long expect = 0;
    for (int i = 0; i < 3000; i += 10) {
      args.push_back("key:" + std::to_string(i));
      expect += i;
    }
    CHECK(c->Run(args) == "(integer) " + std::to_string(expect));
    CHECK(c->Run({"GET", "sum"}) == "\"" + std::to_string(expect) + "\"");
    CHECK(c->Run({"INFO", "commandstats"}).find("cmdstat_eval:calls=1,") != std::string::npos);
  }
}

}  // namespace strata::testing
