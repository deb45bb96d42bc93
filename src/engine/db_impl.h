// DBImpl: the engine behind strata::DB.
//
// State: the active memtable and its WAL segment; sealed memtables (oldest first), each backed
// by its own segment until flushed; and the current Version of SSTs, recorded in the MANIFEST.
// Reads go memtable -> sealed memtables (newest first) -> level 0 (newest first) -> one file per
// deeper level.
//
// Background work: at most one flush (always the oldest sealed memtable, so level-0 files are
// in sequence order) and one compaction run at a time on the worker pool. Their results wait
// in done_ until the loop thread installs them in PollBackgroundWork: the MANIFEST records the
// edit, the Version changes, and only then are the flushed WAL segment and the replaced SSTs
// deleted (SSTs once no live Version lists them).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/block_cache.h"
#include "engine/compaction.h"
#include "engine/env.h"
#include "engine/memtable.h"
#include "engine/table_cache.h"
#include "engine/version_set.h"
#include "engine/wal_writer.h"
#include "engine/worker_pool.h"
#include "strata/db.h"

namespace strata {

// "000012.log" -> 12 (with suffix ".log"); false for any other name.
bool ParseFileName(const std::string& name, std::string_view suffix, uint64_t* number);

class DBImpl final : public DB {
 public:
  DBImpl(const Options& options, std::string dir, Env* env);
  ~DBImpl() override;

  // Locks the directory, reads the MANIFEST, and replays the WAL segments not yet flushed.
  Status Recover();

  Status Put(const WriteOptions& options, std::string_view key, std::string_view value) override;
  Status Delete(const WriteOptions& options, std::string_view key) override;
  Status Write(const WriteOptions& options, WriteBatch* batch) override;
  Result<bool> Get(const ReadOptions& options, std::string_view key, std::string* value) override;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) override;
  std::unique_ptr<const Snapshot> GetSnapshot() override;
  Status FlushWal() override;
  Status BackgroundError() const override;
  void SetWalSyncMode(WalSyncMode mode) override;
  DbStats GetStats() const override;
  uint64_t LastSequence() const override { return last_sequence_; }
  void CompactRangeInBackground(std::string_view begin, std::string_view end) override;
  Status Checkpoint(const std::string& dir, std::function<void(Status)> done) override;
  void PollBackgroundWork() override;
  WriteStall GetWriteStall() const override;
  Status CompactAll() override;
  void Prefetch(std::vector<std::string> keys, std::function<void()> done) override;
  void SetWakeup(std::function<void()> wake) override;

  // Seals the memtable and waits until every sealed memtable is flushed and no compaction is
  // pending or running (CompactAll's first step; tests reach it through
  // tests/support/engine_hooks.h, not through the public DB).
  Status FlushAndWaitForBackgroundWork();

  // Called by a snapshot's destructor.
  void ReleaseSnapshot(std::multiset<SequenceNumber>::iterator it) { snapshots_.erase(it); }

 private:
  struct Sealed {
    std::shared_ptr<const MemTable> mem;
    uint64_t log_number;
  };
  struct Done {  // a finished background job, waiting to be installed
    bool is_flush;
    JobResult result;
    CompactionSpec spec;  // compactions only
    std::function<void()> on_loop;  // set: not a flush or compaction; run it on the loop
  };

  std::string LogPath(uint64_t number) const;
  Status ReplayLog(uint64_t number, bool is_last, uint64_t* good_size);
  Status OpenLog(uint64_t number, uint64_t existing_size);
  // Seals the active memtable and starts a new one with a new log segment.
  Status SwitchMemTable();
  // Refuses writes while a log or background error is latched.
  Status CheckWritable();
  void SyncLoop();
  // VersionSet::LogAndApply, then asks the sync thread to make the record durable.
  Status LogAndApply(VersionEdit* edit);
  // On the sync thread, lock held: syncs the MANIFEST if records wait for it.
  void SyncManifest(std::unique_lock<std::mutex>& lock);
  // Any thread: queues a finished job for the loop thread's next PollBackgroundWork.
  void PostDone(Done done);
  // Any thread: queues fn to run on the loop thread at its next PollBackgroundWork.
  void PostToLoop(std::function<void()> fn);

  void MaybeScheduleWork();
  bool PickCompaction(CompactionSpec* spec);
  // Sets the bottommost flag, snapshots, target size and reserved output numbers of a spec
  // whose inputs and output level are set.
  void PrepareCompaction(const Version& v, CompactionSpec* spec);
  Status InstallFlush(Done& done);
  Status InstallCompaction(Done& done);
  void DeleteObsoleteFiles();
  void RecordBackgroundError(const Status& s);
  // Blocks until the background work catches up (wait_on_stall); returns a background error.
  Status WaitOutStall();
  uint64_t MaxBytesForLevel(int level) const;

  const Options options_;
  const TableOptions table_options_;
  const std::string dir_;
  Env* const env_;
  std::unique_ptr<FileLock> lock_;
  BlockCache block_cache_;
  TableCache table_cache_;
  VersionSet versions_;

  MemoryReserve memory_reserve_;  // the active memtable's memory, faulted in ahead of time
  std::shared_ptr<MemTable> mem_;
  std::deque<Sealed> sealed_;  // oldest first
  std::unique_ptr<WalWriter> wal_;
  uint64_t unsynced_bytes_ = 0;  // written since the last StartWriteback
  SequenceNumber last_sequence_ = 0;
  std::multiset<SequenceNumber> snapshots_;

  // A failed write(2) of the log: the bytes stay buffered and are retried; writes are refused
  // until a retry succeeds. A failed sync is fatal for the file and stays latched.
  Status wal_write_error_;
  Status fatal_error_;
  // A failed flush or compaction: writes are refused; the job is retried after a pause.
  Status bg_error_;
  int64_t bg_retry_after_ms_ = 0;

  // Background jobs. Loop thread: everything but done_ (guarded by done_mu_).
  bool flush_running_ = false;
  bool compaction_running_ = false;
  std::set<uint64_t> pending_outputs_;       // file numbers reserved by running jobs
  std::string compact_pointer_[kNumLevels];  // where the next compaction of a level starts
  // Requested range compactions, each walking down from `level` (CompactRangeInBackground).
  struct RangeRequest {
    std::string begin, end;
    int level = 0;
  };
  std::deque<RangeRequest> range_requests_;
  bool PickRangeCompaction(const Version& v, CompactionSpec* spec);
  // A file at least half tombstones, rewritten into the level below (when nothing else is due).
  bool PickTombstoneCompaction(const Version& v, CompactionSpec* spec);
  // inputs at level (all of level 0 for level 0) and what overlaps them below, filtered.
  void PrepareRewrite(const Version& v, int level, Version::Files inputs, CompactionSpec* spec);
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  std::deque<Done> done_;
  std::atomic<bool> has_done_{false};
  std::function<void()> wake_;  // guarded by done_mu_
  std::atomic<int> pending_deletions_{0};  // file-deletion jobs not finished

  DbStats stats_;

  // The everysec thread: syncs sync_file_ when wal_bytes_written_ moved since its last sync.
  std::atomic<WalSyncMode> sync_mode_;
  std::atomic<uint64_t> wal_bytes_written_{0};
  std::atomic<uint64_t> wal_syncs_{0};
  mutable std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::shared_ptr<WritableFile> sync_file_;  // guarded by sync_mu_
  // MANIFEST records to make durable (guarded by sync_mu_): the sync thread syncs
  // manifest_file_ once manifest_wanted_ passes manifest_synced_, then tells the loop
  // (VersionSet::MarkSynced). manifest_failed_ holds retries until its next timed wake.
  std::shared_ptr<WritableFile> manifest_file_;
  uint64_t manifest_wanted_ = 0, manifest_synced_ = 0;
  bool manifest_failed_ = false;
  bool writeback_wanted_ = false;  // guarded by sync_mu_: start writeback of sync_file_
  Status sync_error_;                        // guarded by sync_mu_
  bool stop_ = false;                        // guarded by sync_mu_
  std::thread sync_thread_;

  // Last members: destroyed first, so no job outlives what it uses. readers_ runs Prefetch.
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<WorkerPool> readers_;
};

}  // namespace strata
