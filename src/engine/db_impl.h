// DBImpl: the engine behind strata::DB. For now the whole state is memtables: the active one
// plus sealed ones, each backed by its own WAL segment and replayed from it at open.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/env.h"
#include "engine/memtable.h"
#include "engine/wal_writer.h"
#include "strata/db.h"

namespace strata {

class DBImpl final : public DB {
 public:
  DBImpl(const Options& options, std::string dir, Env* env);
  ~DBImpl() override;

  // Locks the directory and replays its log segments.
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

  // Called by a snapshot's destructor.
  void ReleaseSnapshot(std::multiset<SequenceNumber>::iterator it) { snapshots_.erase(it); }

 private:
  struct Sealed {
    std::shared_ptr<const MemTable> mem;
    uint64_t log_number;
  };

  std::string LogPath(uint64_t number) const;
  Status ReplayLog(uint64_t number, bool is_last, uint64_t* good_size);
  Status OpenLog(uint64_t number, uint64_t existing_size);
  // Seals the active memtable and starts a new one with a new log segment.
  Status SwitchMemTable();
  // Refuses writes while a log error is latched; clears a write error whose retry succeeded.
  Status CheckWritable();
  void SyncLoop();

  const Options options_;
  const std::string dir_;
  Env* const env_;
  std::unique_ptr<FileLock> lock_;

  std::shared_ptr<MemTable> mem_;
  std::vector<Sealed> sealed_;  // oldest first
  std::unique_ptr<WalWriter> wal_;
  uint64_t next_file_number_ = 1;
  SequenceNumber last_sequence_ = 0;
  std::multiset<SequenceNumber> snapshots_;

  // A failed write(2) of the log: the bytes stay buffered and are retried; writes are refused
  // until a retry succeeds. A failed sync is fatal for the file and stays latched.
  Status wal_write_error_;
  Status fatal_error_;

  DbStats stats_;

  // The everysec thread: syncs sync_file_ when wal_bytes_written_ moved since its last sync.
  std::atomic<WalSyncMode> sync_mode_;
  std::atomic<uint64_t> wal_bytes_written_{0};
  std::atomic<uint64_t> wal_syncs_{0};
  mutable std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::shared_ptr<WritableFile> sync_file_;  // guarded by sync_mu_
  Status sync_error_;                        // guarded by sync_mu_
  bool stop_ = false;                        // guarded by sync_mu_
  std::thread sync_thread_;
};

}  // namespace strata
