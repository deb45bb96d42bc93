#include "engine/memtable.h"

#include <mimalloc.h>

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

const SkipList::Node* MemTable::IndexFind(std::string_view key, uint64_t hash) const {
  size_t mask = index_size_ - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = index_[i];
    if (slot.hash == 0) return nullptr;
    if (slot.hash == hash && slot.node->user_key() == key) return slot.node;
  }
}

void MemTable::IndexPut(uint64_t hash, const SkipList::Node* node) {
  size_t mask = index_size_ - 1;
  std::string_view key = node->user_key();
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = index_[i];
    if (slot.hash == 0) {
      slot = Slot{hash, node};
      if (++index_used_ * 2 > index_size_) IndexGrow();
      return;
    }
    if (slot.hash == hash && slot.node->user_key() == key) {
      slot.node = node;  // a newer version of the same key
      return;
    }
  }
}

void MemTable::IndexGrow() {
  size_t old_size = index_size_;
  std::unique_ptr<Slot[], FreeSlots> old = std::move(index_);
  index_size_ = old_size == 0 ? kInitialIndexSize : old_size * 2;
  size_t bytes = index_size_ * sizeof(Slot);
  index_.reset(static_cast<Slot*>(AllocateHugePageBacked(bytes)));
  std::memset(index_.get(), 0, bytes);  // hash 0: empty
  size_t mask = index_size_ - 1;
  for (size_t j = 0; j < old_size; ++j) {
    const Slot& slot = old[j];
    if (slot.hash == 0) continue;
    size_t i = slot.hash & mask;
    while (index_[i].hash != 0) i = (i + 1) & mask;
    index_[i] = slot;
  }
}

std::unique_ptr<InternalIterator> MemTable::NewIterator(std::shared_ptr<const MemTable> mem) {
  return std::make_unique<MemTableIterator>(std::move(mem));
}

}  // namespace strata
