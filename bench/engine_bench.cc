// engine_bench: the eight operations of the seed study on Strata's engine.
//
//   engine_bench [N]          (default N = 100000)
//
// 16-byte keys, 100-byte values, WAL on: the log buffer is handed to the OS every 64 writes
// (as a loop turn with many clients would), never fsynced per write. Each figure is one
// timed pass; run it several times and take the median (timings here are noisy).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "strata/db.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kFlushEvery = 64;

std::string Key(uint64_t i) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llu", static_cast<unsigned long long>(i));
  return std::string(buf, 16);
}

struct Timer {
  Clock::time_point start = Clock::now();
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start).count(); }
};

void Report(const char* name, double ops, double seconds, const char* unit = "ops/s") {
  std::printf("%-28s %12.0f %s\n", name, ops / seconds, unit);
}

std::unique_ptr<strata::DB> OpenFresh(const std::string& dir) {
  std::filesystem::remove_all(dir);
  strata::Options options;
  options.wal_sync = strata::WalSyncMode::kNo;
  auto db = strata::DB::Open(options, dir);
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(*db);
}

void Check(const strata::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
    std::exit(1);
  }
}

void Load(strata::DB* db, const std::vector<uint64_t>& order, const std::string& value) {
  strata::WriteOptions wo;
  for (size_t i = 0; i < order.size(); ++i) {
    Check(db->Put(wo, Key(order[i]), value));
    if (i % kFlushEvery == kFlushEvery - 1) Check(db->FlushWal());
  }
  Check(db->FlushWal());
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("strata-bench-" + std::to_string(getpid())))
          .string();
  const std::string value(100, 'v');
  std::mt19937_64 rng(12345);
  std::vector<uint64_t> seq(n), shuffled(n);
  std::iota(seq.begin(), seq.end(), 0);
  shuffled = seq;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::printf("Strata engine, N = %llu, 16-byte keys, 100-byte values, WAL on (no fsync)\n",
              static_cast<unsigned long long>(n));

  {
    auto db = OpenFresh(dir);
    Timer t;
    Load(db.get(), shuffled, value);
    Report("random writes", n, t.Seconds());
  }
  auto db = OpenFresh(dir);
  {
    Timer t;
    Load(db.get(), seq, value);
    Report("sequential writes", n, t.Seconds());
  }
  std::string out;
  strata::ReadOptions ro;
  uint64_t found = 0;
  {
    Timer t;
    for (uint64_t i : seq) found += *db->Get(ro, Key(i), &out);
    Report("sequential reads", n, t.Seconds());
  }
  {
    Timer t;
    for (uint64_t i : shuffled) found += *db->Get(ro, Key(i), &out);
    Report("random reads", n, t.Seconds());
  }
  {
    // Half present, half absent (keys n..2n-1 were never written).
    Timer t;
    for (uint64_t j = 0; j < n; ++j) found += *db->Get(ro, Key(j % 2 ? shuffled[j] : n + j), &out);
    Report("contains-key", n, t.Seconds());
  }
  {
    const int scans = 1000;
    uint64_t items = 0;
    Timer t;
    auto it = db->NewIterator(ro);
    for (int s = 0; s < scans; ++s) {
      it->Seek(Key(rng() % n));
      for (int k = 0; k < 100 && it->Valid(); ++k, it->Next()) items += it->value().size() > 0;
    }
    double secs = t.Seconds();
    Report("range scan (items)", items, secs, "items/s");
    Report("range scan (scans)", scans, secs, "scans/s");
  }
  {
    const int prefixes = 1000;
    uint64_t items = 0;
    Timer t;
    for (int s = 0; s < prefixes; ++s) {
      std::string prefix = Key((rng() % n) / 100 * 100).substr(0, 14);  // ~100 keys each
      std::string upper = strata::PrefixSuccessor(prefix);
      strata::ReadOptions bounded;
      bounded.upper_bound = upper;
      auto it = db->NewIterator(bounded);
      for (it->Seek(prefix); it->Valid(); it->Next()) ++items;
    }
    Report("prefix scan (items)", items, t.Seconds(), "items/s");
  }
  {
    Timer t;
    strata::WriteOptions wo;
    for (size_t i = 0; i < shuffled.size(); ++i) {
      Check(db->Delete(wo, Key(shuffled[i])));
      if (i % kFlushEvery == kFlushEvery - 1) Check(db->FlushWal());
    }
    Check(db->FlushWal());
    Report("deletions", n, t.Seconds());
  }
  if (found != 2 * n + n / 2) std::printf("warning: %llu keys found\n", (unsigned long long)found);
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
