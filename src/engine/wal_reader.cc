#include "engine/wal_reader.h"

#include "strata/coding.h"
#include "engine/crc32c.h"
#include "engine/wal_format.h"

namespace strata {

bool WalReader::ReadRecord(std::string_view* payload) {
  size_t left = contents_.size() - offset_;
  if (left == 0) return false;
  if (left < wal::kHeaderSize) {
    error_ = "incomplete record header";
    return false;
  }
  const char* header = contents_.data() + offset_;
  uint32_t length = DecodeFixed32(header + 4);
  if (length > left - wal::kHeaderSize) {
    error_ = "record of " + std::to_string(length) + " bytes runs past the end of the file";
    return false;
  }
  uint32_t crc = crc32c::Value(header + 4, 4);
  crc = crc32c::Extend(crc, header + wal::kHeaderSize, length);
  if (crc != crc32c::Unmask(DecodeFixed32(header))) {
    error_ = "checksum mismatch";
    return false;
  }
  *payload = std::string_view(header + wal::kHeaderSize, length);
  offset_ += wal::kHeaderSize + length;
  return true;
}

}  // namespace strata
