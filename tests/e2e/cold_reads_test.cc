// Reads of data that is not in memory: the command is parked while the engine's read threads
// fetch its keys, then answered — in order with the client's pipelined commands — while other
// clients go on being served. After a restart nothing of the tables has been read yet, so the
// first reads are cold under both read paths.
#include <doctest/doctest.h>

#include <string>

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
  {
    auto c = server.Connect();
    for (int i = 0; i < 4000; ++i) {
      c->Append({"SET", "key:" + std::to_string(i), "value-" + std::to_string(i)});
    }
    for (int i = 0; i < 4000; ++i) REQUIRE(c->Read() == "OK");
    c->Append({"HSET", "h", "f", "hv"});
    REQUIRE(c->Read() == "(integer) 1");
  }
  REQUIRE(server.Terminate() == 0);
  server.Restart();  // the keys are in tables now, none of them read since the open
  auto c = server.Connect();
  auto other = server.Connect();
  for (int i = 0; i < 4000; i += 7) {
    c->Append({"GET", "key:" + std::to_string(i)});
    c->Append({"PING"});
  }
  c->Append({"MGET", "key:1", "nosuch", "key:3999"});
  c->Append({"HGET", "h", "f"});
  CHECK(other->Run({"PING"}) == "PONG");  // served meanwhile
  for (int i = 0; i < 4000; i += 7) {
    CHECK(c->Read() == "\"value-" + std::to_string(i) + "\"");
    CHECK(c->Read() == "PONG");
  }
  CHECK(c->Read() == "[\"value-1\", (nil), \"value-3999\"]");
  CHECK(c->Read() == "\"hv\"");
  INFO("mmap-reads " << mmap);
  // Under pread the page cache may still hold the tables (written a moment ago), and a read
  // it can serve never waits: only the mapped path is sure to have parked.
  if (mmap == "yes") CHECK(InfoField(*other, "cold_reads_parked_total") > 0);
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

}  // namespace

TEST_SUITE("e2e cold reads") {
  TEST_CASE("cold GETs, MGET and HGET are parked, answered in order, mapped tables") {
    ColdReadsServeInOrder("yes");
  }
  TEST_CASE("the same with pread and the block cache") { ColdReadsServeInOrder("no"); }
}

}  // namespace strata::testing
