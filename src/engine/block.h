// Block: a read-only block (see block_builder.h for the format), a cursor over it, and the
// iterator that keeps it alive.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/dbformat.h"

namespace strata {

class Block {
 public:
  // Takes the block contents (without the trailer). A malformed restart array makes every
  // cursor report Corruption.
  explicit Block(std::string contents);
  // Contents that live elsewhere (a mapped file), kept valid by owner (may be nullptr when
  // the caller keeps them valid for as long as the block is used).
  Block(std::string_view contents, std::shared_ptr<const void> owner);
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  size_t size() const { return data_.size(); }

  // Iterates the block's entries, whose keys are encoded internal keys (table_format.h).
  // The iterator keeps the block alive.
  static std::unique_ptr<InternalIterator> NewIterator(std::shared_ptr<const Block> block);

 private:
  friend class BlockCursor;
  void Init();

  std::string owned_;
  std::shared_ptr<const void> owner_;
  std::string_view data_;
  uint32_t restart_offset_ = 0;  // where the restart array begins
  uint32_t num_restarts_ = 0;
  bool malformed_ = false;
};

// The bytes of the current key, rebuilt from prefix-compressed entries without allocating
// for keys of up to kInline bytes (every key of the benchmark and of typical Redis keys).
class KeyBuffer {
 public:
  KeyBuffer() = default;
  KeyBuffer(const KeyBuffer&) = delete;
  KeyBuffer& operator=(const KeyBuffer&) = delete;

  size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }
  void Truncate(size_t n) { size_ = n; }
  void Append(std::string_view bytes);

 private:
  static constexpr size_t kInline = 64;
  char inline_[kInline];
  std::unique_ptr<char[]> heap_;
  char* data_ = inline_;
  size_t size_ = 0, capacity_ = kInline;
};

// A position in a block. Not an InternalIterator (no virtual calls, nothing allocated): the
// owner keeps the block alive and may point the cursor at another block with Reset.
class BlockCursor {
 public:
  BlockCursor() = default;
  explicit BlockCursor(const Block* block) { Reset(block); }
  void Reset(const Block* block);

  bool Valid() const { return valid_; }
  std::string_view user_key() const { return user_key_; }
  uint64_t trailer() const { return trailer_; }
  std::string_view value() const { return value_; }
  const Status& status() const { return status_; }

  void SeekToFirst();
  void SeekToLast();
  void Seek(std::string_view user_key, uint64_t trailer);  // first entry >= target
  void SeekForPrev(std::string_view user_key, uint64_t trailer);  // last entry <= target
  void Next() { ParseNext(); }
  void Prev();

 private:
  uint32_t RestartPoint(uint32_t i) const;
  bool RestartKey(uint32_t i, std::string_view* key);
  void SeekToRestart(uint32_t i);
  bool ParseNext();
  bool Fail(std::string_view why);

  const Block* block_ = nullptr;
  std::string_view data_;
  uint32_t current_ = 0;  // offset of the current entry
  uint32_t next_ = 0;     // offset of the entry after it
  uint32_t restart_index_ = 0;
  KeyBuffer key_;
  std::string_view user_key_, value_;
  uint64_t trailer_ = 0;
  bool valid_ = false;
  Status status_;
};

}  // namespace strata
