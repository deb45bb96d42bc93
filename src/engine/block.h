// Block: a read-only block (see block_builder.h for the format) and its iterator.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/dbformat.h"

namespace strata {

class Block {
 public:
  // Takes the block contents (without the trailer). A malformed restart array makes every
  // iterator report Corruption.
  explicit Block(std::string contents);
  // Contents that live elsewhere (a mapped file), kept valid by owner.
  Block(std::string_view contents, std::shared_ptr<const void> owner);
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  size_t size() const { return data_.size(); }

  // Iterates the block's entries, whose keys are encoded internal keys (table_format.h).
  // The iterator keeps the block alive.
  static std::unique_ptr<InternalIterator> NewIterator(std::shared_ptr<const Block> block);

 private:
  friend class BlockIter;
  void Init();

  std::string owned_;
  std::shared_ptr<const void> owner_;
  std::string_view data_;
  uint32_t restart_offset_ = 0;  // where the restart array begins
  uint32_t num_restarts_ = 0;
  bool malformed_ = false;
};

}  // namespace strata
