#include "types/staged_iterator.h"

namespace strata::types {
namespace {

class StagedIterator final : public Iterator {
 public:
  StagedIterator(DB* db, const Overlay* overlay, std::string lower, std::string upper)
      : overlay_(overlay), lower_(std::move(lower)), upper_(std::move(upper)) {
    ReadOptions options;
    options.lower_bound = lower_;
    options.upper_bound = upper_;
    base_ = db->NewIterator(options);
    begin_ = lower_.empty() ? overlay->begin() : overlay->lower_bound(lower_);
    end_ = upper_.empty() ? overlay->end() : overlay->lower_bound(upper_);
    if (begin_ != overlay->end() && end_ != overlay->end() && end_->first < begin_->first) {
      end_ = begin_;  // lower >= upper: empty range
    }
    ov_ = end_;
  }

  bool Valid() const override { return valid_; }

  void SeekToFirst() override {
    base_->SeekToFirst();
    ov_ = begin_;
    forward_ = true;
    FindForward();
  }

  void SeekToLast() override {
    base_->SeekToLast();
    ov_ = begin_ == end_ ? end_ : std::prev(end_);
    forward_ = false;
    FindBackward();
  }

  void Seek(std::string_view target) override {
    if (target < std::string_view(lower_)) target = lower_;
    base_->Seek(target);
    ov_ = (!upper_.empty() && target >= std::string_view(upper_)) ? end_
                                                                   : overlay_->lower_bound(target);
    forward_ = true;
    FindForward();
  }

  void SeekForPrev(std::string_view target) override {
    if (!upper_.empty() && target >= std::string_view(upper_)) return SeekToLast();
    base_->SeekForPrev(target);
    auto after = target < std::string_view(lower_) ? begin_ : overlay_->upper_bound(target);
    ov_ = after == begin_ ? end_ : std::prev(after);
    forward_ = false;
    FindBackward();
  }

  void Next() override {
    if (!forward_) {
      std::string current(key());
      Seek(current);  // current is live, so this lands on it with both sides in forward order
    }
    if (on_overlay_) {
      ++ov_;
    } else {
      base_->Next();
    }
    FindForward();
  }

  void Prev() override {
    if (forward_) {
      std::string current(key());
      SeekForPrev(current);
    }
    if (on_overlay_) {
      ov_ = ov_ == begin_ ? end_ : std::prev(ov_);
    } else {
      base_->Prev();
    }
    FindBackward();
  }

  std::string_view key() const override {
    return on_overlay_ ? std::string_view(ov_->first) : base_->key();
  }
  std::string_view value() const override {
    return on_overlay_ ? std::string_view(*ov_->second) : base_->value();
  }
  Status status() const override { return base_->status(); }

 private:
  // Settles on the smallest live entry at or after the two positions; a staged entry
  // shadows the engine's entry for the same key.
  void FindForward() {
    while (true) {
      bool b = base_->Valid(), o = ov_ != end_;
      if (!b && !o) {
        valid_ = false;
        return;
      }
      if (o && (!b || ov_->first <= base_->key())) {
        if (b && ov_->first == base_->key()) base_->Next();
        if (!ov_->second) {
          ++ov_;
          continue;
        }
        on_overlay_ = true;
      } else {
        on_overlay_ = false;
      }
      valid_ = true;
      return;
    }
  }

  void FindBackward() {
    while (true) {
      bool b = base_->Valid(), o = ov_ != end_;
      if (!b && !o) {
        valid_ = false;
        return;
      }
      if (o && (!b || ov_->first >= base_->key())) {
        if (b && ov_->first == base_->key()) base_->Prev();
        if (!ov_->second) {
          ov_ = ov_ == begin_ ? end_ : std::prev(ov_);
          continue;
        }
        on_overlay_ = true;
      } else {
        on_overlay_ = false;
      }
      valid_ = true;
      return;
    }
  }

  const Overlay* overlay_;
  std::string lower_, upper_;  // the base iterator's bounds point into these
  std::unique_ptr<Iterator> base_;
  Overlay::const_iterator begin_, end_, ov_;  // ov_ == end_: the staged side is exhausted
  bool valid_ = false, on_overlay_ = false, forward_ = true;
};

}  // namespace

std::unique_ptr<Iterator> NewStagedIterator(DB* db, const Overlay* overlay, std::string lower,
                                            std::string upper) {
  return std::make_unique<StagedIterator>(db, overlay, std::move(lower), std::move(upper));
}

}  // namespace strata::types
