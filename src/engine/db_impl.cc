#include "engine/db_impl.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "engine/checkpoint.h"
#include "strata/coding.h"
#include "engine/crash_point.h"
#include "engine/db_iter.h"
#include "engine/merging_iterator.h"
#include "engine/wal_format.h"
#include "engine/wal_reader.h"

namespace strata {
namespace {

class SnapshotImpl final : public Snapshot {
 public:
  SnapshotImpl(DBImpl* db, std::multiset<SequenceNumber>::iterator it) : db_(db), it_(it) {}
  ~SnapshotImpl() override { db_->ReleaseSnapshot(it_); }
  uint64_t sequence() const override { return *it_; }

 private:
  DBImpl* db_;
  std::multiset<SequenceNumber>::iterator it_;
};

class MemTableInserter final : public WriteBatch::Handler {
 public:
  MemTableInserter(SequenceNumber seq, MemTable* mem) : seq_(seq), mem_(mem) {}
  void Put(std::string_view key, std::string_view value) override {
    mem_->Add(seq_++, ValueType::kValue, key, value);
  }
  void Delete(std::string_view key) override { mem_->Add(seq_++, ValueType::kDeletion, key, {}); }

 private:
  SequenceNumber seq_;
  MemTable* mem_;
};

}  // namespace

bool ParseFileName(const std::string& name, std::string_view suffix, uint64_t* number) {
  if (name.size() <= suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  const char* end = name.data() + name.size() - suffix.size();
  auto [ptr, ec] = std::from_chars(name.data(), end, *number);
  return ec == std::errc() && ptr == end;
}


Result<std::unique_ptr<DB>> DB::Open(const Options& options, const std::string& dir) {
  Env* env = options.env != nullptr ? options.env : Env::Default();
  auto db = std::make_unique<DBImpl>(options, dir, env);
  Status s = db->Recover();
  if (!s.ok()) return s;
  return std::unique_ptr<DB>(std::move(db));
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xff) s.pop_back();
  if (!s.empty()) s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

DBImpl::DBImpl(const Options& options, std::string dir, Env* env)
    : options_(options),
      dir_(std::move(dir)),
      env_(env),
      block_cache_(options.block_cache_size),
      table_cache_(env, dir_, static_cast<size_t>(options.max_open_files), &block_cache_,
                   options.mmap_reads),
      versions_(env, dir_, &table_cache_),
      sync_mode_(options.wal_sync),
      workers_(std::make_unique<WorkerPool>(
          options.background_threads > 0 ? options.background_threads : 1)),
      readers_(std::make_unique<WorkerPool>(options.read_threads > 0 ? options.read_threads : 1)) {}

DBImpl::~DBImpl() {
  readers_.reset();  // finish the running jobs first: they use the caches below
  workers_.reset();
  if (wal_ != nullptr) {
    // A clean close leaves everything acknowledged on disk, whatever the sync policy.
    if (wal_->Flush().ok()) (void)wal_->file()->Sync();
  }
  if (versions_.records_written() > 0) (void)versions_.manifest_file()->Sync();
  {
    std::lock_guard<std::mutex> lock(sync_mu_);
    stop_ = true;
  }
  sync_cv_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
}

std::string DBImpl::LogPath(uint64_t number) const {
  char name[32];
  std::snprintf(name, sizeof(name), "/%06llu.log", static_cast<unsigned long long>(number));
  return dir_ + name;
}

Status DBImpl::Recover() {
  if (options_.create_if_missing) {
    Status s = env_->CreateDirs(dir_);
    if (!s.ok()) return s;
  }
  auto lock = env_->LockFile(dir_ + "/LOCK");
  if (!lock.ok()) return lock.status();
  lock_ = std::move(*lock);

  std::vector<std::string> names;
  Status s = env_->ListDir(dir_, &names);
  if (!s.ok()) return s;
  std::vector<uint64_t> logs;
  std::vector<uint64_t> seen;  // every numbered file: numbers are never reused
  for (const auto& name : names) {
    uint64_t number;
    if (ParseFileName(name, ".log", &number)) logs.push_back(number);
    if (ParseFileName(name, ".log", &number) || ParseFileName(name, ".sst", &number)) {
      seen.push_back(number);
    }
  }
  std::sort(logs.begin(), logs.end());

  // The MANIFEST says which SSTs are live and which segments they already cover.
  bool existed;
  // An orphan SST of a job that never got installed may carry a number above the MANIFEST's
  // counter; reusing it would let the orphan's deletion remove a new file.
  for (uint64_t n : seen) versions_.MarkFileNumberUsed(n);
  s = versions_.Recover(&existed);
  if (!s.ok()) return s;
  last_sequence_ = versions_.last_sequence();
  logs.erase(std::remove_if(logs.begin(), logs.end(),
                            [&](uint64_t n) { return n < versions_.log_number(); }),
             logs.end());

  mem_ = std::make_shared<MemTable>(&memory_reserve_, options_.memtable_size);
  uint64_t last_size = 0;
  for (size_t i = 0; i < logs.size(); ++i) {
    bool is_last = i + 1 == logs.size();
    s = ReplayLog(logs[i], is_last, &last_size);
    if (!s.ok()) return s;
    if (!is_last && !mem_->empty()) {
      sealed_.push_back(Sealed{std::move(mem_), logs[i]});
      mem_ = std::make_shared<MemTable>(&memory_reserve_, options_.memtable_size);
    }
  }
  // Keep appending to the newest segment, so restarts do not pile up segments.
  if (logs.empty()) {
    s = OpenLog(versions_.NewFileNumber(), 0);
  } else {
    s = OpenLog(logs.back(), last_size);
  }
  if (!s.ok()) return s;
  sync_thread_ = std::thread([this] { SyncLoop(); });
  DeleteObsoleteFiles();
  MaybeScheduleWork();  // flush what the log replay left sealed
  return Status::OK();
}

Status DBImpl::ReplayLog(uint64_t number, bool is_last, uint64_t* good_size) {
  const std::string path = LogPath(number);
  std::string contents;
  Status s = env_->ReadFile(path, &contents);
  if (!s.ok()) return s;
  WalReader reader(contents);
  std::string_view payload;
  WriteBatch batch;
  while (reader.ReadRecord(&payload)) {
    s = batch.SetContents(payload);
    if (s.ok()) {
      MemTableInserter inserter(batch.sequence(), mem_.get());
      s = batch.Iterate(&inserter);
    }
    if (!s.ok()) {
      return Status::Corruption(
          path + " at offset " +
          std::to_string(reader.good_offset() - payload.size() - wal::kHeaderSize) + ": " +
          std::string(s.message()));
    }
    last_sequence_ = std::max(last_sequence_, batch.sequence() + batch.Count() - 1);
    ++stats_.recovered_records;
  }
  *good_size = reader.good_offset();
  if (reader.error().empty()) return Status::OK();

  std::string where =
      path + " at offset " + std::to_string(reader.good_offset()) + ": " + reader.error();
  if (!is_last) {
    // Sealed segments were synced before the next one began: damage here is not a torn
    // write, and cutting would drop acknowledged writes that follow it.
    return Status::Corruption(where);
  }
  uint64_t cut = contents.size() - reader.good_offset();
  if (options_.info_log) {
    options_.info_log("WAL " + where + "; cutting the torn tail (" + std::to_string(cut) +
                      " bytes) and opening at the last good record");
  }
  stats_.recovered_torn_bytes += cut;
  return env_->Truncate(path, reader.good_offset());
}

Status DBImpl::OpenLog(uint64_t number, uint64_t existing_size) {
  auto file = env_->NewAppendableFile(LogPath(number));
  if (!file.ok()) return file.status();
  Status s = env_->SyncDir(dir_);
  if (!s.ok()) return s;
  std::shared_ptr<WritableFile> shared(std::move(*file));
  wal_ = std::make_unique<WalWriter>(shared, number, existing_size);
  std::lock_guard<std::mutex> lock(sync_mu_);
  sync_file_ = std::move(shared);
  return Status::OK();
}

Status DBImpl::SwitchMemTable() {
  Status s = wal_->Flush();
  if (!s.ok()) {
    wal_write_error_ = s;
    return s;
  }
  // A sealed segment is always durable, so damage in a segment older than the newest is
  // corruption, never a power loss's torn tail. (Handing this sync to the sync thread took it
  // off the writer's path, but after a power loss a later segment could then reach the disk
  // while this one's tail did not. The writeback started every MiB leaves it little to do.)
  s = wal_->file()->Sync();
  if (!s.ok()) {
    fatal_error_ = s;
    return s;
  }
  uint64_t sealed_log = wal_->number();
  s = OpenLog(versions_.NewFileNumber(), 0);
  if (!s.ok()) {
    wal_write_error_ = s;
    return s;
  }
  sealed_.push_back(Sealed{std::move(mem_), sealed_log});
  mem_ = std::make_shared<MemTable>(&memory_reserve_, options_.memtable_size);
  MaybeScheduleWork();
  return Status::OK();
}

Status DBImpl::CheckWritable() {
  {
    std::lock_guard<std::mutex> lock(sync_mu_);
    if (!sync_error_.ok() && fatal_error_.ok()) fatal_error_ = sync_error_;
  }
  if (!fatal_error_.ok()) return fatal_error_;
  if (!wal_write_error_.ok()) return wal_write_error_;
  return bg_error_;
}

Status DBImpl::Put(const WriteOptions& options, std::string_view key, std::string_view value) {
  WriteBatch batch;
  batch.Put(key, value);
  return Write(options, &batch);
}

Status DBImpl::Delete(const WriteOptions& options, std::string_view key) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(options, &batch);
}

Status DBImpl::Write(const WriteOptions& options, WriteBatch* batch) {
  if (has_done_.load(std::memory_order_acquire)) PollBackgroundWork();
  if (options_.wait_on_stall && GetWriteStall() == WriteStall::kStop) {
    if (Status s = WaitOutStall(); !s.ok()) return s;
  }
  Status s = CheckWritable();
  if (!s.ok()) return s;
  if (batch->Count() == 0) return Status::OK();
  if (batch->data().size() > wal::kMaxRecordSize) {
    return Status::InvalidArgument("write batch larger than 4 GiB");
  }
  batch->set_sequence(last_sequence_ + 1);
  wal_->AddRecord(batch->data());
  MemTableInserter inserter(last_sequence_ + 1, mem_.get());
  s = batch->Iterate(&inserter);
  if (!s.ok()) return s;  // the batch was built by WriteBatch itself: cannot happen
  last_sequence_ += batch->Count();
  // The batch is applied and in the log buffer. A failed switch is latched for the writes
  // that follow; it does not make this one fail.
  if (mem_->ApproximateMemoryUsage() >= options_.memtable_size) (void)SwitchMemTable();
  return options.flush_wal ? FlushWal() : Status::OK();
}

Result<bool> DBImpl::Get(const ReadOptions& options, std::string_view key, std::string* value) {
  SequenceNumber seq = options.snapshot != nullptr ? options.snapshot->sequence() : last_sequence_;
  std::string_view found;
  MemTable::LookupResult r = mem_->Get(key, seq, &found);
  for (auto it = sealed_.rbegin(); r == MemTable::LookupResult::kNotFound && it != sealed_.rend();
       ++it) {
    r = it->mem->Get(key, seq, &found);
  }
  if (r == MemTable::LookupResult::kFound) {
    value->assign(found);
    return true;
  }
  if (r == MemTable::LookupResult::kDeleted) return false;
  CacheOnly cache_only = !options.cache_only      ? CacheOnly::kNo
                         : options.check_resident ? CacheOnly::kCheckMapped
                                                  : CacheOnly::kTrustMapped;
  auto v = versions_.current()->Get(&table_cache_, key, seq, value, cache_only);
  if (!v.ok()) return v.status();
  return *v == Version::LookupResult::kFound;
}

std::unique_ptr<Iterator> DBImpl::NewIterator(const ReadOptions& options) {
  SequenceNumber seq = options.snapshot != nullptr ? options.snapshot->sequence() : last_sequence_;
  std::vector<std::unique_ptr<InternalIterator>> children;
  children.push_back(MemTable::NewIterator(mem_));
  for (auto it = sealed_.rbegin(); it != sealed_.rend(); ++it) {
    children.push_back(MemTable::NewIterator(it->mem));
  }
  std::shared_ptr<const Version> version = versions_.current();
  version->AddIterators(&table_cache_, &children);
  // The iterator pins the Version, so none of the files it reads is deleted under it.
  return NewDBIterator(NewMergingIterator(std::move(children)), seq, options.lower_bound,
                       options.upper_bound, std::move(version));
}

std::unique_ptr<const Snapshot> DBImpl::GetSnapshot() {
  return std::make_unique<SnapshotImpl>(this, snapshots_.insert(last_sequence_));
}

DbStats DBImpl::GetStats() const {
  DbStats stats = stats_;
  stats.last_sequence = last_sequence_;
  stats.memtable_bytes = mem_->ApproximateMemoryUsage();
  stats.sealed_memtables = sealed_.size();
  for (const auto& s : sealed_) stats.sealed_memtable_bytes += s.mem->ApproximateMemoryUsage();
  stats.wal_segment = wal_->number();
  auto v = versions_.current();
  for (int level = 0; level < kNumLevels; ++level) {
    stats.levels[level].files = v->files(level).size();
    stats.levels[level].bytes = v->LevelBytes(level);
  }
  BlockCache::Stats cache = block_cache_.GetStats();
  stats.block_cache_hits = cache.hits;
  stats.block_cache_misses = cache.misses;
  stats.block_cache_usage = cache.usage;
  TableCache::Stats tables = table_cache_.GetStats();
  stats.open_tables = tables.open_tables;
  stats.pinned_table_bytes = tables.pinned_bytes;
  stats.mapped_blocks_evicted = tables.mapped_blocks_evicted;
  stats.table_blocks_read = tables.blocks_read;
  stats.flush_running = flush_running_;
  stats.compaction_running = compaction_running_;
  stats.stall_micros = stats_.stall_micros;
  stats.wal_syncs = wal_syncs_.load();
  stats.wal_bytes_written = wal_bytes_written_.load();
  return stats;
}

Status DBImpl::Checkpoint(const std::string& dir, std::function<void(Status)> done) {
  Status s = FlushWal();  // everything acknowledged so far is in it
  if (!s.ok()) return s;
  std::vector<std::string> links;
  for (int level = 0; level < kNumLevels; ++level) {
    for (const auto& f : versions_.current()->files(level)) {
      links.push_back(TableCache::TableFileName(dir_, f->number));
    }
  }
  for (const Sealed& sealed : sealed_) links.push_back(LogPath(sealed.log_number));
  auto plan = std::make_shared<CheckpointPlan>();
  s = plan->Begin(dir, links);
  if (s.ok()) s = plan->CopyLater(dir_ + "/" + versions_.manifest_name(), versions_.manifest_size());
  if (s.ok()) s = plan->CopyLater(LogPath(wal_->number()), wal_->size());
  if (!s.ok()) return s;
  std::string manifest = versions_.manifest_name();
  if (!done) return plan->Finish(env_, manifest);
  workers_->Submit([this, plan, manifest, done = std::move(done)] {
    Status result = plan->Finish(env_, manifest);
    PostToLoop([done, result] { done(result); });
  });
  return Status::OK();
}

}  // namespace strata
