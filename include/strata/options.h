// Options that control a database and individual reads and writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace strata {

class Env;
class Snapshot;

// When the write-ahead log is made durable; the names follow redis.conf's appendfsync.
enum class WalSyncMode {
  kAlways,    // FlushWal() calls fdatasync before returning: one sync per group of writes.
  kEverySec,  // a background thread syncs the log once a second.
  kNo,        // the operating system decides.
};

struct Options {
  // Size in bytes at which the active memtable is sealed and a new WAL segment started.
  // Default: 64 MiB.
  size_t memtable_size = 64u << 20;

  // See WalSyncMode. Default: kEverySec (Redis's default appendfsync).
  WalSyncMode wal_sync = WalSyncMode::kEverySec;

  // Create the directory (and its parents) if it does not exist. Default: true.
  bool create_if_missing = true;

  // Bytes of data blocks kept in the LRU block cache. Default: 256 MiB.
  size_t block_cache_size = 256u << 20;

  // Read SST data blocks through a read-only mapping of each file: no copy, no system call,
  // the kernel's page cache holds the blocks (and they count in the process's RSS once
  // touched, as reclaimable file pages). false: read them with pread into the block cache,
  // which then bounds their memory. Default: true.
  bool mmap_reads = true;

  // Threads that flush memtables and run compactions. Default: 2.
  int background_threads = 2;

  // Threads that read blocks for DB::Prefetch: how many cold reads are in flight at once (the
  // device's queue depth the server can use). Default: 8 (at 12.6M keys in 512 MiB on 2 cores,
  // 8 served more GETs than 4 or 16: more threads cost more in wake-ups than they add in depth).
  int read_threads = 8;

  // When background work falls behind (two sealed memtables waiting, or l0_stop_trigger
  // level-0 files), Write waits for it instead of letting memory grow. A server that must not
  // block its loop sets this to false and holds back its clients while GetWriteStall() says
  // kStop. Default: true.
  bool wait_on_stall = true;

  // Level-0 file count that triggers a compaction into level 1. Default: 4.
  int l0_compaction_trigger = 4;
  // Level-0 file count at which writes are slowed, and at which they wait for compaction.
  // Default: 12 and 20.
  int l0_slowdown_trigger = 12;
  int l0_stop_trigger = 20;

  // Target total size of level 1; each deeper level may hold 10x the one above.
  // Default: 256 MiB.
  uint64_t level1_max_bytes = 256ull << 20;

  // Size at which compaction output files are split. Default: 64 MiB.
  uint64_t target_file_size = 64ull << 20;

  // Most SST files kept open at once (file descriptors, index and filter blocks).
  // Default: 1000.
  int max_open_files = 1000;

  // Called by compactions, on worker threads, for each live value of the latest state;
  // returning true drops the entry. Default: none.
  std::function<bool(std::string_view key, std::string_view value)> compaction_filter;

  // Receives one line for each notable event (a torn log tail cut at open, ...).
  // Default: none.
  std::function<void(const std::string&)> info_log;

  // The file system seam; tests pass a fault-injecting one. Default: nullptr, the POSIX env.
  Env* env = nullptr;
};

struct WriteOptions {
  // When true, the write's log record is handed to the OS (and synced under kAlways) before
  // Write() returns. When false, it waits in the log buffer for the next FlushWal(), so many
  // writes share one write(2). Default: false.
  bool flush_wal = false;
};

struct ReadOptions {
  // Read as of this snapshot; nullptr reads the latest state. Default: nullptr.
  const Snapshot* snapshot = nullptr;

  // Iterators only: keys outside [lower_bound, upper_bound) are never returned, and the
  // iterator never looks beyond them. Empty means unbounded. The bytes must outlive the
  // iterator. Default: unbounded.
  std::string_view lower_bound;
  std::string_view upper_bound;

  // Gets only: never wait for the device. When a block the lookup needs is not in memory (not
  // in the block cache for tables read with pread; for mapped tables, not read since the
  // table was opened) the Get returns Status::Incomplete instead
  // of reading it, and the caller reads it elsewhere (DB::Prefetch) and asks again.
  // Default: false.
  bool cache_only = false;
  // With cache_only, for mapped tables: ask the kernel (mincore) whether a block read before
  // is still resident rather than trust that it is. For when memory is short: the server
  // turns it on when its loop took major page faults. Default: false.
  bool check_resident = false;
};

}  // namespace strata
