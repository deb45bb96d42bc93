// Write-ahead log format. A log segment (NNNNNN.log) is a sequence of records:
//
//   +-------------+-------------+---------------------------+
//   | crc: 4      | length: 4   | payload: length bytes     |
//   +-------------+-------------+---------------------------+
//
// crc is the masked CRC32C of the 4 length bytes followed by the payload, so a damaged length
// is caught too. Integers are little-endian. The payload is one WriteBatch (see
// write_batch.h): a record is applied entirely or not at all.
//
// Recovery reads records up to the first one that is incomplete (a torn write) or fails its
// checksum, and cuts the segment there: the bytes after it were never acknowledged under
// appendfsync always, and under the other policies the loss is bounded by the policy.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::wal {

constexpr size_t kHeaderSize = 8;
constexpr uint32_t kMaxRecordSize = 0xffffffffu - kHeaderSize;

}  // namespace strata::wal
