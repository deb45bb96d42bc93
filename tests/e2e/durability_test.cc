#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/server_process.h"

namespace strata::testing {
namespace {

// A 3 MiB tmpfs, for a disk that really fills up; unmounted when the object goes away.
class SmallDisk {
 public:
  SmallDisk() {
    std::string cmd = "mount -t tmpfs -o size=3m tmpfs " + dir_.path() + " 2>/dev/null";
    mounted_ = std::system(cmd.c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) std::system(("umount -l " + dir_.path()).c_str());
  }
  bool mounted() const { return mounted_; }
  std::string path(const std::string& name) const { return dir_.file(name); }

 private:
  TempDir dir_;
  bool mounted_ = false;
};

}  // namespace

TEST_SUITE("e2e durability") {
  TEST_CASE("a full disk: writes get MISCONF, reads go on, writes resume when space returns") {
    SmallDisk disk;
    if (!disk.mounted()) {
      MESSAGE("cannot mount a tmpfs here (not root?): the full-disk test needs one");
      return;
    }
    {
      std::ofstream filler(disk.path("filler"));
      filler << std::string(1500000, 'f');
    }
    std::string data = disk.path("data");
    ServerProcess server({"--memtable-size", "1mb"}, data);
    auto c = server.Connect();
    int acked = 0;
    std::string refused;
    for (int i = 0; i < 20000 && refused.empty(); ++i) {
      std::string r = c->Run({"SET", "k" + std::to_string(i), std::string(200, 'v')});
      if (r == "OK") {
        ++acked;
      } else {
        refused = r;
      }
    }
    MESSAGE("writes acknowledged before the disk filled: " << acked);
    CHECK(refused.rfind("(error) MISCONF Errors writing to the write-ahead log: IO error: ", 0) ==
          0);
    CHECK(refused.find("No space left on device") != std::string::npos);
    CHECK(c->Run({"GET", "k0"}) == "\"" + std::string(200, 'v') + "\"");  // reads go on
    CHECK(c->Run({"SET", "more", "1"}).rfind("(error) MISCONF", 0) == 0);
    std::string info = c->Run({"INFO", "persistence"});
    CHECK(info.find("aof_last_write_status:err") != std::string::npos);
    CHECK(info.find("wal_last_error:IO error: write ") != std::string::npos);
    std::string log = server.Log();
    CHECK((log.find("Error writing the write-ahead log") != std::string::npos ||
           log.find("Background job failed") != std::string::npos));
    std::filesystem::remove(disk.path("filler"));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string resumed;
    while (std::chrono::steady_clock::now() < deadline &&
           (resumed = c->Run({"SET", "more", "1"})) != "OK") {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(resumed == "OK");
    if (resumed != "OK") MESSAGE(server.Log());
    CHECK(c->Run({"INFO", "persistence"}).find("aof_last_write_status:ok") != std::string::npos);
    CHECK(server.Log().find("accepting writes again") != std::string::npos);
    server.Kill();
    server.Restart();
    auto d = server.Connect();
    CHECK(d->Run({"DBSIZE"}) == "(integer) " + std::to_string(acked + 1));
    CHECK(d->Run({"EXISTS", "k" + std::to_string(acked - 1), "more"}) == "(integer) 2");
  }

  TEST_CASE("with appendfsync always every acknowledged write survives SIGKILL") {
    ServerProcess server({"--appendfsync", "always"});
    // Several clients write concurrently; the server is killed while they are writing.
    std::atomic<bool> stop{false};
    std::vector<std::vector<std::string>> acked(4);
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        Client c(server.port());
        for (int i = 0; !stop; ++i) {
          std::string key = "w" + std::to_string(w) + ":" + std::to_string(i);
          if (c.Run({"SET", key, "v" + std::to_string(i)}) != "OK") break;
          acked[w].push_back(key);
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
      for (const auto& key : acked[w]) {
        std::string i = key.substr(key.find(':') + 1);
        REQUIRE(c->Run({"GET", key}) == "\"v" + i + "\"");
      }
      total += acked[w].size();
    }
    CHECK(total > 100);
    MESSAGE("acknowledged writes checked after SIGKILL: " << total);
  }

  TEST_CASE("with the default everysec policy a killed server loses no acknowledged write") {
    // The log bytes reach the OS before any reply is sent; only a power failure could lose
    // the last second.
    ServerProcess server;
    auto c = server.Connect();
    for (int i = 0; i < 1000; ++i) c->Append({"SET", "k" + std::to_string(i), std::to_string(i)});
    for (int i = 0; i < 1000; ++i) REQUIRE(c->Read() == "OK");
    CHECK(c->Run({"INCRBY", "n", "7"}) == "(integer) 7");
    server.Kill();
    server.Restart();
    auto c2 = server.Connect();
    CHECK(c2->Run({"GET", "k999"}) == "\"999\"");
    CHECK(c2->Run({"GET", "n"}) == "\"7\"");
    CHECK(c2->Run({"DBSIZE"}) == "(integer) 1001");
  }

  TEST_CASE("a torn log tail is cut at start-up and logged, and the server opens") {
    ServerProcess server;
    {
      auto c = server.Connect();
      CHECK(c->Run({"SET", "kept", "yes"}) == "OK");
    }
    server.Kill();
    std::string log_file;
    for (auto& e : std::filesystem::directory_iterator(server.dir())) {
      if (e.path().extension() == ".log") log_file = e.path();
    }
    REQUIRE_FALSE(log_file.empty());
    {
      std::ofstream out(log_file, std::ios::binary | std::ios::app);
      out.write("\x01\x02\x03\x04\x40\x00\x00\x00torn", 12);
    }
    server.Restart();
    auto c = server.Connect();
    CHECK(c->Run({"GET", "kept"}) == "\"yes\"");
    CHECK(server.Log().find("cutting the torn tail (12 bytes)") != std::string::npos);
    CHECK(c->Run({"INFO", "persistence"}).find("wal_recovered_torn_bytes:12") != std::string::npos);
  }

  TEST_CASE("SIGTERM shuts down cleanly and the data is there after restart") {
    ServerProcess server({"--memtable-size", "256kb"});
    auto c = server.Connect();
    for (int i = 0; i < 5000; ++i) c->Append({"SET", "key" + std::to_string(i), std::string(100, 'x')});
    for (int i = 0; i < 5000; ++i) REQUIRE(c->Read() == "OK");
    CHECK(server.Terminate() == 0);
    CHECK(server.Log().find("Received SIGTERM scheduling shutdown") != std::string::npos);
    CHECK(server.Log().find("ready to exit, bye bye") != std::string::npos);
    server.Restart();
    auto c2 = server.Connect();
    CHECK(c2->Run({"DBSIZE"}) == "(integer) 5000");
    CHECK(c2->Run({"GET", "key4999"}) == "\"" + std::string(100, 'x') + "\"");
  }

  TEST_CASE("a bad option or value stops start-up with one line naming it") {
    std::string out;
    CHECK(RunServerToExit({"--port", "notaport"}, &out) == 1);
    CHECK(out.find("'--port notaport'") != std::string::npos);
    CHECK(RunServerToExit({"--appendfsync", "maybe"}, &out) == 1);
    CHECK(out.find("appendfsync") != std::string::npos);
    CHECK(RunServerToExit({"--frobnicate", "1"}, &out) == 1);
    CHECK(out.find("--frobnicate") != std::string::npos);
    CHECK(RunServerToExit({"/nonexistent/strata.conf"}, &out) == 1);
    CHECK(RunServerToExit({"--help"}, &out) == 0);
    CHECK(out.find("memtable-size") != std::string::npos);
  }

  TEST_CASE("a data directory already in use is refused") {
    ServerProcess first;
    std::string out;
    CHECK(RunServerToExit({"--port", std::to_string(FreePort()), "--dir", first.dir()}, &out) == 1);
    CHECK(out.find("in use") != std::string::npos);
  }
}

}  // namespace strata::testing
