// TableBuilder: writes an SSTable (format in table_format.h) from entries in internal-key
// order. Used by flush and compaction on the worker pool; one builder per output file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/block_builder.h"
#include "engine/bloom.h"
#include "engine/env.h"
#include "engine/table_format.h"

namespace strata {

struct TableOptions {
  // Target size of a data block before the trailer. Default: 4 KiB.
  size_t block_size = 4096;
  // Bloom filter bits per key. Default: 10 (about 1% false positives).
  int bloom_bits_per_key = 10;
};

class TableBuilder {
 public:
  // file must stay open until Finish returns; the builder does not sync it.
  TableBuilder(const TableOptions& options, WritableFile* file);

  // REQUIRES: (user_key, trailer) sorts after every entry added before; Finish not called.
  void Add(std::string_view user_key, uint64_t trailer, std::string_view value);
  // Writes the remaining blocks and the footer. The first write error is returned (and
  // every later call is a no-op).
  Status Finish();

  uint64_t FileSize() const { return offset_ + pending_.size(); }
  const table::TableProperties& properties() const { return props_; }

 private:
  void FlushDataBlock();
  table::BlockHandle WriteBlock(std::string_view contents);
  void WritePending(bool force);

  const TableOptions options_;
  WritableFile* file_;
  uint64_t offset_ = 0;   // bytes handed to the file
  std::string pending_;   // bytes not yet handed to the file
  uint64_t written_back_ = 0;  // offset up to which writeback was started
  BlockBuilder data_, index_;
  BloomBuilder bloom_;
  table::TableProperties props_;
  std::string ikey_;
  Status status_;
};

}  // namespace strata
