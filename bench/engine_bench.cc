// engine_bench: the eight operations of the seed study, plus two that LSM users suffer from,
// on Strata's engine and (when built with them) release builds of LevelDB and RocksDB.
//
//   engine_bench [--engine strata|leveldb|rocksdb] [N]      (default: strata, 100000)
//
// Every engine gets the same settings: 64 MiB write buffer, 256 MiB block cache, 10 bloom
// bits per key, no compression, WAL on and never fsynced per write. When the WAL bytes reach
// the OS: Strata and RocksDB (manual_wal_flush) every 64 writes, LevelDB at every write (it
// has no other mode). 16-byte keys, 100-byte values. One engine per process, so the peak RSS
// printed is that engine's.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "strata/db.h"

#ifdef HAVE_LEVELDB
#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#endif
#ifdef HAVE_ROCKSDB
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#endif

namespace {

constexpr int kFlushEvery = 64;
constexpr size_t kWriteBuffer = 64u << 20;
constexpr size_t kBlockCache = 256u << 20;

// The operations the workload needs from an engine.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual void Put(const std::string& k, const std::string& v) = 0;
  virtual void Delete(const std::string& k) = 0;
  virtual bool Get(const std::string& k, std::string* v) = 0;
  // Reads up to n entries from the first key >= start; returns how many.
  virtual size_t Scan(const std::string& start, size_t n) = 0;
  // Reads every key with the prefix; returns how many.
  virtual size_t PrefixScan(const std::string& prefix) = 0;
  // Called every kFlushEvery writes.
  virtual void WriteGroupDone() {}
  // Flushes the memtable and compacts everything (space amplification).
  virtual void CompactAll() = 0;
  // Bytes written to SSTs (flushes + compactions) per byte flushed; 0 when not known.
  virtual double WriteAmplification() { return 0; }
};

void Die(const std::string& what) {
  std::fprintf(stderr, "engine_bench: %s\n", what.c_str());
  std::exit(1);
}

class StrataEngine final : public Engine {
 public:
  explicit StrataEngine(const std::string& dir) {
    strata::Options o;
    o.memtable_size = kWriteBuffer;
    o.block_cache_size = kBlockCache;
    o.wal_sync = strata::WalSyncMode::kNo;
    auto db = strata::DB::Open(o, dir);
    if (!db.ok()) Die(db.status().ToString());
    db_ = std::move(*db);
  }
  void Put(const std::string& k, const std::string& v) override { Check(db_->Put(wo_, k, v)); }
  void Delete(const std::string& k) override { Check(db_->Delete(wo_, k)); }
  bool Get(const std::string& k, std::string* v) override {
    auto r = db_->Get(ro_, k, v);
    if (!r.ok()) Die(r.status().ToString());
    return *r;
  }
  size_t Scan(const std::string& start, size_t n) override {
    auto it = db_->NewIterator(ro_);
    size_t i = 0;
    for (it->Seek(start); it->Valid() && i < n; it->Next()) i += !it->value().empty();
    return i;
  }
  size_t PrefixScan(const std::string& prefix) override {
    std::string upper = strata::PrefixSuccessor(prefix);
    strata::ReadOptions ro;
    ro.upper_bound = upper;
    auto it = db_->NewIterator(ro);
    size_t i = 0;
    for (it->Seek(prefix); it->Valid(); it->Next()) ++i;
    return i;
  }
  void WriteGroupDone() override { Check(db_->FlushWal()); }
  void CompactAll() override { Check(db_->CompactAll()); }
  double WriteAmplification() override {
    strata::DbStats s = db_->GetStats();
    if (s.bytes_flushed == 0) return 0;
    return static_cast<double>(s.bytes_flushed + s.compaction_bytes_written) / s.bytes_flushed;
  }

 private:
  static void Check(const strata::Status& s) {
    if (!s.ok()) Die(s.ToString());
  }
  std::unique_ptr<strata::DB> db_;
  strata::WriteOptions wo_;
  strata::ReadOptions ro_;
};

#ifdef HAVE_LEVELDB
class LevelDbEngine final : public Engine {
 public:
  explicit LevelDbEngine(const std::string& dir) {
    cache_.reset(leveldb::NewLRUCache(kBlockCache));
    filter_.reset(leveldb::NewBloomFilterPolicy(10));
    leveldb::Options o;
    o.create_if_missing = true;
    o.write_buffer_size = kWriteBuffer;
    o.block_cache = cache_.get();
    o.filter_policy = filter_.get();
    o.compression = leveldb::kNoCompression;
    o.max_open_files = 1000;
    leveldb::DB* db;
    Check(leveldb::DB::Open(o, dir, &db));
    db_.reset(db);
  }
  void Put(const std::string& k, const std::string& v) override { Check(db_->Put({}, k, v)); }
  void Delete(const std::string& k) override { Check(db_->Delete({}, k)); }
  bool Get(const std::string& k, std::string* v) override {
    leveldb::Status s = db_->Get({}, k, v);
    if (s.IsNotFound()) return false;
    Check(s);
    return true;
  }
  size_t Scan(const std::string& start, size_t n) override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator({}));
    size_t i = 0;
    for (it->Seek(start); it->Valid() && i < n; it->Next()) i += it->value().size() > 0;
    return i;
  }
  size_t PrefixScan(const std::string& prefix) override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator({}));
    size_t i = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++i;
    return i;
  }
  void CompactAll() override { db_->CompactRange(nullptr, nullptr); }

 private:
  static void Check(const leveldb::Status& s) {
    if (!s.ok()) Die(s.ToString());
  }
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
  std::unique_ptr<leveldb::DB> db_;
};
#endif

#ifdef HAVE_ROCKSDB
class RocksDbEngine final : public Engine {
 public:
  explicit RocksDbEngine(const std::string& dir) {
    rocksdb::Options o;
    o.create_if_missing = true;
    o.write_buffer_size = kWriteBuffer;
    o.compression = rocksdb::kNoCompression;
    o.manual_wal_flush = true;
    o.max_background_jobs = 2;
    rocksdb::BlockBasedTableOptions t;
    t.block_cache = rocksdb::NewLRUCache(kBlockCache);
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
    rocksdb::DB* db;
    Check(rocksdb::DB::Open(o, dir, &db));
    db_.reset(db);
  }
  void Put(const std::string& k, const std::string& v) override { Check(db_->Put({}, k, v)); }
  void Delete(const std::string& k) override { Check(db_->Delete({}, k)); }
  bool Get(const std::string& k, std::string* v) override {
    rocksdb::Status s = db_->Get({}, k, v);
    if (s.IsNotFound()) return false;
    Check(s);
    return true;
  }
  size_t Scan(const std::string& start, size_t n) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}));
    size_t i = 0;
    for (it->Seek(start); it->Valid() && i < n; it->Next()) i += it->value().size() > 0;
    return i;
  }
  size_t PrefixScan(const std::string& prefix) override {
    std::string upper = strata::PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
    size_t i = 0;
    for (it->Seek(prefix); it->Valid(); it->Next()) ++i;
    return i;
  }
  void WriteGroupDone() override { Check(db_->FlushWAL(false)); }
  void CompactAll() override {
    Check(db_->Flush({}));
    Check(db_->CompactRange({}, nullptr, nullptr));
  }

 private:
  static void Check(const rocksdb::Status& s) {
    if (!s.ok()) Die(s.ToString());
  }
  std::unique_ptr<rocksdb::DB> db_;
};
#endif

std::unique_ptr<Engine> MakeEngine(const std::string& name, const std::string& dir) {
  if (name == "strata") return std::make_unique<StrataEngine>(dir);
#ifdef HAVE_LEVELDB
  if (name == "leveldb") return std::make_unique<LevelDbEngine>(dir);
#endif
#ifdef HAVE_ROCKSDB
  if (name == "rocksdb") return std::make_unique<RocksDbEngine>(dir);
#endif
  Die("engine '" + name + "' is not built in (run scripts/build-baselines.sh, then make)");
  return nullptr;
}

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string Key(uint64_t i) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llu", static_cast<unsigned long long>(i));
  return std::string(buf, 16);
}

void Report(const std::string& engine, uint64_t n, const char* name, double value,
            const char* unit) {
  // One line per figure, easy to parse: engine N operation value unit
  std::printf("%-8s %9llu  %-26s %14.0f %s\n", engine.c_str(), static_cast<unsigned long long>(n),
              name, value, unit);
  std::fflush(stdout);
}

// The process's anonymous resident memory (RssAnon), in KiB: peak RSS also counts the pages
// of mapped table files that reads touched, which the kernel reclaims as page cache.
uint64_t AnonRssKiB() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  unsigned long long kib = 0;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::sscanf(line, "RssAnon: %llu kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib;
}

// Samples AnonRssKiB every 10 ms for as long as it lives and keeps the largest.
class AnonRssPeak {
 public:
  AnonRssPeak()
      : thread_([this] {
          while (!stop_) {
            peak_ = std::max<uint64_t>(peak_, AnonRssKiB());
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }) {}
  ~AnonRssPeak() {
    stop_ = true;
    thread_.join();
  }
  uint64_t peak_kib() const { return peak_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> peak_{0};
  std::thread thread_;
};

uint64_t DirBytes(const std::string& dir) {
  uint64_t sum = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) sum += e.file_size();
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  std::string engine_name = "strata";
  uint64_t n = 100000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--engine") == 0 && i + 1 < argc) {
      engine_name = argv[++i];
    } else {
      n = std::strtoull(argv[i], nullptr, 10);
    }
  }
  const std::string base = (std::filesystem::temp_directory_path() /
                            ("engine-bench-" + std::to_string(getpid())))
                               .string();
  const std::string value(100, 'v');
  AnonRssPeak anon_rss;
  std::mt19937_64 rng(12345);
  std::vector<uint64_t> seq(n), shuffled(n);
  std::iota(seq.begin(), seq.end(), 0);
  shuffled = seq;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  auto load = [&](Engine* e, const std::vector<uint64_t>& order) {
    for (size_t i = 0; i < order.size(); ++i) {
      e->Put(Key(order[i]), value);
      if (i % kFlushEvery == kFlushEvery - 1) e->WriteGroupDone();
    }
    e->WriteGroupDone();
  };
  auto fresh = [&](const std::string& name) {
    std::filesystem::remove_all(base + name);
    return MakeEngine(engine_name, base + name);
  };

  {
    auto e = fresh("-random");
    auto t = Clock::now();
    load(e.get(), shuffled);
    Report(engine_name, n, "random writes", n / Since(t), "ops/s");
  }
  std::filesystem::remove_all(base + "-random");
  auto e = fresh("-main");
  {
    auto t = Clock::now();
    load(e.get(), seq);
    Report(engine_name, n, "sequential writes", n / Since(t), "ops/s");
  }
  std::string out;
  uint64_t found = 0;
  {
    auto t = Clock::now();
    for (uint64_t i : seq) found += e->Get(Key(i), &out);
    Report(engine_name, n, "sequential reads", n / Since(t), "ops/s");
  }
  {
    auto t = Clock::now();
    for (uint64_t i : shuffled) found += e->Get(Key(i), &out);
    Report(engine_name, n, "random reads", n / Since(t), "ops/s");
  }
  {
    auto t = Clock::now();
    for (uint64_t j = 0; j < n; ++j) found += e->Get(Key(j % 2 ? shuffled[j] : n + j), &out);
    Report(engine_name, n, "contains-key (half absent)", n / Since(t), "ops/s");
  }
  {
    uint64_t items = 0;
    auto t = Clock::now();
    for (int s = 0; s < 1000; ++s) items += e->Scan(Key(rng() % n), 100);
    double secs = Since(t);
    Report(engine_name, n, "range scan", items / secs, "items/s");
    Report(engine_name, n, "range scan", 1000 / secs, "scans/s");
  }
  {
    uint64_t items = 0;
    auto t = Clock::now();
    for (int s = 0; s < 1000; ++s) items += e->PrefixScan(Key((rng() % n) / 100 * 100).substr(0, 14));
    Report(engine_name, n, "prefix scan", items / Since(t), "items/s");
  }
  {
    // 90% of a key range deleted, then scanned (1,000 scans of 100 live items, as the range
    // scan): the tombstones, nine per live item, are in the way.
    uint64_t lo = n / 4, hi = std::min<uint64_t>(n, lo + 100000);
    for (uint64_t i = lo; i < hi; ++i) {
      if (i % 10 != 0) e->Delete(Key(i));
      if (i % kFlushEvery == 0) e->WriteGroupDone();
    }
    e->WriteGroupDone();
    uint64_t items = 0;
    auto t = Clock::now();
    for (int s = 0; s < 1000; ++s) items += e->Scan(Key(lo + rng() % (hi - lo)), 100);
    Report(engine_name, n, "scan over 90% tombstones", items / Since(t), "items/s");
  }
  {
    auto t = Clock::now();
    for (size_t i = 0; i < shuffled.size(); ++i) {
      e->Delete(Key(shuffled[i]));
      if (i % kFlushEvery == kFlushEvery - 1) e->WriteGroupDone();
    }
    e->WriteGroupDone();
    Report(engine_name, n, "deletions (random order)", n / Since(t), "ops/s");
  }
  e.reset();
  std::filesystem::remove_all(base + "-main");
  {
    // Sustained ingest of random keys until the data is 10x the write buffer.
    auto ingest = fresh("-ingest");
    uint64_t total = 10 * kWriteBuffer / 116;
    double worst = 0;
    auto t = Clock::now();
    std::uniform_int_distribution<uint64_t> any(0, 1ull << 62);
    for (uint64_t i = 0; i < total; ++i) {
      auto op = Clock::now();
      ingest->Put(Key(any(rng)), value);
      if (i % kFlushEvery == kFlushEvery - 1) ingest->WriteGroupDone();
      worst = std::max(worst, Since(op));
    }
    Report(engine_name, total, "sustained random ingest", total / Since(t), "ops/s");
    Report(engine_name, total, "longest write pause", worst * 1000, "ms");
    if (double wa = ingest->WriteAmplification(); wa > 0) {
      // Measured before the full compaction below, which would add one more rewrite.
      Report(engine_name, total, "write amplification x100", wa * 100, "");
    }
    auto c = Clock::now();
    ingest->CompactAll();
    Report(engine_name, total, "full compaction", Since(c) * 1000, "ms");
    Report(engine_name, total, "space amplification x100",
           100.0 * DirBytes(base + "-ingest") / (total * 116.0), "");
    ingest.reset();
    std::filesystem::remove_all(base + "-ingest");
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  Report(engine_name, n, "peak RSS", ru.ru_maxrss / 1024.0, "MiB");
  Report(engine_name, n, "peak anonymous RSS", anon_rss.peak_kib() / 1024.0, "MiB");
  if (found == 0) std::printf("warning: nothing found\n");
  return 0;
}
