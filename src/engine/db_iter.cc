#include "engine/db_iter.h"

namespace strata {
namespace {

// Forward: iter_ sits on the entry that is returned. Reverse: iter_ sits just before every
// entry of the returned key, whose key and value are copied into saved_key_/saved_value_
// (LevelDB's scheme).
class DBIter final : public Iterator {
 public:
  DBIter(std::unique_ptr<InternalIterator> iter, SequenceNumber seq, std::string_view lower,
         std::string_view upper, std::shared_ptr<const void> pin)
      : pin_(std::move(pin)), iter_(std::move(iter)), seq_(seq), lower_(lower), upper_(upper) {}

  bool Valid() const override { return valid_; }
  std::string_view key() const override {
    return forward_ ? iter_->user_key() : std::string_view(saved_key_);
  }
  std::string_view value() const override {
    return forward_ ? iter_->value() : std::string_view(saved_value_);
  }
  Status status() const override { return iter_->status(); }

  void SeekToFirst() override {
    if (!lower_.empty()) return Seek(lower_);
    forward_ = true;
    iter_->SeekToFirst();
    FindNextUserEntry(false);
  }

  void SeekToLast() override {
    if (!upper_.empty()) {
      // Last entry strictly below the upper bound.
      iter_->Seek(upper_, SeekTrailer(kMaxSequenceNumber));
      if (iter_->Valid()) {
        iter_->Prev();
      } else {
        iter_->SeekToLast();
      }
    } else {
      iter_->SeekToLast();
    }
    FindPrevUserEntry();
  }

  void Seek(std::string_view target) override {
    if (!lower_.empty() && CompareUserKey(target, lower_) < 0) target = lower_;
    forward_ = true;
    iter_->Seek(target, SeekTrailer(seq_));
    FindNextUserEntry(false);
  }

  void SeekForPrev(std::string_view target) override {
    if (!upper_.empty() && CompareUserKey(target, upper_) >= 0) return SeekToLast();
    iter_->SeekForPrev(target, 0);  // trailer 0 sorts after every version of target
    FindPrevUserEntry();
  }

  void Next() override {
    if (!forward_) {
      forward_ = true;
      if (iter_->Valid()) {
        iter_->Next();
      } else {
        iter_->SeekToFirst();
      }
    } else {
      saved_key_.assign(iter_->user_key());
      iter_->Next();
    }
    FindNextUserEntry(true);  // skip the rest of saved_key_'s versions
  }

  void Prev() override {
    if (forward_) {
      // Step back past every version of the current key.
      saved_key_.assign(iter_->user_key());
      do {
        iter_->Prev();
      } while (iter_->Valid() && CompareUserKey(iter_->user_key(), saved_key_) >= 0);
    }
    FindPrevUserEntry();
  }

 private:
  bool Visible() const { return TrailerSequence(iter_->trailer()) <= seq_; }

  // From iter_ forward: the first visible, live version of a key other than saved_key_ (when
  // skipping).
  void FindNextUserEntry(bool skipping) {
    for (; iter_->Valid(); iter_->Next()) {
      std::string_view key = iter_->user_key();
      if (!upper_.empty() && CompareUserKey(key, upper_) >= 0) break;
      if (!Visible()) continue;
      if (skipping && key == saved_key_) continue;
      if (TrailerType(iter_->trailer()) == ValueType::kDeletion) {
        saved_key_.assign(key);
        skipping = true;
        continue;
      }
      valid_ = true;
      return;
    }
    valid_ = false;
  }

  // From iter_ backward: collect the newest visible version of the nearest key that has a live
  // one, leaving iter_ before all of that key's versions.
  void FindPrevUserEntry() {
    forward_ = false;
    bool have_value = false;
    for (; iter_->Valid(); iter_->Prev()) {
      std::string_view key = iter_->user_key();
      if (!lower_.empty() && CompareUserKey(key, lower_) < 0) break;
      if (!Visible()) continue;
      // Versions of one key arrive oldest first; a smaller key ends the one collected.
      if (have_value && CompareUserKey(key, saved_key_) < 0) break;
      if (TrailerType(iter_->trailer()) == ValueType::kDeletion) {
        have_value = false;
      } else {
        saved_key_.assign(key);
        saved_value_.assign(iter_->value());
        have_value = true;
      }
    }
    valid_ = have_value;
    if (!valid_) {
      saved_key_.clear();
      saved_value_.clear();
    }
  }

  std::shared_ptr<const void> pin_;  // declared first: outlives iter_
  std::unique_ptr<InternalIterator> iter_;
  const SequenceNumber seq_;
  const std::string lower_, upper_;
  bool valid_ = false;
  bool forward_ = true;
  std::string saved_key_, saved_value_;
};

}  // namespace

std::unique_ptr<Iterator> NewDBIterator(std::unique_ptr<InternalIterator> internal,
                                        SequenceNumber seq, std::string_view lower,
                                        std::string_view upper,
                                        std::shared_ptr<const void> pin) {
  return std::make_unique<DBIter>(std::move(internal), seq, lower, upper, std::move(pin));
}

}  // namespace strata
