#include "engine/block_cache.h"

namespace strata {

std::shared_ptr<const Block> BlockCache::Lookup(uint64_t file_number, uint64_t offset) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(Key{file_number, offset});
  if (it == map_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->block;
}

void BlockCache::Insert(uint64_t file_number, uint64_t offset,
                        std::shared_ptr<const Block> block) {
  if (block->size() > capacity_) return;
  std::lock_guard<std::mutex> lock(mu_);
  Key key{file_number, offset};
  if (map_.count(key) != 0) return;  // another reader cached it first
  usage_ += block->size();
  lru_.push_front(Entry{key, std::move(block)});
  map_[key] = lru_.begin();
  EvictOverCapacity();
}

void BlockCache::EvictOverCapacity() {
  while (usage_ > capacity_ && !lru_.empty()) {
    Entry& victim = lru_.back();
    usage_ -= victim.block->size();
    map_.erase(victim.key);
    lru_.pop_back();
  }
}

void BlockCache::EraseFile(uint64_t file_number) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (it->key.file == file_number) {
      usage_ -= it->block->size();
      map_.erase(it->key);
      it = lru_.erase(it);
    } else {
      ++it;
    }
  }
}

BlockCache::Stats BlockCache::GetStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Stats{hits_, misses_, usage_, capacity_};
}

}  // namespace strata
