// DBImpl, the background half: when writes must slow down or wait, which flush or compaction
// runs next (size-triggered, range requests from the keyspace's reclaims, tombstone-dense
// files), installing their results on the loop thread, and deleting the files no version
// refers to any more. Jobs run on the worker pool; their results come back through PostDone
// and are installed by PollBackgroundWork.
#include <algorithm>
#include <chrono>

#include "engine/db_impl.h"  // DBImpl's members: this file is the rest of db_impl.cc
#include "engine/crash_point.h"

namespace strata {
namespace {

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
  if (Status s = FlushAndWaitForBackgroundWork(); !s.ok()) return s;
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
  {
    std::lock_guard<std::mutex> lock(done_mu_);
    done_.push_back(std::move(done));
    has_done_.store(true, std::memory_order_release);
    // Under the lock: once SetWakeup(nullptr) returns, no wake-up is under way.
    if (wake_) wake_();
  }
  done_cv_.notify_all();
}

void DBImpl::SetWakeup(std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(done_mu_);
  wake_ = std::move(wake);
}

void DBImpl::Prefetch(std::vector<std::string> keys, std::function<void()> done) {
  if (keys.empty()) return PostToLoop(std::move(done));
  struct Batch {
    std::atomic<size_t> left;
    std::function<void()> done;
  };
  auto batch = std::make_shared<Batch>();
  batch->left = keys.size();
  batch->done = std::move(done);
  std::shared_ptr<const Version> version = versions_.current();
  SequenceNumber seq = last_sequence_;
  for (std::string& key : keys) {
    readers_->Submit([this, version, seq, batch, key = std::move(key)] {
      std::string value;
      // An error is not reported here: the caller's Get meets it again, on its own thread.
      (void)version->Get(&table_cache_, key, seq, &value);
      if (batch->left.fetch_sub(1) == 1) PostToLoop(std::move(batch->done));
    });
  }
}

void DBImpl::PostToLoop(std::function<void()> fn) { PostDone(Done{false, {}, {}, std::move(fn)}); }

Status DBImpl::FlushAndWaitForBackgroundWork() {
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
