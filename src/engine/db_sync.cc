// DBImpl, the log half: FlushWal hands the WAL buffer to the OS (and syncs it under
// appendfsync always), and the sync thread makes the rest durable off the writer's thread:
// the active segment once a second under everysec, writeback of the log every MiB, and
// MANIFEST records, which it reports back to the loop (VersionSet::MarkSynced).
#include <algorithm>
#include <chrono>

#include "engine/db_impl.h"  // DBImpl's members: this file is the rest of db_impl.cc

namespace strata {

Status DBImpl::FlushWal() {
  PollBackgroundWork();
  if (!fatal_error_.ok()) return fatal_error_;
  if (wal_->has_buffered()) {
    uint64_t pending = wal_->buffered_bytes();
    Status s = wal_->Flush();
    if (!s.ok()) {
      wal_write_error_ = s;  // the bytes stay buffered; the next call retries them
      return s;
    }
    wal_bytes_written_.fetch_add(pending, std::memory_order_relaxed);
    // Keep writeback going, so the sync when the segment is sealed has little left to do
    // (RocksDB's wal_bytes_per_sync): a 64 MiB segment synced at once stalled writes ~90 ms.
    unsynced_bytes_ += pending;
    if (unsynced_bytes_ >= (1u << 20)) {
      // On the sync thread: sync_file_range blocks while the disk's queue is full.
      std::lock_guard<std::mutex> lock(sync_mu_);
      writeback_wanted_ = true;
      sync_cv_.notify_one();
      unsynced_bytes_ = 0;
    }
    if (sync_mode_.load(std::memory_order_relaxed) == WalSyncMode::kAlways) {
      s = wal_->file()->Sync();
      wal_syncs_.fetch_add(1, std::memory_order_relaxed);
      if (!s.ok()) {
        fatal_error_ = s;
        return s;
      }
    }
  }
  // Everything buffered is written. A failed segment switch left nothing buffered: clearing
  // its error lets the next write retry the switch, and meanwhile the current segment works.
  wal_write_error_ = Status::OK();
  return Status::OK();
}

Status DBImpl::BackgroundError() const {
  if (!fatal_error_.ok()) return fatal_error_;
  {
    std::lock_guard<std::mutex> lock(sync_mu_);
    if (!sync_error_.ok()) return sync_error_;
  }
  if (!wal_write_error_.ok()) return wal_write_error_;
  return bg_error_;
}

void DBImpl::SetWalSyncMode(WalSyncMode mode) { sync_mode_.store(mode); }

Status DBImpl::LogAndApply(VersionEdit* edit) {
  Status s = versions_.LogAndApply(edit);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(sync_mu_);
  manifest_file_ = versions_.manifest_file();
  manifest_wanted_ = versions_.records_written();
  sync_cv_.notify_one();
  return Status::OK();
}

void DBImpl::SyncManifest(std::unique_lock<std::mutex>& lock) {
  if (manifest_wanted_ <= manifest_synced_ || manifest_failed_) return;
  uint64_t wanted = manifest_wanted_;
  std::shared_ptr<WritableFile> file = manifest_file_;
  lock.unlock();
  Status s = file->Sync();
  if (s.ok()) {
    PostToLoop([this, wanted] {
      versions_.MarkSynced(wanted);  // DeleteObsoleteFiles, next, may now drop what it kept
    });
  } else {
    PostToLoop([this, s] { RecordBackgroundError(s); });
  }
  lock.lock();
  if (s.ok()) {
    manifest_synced_ = std::max(manifest_synced_, wanted);
  } else {
    manifest_failed_ = true;
  }
}


void DBImpl::SyncLoop() {
  uint64_t synced = wal_bytes_written_.load();
  std::unique_lock<std::mutex> lock(sync_mu_);
  while (!stop_) {
    bool woken = sync_cv_.wait_for(lock, std::chrono::seconds(1), [this] {
      return stop_ || (manifest_wanted_ > manifest_synced_ && !manifest_failed_) ||
             writeback_wanted_;
    });
    if (!woken) manifest_failed_ = false;  // a failed MANIFEST sync is retried once a second
    if (writeback_wanted_) {
      writeback_wanted_ = false;
      std::shared_ptr<WritableFile> file = sync_file_;
      lock.unlock();
      file->StartWriteback();
      lock.lock();
    }
    SyncManifest(lock);
    if (stop_ || sync_mode_.load() != WalSyncMode::kEverySec || !sync_error_.ok()) continue;
    uint64_t written = wal_bytes_written_.load();
    if (written == synced) continue;
    std::shared_ptr<WritableFile> file = sync_file_;
    lock.unlock();
    Status s = file->Sync();
    lock.lock();
    wal_syncs_.fetch_add(1, std::memory_order_relaxed);
    if (s.ok()) {
      synced = written;
    } else {
      sync_error_ = s;
    }
  }
}

}  // namespace strata
