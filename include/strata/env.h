// Env: the engine's only door to the file system, so tests can inject faults (ENOSPC, a
// failed fsync) exactly where a real disk would fail (Options::env). The server uses it too,
// for the files it writes itself (CONFIG REWRITE).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/status.h"

namespace strata {

// A file opened for appending. Append and Sync may be called from different threads
// (the loop appends, the everysec thread syncs); nothing else is shared.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends data with as many write(2) calls as it takes. On failure *written says how many
  // bytes did reach the file, so the caller can retry the rest.
  virtual Status Append(std::string_view data, size_t* written) = 0;
  virtual Status Sync() = 0;
  // Starts writeback of what was appended so far without waiting for it, so a later Sync
  // has little left to do. A hint: errors are ignored.
  virtual void StartWriteback() {}
  virtual const std::string& path() const = 0;
};

// A file read at arbitrary offsets (SSTables). Thread-safe: reads are pread(2).
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads exactly n bytes at offset into *out; IOError (naming file and offset) when the
  // file is shorter or the read fails.
  virtual Status Read(uint64_t offset, size_t n, std::string* out) const = 0;
  virtual uint64_t size() const = 0;
  virtual const std::string& path() const = 0;
  // The whole file as memory, when it is mapped (valid while this object lives); empty when
  // reads must go through Read.
  virtual std::string_view mapped() const { return {}; }
  // Starts reading [offset, offset + n) into memory without waiting (a hint; the default
  // does nothing).
  virtual void WillNeed(uint64_t offset, size_t n) const { (void)offset, (void)n; }
};

// An exclusive lock on a file, released when destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Env {
 public:
  virtual ~Env() = default;
  // The process-wide POSIX env.
  static Env* Default();

  // Opens path for appending, creating it if missing.
  virtual Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path);
  // map: also map the file into memory (RandomAccessFile::mapped), when possible.
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path,
                                                                        bool map = true);
  virtual Status ReadFile(const std::string& path, std::string* contents);
  virtual Status Truncate(const std::string& path, uint64_t size);
  virtual Status CreateDirs(const std::string& dir);
  virtual Status SyncDir(const std::string& dir);
  virtual Status ListDir(const std::string& dir, std::vector<std::string>* names);
  virtual Status RemoveFile(const std::string& path);
  // Atomically replaces `to` with `from` (rename(2)).
  virtual Status RenameFile(const std::string& from, const std::string& to);
  // Takes an exclusive advisory lock; Busy when another process holds it.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path);

  // Replaces path with contents so that a crash leaves either the old file or the new one:
  // writes path + ".tmp", syncs it, renames it over path and syncs the directory. The one way
  // every small file (CURRENT, the config file) is replaced; built on the calls above, so a
  // fault-injecting Env fails it where a disk would.
  Status WriteFileAtomically(const std::string& path, std::string_view contents);
};

}  // namespace strata
