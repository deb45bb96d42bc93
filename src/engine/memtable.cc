#include "engine/memtable.h"

#include <mimalloc.h>

#include <algorithm>
#include <cstring>

#include "engine/hash.h"

namespace strata {
namespace {

constexpr size_t kInitialIndexSize = 1024;

uint64_t KeyHash(std::string_view key) {
  uint64_t h = HashBytes(key);
  return h == 0 ? 1 : h;  // 0 is the empty-slot marker
}

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

void MemTable::FreeSlots::operator()(Slot* p) const { mi_free(p); }

MemTable::MemTable() : list_(&arena_) { IndexGrow(); }

void MemTable::Add(SequenceNumber seq, ValueType type, std::string_view key,
                   std::string_view value) {
  const SkipList::Node* node = list_.Insert(key, PackTrailer(seq, type), value);
  IndexPut(KeyHash(key), node);
}

MemTable::LookupResult MemTable::Get(std::string_view key, SequenceNumber seq,
                                     std::string_view* value) const {
  const SkipList::Node* node = IndexFind(key, KeyHash(key));
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

namespace {

// The slot of key in a table, or of the empty slot where it would go.
template <typename SlotT>
SlotT* Probe(SlotT* table, size_t size, std::string_view key, uint64_t hash) {
  size_t mask = size - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    SlotT* slot = &table[i];
    if (slot->hash == 0 || (slot->hash == hash && slot->node->user_key() == key)) return slot;
  }
}

}  // namespace

const SkipList::Node* MemTable::IndexFind(std::string_view key, uint64_t hash) const {
  const Slot* slot = Probe(index_.get(), index_size_, key, hash);
  if (slot->hash == 0 && old_ != nullptr) slot = Probe(old_.get(), old_size_, key, hash);
  return slot->hash == 0 ? nullptr : slot->node;
}

void MemTable::IndexPut(uint64_t hash, const SkipList::Node* node) {
  std::string_view key = node->user_key();
  Slot* slot = Probe(index_.get(), index_size_, key, hash);
  if (slot->hash == 0 && old_ != nullptr) {
    Slot* in_old = Probe(old_.get(), old_size_, key, hash);
    if (in_old->hash != 0) slot = in_old;  // not moved yet: a newer version, updated there
  }
  if (slot->hash != 0) {
    slot->node = node;  // a newer version of the same key
  } else {
    *slot = Slot{hash, node};
    ++index_entries_;
  }
  if (old_ != nullptr) MigrateSome();
  if (index_entries_ * 2 > index_size_) IndexGrow();
}

void MemTable::MigrateSome() {
  constexpr size_t kSlotsPerInsert = 64;  // done long before the new table is half full
  size_t mask = index_size_ - 1;
  for (size_t end = std::min(old_size_, old_cursor_ + kSlotsPerInsert); old_cursor_ < end;
       ++old_cursor_) {
    const Slot& slot = old_[old_cursor_];
    if (slot.hash == 0) continue;
    size_t i = slot.hash & mask;  // the key is not in the new table yet: no comparisons
    while (index_[i].hash != 0) i = (i + 1) & mask;
    index_[i] = slot;
  }
  if (old_cursor_ == old_size_) {
    old_.reset();
    old_size_ = old_cursor_ = 0;
  }
}

void MemTable::IndexGrow() {
  while (old_ != nullptr) MigrateSome();
  size_t old_size = index_size_;
  old_ = std::move(index_);
  old_size_ = old_size;
  old_cursor_ = 0;
  index_size_ = old_size == 0 ? kInitialIndexSize : old_size * 2;
  size_t bytes = index_size_ * sizeof(Slot);
  // Zeroed (hash 0: empty) by mimalloc, which need not touch memory fresh from the OS: its
  // pages are faulted in as the table fills, not all at once here.
  index_.reset(static_cast<Slot*>(AllocateHugePageBacked(bytes, /*zeroed=*/true)));
  if (old_size == 0) old_.reset();
}

std::unique_ptr<InternalIterator> MemTable::NewIterator(std::shared_ptr<const MemTable> mem) {
  return std::make_unique<MemTableIterator>(std::move(mem));
}

}  // namespace strata
