// Version: one immutable set of live SSTs per level. VersionSet: the current Version, the
// MANIFEST that records every change to it, and the file-number and sequence counters.
//
// Level 0 holds flushed memtables, newest first, and its files may overlap. Levels 1.. hold
// files sorted by key with disjoint user-key ranges, so a point read touches at most one file
// per level.
//
// Threading: the VersionSet is used by the loop thread only. A Version is immutable and shared
// (std::shared_ptr) with iterators, snapshots' readers and background jobs; a file is deleted
// only once no live Version lists it.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "engine/env.h"
#include "engine/table_cache.h"
#include "engine/version_edit.h"
#include "engine/wal_writer.h"

namespace strata {

class Version {
 public:
  using Files = std::vector<std::shared_ptr<const FileMeta>>;

  const Files& files(int level) const { return files_[level]; }
  uint64_t LevelBytes(int level) const;
  size_t NumFiles() const;

  enum class LookupResult { kNotFound, kFound, kDeleted };
  // The newest version of key visible at seq in this Version's tables.
  Result<LookupResult> Get(TableCache* cache, std::string_view key, SequenceNumber seq,
                           std::string* value, CacheOnly cache_only = CacheOnly::kNo) const;

  // One iterator per L0 file and one per deeper non-empty level, appended to *out.
  void AddIterators(TableCache* cache, std::vector<std::unique_ptr<InternalIterator>>* out) const;

  // Files of level whose user-key range intersects [smallest, largest].
  Files Overlapping(int level, std::string_view smallest, std::string_view largest) const;

 private:
  friend class VersionSet;
  std::array<Files, kNumLevels> files_;
};

// Iterates files sorted by key with disjoint ranges (one level >= 1, or a single file),
// opening each table through cache when the scan reaches it. fill_cache: see Table.
std::unique_ptr<InternalIterator> NewFilesIterator(TableCache* cache, Version::Files files,
                                                   bool fill_cache = true);

class VersionSet {
 public:
  VersionSet(Env* env, std::string dir, TableCache* table_cache)
      : env_(env), dir_(std::move(dir)), table_cache_(table_cache),
        current_(std::make_shared<Version>()) {}

  // Reads CURRENT and the MANIFEST it names, if any (*existed says which), then starts a new
  // MANIFEST holding the whole recovered state.
  Status Recover(bool* existed);

  // Records edit (with the counters filled in) in the MANIFEST and makes the edited Version
  // current. On failure nothing changes and the error is returned.
  //
  // The record is handed to the OS, not synced: a sync on the writer's thread took up to
  // 27 ms while compactions wrote. The owner has manifest_file() synced elsewhere and reports
  // it with MarkSynced; until then the Version the durable MANIFEST describes stays pinned
  // (so LiveFiles keeps its tables) and durable_log_number() keeps its log segments, so a
  // crash before the sync recovers the state before the edit, with everything it needs.
  Status LogAndApply(VersionEdit* edit);
  // Edits recorded since open; a sync issued now covers this many.
  uint64_t records_written() const { return records_written_; }
  const std::shared_ptr<WritableFile>& manifest_file() const { return manifest_->file(); }
  // The MANIFEST was synced with the first records edits in it.
  void MarkSynced(uint64_t records);
  bool all_synced() const { return unsynced_.empty(); }
  // The oldest log segment that a recovery from the durable MANIFEST replays.
  uint64_t durable_log_number() const { return durable_log_number_; }

  // Callers that keep the Version copy the pointer; a glance (GetWriteStall) does not.
  const std::shared_ptr<const Version>& current() const { return current_; }
  uint64_t NewFileNumber() { return next_file_number_++; }
  // Makes sure numbers found on disk (WAL segments) are never reused.
  void MarkFileNumberUsed(uint64_t n) {
    if (n >= next_file_number_) next_file_number_ = n + 1;
  }
  uint64_t log_number() const { return log_number_; }
  SequenceNumber last_sequence() const { return last_sequence_; }
  void set_last_sequence(SequenceNumber s) { last_sequence_ = s; }
  // The file name of the live MANIFEST ("MANIFEST-000005").
  std::string manifest_name() const;
  // Bytes in the live MANIFEST (every edit so far, synced).
  uint64_t manifest_size() const { return manifest_ ? manifest_->size() : 0; }

  // Numbers of the SSTs that some live Version (current, or held by a reader) still lists.
  std::vector<uint64_t> LiveFiles();

 private:
  std::shared_ptr<Version> Apply(const Version& base, const VersionEdit& edit) const;
  Status WriteSnapshotManifest();
  Status SetCurrentFile(uint64_t manifest_number);

  Env* const env_;
  const std::string dir_;
  TableCache* const table_cache_;
  std::shared_ptr<const Version> current_;
  std::vector<std::weak_ptr<const Version>> versions_;  // every Version ever current
  std::unique_ptr<WalWriter> manifest_;
  uint64_t manifest_number_ = 0;
  uint64_t next_file_number_ = 2;
  uint64_t log_number_ = 0;
  SequenceNumber last_sequence_ = 0;
  // The state a recovery would find: the last synced edit's Version and log number, and the
  // edits after it (each with the Version it made), oldest first.
  struct Unsynced {
    uint64_t record;
    std::shared_ptr<const Version> version;
    uint64_t log_number;
  };
  uint64_t records_written_ = 0;
  std::shared_ptr<const Version> durable_;
  uint64_t durable_log_number_ = 0;
  std::deque<Unsynced> unsynced_;
};

}  // namespace strata
