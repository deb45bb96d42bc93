#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

#include "support/server_process.h"

namespace strata::testing {
namespace {

// The integer after "name:" in an INFO text (-1 when absent).
long long InfoField(const std::string& info, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(info, m, std::regex(name + ":(-?[0-9]+)"))) return -1;
  return std::stoll(m[1]);
}

int CountFiles(const std::string& dir, const std::string& extension) {
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) n += e.path().extension() == extension;
  return n;
}

}  // namespace

TEST_SUITE("e2e engine") {
  TEST_CASE("500,000 keys through a 1 MiB memtable land in SST levels and survive a restart") {
    ServerProcess server({"--memtable-size", "1mb", "--level1-max-bytes", "4mb",
                          "--target-file-size", "1mb"});
    auto c = server.Connect();
    const int n = 500000;
    for (int batch = 0; batch < n; batch += 10000) {
      for (int i = batch; i < batch + 10000; ++i) {
        c->Append({"SET", "key:" + std::to_string(i), "value-" + std::to_string(i)});
      }
      for (int i = batch; i < batch + 10000; ++i) REQUIRE(c->Read() == "OK");
    }
    std::string info = c->Run({"INFO", "engine"});
    CHECK(InfoField(info, "flushes") > 10);
    CHECK(InfoField(info, "compactions") + InfoField(info, "trivial_moves") > 0);
    CHECK(InfoField(info, "sst_files") > 0);
    long long deeper = 0;
    for (int level = 1; level < 7; ++level) {
      std::smatch m;
      std::string text = info;
      std::regex re("level" + std::to_string(level) + ":files=([0-9]+)");
      if (std::regex_search(text, m, re)) deeper += std::stoll(m[1]);
    }
    CHECK(deeper > 0);
    CHECK(CountFiles(server.dir(), ".sst") > 0);
    CHECK(info.find("write_amplification:") != std::string::npos);

    server.Restart();
    auto c2 = server.Connect();
    for (int batch = 0; batch < n; batch += 10000) {
      for (int i = batch; i < batch + 10000; ++i) c2->Append({"GET", "key:" + std::to_string(i)});
      for (int i = batch; i < batch + 10000; ++i) {
        REQUIRE(c2->Read() == "\"value-" + std::to_string(i) + "\"");
      }
    }
    CHECK(c2->Run({"DBSIZE"}) == "(integer) 500000");
  }

  TEST_CASE("engine options are in CONFIG GET and reject bad values at start-up") {
    ServerProcess server({"--block-cache-size", "8mb", "--engine-threads", "3"});
    auto c = server.Connect();
    CHECK(c->Run({"CONFIG", "GET", "block-cache-size"}) == "[\"block-cache-size\", \"8388608\"]");
    CHECK(c->Run({"CONFIG", "GET", "engine-threads"}) == "[\"engine-threads\", \"3\"]");
    std::string out;
    CHECK(RunServerToExit({"--engine-threads", "0"}, &out) == 1);
    CHECK(out.find("engine-threads") != std::string::npos);
  }
}

}  // namespace strata::testing
