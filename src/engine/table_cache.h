// TableCache: the open SSTables, by file number, so a table's file descriptor, index and filter
// are read once. Bounded by a count; the least recently used table is closed first (readers
// holding it keep it open until they finish). Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/block_cache.h"
#include "engine/env.h"
#include "engine/table.h"

namespace strata {

class TableCache {
 public:
  // mmap: tables are mapped for reads (Options::mmap_reads).
  TableCache(Env* env, std::string dir, size_t max_open, BlockCache* block_cache, bool mmap)
      : env_(env), dir_(std::move(dir)), max_open_(max_open), block_cache_(block_cache),
        mmap_(mmap) {}

  // The open table of file_number, opening it on a miss (cache_only: Incomplete instead).
  Result<std::shared_ptr<const Table>> Get(uint64_t file_number, bool cache_only = false);
  // Forgets a deleted file (and its cached blocks).
  void Evict(uint64_t file_number);

  static std::string TableFileName(const std::string& dir, uint64_t number);

  struct Stats {
    size_t open_tables = 0;
    size_t pinned_bytes = 0;  // index and filter blocks of the open tables (Table::pinned_bytes)
    uint64_t blocks_read = 0, mapped_blocks_evicted = 0;  // TableReadCounters
  };
  Stats GetStats() const;

 private:
  Env* const env_;
  const std::string dir_;
  const size_t max_open_;
  BlockCache* const block_cache_;
  const bool mmap_;
  mutable std::mutex mu_;
  std::list<uint64_t> lru_;  // most recently used first
  std::unordered_map<uint64_t, std::pair<std::shared_ptr<const Table>, std::list<uint64_t>::iterator>>
      open_;
  size_t pinned_bytes_ = 0;  // of the tables in open_
  TableReadCounters counters_;

  void Erase(uint64_t file_number);  // under mu_
};

}  // namespace strata
