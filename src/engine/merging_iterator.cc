#include "engine/merging_iterator.h"

#include <algorithm>

namespace strata {
namespace {

// A child and its position, cached after every move (LevelDB's IteratorWrapper): the heap
// compares children constantly, and each accessor of a table-level iterator is a chain of
// virtual calls.
struct Child {
  std::unique_ptr<InternalIterator> it;
  bool valid = false;
  std::string_view key;
  uint64_t trailer = 0;

  void Update() {
    valid = it->Valid();
    if (valid) {
      key = it->user_key();
      trailer = it->trailer();
    }
  }
};

int Compare(const Child* a, const Child* b) {
  return CompareInternal(a->key, a->trailer, b->key, b->trailer);
}

// A binary heap of the valid children: the smallest on top when moving forward, the largest
// when moving backward. A step moves the top child and sifts it down in place, which costs
// two comparisons when it stays on top (a scan inside one table, the usual case) and
// O(log children) at most.
class MergingIterator final : public InternalIterator {
 public:
  explicit MergingIterator(std::vector<std::unique_ptr<InternalIterator>> children)
      : children_(children.size()) {
    for (size_t i = 0; i < children.size(); ++i) children_[i].it = std::move(children[i]);
    heap_.reserve(children_.size());
  }

  bool Valid() const override { return !heap_.empty(); }

  void SeekToFirst() override {
    for (auto& c : children_) c.it->SeekToFirst();
    Rebuild(true);
  }
  void SeekToLast() override {
    for (auto& c : children_) c.it->SeekToLast();
    Rebuild(false);
  }
  void Seek(std::string_view user_key, uint64_t trailer) override {
    for (auto& c : children_) c.it->Seek(user_key, trailer);
    Rebuild(true);
  }
  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    for (auto& c : children_) c.it->SeekForPrev(user_key, trailer);
    Rebuild(false);
  }

  void Next() override {
    Child* current = heap_.front();
    if (!forward_) {
      // Every other child is at or before key(): move each to the first entry after it.
      for (auto& c : children_) {
        if (&c == current) continue;
        c.it->Seek(current->key, current->trailer);
        c.Update();
        if (c.valid && Compare(&c, current) == 0) c.it->Next();
      }
      current->it->Next();
      return Rebuild(true);
    }
    current->it->Next();
    StepTop(current);
  }

  void Prev() override {
    Child* current = heap_.front();
    if (forward_) {
      // Every other child is after key(): move each to the last entry before it.
      for (auto& c : children_) {
        if (&c == current) continue;
        c.it->SeekForPrev(current->key, current->trailer);
        c.Update();
        if (c.valid && Compare(&c, current) == 0) c.it->Prev();
      }
      current->it->Prev();
      return Rebuild(false);
    }
    current->it->Prev();
    StepTop(current);
  }

  std::string_view user_key() const override { return heap_.front()->key; }
  uint64_t trailer() const override { return heap_.front()->trailer; }
  std::string_view value() const override { return heap_.front()->it->value(); }
  Status status() const override {
    for (const auto& c : children_) {
      Status s = c.it->status();
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  void Rebuild(bool forward) {
    forward_ = forward;
    heap_.clear();
    for (auto& c : children_) {
      c.Update();
      if (c.valid) heap_.push_back(&c);
    }
    for (size_t i = heap_.size() / 2; i-- > 0;) SiftDown(i);
  }

  // True when a belongs above b: it comes first in the direction of travel.
  bool Above(const Child* a, const Child* b) const {
    int c = Compare(a, b);
    return forward_ ? c < 0 : c > 0;
  }

  // The top child has moved: put it where it now belongs.
  void StepTop(Child* top) {
    top->Update();
    if (!top->valid) {
      heap_.front() = heap_.back();
      heap_.pop_back();
      if (heap_.empty()) return;
    }
    SiftDown(0);
  }

  void SiftDown(size_t i) {
    Child* moving = heap_[i];
    for (size_t n = heap_.size();;) {
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && Above(heap_[child + 1], heap_[child])) ++child;
      if (!Above(heap_[child], moving)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = moving;
  }

  std::vector<Child> children_;
  std::vector<Child*> heap_;
  bool forward_ = true;
};

}  // namespace

std::unique_ptr<InternalIterator> NewMergingIterator(
    std::vector<std::unique_ptr<InternalIterator>> children) {
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<MergingIterator>(std::move(children));
}

}  // namespace strata
