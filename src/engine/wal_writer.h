// WalWriter: appends records to a log segment through an in-memory buffer.
//
// AddRecord only buffers; Flush hands everything buffered to the OS in one write(2), which is
// how all the writes of a loop turn share one system call. Loop thread only; the file itself
// is shared with the everysec sync thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/env.h"

namespace strata {

class WalWriter {
 public:
  // file_size: bytes already in the file (when appending to a recovered segment).
  WalWriter(std::shared_ptr<WritableFile> file, uint64_t number, uint64_t file_size)
      : file_(std::move(file)), number_(number), file_size_(file_size) {}

  // Frames payload and appends it to the buffer. REQUIRES: payload.size() <= kMaxRecordSize.
  void AddRecord(std::string_view payload);

  // Writes the buffered bytes. On failure the unwritten bytes stay buffered, so a later Flush
  // retries exactly what is missing; the error names the file and offset.
  Status Flush();

  // Crash tests: writes only the first n buffered bytes, as a write(2) cut short would.
  Status TEST_FlushPrefix(size_t n);

  bool has_buffered() const { return !buffer_.empty(); }
  size_t buffered_bytes() const { return buffer_.size(); }
  // Bytes in the file plus bytes buffered.
  uint64_t size() const { return file_size_ + buffer_.size(); }
  uint64_t number() const { return number_; }
  const std::shared_ptr<WritableFile>& file() const { return file_; }

 private:
  std::shared_ptr<WritableFile> file_;
  const uint64_t number_;
  uint64_t file_size_;
  std::string buffer_;
};

}  // namespace strata
