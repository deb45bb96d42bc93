// TableIndex: a table's index block, decoded once at open into arrays that a seek searches
// with few cache misses.
//
// The index block maps each data block's last internal key to its handle; searching it
// directly costs two dependent misses per binary-search step (the restart offset, then the
// key). Here every block also gets a fence: the 8 bytes of its last user key that follow the
// table's common key prefix, as a big-endian integer. Fences are a plain sorted array
// (8 bytes per 4 KiB block, so every table's fences together stay in the CPU caches), and
// only blocks whose fence equals the target's are told apart by comparing whole keys.
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

  size_t size() const { return blocks_.size(); }
  table::BlockHandle handle(size_t i) const { return {blocks_[i].offset, blocks_[i].size}; }

  // The first block whose last key is >= (user_key, trailer); size() when there is none.
  size_t Find(std::string_view user_key, uint64_t trailer) const;

 private:
  struct Entry {
    uint64_t offset;
    uint32_t size;
    uint32_t key_size;
    uint64_t key_offset;  // of the block's last internal key, in contents_
  };

  uint64_t FenceOf(std::string_view user_key) const;
  // Compares block i's last internal key with (user_key, trailer).
  int CompareLast(size_t i, std::string_view user_key, uint64_t trailer) const;

  std::string contents_;
  std::string common_;  // the prefix every user key of the table starts with
  std::vector<uint64_t> fences_;
  std::vector<Entry> blocks_;
};

}  // namespace strata
