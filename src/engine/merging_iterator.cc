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

// std heaps keep the element that is "largest" under the ordering on top: moving forward the
// smallest entry must be on top, moving backward the largest.
struct Order {
  bool forward;
  bool operator()(const Child* a, const Child* b) const {
    int c = Compare(a, b);
    return forward ? c > 0 : c < 0;
  }
};

// A binary heap of the valid children: the smallest on top when moving forward, the largest
// when moving backward. A step costs O(log children) comparisons.
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
    std::pop_heap(heap_.begin(), heap_.end(), Order{true});
    current->it->Next();
    current->Update();
    if (current->valid) {
      std::push_heap(heap_.begin(), heap_.end(), Order{true});
    } else {
      heap_.pop_back();
    }
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
    std::pop_heap(heap_.begin(), heap_.end(), Order{false});
    current->it->Prev();
    current->Update();
    if (current->valid) {
      std::push_heap(heap_.begin(), heap_.end(), Order{false});
    } else {
      heap_.pop_back();
    }
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
    std::make_heap(heap_.begin(), heap_.end(), Order{forward});
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
