#include "engine/merging_iterator.h"

#include <algorithm>

namespace strata {
namespace {

int Compare(const InternalIterator* a, const InternalIterator* b) {
  return CompareInternal(a->user_key(), a->trailer(), b->user_key(), b->trailer());
}

// std heaps keep the element that is "largest" under the ordering on top: moving forward the
// smallest entry must be on top, moving backward the largest.
struct Order {
  bool forward;
  bool operator()(const InternalIterator* a, const InternalIterator* b) const {
    int c = Compare(a, b);
    return forward ? c > 0 : c < 0;
  }
};

// A binary heap of the valid children: the smallest on top when moving forward, the largest
// when moving backward. A step costs O(log children) comparisons.
class MergingIterator final : public InternalIterator {
 public:
  explicit MergingIterator(std::vector<std::unique_ptr<InternalIterator>> children)
      : children_(std::move(children)) {
    heap_.reserve(children_.size());
  }

  bool Valid() const override { return !heap_.empty(); }

  void SeekToFirst() override {
    for (auto& c : children_) c->SeekToFirst();
    Rebuild(true);
  }
  void SeekToLast() override {
    for (auto& c : children_) c->SeekToLast();
    Rebuild(false);
  }
  void Seek(std::string_view user_key, uint64_t trailer) override {
    for (auto& c : children_) c->Seek(user_key, trailer);
    Rebuild(true);
  }
  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    for (auto& c : children_) c->SeekForPrev(user_key, trailer);
    Rebuild(false);
  }

  void Next() override {
    InternalIterator* current = heap_.front();
    if (!forward_) {
      // Every other child is at or before key(): move each to the first entry after it.
      for (auto& c : children_) {
        if (c.get() == current) continue;
        c->Seek(current->user_key(), current->trailer());
        if (c->Valid() && Compare(c.get(), current) == 0) c->Next();
      }
      current->Next();
      return Rebuild(true);
    }
    std::pop_heap(heap_.begin(), heap_.end(), Order{true});
    current->Next();
    if (current->Valid()) {
      std::push_heap(heap_.begin(), heap_.end(), Order{true});
    } else {
      heap_.pop_back();
    }
  }

  void Prev() override {
    InternalIterator* current = heap_.front();
    if (forward_) {
      // Every other child is after key(): move each to the last entry before it.
      for (auto& c : children_) {
        if (c.get() == current) continue;
        c->SeekForPrev(current->user_key(), current->trailer());
        if (c->Valid() && Compare(c.get(), current) == 0) c->Prev();
      }
      current->Prev();
      return Rebuild(false);
    }
    std::pop_heap(heap_.begin(), heap_.end(), Order{false});
    current->Prev();
    if (current->Valid()) {
      std::push_heap(heap_.begin(), heap_.end(), Order{false});
    } else {
      heap_.pop_back();
    }
  }

  std::string_view user_key() const override { return heap_.front()->user_key(); }
  uint64_t trailer() const override { return heap_.front()->trailer(); }
  std::string_view value() const override { return heap_.front()->value(); }
  Status status() const override {
    for (const auto& c : children_) {
      Status s = c->status();
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  void Rebuild(bool forward) {
    forward_ = forward;
    heap_.clear();
    for (auto& c : children_) {
      if (c->Valid()) heap_.push_back(c.get());
    }
    std::make_heap(heap_.begin(), heap_.end(), Order{forward});
  }

  std::vector<std::unique_ptr<InternalIterator>> children_;
  std::vector<InternalIterator*> heap_;
  bool forward_ = true;
};

}  // namespace

std::unique_ptr<InternalIterator> NewMergingIterator(
    std::vector<std::unique_ptr<InternalIterator>> children) {
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<MergingIterator>(std::move(children));
}

}  // namespace strata
