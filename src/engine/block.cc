#include "engine/block.h"

#include <cstring>

#include "strata/coding.h"
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

void KeyBuffer::Append(std::string_view bytes) {
  if (size_ + bytes.size() > capacity_) {
    size_t capacity = std::max(capacity_ * 2, size_ + bytes.size());
    auto bigger = std::make_unique<char[]>(capacity);
    std::memcpy(bigger.get(), data_, size_);
    heap_ = std::move(bigger);
    data_ = heap_.get();
    capacity_ = capacity;
  }
  std::memcpy(data_ + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
}

void BlockCursor::Reset(const Block* block) {
  block_ = block;
  data_ = block->data_;
  valid_ = false;
  status_ = block->malformed_ ? Status::Corruption("bad block restart array") : Status::OK();
}

void BlockCursor::SeekToFirst() {
  if (!status_.ok()) return;
  SeekToRestart(0);
  ParseNext();
}

void BlockCursor::SeekToLast() {
  if (!status_.ok()) return;
  SeekToRestart(block_->num_restarts_ - 1);
  while (ParseNext() && next_ < block_->restart_offset_) {
  }
}

void BlockCursor::Seek(std::string_view user_key, uint64_t trailer) {
  if (!status_.ok()) return;
  // Binary search for the last restart point whose key is < target. A restart entry stores
  // its whole key, so it is compared in place, without decoding into key_.
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

void BlockCursor::SeekForPrev(std::string_view user_key, uint64_t trailer) {
  Seek(user_key, trailer);
  if (!status_.ok()) return;
  if (!valid_) {
    SeekToLast();
  } else if (CompareInternal(user_key_, trailer_, user_key, trailer) > 0) {
    Prev();
  }
}

void BlockCursor::Prev() {
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

uint32_t BlockCursor::RestartPoint(uint32_t i) const {
  return DecodeFixed32(data_.data() + block_->restart_offset_ + i * 4);
}

bool BlockCursor::RestartKey(uint32_t i, std::string_view* key) {
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

void BlockCursor::SeekToRestart(uint32_t i) {
  restart_index_ = i;
  next_ = RestartPoint(i);
  key_.Truncate(0);
  valid_ = false;
}

// Decodes the entry at next_; false (and invalid) at the end or on corruption.
bool BlockCursor::ParseNext() {
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
  key_.Truncate(shared);
  key_.Append(in.substr(0, unshared));
  value_ = in.substr(unshared, value_len);
  if (!table::SplitInternalKey(key_.view(), &user_key_, &trailer_)) {
    return Fail("bad internal key");
  }
  next_ = static_cast<uint32_t>(value_.data() + value_.size() - data_.data());
  while (restart_index_ + 1 < block_->num_restarts_ &&
         RestartPoint(restart_index_ + 1) <= current_) {
    ++restart_index_;
  }
  valid_ = true;
  return true;
}

bool BlockCursor::Fail(std::string_view why) {
  status_ = Status::Corruption(why);
  valid_ = false;
  return false;
}

namespace {

// A cursor that owns (a share of) its block.
class BlockIter final : public InternalIterator {
 public:
  explicit BlockIter(std::shared_ptr<const Block> block)
      : block_(std::move(block)), cursor_(block_.get()) {}

  bool Valid() const override { return cursor_.Valid(); }
  std::string_view user_key() const override { return cursor_.user_key(); }
  uint64_t trailer() const override { return cursor_.trailer(); }
  std::string_view value() const override { return cursor_.value(); }
  Status status() const override { return cursor_.status(); }
  void SeekToFirst() override { cursor_.SeekToFirst(); }
  void SeekToLast() override { cursor_.SeekToLast(); }
  void Seek(std::string_view user_key, uint64_t trailer) override {
    cursor_.Seek(user_key, trailer);
  }
  void SeekForPrev(std::string_view user_key, uint64_t trailer) override {
    cursor_.SeekForPrev(user_key, trailer);
  }
  void Next() override { cursor_.Next(); }
  void Prev() override { cursor_.Prev(); }

 private:
  std::shared_ptr<const Block> block_;
  BlockCursor cursor_;
};

}  // namespace

std::unique_ptr<InternalIterator> Block::NewIterator(std::shared_ptr<const Block> block) {
  return std::make_unique<BlockIter>(std::move(block));
}

}  // namespace strata
