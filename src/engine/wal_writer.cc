#include "engine/wal_writer.h"

#include "strata/coding.h"
#include "engine/crc32c.h"
#include "engine/wal_format.h"

namespace strata {

void WalWriter::AddRecord(std::string_view payload) {
  char header[wal::kHeaderSize];
  EncodeFixed32(header + 4, static_cast<uint32_t>(payload.size()));
  uint32_t crc = crc32c::Value(header + 4, 4);
  crc = crc32c::Extend(crc, payload.data(), payload.size());
  EncodeFixed32(header, crc32c::Mask(crc));
  buffer_.append(header, sizeof(header));
  buffer_.append(payload);
}

Status WalWriter::TEST_FlushPrefix(size_t n) {
  size_t written = 0;
  Status s = file_->Append(std::string_view(buffer_).substr(0, n), &written);
  file_size_ += written;
  buffer_.erase(0, written);
  return s;
}

Status WalWriter::Flush() {
  if (buffer_.empty()) return Status::OK();
  size_t written = 0;
  Status s = file_->Append(buffer_, &written);
  file_size_ += written;
  if (s.ok()) {
    buffer_.clear();
    if (buffer_.capacity() > (4u << 20)) buffer_.shrink_to_fit();  // after a huge value
    return s;
  }
  buffer_.erase(0, written);
  return Status::IOError(std::string(s.message()) + " at offset " + std::to_string(file_size_));
}

}  // namespace strata
