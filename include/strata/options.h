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
};

}  // namespace strata
