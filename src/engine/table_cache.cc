#include "engine/table_cache.h"

#include <cstdio>

namespace strata {

std::string TableCache::TableFileName(const std::string& dir, uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "/%06llu.sst", static_cast<unsigned long long>(number));
  return dir + name;
}

Result<std::shared_ptr<const Table>> TableCache::Get(uint64_t file_number, bool cache_only) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = open_.find(file_number);
    if (it != open_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first;
    }
  }
  if (cache_only) return Status::Incomplete();  // opening reads the index and filter
  // Open outside the lock: it reads the file.
  auto file = env_->NewRandomAccessFile(TableFileName(dir_, file_number), mmap_);
  if (!file.ok()) return file.status();
  auto table = Table::Open(std::move(*file), file_number, block_cache_, &counters_);
  if (!table.ok()) return table.status();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(file_number);
  if (it != open_.end()) return it->second.first;  // opened meanwhile by another thread
  lru_.push_front(file_number);
  open_[file_number] = {*table, lru_.begin()};
  pinned_bytes_ += (*table)->pinned_bytes();
  while (open_.size() > max_open_) Erase(lru_.back());
  return *table;
}

void TableCache::Erase(uint64_t file_number) {
  auto it = open_.find(file_number);
  if (it == open_.end()) return;
  pinned_bytes_ -= it->second.first->pinned_bytes();
  lru_.erase(it->second.second);
  open_.erase(it);
}

TableCache::Stats TableCache::GetStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {.open_tables = open_.size(),
          .pinned_bytes = pinned_bytes_,
          .blocks_read = counters_.blocks_read.load(std::memory_order_relaxed),
          .mapped_blocks_evicted = counters_.evicted.load(std::memory_order_relaxed)};
}

void TableCache::Evict(uint64_t file_number) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Erase(file_number);
  }
  if (block_cache_ != nullptr) block_cache_->EraseFile(file_number);
}

}  // namespace strata
