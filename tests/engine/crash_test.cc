// Crash consistency: a child process writes, flushes and compacts with a crash point armed,
// reports each acknowledged write through a pipe, and dies at the point. The parent reopens
// the database and checks every acknowledged write.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "engine/crash_point.h"
#include "strata/db.h"
#include "support/temp_dir.h"

namespace strata {
namespace {

Options SmallOptions() {
  Options o;
  o.memtable_size = 64 * 1024;
  o.level1_max_bytes = 256 * 1024;
  o.target_file_size = 64 * 1024;
  o.wal_sync = WalSyncMode::kNo;  // a process crash loses nothing the OS has
  return o;
}

std::string Value(int i) { return "value-" + std::to_string(i) + std::string(100, 'x'); }

// Runs in the child: writes until the crash point ends the process. Returns only if the
// point was never reached.
[[noreturn]] void ChildWrites(const std::string& dir, int fd) {
  auto db = DB::Open(SmallOptions(), dir);
  if (!db.ok()) ::_exit(2);
  for (int i = 0; i < 200000; ++i) {
    // Overwrites and deletes too, so compactions have versions and tombstones to drop.
    std::string key = "key" + std::to_string(i % 7000);
    Status s = i % 11 == 10 ? (*db)->Delete(WriteOptions(), key)
                            : (*db)->Put(WriteOptions(), key, Value(i));
    if (!s.ok()) ::_exit(3);
    if (i % 50 == 49) {
      if (!(*db)->FlushWal().ok()) ::_exit(4);
      int acked = i + 1;  // every write before this one is acknowledged
      if (::write(fd, &acked, sizeof(acked)) != sizeof(acked)) ::_exit(5);
    }
  }
  ::_exit(0);
}

}  // namespace

TEST_SUITE("crash") {
  TEST_CASE("a crash at any background step reopens with every acknowledged write") {
    for (std::string point : {"sst-before-manifest", "mid-manifest-record",
                              "manifest-before-wal-delete", "mid-compaction"}) {
      CAPTURE(point);
      testing::TempDir dir;
      int fds[2];
      REQUIRE(::pipe(fds) == 0);
      pid_t pid = ::fork();
      if (pid == 0) {
        ::close(fds[0]);
        ::setenv("STRATA_CRASH_AT", point.c_str(), 1);
        ChildWrites(dir.path(), fds[1]);
      }
      ::close(fds[1]);
      int acked = 0, n;
      while (::read(fds[0], &n, sizeof(n)) == sizeof(n)) acked = n;
      ::close(fds[0]);
      int status;
      ::waitpid(pid, &status, 0);
      REQUIRE(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == kCrashPointExitCode);  // it died at the point
      REQUIRE(acked > 0);

      auto db = DB::Open(SmallOptions(), dir.path());
      REQUIRE_MESSAGE(db.ok(), db.status().ToString());
      // The expected state after the first `acked` writes.
      for (int k = 0; k < 7000; ++k) {
        int last = -1;
        for (int i = k; i < acked; i += 7000) last = i;
        std::string value;
        auto r = (*db)->Get(ReadOptions(), "key" + std::to_string(k), &value);
        REQUIRE(r.ok());
        if (last < 0 || last % 11 == 10) {
          // Never written, or deleted last (a later, unacknowledged write may have landed).
          if (*r) {
            REQUIRE(value.rfind("value-", 0) == 0);
            REQUIRE(std::stoi(value.substr(6)) >= acked);
          }
        } else {
          REQUIRE(*r);
          int got = std::stoi(value.substr(6));
          // The acknowledged value, or a later write that reached the log before the crash.
          REQUIRE((got == last || got >= acked));
        }
      }
      // And the reopened database works on: flushes and compacts again.
      for (int i = 0; i < 3000; ++i) REQUIRE((*db)->Put(WriteOptions(), "after" + std::to_string(i), "x").ok());
      REQUIRE((*db)->CompactAll().ok());
      std::string value;
      REQUIRE(*(*db)->Get(ReadOptions(), "after2999", &value));
    }
  }
}

}  // namespace strata
