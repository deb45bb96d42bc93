// Table: an open SSTable. Immutable and thread-safe once opened: the loop thread reads it for
// point lookups and scans while workers read it for compaction.
//
// The index block, filter and properties are read at open and pinned for as long as the table
// is open (about 1-2% of the file at 4 KiB blocks and 10 bloom bits per key). Pinning keeps a
// point lookup at one data-block read with no index miss; the table cache bounds how many
// tables are open. Data blocks are read on demand and their checksums verified on every read.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/block.h"
#include "engine/block_cache.h"
#include "engine/env.h"
#include "engine/table_format.h"
#include "strata/status.h"

namespace strata {

class Table : public std::enable_shared_from_this<Table> {
 public:
  enum class LookupResult { kNotFound, kFound, kDeleted };

  // Reads the footer, index, filter and properties; Corruption naming the file when any of
  // them is damaged. Data blocks go through cache (may be nullptr) under file_number.
  static Result<std::shared_ptr<const Table>> Open(std::unique_ptr<RandomAccessFile> file,
                                                   uint64_t file_number = 0,
                                                   BlockCache* cache = nullptr);

  // The newest version of user_key visible at seq. *value is filled when found.
  Result<LookupResult> Get(std::string_view user_key, SequenceNumber seq,
                           std::string* value) const;

  // Every entry in internal-key order; the iterator keeps the table alive. fill_cache false
  // (compactions) reads blocks without caching them, so one big merge does not evict what
  // clients read.
  static std::unique_ptr<InternalIterator> NewIterator(std::shared_ptr<const Table> table,
                                                       bool fill_cache = true);

  const table::TableProperties& properties() const { return props_; }
  const std::string& path() const { return file_->path(); }
  uint64_t file_size() const { return file_->size(); }

  // A data block: from the cache, or read, verified and (if fill_cache) cached. Client reads
  // (fill_cache) view the mapped file; compactions copy with pread, so merging whole files
  // does not grow the resident set by their size.
  Result<std::shared_ptr<const Block>> ReadBlock(const table::BlockHandle& handle,
                                                 bool fill_cache = true) const;

 private:
  Table(std::unique_ptr<RandomAccessFile> file, uint64_t number, BlockCache* cache)
      : file_(std::move(file)), number_(number), cache_(cache) {}
  Status ReadRaw(const table::BlockHandle& handle, std::string* contents) const;
  // Checks a block's bounds and trailer in the mapped file; *contents views the mapping.
  Status CheckMapped(const table::BlockHandle& handle, std::string_view* contents) const;
  Status CheckTrailer(const table::BlockHandle& handle, const char* block) const;

  std::unique_ptr<RandomAccessFile> file_;
  const uint64_t number_;
  BlockCache* const cache_;
  std::shared_ptr<const Block> index_;
  std::string filter_;
  table::TableProperties props_;
};

}  // namespace strata
