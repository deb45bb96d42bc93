#include "engine/block.h"

#include "engine/coding.h"
#include "engine/table_format.h"

namespace strata {

Block::Block(std::string contents) : owned_(std::move(contents)), data_(owned_) { Init(); }

Block::Block(std::string_view contents, std::shared_ptr<const void> owner)
    : owner_(std::move(owner)), data_(contents) {
  Init();
}

void Block::Init() {
  if (data_.size() < sizeof(uint32_t)) {
    malformed_ = true;
    return;
  }
  num_restarts_ = DecodeFixed32(data_.data() + data_.size() - 4);
  uint64_t array = (static_cast<uint64_t>(num_restarts_) + 1) * 4;
  if (num_restarts_ == 0 || array > data_.size()) {
    malformed_ = true;
    return;
  }
  restart_offset_ = static_cast<uint32_t>(data_.size() - array);
}

class BlockIter final : public InternalIterator {
 public:
  explicit BlockIter(std::shared_ptr<const Block> block)
      : block_(std::move(block)), data_(block_->data_) {
    if (block_->malformed_) status_ = Status::Corruption("bad block restart array");
  }

  bool Valid() const override { return valid_; }
  std::string_view user_key() const override { return user_key_; }
  uint64_t trailer() const override { return trailer_; }
  std::string_view value() const override { return value_; }
  Status status() const override { return status_; }

  void SeekToFirst() override {
    if (!status_.ok()) return;
    SeekToRestart(0);
    ParseNext();
  }

  void SeekToLast() override {
    if (!status_.ok()) return;
    SeekToRestart(block_->num_restarts_ - 1);
    while (ParseNext() && next_ < block_->restart_offset_) {
    }
  }

  void Seek(std::string_view user_key, uint64_t trailer) override {
    if (!status_.ok()) return;
    // Binary search for the last restart point whose key is < target. A restart entry
    // stores its whole key, so it is compared in place, without decoding into key_.
    uint32_t left = 0, right = block_->num_restarts_ - 1;
    while (left < right) {
      uint32_t mid = (left + right + 1) / 2;
      std::string_view key;
      if (!RestartKey(mid, &key)) return;
      std::string_view ukey;
      uint64_t t;
      if (!table::SplitInternalKey(key, &ukey, &t)) {
        Fail("bad internal key");
        return;
      }
      if (CompareInternal(ukey, t, user_key, trailer) < 0) {
        left = mid;
      } else {
        right = mid - 1;
      }
    }
    SeekToRestart(left);
    while (ParseNext()) {
      if (CompareInternal(user_key_, trailer_, user_key, trailer) >= 0) return;
    }
  }

  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    Seek(user_key, trailer);
    if (!status_.ok()) return;
    if (!valid_) {
      SeekToLast();
    } else if (CompareInternal(user_key_, trailer_, user_key, trailer) > 0) {
      Prev();
    }
  }

  void Next() override { ParseNext(); }

  void Prev() override {
    // Back up to the restart point before the current entry, then scan forward to the entry
    // just before it.
    uint32_t original = current_;
    uint32_t r = restart_index_;
    while (RestartPoint(r) >= original) {
      if (r == 0) {
        valid_ = false;
        return;
      }
      --r;
    }
    SeekToRestart(r);
    while (ParseNext() && next_ < original) {
    }
  }

 private:
  uint32_t RestartPoint(uint32_t i) const {
    return DecodeFixed32(data_.data() + block_->restart_offset_ + i * 4);
  }

  // The whole key stored at restart point i; false (and Corruption) when malformed.
  bool RestartKey(uint32_t i, std::string_view* key) {
    uint32_t offset = RestartPoint(i);
    if (offset >= block_->restart_offset_) return Fail("bad restart point");
    std::string_view in = data_.substr(offset, block_->restart_offset_ - offset);
    uint32_t shared, unshared, value_len;
    if (!GetVarint32(&in, &shared) || !GetVarint32(&in, &unshared) ||
        !GetVarint32(&in, &value_len) || shared != 0 || in.size() < unshared) {
      return Fail("bad restart entry");
    }
    *key = in.substr(0, unshared);
    return true;
  }

  void SeekToRestart(uint32_t i) {
    restart_index_ = i;
    next_ = RestartPoint(i);
    key_.clear();
    valid_ = false;
  }

  // Decodes the entry at next_; false (and invalid) at the end or on corruption.
  bool ParseNext() {
    current_ = next_;
    if (current_ >= block_->restart_offset_) {
      valid_ = false;
      return false;
    }
    std::string_view in = data_.substr(current_, block_->restart_offset_ - current_);
    uint32_t shared, unshared, value_len;
    if (!GetVarint32(&in, &shared) || !GetVarint32(&in, &unshared) ||
        !GetVarint32(&in, &value_len) || shared > key_.size() ||
        in.size() < static_cast<uint64_t>(unshared) + value_len) {
      return Fail("bad block entry");
    }
    key_.resize(shared);
    key_.append(in.substr(0, unshared));
    value_ = in.substr(unshared, value_len);
    if (!table::SplitInternalKey(key_, &user_key_, &trailer_)) return Fail("bad internal key");
    next_ = static_cast<uint32_t>(value_.data() + value_.size() - data_.data());
    while (restart_index_ + 1 < block_->num_restarts_ &&
           RestartPoint(restart_index_ + 1) <= current_) {
      ++restart_index_;
    }
    valid_ = true;
    return true;
  }

  bool Fail(std::string_view why) {
    status_ = Status::Corruption(why);
    valid_ = false;
    return false;
  }

  std::shared_ptr<const Block> block_;
  std::string_view data_;
  uint32_t current_ = 0;  // offset of the current entry
  uint32_t next_ = 0;     // offset of the entry after it
  uint32_t restart_index_ = 0;
  std::string key_;
  std::string_view user_key_, value_;
  uint64_t trailer_ = 0;
  bool valid_ = false;
  Status status_;
};

std::unique_ptr<InternalIterator> Block::NewIterator(std::shared_ptr<const Block> block) {
  return std::make_unique<BlockIter>(std::move(block));
}

}  // namespace strata
