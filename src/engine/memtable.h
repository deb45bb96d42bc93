// MemTable: the in-memory write buffer. A skiplist orders every version of every key (for
// iterators and snapshot reads); beside it a hash index maps each user key to its newest node,
// so a point lookup of the latest state is one probe instead of ~25 dependent cache misses.
//
// Loop thread only while active. Once sealed it is immutable and shared (std::shared_ptr)
// with iterators and, later, the flush worker.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "engine/arena.h"
#include "engine/memory_reserve.h"
#include "engine/dbformat.h"
#include "engine/skiplist.h"

namespace strata {

class MemTable {
 public:
  enum class LookupResult { kNotFound, kFound, kDeleted };

  // reserve (may be nullptr) supplies memory faulted in ahead of time. memory_limit (0: none)
  // is the size at which the owner seals this memtable: the hash index does not double when
  // that would pass the limit first (it then fills up to 3/4 instead of 1/2).
  explicit MemTable(MemoryReserve* reserve = nullptr, size_t memory_limit = 0);
  MemTable(const MemTable&) = delete;
  MemTable& operator=(const MemTable&) = delete;

  // REQUIRES: seq is greater than every seqno added before.
  void Add(SequenceNumber seq, ValueType type, std::string_view key, std::string_view value);

  // The newest version of key visible at snapshot seq. *value points into the memtable and
  // stays valid as long as the memtable does.
  LookupResult Get(std::string_view key, SequenceNumber seq, std::string_view* value) const;

  // Every version, in internal-key order. The iterator keeps the memtable alive.
  static std::unique_ptr<InternalIterator> NewIterator(std::shared_ptr<const MemTable> mem);

  size_t ApproximateMemoryUsage() const {
    return arena_.MemoryUsage() + TableBytes(index_.size) + TableBytes(old_.size);
  }
  size_t entries() const { return list_.size(); }
  bool empty() const { return list_.size() == 0; }
  const SkipList& list() const { return list_; }

 private:
  struct Slot {
    uint64_t hash;
    const SkipList::Node* node;
  };
  struct MiFree {
    void operator()(void* p) const;
  };
  // Open addressing, linear probing, power-of-two size, at most half full. Beside the slots,
  // one tag byte per slot (0: empty, else 7 bits of the hash): a probe reads the tags, a
  // seventeenth of the table's bytes, which stay in the CPU caches, and touches a slot only
  // on a tag match, so looking up a key the memtable does not hold (every read served by
  // the SSTs) rarely misses the caches. Tags and slots share one allocation, backed by huge
  // pages once large, so the tags sit in one or a few TLB entries.
  struct HashTable {
    std::unique_ptr<uint8_t[], MiFree> tags;  // one allocation: size tags, then the slots
    Slot* slots = nullptr;
    size_t size = 0;
  };

  static size_t TableBytes(size_t size) {
    return size == 0 ? 0 : ((size + 63) & ~size_t{63}) + size * sizeof(Slot);
  }
  HashTable NewHashTable(size_t size);
  // Whether doubling the index now keeps the memtable under memory_limit_.
  bool GrowthFits() const;
  // The position of key in t, or of the empty slot where it would go.
  static size_t Probe(const HashTable& t, std::string_view key, uint64_t hash);
  const SkipList::Node* IndexFind(std::string_view key, uint64_t hash) const;
  void IndexPut(uint64_t hash, const SkipList::Node* node);
  void IndexGrow();
  // Moves a few slots of the old table into the new one (incremental rehashing).
  void MigrateSome();

  MemoryReserve* const reserve_;
  const size_t memory_limit_;
  Arena arena_;
  SkipList list_;
  // Growing rehashes incrementally, as Redis's dict does: a rehash of the whole table at once
  // stalled a write for 12-46 ms at 64k-256k entries. While old_ is set, keys whose old slot
  // is at or past old_cursor_ live only there (found, and updated in place, by a second
  // probe); every other key lives in index_. Each insert moves a few old slots across.
  HashTable index_;
  size_t index_entries_ = 0;  // distinct keys, in either table
  HashTable old_;
  size_t old_cursor_ = 0;
  std::string_view smallest_, largest_;  // user-key range so far (views of nodes' keys)
};

}  // namespace strata
