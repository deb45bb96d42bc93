// Table: an open SSTable. Immutable and thread-safe once opened: the loop thread reads it for
// point lookups and scans while workers read it for compaction.
//
// The index (decoded into a TableIndex), filter and properties are read at open and pinned
// for as long as the table is open (about 1-2% of the file at 4 KiB blocks and 10 bloom bits
// per key). Pinning keeps a point lookup at one data-block read with no index miss; the table
// cache bounds how many tables are open.
//
// Data blocks are read in one of two ways:
// - Mapped (the default when the file can be mapped): clients' reads view the mapping, so
//   the kernel's page cache holds the blocks and nothing is copied or allocated. A block's
//   checksum is verified the first time it is read after the table is opened (a bit per
//   block records it). A read that must not wait (CacheOnly) takes a block never read since
//   the open to be out of memory, and one read since to be in (kTrustMapped) or asks the
//   kernel (kCheckMapped, mincore: for when memory is short and pages get evicted).
// - Copied: compactions (which must not grow the resident set by the files they merge) and
//   tables opened without a mapping read blocks with pread, verify them on every read, and
//   (clients' reads only) keep them in the byte-bounded block cache.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/block.h"
#include "engine/block_cache.h"
#include "engine/env.h"
#include "engine/table_format.h"
#include "engine/table_index.h"
#include "strata/status.h"

namespace strata {

// A data block being read: a view of the mapped file, or a shared copy.
class BlockHolder {
 public:
  const Block* get() const { return view_ ? &*view_ : shared_.get(); }

 private:
  friend class Table;
  std::optional<Block> view_;
  std::shared_ptr<const Block> shared_;
};

// A read that must not wait for the device (ReadOptions::cache_only): kTrustMapped takes a
// mapped block read once since the table opened to be resident; kCheckMapped asks mincore.
enum class CacheOnly : uint8_t { kNo, kTrustMapped, kCheckMapped };

// What clients' reads of a set of tables cost (the table cache's, for INFO and tests).
struct TableReadCounters {
  std::atomic<uint64_t> blocks_read{0};  // data blocks read from the file or its mapping
  std::atomic<uint64_t> evicted{0};      // mapped blocks a kCheckMapped read found evicted
};

class Table {
 public:
  enum class LookupResult { kNotFound, kFound, kDeleted };

  // Reads the footer, index, filter and properties; Corruption naming the file when any of
  // them is damaged. Copied data blocks go through cache (may be nullptr) under file_number.
  // counters (may be nullptr): what clients' reads cost.
  static Result<std::shared_ptr<const Table>> Open(std::unique_ptr<RandomAccessFile> file,
                                                   uint64_t file_number = 0,
                                                   BlockCache* cache = nullptr,
                                                   TableReadCounters* counters = nullptr);

  // The newest version of user_key visible at seq. *value is filled when found. cache_only:
  // Incomplete instead of reading a block that is not in memory (ReadOptions::cache_only).
  Result<LookupResult> Get(std::string_view user_key, SequenceNumber seq, std::string* value,
                           CacheOnly cache_only = CacheOnly::kNo) const;

  // Every entry in internal-key order; the iterator keeps the table alive. fill_cache false
  // (compactions) copies blocks with pread and does not cache them, so one big merge neither
  // evicts what clients read nor maps whole files into the resident set.
  static std::unique_ptr<InternalIterator> NewIterator(std::shared_ptr<const Table> table,
                                                       bool fill_cache = true);

  const table::TableProperties& properties() const { return props_; }
  const std::string& path() const { return file_->path(); }
  uint64_t file_size() const { return file_->size(); }
  const TableIndex& index() const { return index_; }
  // Bytes pinned in memory while the table is open: its index, filter and block bits.
  size_t pinned_bytes() const {
    return index_.memory() + filter_.capacity() + (index_.size() / 64 + 1) * sizeof(uint64_t);
  }

  // Starts reading data blocks [from, from + count) into the page cache without waiting;
  // returns the block after the last one asked for.
  size_t WillNeed(size_t from, size_t count) const;

  // Data block i of the index into *out, checked (see above). The holder must not outlive
  // the table.
  Status ReadBlock(size_t i, bool fill_cache, BlockHolder* out,
                   CacheOnly cache_only = CacheOnly::kNo) const;

 private:
  Table(std::unique_ptr<RandomAccessFile> file, uint64_t number, BlockCache* cache,
        TableReadCounters* counters)
      : file_(std::move(file)), number_(number), cache_(cache), counters_(counters) {}
  void Count(std::atomic<uint64_t> TableReadCounters::*counter) const {
    if (counters_ != nullptr) (counters_->*counter).fetch_add(1, std::memory_order_relaxed);
  }
  // Whether every page of [p, p + n) is in memory (mincore).
  static bool Resident(const char* p, size_t n);
  Status ReadRaw(const table::BlockHandle& handle, std::string* contents) const;
  Status CheckTrailer(const table::BlockHandle& handle, const char* block) const;

  std::unique_ptr<RandomAccessFile> file_;
  const uint64_t number_;
  BlockCache* const cache_;
  TableReadCounters* const counters_;
  TableIndex index_;
  std::string filter_;
  table::TableProperties props_;
  // Mapped tables: bit i set once block i's checksum has been verified.
  std::unique_ptr<std::atomic<uint64_t>[]> verified_;
};

}  // namespace strata
