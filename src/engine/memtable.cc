#include "engine/memtable.h"

#include <mimalloc.h>

#include <algorithm>
#include <cstring>

#include "engine/hash.h"

namespace strata {
namespace {

constexpr size_t kInitialIndexSize = 1024;

// A used slot's tag: the hash's top 7 bits, with the high bit set (0 marks an empty slot).
uint8_t TagOf(uint64_t hash) { return static_cast<uint8_t>(hash >> 57) | 0x80; }

class MemTableIterator final : public InternalIterator {
 public:
  explicit MemTableIterator(std::shared_ptr<const MemTable> mem)
      : mem_(std::move(mem)), list_(&mem_->list()) {}

  bool Valid() const override { return node_ != nullptr; }
  void SeekToFirst() override { node_ = list_->First(); }
  void SeekToLast() override { node_ = list_->Last(); }
  void Seek(std::string_view user_key, uint64_t trailer) override {
    node_ = list_->FindGreaterOrEqual(user_key, trailer);
  }
  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    // The entry equal to the target if there is one, else the last one before it.
    node_ = list_->FindGreaterOrEqual(user_key, trailer);
    if (node_ == nullptr ||
        CompareInternal(node_->user_key(), node_->trailer, user_key, trailer) != 0) {
      node_ = list_->FindLessThan(user_key, trailer);
    }
  }
  void Next() override { node_ = node_->next[0]; }
  void Prev() override { node_ = list_->FindLessThan(node_->user_key(), node_->trailer); }
  std::string_view user_key() const override { return node_->user_key(); }
  uint64_t trailer() const override { return node_->trailer; }
  std::string_view value() const override { return node_->value(); }

 private:
  std::shared_ptr<const MemTable> mem_;
  const SkipList* list_;
  const SkipList::Node* node_ = nullptr;
};

}  // namespace

void MemTable::MiFree::operator()(void* p) const { mi_free(p); }

MemTable::MemTable(MemoryReserve* reserve, size_t memory_limit)
    : reserve_(reserve), memory_limit_(memory_limit), arena_(reserve), list_(&arena_) {
  IndexGrow();
}

void MemTable::Add(SequenceNumber seq, ValueType type, std::string_view key,
                   std::string_view value) {
  const SkipList::Node* node = list_.Insert(key, PackTrailer(seq, type), value);
  IndexPut(HashBytes(key), node);
  if (list_.size() == 1) {
    smallest_ = largest_ = node->user_key();
  } else if (CompareUserKey(key, smallest_) < 0) {
    smallest_ = node->user_key();
  } else if (CompareUserKey(key, largest_) > 0) {
    largest_ = node->user_key();
  }
}

MemTable::LookupResult MemTable::Get(std::string_view key, SequenceNumber seq,
                                     std::string_view* value) const {
  // Outside the key range (two compares of hot bytes), the index's cache miss is not needed:
  // when keys arrive roughly in order (ids, timestamps), most reads of older keys skip it.
  if (empty() || CompareUserKey(key, smallest_) < 0 || CompareUserKey(key, largest_) > 0) {
    return LookupResult::kNotFound;
  }
  const SkipList::Node* node = IndexFind(key, HashBytes(key));
  if (node == nullptr) return LookupResult::kNotFound;
  if (TrailerSequence(node->trailer) > seq) {
    // The newest version is too new for this snapshot: find the one it can see.
    node = list_.FindGreaterOrEqual(key, SeekTrailer(seq));
    if (node == nullptr || node->user_key() != key) return LookupResult::kNotFound;
  }
  if (TrailerType(node->trailer) == ValueType::kDeletion) return LookupResult::kDeleted;
  *value = node->value();
  return LookupResult::kFound;
}

MemTable::HashTable MemTable::NewHashTable(size_t size) {
  HashTable t;
  t.size = size;
  // Zeroed (tag 0: empty); from the reserve, faulted in, when it has the table ready.
  size_t bytes = TableBytes(size);
  void* memory = reserve_ != nullptr && bytes >= Arena::kBlockSize
                     ? reserve_->Take(bytes, /*zeroed=*/true)
                     : AllocateHugePageBacked(bytes, /*zeroed=*/true);
  t.tags.reset(static_cast<uint8_t*>(memory));
  t.slots = reinterpret_cast<Slot*>(t.tags.get() + ((size + 63) & ~size_t{63}));
  return t;
}

size_t MemTable::Probe(const HashTable& t, std::string_view key, uint64_t hash) {
  size_t mask = t.size - 1;
  uint8_t tag = TagOf(hash);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint8_t found = t.tags[i];
    if (found == 0) return i;
    if (found == tag && t.slots[i].hash == hash && t.slots[i].node->user_key() == key) return i;
  }
}

const SkipList::Node* MemTable::IndexFind(std::string_view key, uint64_t hash) const {
  size_t i = Probe(index_, key, hash);
  if (index_.tags[i] != 0) return index_.slots[i].node;
  if (old_.size == 0) return nullptr;
  i = Probe(old_, key, hash);
  return old_.tags[i] != 0 ? old_.slots[i].node : nullptr;
}

void MemTable::IndexPut(uint64_t hash, const SkipList::Node* node) {
  std::string_view key = node->user_key();
  HashTable* t = &index_;
  size_t i = Probe(index_, key, hash);
  if (index_.tags[i] == 0 && old_.size != 0) {
    size_t in_old = Probe(old_, key, hash);
    if (old_.tags[in_old] != 0) {  // not moved yet: a newer version, updated there
      t = &old_;
      i = in_old;
    }
  }
  if (t->tags[i] != 0) {
    t->slots[i].node = node;  // a newer version of the same key
  } else {
    t->slots[i] = Slot{hash, node};
    t->tags[i] = TagOf(hash);
    ++index_entries_;
  }
  if (old_.size != 0) MigrateSome();
  if (index_entries_ * 2 > index_.size && (index_entries_ * 4 > index_.size * 3 || GrowthFits())) {
    IndexGrow();
  }
}

void MemTable::MigrateSome() {
  constexpr size_t kSlotsPerInsert = 64;  // done long before the new table is half full
  size_t mask = index_.size - 1;
  for (size_t end = std::min(old_.size, old_cursor_ + kSlotsPerInsert); old_cursor_ < end;
       ++old_cursor_) {
    if (old_.tags[old_cursor_] == 0) continue;
    const Slot& slot = old_.slots[old_cursor_];
    size_t i = slot.hash & mask;  // the key is not in the new table yet: no comparisons
    while (index_.tags[i] != 0) i = (i + 1) & mask;
    index_.slots[i] = slot;
    index_.tags[i] = old_.tags[old_cursor_];
  }
  if (old_cursor_ == old_.size) {
    old_ = HashTable();
    old_cursor_ = 0;
  }
}

bool MemTable::GrowthFits() const {
  return memory_limit_ == 0 ||
         arena_.MemoryUsage() + TableBytes(index_.size) + TableBytes(index_.size * 2) <=
             memory_limit_;
}

void MemTable::IndexGrow() {
  while (old_.size != 0) MigrateSome();
  size_t size = index_.size == 0 ? kInitialIndexSize : index_.size * 2;
  old_ = std::move(index_);
  index_ = NewHashTable(size);
  // Have the next table ready if it will fit: it is needed once the entries double, when
  // the arena will have grown about as much again.
  size_t next = TableBytes(size * 2);
  if (reserve_ != nullptr && next >= Arena::kBlockSize &&
      (memory_limit_ == 0 ||
       2 * arena_.MemoryUsage() + TableBytes(size) + next <= memory_limit_)) {
    reserve_->Prepare(next, /*zeroed=*/true);
  }
}

std::unique_ptr<InternalIterator> MemTable::NewIterator(std::shared_ptr<const MemTable> mem) {
  return std::make_unique<MemTableIterator>(std::move(mem));
}

}  // namespace strata
