// Reads of data that is not in memory: the command is parked while the engine's read threads
// fetch its keys, then answered — in order with the client's pipelined commands — while other
// clients go on being served. After a restart nothing of the tables has been read yet, so the
// first reads are cold under both read paths.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"

namespace strata::testing {
namespace {

long long InfoField(Client& c, const std::string& field) {
  std::string info = c.Run({"INFO", "stats"});
  size_t at = info.find(field + ":");
  if (at == std::string::npos) return -1;
  return std::stoll(info.substr(at + field.size() + 1));
}

void ColdReadsServeInOrder(const std::string& mmap) {
  ServerProcess server({"--memtable-size", "256kb", "--mmap-reads", mmap});
  // Three memtables' worth, so that most keys are in tables after the restart, whenever the
  // last memtable was flushed.
  constexpr int kKeys = 12000;
  {
    auto c = server.Connect();
    for (int i = 0; i < kKeys; ++i) {
      c->Append({"SET", "key:" + std::to_string(i), "value-" + std::to_string(i)});
    }
    for (int i = 0; i < kKeys; ++i) REQUIRE(c->Read() == "OK");
    c->Append({"HSET", "h", "f", "hv"});
    REQUIRE(c->Read() == "(integer) 1");
  }
  REQUIRE(server.Terminate() == 0);
  server.Restart();  // the keys are in tables now, none of them read since the open
  auto c = server.Connect();
  auto other = server.Connect();
  for (int i = 0; i < kKeys; i += 21) {
    c->Append({"GET", "key:" + std::to_string(i)});
    c->Append({"PING"});
  }
  c->Append({"MGET", "key:1", "nosuch", "key:3999"});
  c->Append({"HGET", "h", "f"});
  CHECK(other->Run({"PING"}) == "PONG");  // served meanwhile
  for (int i = 0; i < kKeys; i += 21) {
    CHECK(c->Read() == "\"value-" + std::to_string(i) + "\"");
    CHECK(c->Read() == "PONG");
  }
  CHECK(c->Read() == "[\"value-1\", (nil), \"value-3999\"]");
  CHECK(c->Read() == "\"hv\"");
  INFO("mmap-reads " << mmap);
  CHECK(InfoField(*other, "cold_reads_parked_total") > 0);
  CHECK(InfoField(*other, "cold_reads_parked") == 0);
  // A client that leaves while parked is forgotten; the server goes on.
  server.Terminate();
  server.Restart();
  {
    auto gone = server.Connect();
    for (int i = 0; i < 200; ++i) gone->Append({"GET", "key:" + std::to_string(i * 13)});
  }
  auto after = server.Connect();
  CHECK(after->Run({"GET", "key:26"}) == "\"value-26\"");
  CHECK(Eventually([&] { return InfoField(*after, "cold_reads_parked") == 0; }));
}

// Keys key:0..n-1 written, then the server restarted: all of them cold.
void WriteThenRestart(ServerProcess& server, int n) {
  {
    auto c = server.Connect();
    for (int i = 0; i < n; ++i) {
      c->Append({"SET", "key:" + std::to_string(i), "value-" + std::to_string(i)});
    }
    for (int i = 0; i < n; ++i) REQUIRE(c->Read() == "OK");
  }
  REQUIRE(server.Terminate() == 0);
  server.Restart();
}

}  // namespace

TEST_SUITE("e2e cold reads") {
  TEST_CASE("a transaction over cold keys fetches first, then runs once, atomically") {
    ServerProcess server({"--memtable-size", "256kb"});
    WriteThenRestart(server, 4000);
    auto c = server.Connect();
    auto monitor = server.Connect();
    REQUIRE(monitor->Run({"MONITOR"}) == "OK");
    auto other = server.Connect();
    c->Append({"MULTI"});
    c->Append({"GET", "key:1"});
    c->Append({"APPEND", "key:2", "+"});
    c->Append({"GET", "key:3999"});
    c->Append({"EXEC"});
    c->Append({"GET", "key:2"});
    CHECK(c->Read() == "OK");
    for (int i = 0; i < 3; ++i) CHECK(c->Read() == "QUEUED");
    CHECK(c->Read() == "[\"value-1\", (integer) 8, \"value-3999\"]");
    CHECK(c->Read() == "\"value-2+\"");
    CHECK(InfoField(*other, "cold_reads_parked_total") > 0);  // only EXEC could have parked
    // MONITOR shows each command of the transaction once, though the first run was undone.
    CHECK(other->Run({"ECHO", "end-of-feed"}) == "\"end-of-feed\"");
    int appends = 0;
    for (int lines = 0; lines < 50; ++lines) {
      std::string line = monitor->Read();
      if (line.find("end-of-feed") != std::string::npos) break;
      appends += line.find("\"APPEND\"") != std::string::npos;
    }
    CHECK(appends == 1);
    // MULTI, GET of a cold key, SET key mine, EXEC, in one pipeline: EXEC's reply.
    auto cold_get_then_set = [&](const std::string& cold, const std::string& key) {
      c->Append({"MULTI"});
      c->Append({"GET", cold});
      c->Append({"SET", key, "mine"});
      c->Append({"EXEC"});
      CHECK(c->Read() == "OK");
      CHECK(c->Read() == "QUEUED");
      CHECK(c->Read() == "QUEUED");
      return c->Read();
    };
    // WATCH still guards a transaction that waits for its reads.
    CHECK(c->Run({"WATCH", "key:7", "key:8"}) == "OK");
    CHECK(other->Run({"SET", "key:8", "theirs"}) == "OK");
    CHECK(cold_get_then_set("key:3000", "key:8") == "(nil)");
    CHECK(other->Run({"GET", "key:8"}) == "\"theirs\"");
    // ... and a watched transaction that parks is not taken for a dirty one.
    CHECK(c->Run({"WATCH", "key:9"}) == "OK");
    CHECK(cold_get_then_set("key:3001", "key:9") == "[\"value-3001\", OK]");
    CHECK(other->Run({"GET", "key:9"}) == "\"mine\"");
    // A queue with a keyless command (SELECT) reads on the loop, and still right.
    CHECK(c->Run({"MULTI"}) == "OK");
    CHECK(c->Run({"GET", "key:3500"}) == "QUEUED");
    CHECK(c->Run({"SELECT", "0"}) == "QUEUED");
    CHECK(c->Run({"GET", "key:3501"}) == "QUEUED");
    CHECK(c->Run({"EXEC"}) == "[\"value-3500\", OK, \"value-3501\"]");
  }

  TEST_CASE("kill -9 while reads are parked loses no acknowledged write") {
    ServerProcess server({"--memtable-size", "256kb"});
    WriteThenRestart(server, 20000);
    // Writers whose every write follows a cold read in the same pipeline, so writes are
    // acknowledged while other clients' reads are parked.
    std::atomic<bool> stop{false};
    std::vector<std::vector<int>> acked(4);
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        Client c(server.port());
        for (int i = 0; !stop; ++i) {
          c.Append({"GET", "key:" + std::to_string((i * 7919 + w * 5003) % 20000)});
          c.Append({"SET", "new:" + std::to_string(w) + ":" + std::to_string(i), "x"});
          std::string got = c.Read();
          if (got.rfind("\"value-", 0) != 0 || c.Read() != "OK") break;
          acked[w].push_back(i);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    server.Kill();
    stop = true;
    for (auto& t : writers) t.join();
    server.Restart();
    auto c = server.Connect();
    size_t total = 0;
    for (int w = 0; w < 4; ++w) {
      for (int i : acked[w]) {
        REQUIRE(c->Run({"GET", "new:" + std::to_string(w) + ":" + std::to_string(i)}) == "\"x\"");
      }
      total += acked[w].size();
    }
    CHECK(total > 100);
    CHECK(c->Run({"GET", "key:19999"}) == "\"value-19999\"");
  }

  TEST_CASE("cold GETs, MGET and HGET are parked, answered in order, mapped tables") {
    ColdReadsServeInOrder("yes");
  }
  TEST_CASE("the same with pread and the block cache") { ColdReadsServeInOrder("no"); }
}

}  // namespace strata::testing
