// TableIndex: a table's index block, decoded once at open into arrays that a seek searches
// with few cache misses.
//
// The index block maps each data block's last internal key to its handle; searching it
// directly costs two dependent misses per binary-search step (the restart offset, then the
// key). Here every block also gets a fence: the 8 bytes of its last user key that follow the
// prefix most of the table's blocks share, as a big-endian integer (keys without that prefix
// get the lowest or highest fence). Fences sit in a plain sorted array
// beside each block's offset (16 bytes per 4 KiB block, so the upper steps of the search
// stay in the CPU caches and its last step brings the offset along); only blocks whose fence
// equals the target's are told apart by comparing whole keys. Data blocks are contiguous, so
// a block's size is the distance to the next one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/table_format.h"
#include "strata/status.h"

namespace strata {

class TableIndex {
 public:
  // Decodes index_block (contents of the index block, taken over). smallest/largest are the
  // table's user-key range; every handle must end at or before data_end. Corruption
  // (without the file name) when the index is malformed.
  Status Init(std::string index_block, std::string_view smallest, std::string_view largest,
              uint64_t data_end);

  size_t size() const { return keys_.size(); }
  // Bytes held in memory for the index.
  size_t memory() const {
    return contents_.capacity() + common_.capacity() + fences_.capacity() * sizeof(Fence) +
           keys_.capacity() * sizeof(LastKey);
  }
  table::BlockHandle handle(size_t i) const {
    return {fences_[i].offset, fences_[i + 1].offset - fences_[i].offset - table::kBlockTrailerSize};
  }

  // What the fences are the 8 bytes after.
  const std::string& fence_prefix() const { return common_; }
  // The first block whose last key is >= (user_key, trailer); size() when there is none.
  size_t Find(std::string_view user_key, uint64_t trailer) const;

 private:
  struct Fence {
    uint64_t fence;
    uint64_t offset;  // of the block; one more entry holds the end of the last block
  };
  struct LastKey {
    uint32_t offset, size;  // of the block's last internal key, in contents_
  };

  static size_t CommonPrefix(std::string_view a, std::string_view b);
  std::string_view LastUserKey(size_t i) const;  // of block i
  uint64_t FenceOf(std::string_view user_key) const;
  // Compares block i's last internal key with (user_key, trailer).
  int CompareLast(size_t i, std::string_view user_key, uint64_t trailer) const;

  std::string contents_;
  std::string common_;         // the prefix the fences follow (most blocks' last keys share it)
  std::vector<Fence> fences_;  // size() + 1 entries
  std::vector<LastKey> keys_;
};

}  // namespace strata
