#include "engine/merging_iterator.h"

namespace strata {
namespace {

int Compare(const InternalIterator* a, const InternalIterator* b) {
  return CompareInternal(a->user_key(), a->trailer(), b->user_key(), b->trailer());
}

class MergingIterator final : public InternalIterator {
 public:
  explicit MergingIterator(std::vector<std::unique_ptr<InternalIterator>> children)
      : children_(std::move(children)) {}

  bool Valid() const override { return current_ != nullptr; }

  void SeekToFirst() override {
    for (auto& c : children_) c->SeekToFirst();
    FindSmallest();
  }
  void SeekToLast() override {
    for (auto& c : children_) c->SeekToLast();
    FindLargest();
  }
  void Seek(std::string_view user_key, uint64_t trailer) override {
    for (auto& c : children_) c->Seek(user_key, trailer);
    FindSmallest();
  }
  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    for (auto& c : children_) c->SeekForPrev(user_key, trailer);
    FindLargest();
  }

  void Next() override {
    if (!forward_) {
      // Every other child is at or before key(): move each to the first entry after it.
      for (auto& c : children_) {
        if (c.get() == current_) continue;
        c->Seek(current_->user_key(), current_->trailer());
        if (c->Valid() && Compare(c.get(), current_) == 0) c->Next();
      }
    }
    current_->Next();
    FindSmallest();
  }

  void Prev() override {
    if (forward_) {
      // Every other child is after key(): move each to the last entry before it.
      for (auto& c : children_) {
        if (c.get() == current_) continue;
        c->SeekForPrev(current_->user_key(), current_->trailer());
        if (c->Valid() && Compare(c.get(), current_) == 0) c->Prev();
      }
    }
    current_->Prev();
    FindLargest();
  }

  std::string_view user_key() const override { return current_->user_key(); }
  uint64_t trailer() const override { return current_->trailer(); }
  std::string_view value() const override { return current_->value(); }
  Status status() const override {
    for (const auto& c : children_) {
      Status s = c->status();
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  void FindSmallest() {
    forward_ = true;
    current_ = nullptr;
    for (auto& c : children_) {
      if (c->Valid() && (current_ == nullptr || Compare(c.get(), current_) < 0)) current_ = c.get();
    }
  }
  void FindLargest() {
    forward_ = false;
    current_ = nullptr;
    for (auto& c : children_) {
      if (c->Valid() && (current_ == nullptr || Compare(c.get(), current_) > 0)) current_ = c.get();
    }
  }

  std::vector<std::unique_ptr<InternalIterator>> children_;
  InternalIterator* current_ = nullptr;
  bool forward_ = true;
};

}  // namespace

std::unique_ptr<InternalIterator> NewMergingIterator(
    std::vector<std::unique_ptr<InternalIterator>> children) {
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<MergingIterator>(std::move(children));
}

}  // namespace strata
