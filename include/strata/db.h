// DB: a persistent, ordered map from byte-string keys to byte-string values.
//
// Threading: a DB and everything it hands out (iterators, snapshots) belong to one thread,
// the "loop thread"; the engine's own background threads never touch them. This is what lets
// the write path run without locks.
//
// Durability: every write is appended to the write-ahead log buffer before it is applied. The
// buffer reaches the OS at FlushWal() (one write(2) for all writes since the last call) and is
// synced according to Options::wal_sync. A caller that acknowledges writes must call
// FlushWal() before acknowledging them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "strata/iterator.h"
#include "strata/options.h"
#include "strata/status.h"
#include "strata/write_batch.h"

namespace strata {

// A consistent read view. Obtained from DB::GetSnapshot(); released by destroying it.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
  virtual uint64_t sequence() const = 0;
};

// Figures for INFO and tests.
struct LevelStats {
  uint64_t files = 0;
  uint64_t bytes = 0;
};

// How hard writes should be held back while compaction catches up (see DB::WriteStall).
enum class WriteStall { kNone, kSlowdown, kStop };

struct DbStats {
  LevelStats levels[7];
  uint64_t flushes = 0, compactions = 0, trivial_moves = 0;
  uint64_t tombstone_compactions = 0;  // of the compactions: picked for tombstone-dense files
  uint64_t bytes_flushed = 0;          // SST bytes written by flushes
  uint64_t compaction_bytes_read = 0;
  uint64_t compaction_bytes_written = 0;
  uint64_t block_cache_hits = 0, block_cache_misses = 0, block_cache_usage = 0;
  uint64_t open_tables = 0, pinned_table_bytes = 0;  // index and filter blocks held in memory
  uint64_t mapped_blocks_evicted = 0;  // ReadOptions::check_resident found a read block gone
  // Data blocks clients' reads took from SST files or their mappings (not the block cache).
  uint64_t table_blocks_read = 0;
  bool flush_running = false, compaction_running = false;
  uint64_t stall_micros = 0;  // time Write spent waiting on a stall
  uint64_t last_sequence = 0;
  size_t memtable_bytes = 0;    // arena bytes of the active memtable
  size_t sealed_memtables = 0;  // sealed memtables waiting to be flushed
  size_t sealed_memtable_bytes = 0;
  uint64_t wal_bytes_written = 0;  // bytes handed to the OS since open
  uint64_t wal_syncs = 0;
  uint64_t wal_segment = 0;           // number of the active log segment
  uint64_t recovered_records = 0;     // log records replayed at open
  uint64_t recovered_torn_bytes = 0;  // bytes cut from a torn log tail at open
};

class DB {
 public:
  // Opens (creating if allowed) the database in directory dir and replays its log.
  static Result<std::unique_ptr<DB>> Open(const Options& options, const std::string& dir);

  DB() = default;
  DB(const DB&) = delete;
  DB& operator=(const DB&) = delete;
  // Flushes and syncs the log, then closes every file.
  virtual ~DB() = default;

  virtual Status Put(const WriteOptions& options, std::string_view key, std::string_view value) = 0;
  virtual Status Delete(const WriteOptions& options, std::string_view key) = 0;
  // Applies every update in batch atomically: after a crash all or none of it is present.
  virtual Status Write(const WriteOptions& options, WriteBatch* batch) = 0;

  // Looks key up. Returns true and fills *value when found, false when absent or deleted.
  virtual Result<bool> Get(const ReadOptions& options, std::string_view key,
                           std::string* value) = 0;

  // Returns an iterator over the database as of options.snapshot (or now). The iterator
  // keeps what it reads alive. REQUIRES: it is destroyed before the DB.
  virtual std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) = 0;

  // Returns a snapshot of the current state. REQUIRES: destroyed before the DB.
  virtual std::unique_ptr<const Snapshot> GetSnapshot() = 0;

  // Hands the buffered log bytes to the OS in one write(2), and syncs them under
  // WalSyncMode::kAlways. A failed write or sync is latched: later writes are refused with
  // the same error (reads go on). Cheap when nothing is buffered.
  virtual Status FlushWal() = 0;

  // The latched background/log error, OK when healthy.
  virtual Status BackgroundError() const = 0;

  // Changes the log sync policy at run time.
  virtual void SetWalSyncMode(WalSyncMode mode) = 0;

  virtual DbStats GetStats() const = 0;

  // Asks for the keys in [begin, end] to be compacted level by level down to the bottom, on
  // the worker pool, whenever no other compaction is due. For a caller that just made the
  // range garbage (its compaction filter drops it): the space comes back without waiting for
  // new writes to push compactions through the range.
  virtual void CompactRangeInBackground(std::string_view begin, std::string_view end) = 0;

  // Makes a checkpoint: a consistent copy of the database as of now, in the new directory
  // dir (on the same file system), that DB::Open opens. Tables and sealed log segments are
  // hard-linked at once; copying the active log segment's bytes so far and the MANIFEST runs
  // on the worker pool when done is given, and done(status) is then called on this thread
  // from PollBackgroundWork; without done everything happens before Checkpoint returns.
  // Loop thread only.
  virtual Status Checkpoint(const std::string& dir, std::function<void(Status)> done) = 0;

  // The sequence number of the last write (each entry of a batch takes one).
  virtual uint64_t LastSequence() const = 0;

  // Installs the results of finished background jobs (flushes, compactions) and starts the
  // next ones. Cheap when nothing finished; FlushWal and Write call it too, so a caller that
  // flushes the log every loop turn needs nothing else.
  virtual void PollBackgroundWork() = 0;

  // Whether writes should slow down or wait: L0 files or sealed memtables piling up.
  virtual WriteStall GetWriteStall() const = 0;

  // Flushes the memtable and merges every level down into the last one, dropping everything
  // no snapshot can see (and whatever the compaction filter drops). Runs on the calling
  // thread and blocks it until done: for operators, tests and benchmarks, not for a loop
  // that serves clients.
  virtual Status CompactAll() = 0;

  // Reads, on the engine's read threads, everything point lookups of keys need (as Get would,
  // into the block cache and the page cache), then queues done for the loop thread: it runs
  // from PollBackgroundWork. Many calls in flight at once use the device's queue depth.
  virtual void Prefetch(std::vector<std::string> keys, std::function<void()> done) = 0;

  // Called on a worker thread whenever results wait for PollBackgroundWork (a finished flush,
  // compaction or prefetch), so that a loop sleeping in epoll can wake and poll; it must be
  // quick and must not call the DB. Set before serving; SetWakeup(nullptr) before the loop
  // goes (no call is under way once it returns).
  virtual void SetWakeup(std::function<void()> wake) = 0;
};

// Prefix helpers: the smallest key greater than every key starting with prefix, or an empty
// string when there is none (prefix is all 0xff). Use as ReadOptions::upper_bound.
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace strata
