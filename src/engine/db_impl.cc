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

// "000012.log" -> 12 (with suffix ".log"); false for any other name.
bool ParseFileName(const std::string& name, std::string_view suffix, uint64_t* number) {
  if (name.size() <= suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  const char* end = name.data() + name.size() - suffix.size();
  auto [ptr, ec] = std::from_chars(name.data(), end, *number);
  return ec == std::errc() && ptr == end;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The smallest and largest user key of files. REQUIRES: !files.empty().
std::pair<std::string, std::string> KeyRange(const Version::Files& files) {
  std::string smallest = files.front()->smallest, largest = files.front()->largest;
  for (const auto& f : files) {
    if (CompareUserKey(f->smallest, smallest) < 0) smallest = f->smallest;
    if (CompareUserKey(f->largest, largest) > 0) largest = f->largest;
  }
  return {smallest, largest};
}

}  // namespace

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
          options.background_threads > 0 ? options.background_threads : 1)) {}

DBImpl::~DBImpl() {
  workers_.reset();  // finish the running job first: it uses the caches below
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
  auto v = versions_.current()->Get(&table_cache_, key, seq, value);
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
  stats.flush_running = flush_running_;
  stats.compaction_running = compaction_running_;
  stats.stall_micros = stats_.stall_micros;
  stats.wal_syncs = wal_syncs_.load();
  stats.wal_bytes_written = wal_bytes_written_.load();
  return stats;
}

}  // namespace strata

namespace strata {

uint64_t DBImpl::MaxBytesForLevel(int level) const {
  uint64_t bytes = options_.level1_max_bytes;
  for (int l = 1; l < level; ++l) bytes *= 10;
  return bytes;
}

WriteStall DBImpl::GetWriteStall() const {
  size_t l0 = versions_.current()->files(0).size();
  if (l0 >= static_cast<size_t>(options_.l0_stop_trigger) || sealed_.size() >= 2) {
    return WriteStall::kStop;
  }
  if (l0 >= static_cast<size_t>(options_.l0_slowdown_trigger) || !sealed_.empty()) {
    return WriteStall::kSlowdown;
  }
  return WriteStall::kNone;
}

Status DBImpl::WaitOutStall() {
  auto start = std::chrono::steady_clock::now();
  while (GetWriteStall() == WriteStall::kStop && bg_error_.ok()) {
    {
      std::unique_lock<std::mutex> lock(done_mu_);
      done_cv_.wait_for(lock, std::chrono::milliseconds(10), [this] { return !done_.empty(); });
    }
    PollBackgroundWork();
  }
  stats_.stall_micros +=
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count());
  return bg_error_;
}

void DBImpl::RecordBackgroundError(const Status& s) {
  if (options_.info_log) options_.info_log("Background job failed: " + s.ToString());
  bg_error_ = s;
  bg_retry_after_ms_ = NowMs() + 1000;
}

void DBImpl::MaybeScheduleWork() {
  if (!bg_error_.ok()) {
    if (NowMs() < bg_retry_after_ms_) return;
    bg_error_ = Status::OK();  // retry: a full disk may have room again
  }
  if (!flush_running_ && !sealed_.empty()) {
    flush_running_ = true;
    std::shared_ptr<const MemTable> mem = sealed_.front().mem;
    uint64_t number = versions_.NewFileNumber();
    pending_outputs_.insert(number);
    workers_->Submit([this, mem, number] {
      PostDone(Done{true, RunFlush(*mem, number, env_, dir_, table_options_), {}});
    });
  }
  CompactionSpec spec;
  if (!compaction_running_ && PickCompaction(&spec)) {
    if (!spec.rewrite && spec.inputs[0].first > 0 && spec.inputs[0].second.size() == 1 &&
        spec.inputs[1].second.empty()) {
      // A trivial move: nothing to merge with below, so the file changes level only.
      for (uint64_t i = 0; i < spec.max_outputs; ++i) {
        pending_outputs_.erase(spec.first_file_number + i);
      }
      VersionEdit edit;
      const FileMeta& moved = *spec.inputs[0].second[0];
      edit.deleted_files.emplace_back(spec.inputs[0].first, moved.number);
      edit.new_files.emplace_back(spec.output_level, moved);
      versions_.set_last_sequence(last_sequence_);
      Status s = LogAndApply(&edit);
      if (!s.ok()) return RecordBackgroundError(s);
      stats_.trivial_moves++;
      return MaybeScheduleWork();
    }
    compaction_running_ = true;
    workers_->Submit([this, spec] {
      Done done{false,
                RunCompaction(spec, &table_cache_, env_, dir_, table_options_,
                              options_.compaction_filter),
                spec};
      PostDone(std::move(done));
    });
  }
}

bool DBImpl::PickCompaction(CompactionSpec* spec) {
  std::shared_ptr<const Version> v = versions_.current();
  int level = -1;
  if (v->files(0).size() >= static_cast<size_t>(options_.l0_compaction_trigger)) {
    level = 0;
  } else {
    double best = 1.0;
    for (int l = 1; l < kNumLevels - 1; ++l) {
      double score = static_cast<double>(v->LevelBytes(l)) / MaxBytesForLevel(l);
      if (score >= best) {
        best = score;
        level = l;
      }
    }
  }
  if (level < 0) return PickRangeCompaction(*v, spec) || PickTombstoneCompaction(*v, spec);
  Version::Files inputs;
  if (level == 0) {
    inputs = v->files(0);
  } else {
    // Round-robin through the level: the first file past where the last compaction ended.
    const auto& files = v->files(level);
    auto it = std::find_if(files.begin(), files.end(), [&](const auto& f) {
      return compact_pointer_[level].empty() ||
             CompareUserKey(f->smallest, compact_pointer_[level]) > 0;
    });
    inputs = {it == files.end() ? files.front() : *it};
  }
  auto [smallest, largest] = KeyRange(inputs);
  if (level > 0) compact_pointer_[level] = largest;
  spec->inputs = {{level, inputs}, {level + 1, v->Overlapping(level + 1, smallest, largest)}};
  spec->output_level = level + 1;
  PrepareCompaction(*v, spec);
  return true;
}

void DBImpl::CompactRangeInBackground(std::string_view begin, std::string_view end) {
  range_requests_.push_back({std::string(begin), std::string(end), 0});
  // The range may be in the memtable too: seal it, so it is flushed and then compacted.
  if (!mem_->empty() && FlushWal().ok() && !SwitchMemTable().ok()) return;
  MaybeScheduleWork();
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
  if (!done) return plan->Finish(manifest);
  workers_->Submit([this, plan, manifest, done = std::move(done)] {
    Status result = plan->Finish(manifest);
    PostToLoop([done, result] { done(result); });
  });
  return Status::OK();
}

bool DBImpl::PickRangeCompaction(const Version& v, CompactionSpec* spec) {
  if (flush_running_ || !sealed_.empty()) return false;  // start once the memtables are down
  while (!range_requests_.empty()) {
    RangeRequest& r = range_requests_.front();
    if (r.level >= kNumLevels - 1) {
      range_requests_.pop_front();
      continue;
    }
    int level = r.level++;
    Version::Files inputs = v.Overlapping(level, r.begin, r.end);
    if (inputs.empty()) continue;
    PrepareRewrite(v, level, std::move(inputs), spec);
    return true;
  }
  return false;
}

bool DBImpl::PickTombstoneCompaction(const Version& v, CompactionSpec* spec) {
  // Files that are mostly tombstones (a drained queue, a deleted range) slow every scan that
  // crosses them; rewriting them into the level below drops the tombstones once nothing
  // deeper can hold what they delete. The last level is never picked, so this ends.
  for (int level = 0; level < kNumLevels - 1; ++level) {
    for (const auto& f : v.files(level)) {
      if (f->deletions > 0 && f->deletions * 2 >= f->entries) {
        PrepareRewrite(v, level, {f}, spec);
        stats_.tombstone_compactions++;
        return true;
      }
    }
  }
  return false;
}

void DBImpl::PrepareRewrite(const Version& v, int level, Version::Files inputs,
                            CompactionSpec* spec) {
  // Level-0 files overlap each other: newer ones must not end up below older ones, so they
  // all go down together.
  if (level == 0) inputs = v.files(0);
  auto [smallest, largest] = KeyRange(inputs);
  spec->inputs = {{level, inputs}, {level + 1, v.Overlapping(level + 1, smallest, largest)}};
  spec->output_level = level + 1;
  spec->rewrite = true;
  PrepareCompaction(v, spec);
}

void DBImpl::PrepareCompaction(const Version& v, CompactionSpec* spec) {
  Version::Files all;
  for (const auto& [level, files] : spec->inputs) all.insert(all.end(), files.begin(), files.end());
  auto [smallest, largest] = KeyRange(all);
  spec->bottommost = true;
  for (int deeper = spec->output_level + 1; deeper < kNumLevels; ++deeper) {
    if (!v.Overlapping(deeper, smallest, largest).empty()) spec->bottommost = false;
  }
  spec->max_outputs = spec->InputFiles() + 16;
  spec->first_file_number = versions_.NewFileNumber();
  for (uint64_t i = 1; i < spec->max_outputs; ++i) versions_.NewFileNumber();
  for (uint64_t i = 0; i < spec->max_outputs; ++i) {
    pending_outputs_.insert(spec->first_file_number + i);
  }
  spec->target_file_size = options_.target_file_size;
  spec->snapshots.assign(snapshots_.begin(), snapshots_.end());
}

void DBImpl::PollBackgroundWork() {
  if (!has_done_.load(std::memory_order_acquire)) {
    if (!bg_error_.ok()) MaybeScheduleWork();  // a retry may be due
    return;
  }
  std::deque<Done> done;
  {
    std::lock_guard<std::mutex> lock(done_mu_);
    done.swap(done_);
    has_done_.store(false, std::memory_order_release);
  }
  for (Done& d : done) {
    if (d.on_loop) {
      d.on_loop();
      continue;
    }
    Status s = d.is_flush ? InstallFlush(d) : InstallCompaction(d);
    if (!s.ok()) RecordBackgroundError(s);
  }
  DeleteObsoleteFiles();
  MaybeScheduleWork();
}

Status DBImpl::InstallFlush(Done& done) {
  flush_running_ = false;
  for (const auto& f : done.result.outputs) pending_outputs_.erase(f.number);
  if (!done.result.status.ok()) return done.result.status;
  VersionEdit edit;
  for (const auto& f : done.result.outputs) edit.new_files.emplace_back(0, f);
  // The oldest WAL segment still needed: the next sealed memtable's, or the active one.
  edit.log_number = sealed_.size() > 1 ? sealed_[1].log_number : wal_->number();
  versions_.set_last_sequence(last_sequence_);
  CrashPoint("sst-before-manifest");
  Status s = LogAndApply(&edit);
  if (!s.ok()) return s;
  CrashPoint("manifest-before-wal-delete");
  sealed_.pop_front();
  stats_.flushes++;
  stats_.bytes_flushed += done.result.bytes_written;
  return Status::OK();
}

Status DBImpl::InstallCompaction(Done& done) {
  compaction_running_ = false;
  const CompactionSpec& spec = done.spec;
  for (uint64_t i = 0; i < spec.max_outputs; ++i)
    pending_outputs_.erase(spec.first_file_number + i);
  if (!done.result.status.ok()) return done.result.status;
  VersionEdit edit;
  for (const auto& [level, files] : spec.inputs) {
    for (const auto& f : files) edit.deleted_files.emplace_back(level, f->number);
  }
  for (const auto& f : done.result.outputs) edit.new_files.emplace_back(spec.output_level, f);
  versions_.set_last_sequence(last_sequence_);
  CrashPoint("sst-before-manifest");
  Status s = LogAndApply(&edit);
  if (!s.ok()) return s;
  stats_.compactions++;
  stats_.compaction_bytes_read += done.result.bytes_read;
  stats_.compaction_bytes_written += done.result.bytes_written;
  return Status::OK();
}

void DBImpl::DeleteObsoleteFiles() {
  std::vector<uint64_t> live = versions_.LiveFiles();
  std::vector<std::string> names;
  if (!env_->ListDir(dir_, &names).ok()) return;
  uint64_t oldest_log = sealed_.empty() ? wal_->number() : sealed_.front().log_number;
  std::vector<std::string> doomed;
  for (const auto& name : names) {
    uint64_t number;
    bool remove = false;
    if (ParseFileName(name, ".sst", &number)) {
      remove = !std::binary_search(live.begin(), live.end(), number) &&
               pending_outputs_.count(number) == 0;
      if (remove) table_cache_.Evict(number);
    } else if (ParseFileName(name, ".log", &number)) {
      remove = number < oldest_log && number < versions_.durable_log_number();
    } else if (name.rfind("MANIFEST-", 0) == 0) {
      remove = name != versions_.manifest_name();
    }
    if (remove) doomed.push_back(dir_ + "/" + name);
  }
  if (doomed.empty()) return;
  // Nothing refers to these files any more. Unlinking a large file can take 100+ ms (the file
  // system frees its extents), so it happens on a worker, not in the writer's way.
  pending_deletions_.fetch_add(1);
  workers_->Submit([this, doomed = std::move(doomed)] {
    for (const auto& path : doomed) (void)env_->RemoveFile(path);
    pending_deletions_.fetch_sub(1);
  });
}

Status DBImpl::CompactAll() {
  if (Status s = TEST_FlushAndCompact(); !s.ok()) return s;
  // One merge of every file into the last level: each byte is rewritten once.
  Done done{false, {}, {}};
  {
    std::shared_ptr<const Version> v = versions_.current();  // released before the cleanup
    if (v->NumFiles() == 0) return Status::OK();
    for (int level = 0; level < kNumLevels; ++level) {
      if (!v->files(level).empty()) done.spec.inputs.emplace_back(level, v->files(level));
    }
    done.spec.output_level = kNumLevels - 1;
    PrepareCompaction(*v, &done.spec);
  }
  done.result = RunCompaction(done.spec, &table_cache_, env_, dir_, table_options_,
                              options_.compaction_filter);
  compaction_running_ = true;  // InstallCompaction clears it
  if (Status s = InstallCompaction(done); !s.ok()) {
    RecordBackgroundError(s);
    return s;
  }
  done.spec.inputs.clear();
  // Synced here, not by the sync thread, so the merged files go now (the caller wants the
  // space back).
  if (Status s = versions_.manifest_file()->Sync(); !s.ok()) return s;
  versions_.MarkSynced(versions_.records_written());
  DeleteObsoleteFiles();
  while (pending_deletions_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::OK();
}

void DBImpl::PostDone(Done done) {
  std::lock_guard<std::mutex> lock(done_mu_);
  done_.push_back(std::move(done));
  has_done_.store(true, std::memory_order_release);
  done_cv_.notify_all();
}

void DBImpl::PostToLoop(std::function<void()> fn) { PostDone(Done{false, {}, {}, std::move(fn)}); }

Status DBImpl::TEST_FlushAndCompact() {
  if (!mem_->empty()) {
    if (Status s = FlushWal(); !s.ok()) return s;
    if (Status s = SwitchMemTable(); !s.ok()) return s;
  }
  while (true) {
    PollBackgroundWork();
    if (!bg_error_.ok()) return bg_error_;
    CompactionSpec spec;
    bool idle = !flush_running_ && !compaction_running_ && sealed_.empty();
    if (idle) {
      // Done when nothing would be picked (PickCompaction moves the compact pointer, so ask
      // through MaybeScheduleWork, which starts the job if there is one).
      MaybeScheduleWork();
      if (!flush_running_ && !compaction_running_ && pending_deletions_.load() == 0 &&
          versions_.all_synced()) {
        return Status::OK();
      }
    }
    std::unique_lock<std::mutex> lock(done_mu_);
    done_cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return !done_.empty(); });
  }
}

}  // namespace strata
