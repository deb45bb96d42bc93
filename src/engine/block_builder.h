// BlockBuilder: builds a block of sorted key/value entries with prefix-compressed keys.
//
//   entry    := varint32 shared | varint32 unshared | varint32 value_len
//               | key bytes [shared..] (unshared bytes) | value bytes
//   block    := entry* | restart offsets (fixed32 each) | fixed32 restart count
//
// Every kRestartInterval-th entry is a restart point: it stores its whole key (shared = 0),
// and its offset goes in the restart array, so a reader can binary-search the restarts and
// decode forward from there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class BlockBuilder {
 public:
  // Data blocks: 16 (compact keys, a short scan after the binary search). Index blocks: 1
  // (every entry a restart: a seek is a pure binary search).
  explicit BlockBuilder(int restart_interval = 16) : restart_interval_(restart_interval) {
    Reset();
  }

  void Reset();
  // REQUIRES: key is greater than every key added since Reset; Finish not called yet.
  void Add(std::string_view key, std::string_view value);
  // Appends the restart array; the returned bytes are valid until Reset.
  std::string_view Finish();
  // Bytes the block would have if finished now.
  size_t CurrentSizeEstimate() const {
    return buffer_.size() + (restarts_.size() + 1) * sizeof(uint32_t);
  }
  bool empty() const { return buffer_.empty(); }
  std::string_view last_key() const { return last_key_; }

 private:
  const int restart_interval_;
  std::string buffer_;
  std::vector<uint32_t> restarts_;
  int counter_ = 0;
  bool finished_ = false;
  std::string last_key_;
};

}  // namespace strata
