// BlockCache: a byte-bounded LRU of data blocks, shared by every open table. Thread-safe (the
// loop thread and compaction workers read tables at once); one mutex, held only for the map
// and list updates, never during I/O.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "engine/block.h"
#include "engine/hash.h"

namespace strata {

class BlockCache {
 public:
  struct Stats {
    uint64_t hits = 0, misses = 0, usage = 0, capacity = 0;
  };

  explicit BlockCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The cached block of (file_number, offset), or nullptr.
  std::shared_ptr<const Block> Lookup(uint64_t file_number, uint64_t offset);
  // Caches a block, charging its size; evicts the least recently used blocks over capacity.
  // A block bigger than the whole cache is not kept.
  void Insert(uint64_t file_number, uint64_t offset, std::shared_ptr<const Block> block);
  // Drops every block of a deleted file.
  void EraseFile(uint64_t file_number);
  Stats GetStats() const;

 private:
  struct Key {
    uint64_t file, offset;
    bool operator==(const Key& o) const { return file == o.file && offset == o.offset; }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return HashMix(k.file, k.offset); }
  };
  struct Entry {
    Key key;
    std::shared_ptr<const Block> block;
  };

  void EvictOverCapacity();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> map_;
  size_t usage_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace strata
