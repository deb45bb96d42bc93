// SSTable file format. A table is immutable once written:
//
//   +------------------+ offset 0
//   | data block 0     |   entries sorted by internal key (see block_builder.h)
//   | ...              |
//   | data block N-1   |
//   +------------------+
//   | filter block     |   one bloom filter over every user key (see bloom.h)
//   +------------------+
//   | properties block |   entries, deletions, seqno range, smallest/largest key
//   +------------------+
//   | index block      |   a block whose entries map each data block's last internal key
//   |                  |   to that block's BlockHandle
//   +------------------+
//   | footer (68 B)    |   filter, properties and index BlockHandles (varints, zero
//   |                  |   padded to 60 bytes) + 8-byte magic number
//   +------------------+
//
// Every block is followed by a 5-byte trailer: a type byte (0 = uncompressed) and the masked
// CRC32C of the block contents plus that type byte. Readers check it before using a block,
// so a damaged block is reported as Corruption, never served.
//
// Internal keys in tables are the user key followed by the 8-byte little-endian trailer
// (seqno << 8 | type), compared with CompareInternal (user key, then trailer descending).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/dbformat.h"
#include "strata/status.h"

namespace strata::table {

constexpr uint64_t kMagic = 0x7374726174615353ull;  // "strataSS"
constexpr size_t kBlockTrailerSize = 5;
constexpr size_t kMaxHandleSize = 20;  // two varint64s
constexpr size_t kFooterHandlesSize = 3 * kMaxHandleSize;  // three handles, zero padded
constexpr size_t kFooterSize = kFooterHandlesSize + 8;      // then the magic: 68 bytes

struct BlockHandle {
  uint64_t offset = 0;
  uint64_t size = 0;  // contents only, without the trailer

  void EncodeTo(std::string* dst) const;
  // Parses from the front of *in and advances it.
  bool DecodeFrom(std::string_view* in);
};

struct Footer {
  BlockHandle filter, properties, index;

  std::string Encode() const;
  Status DecodeFrom(std::string_view in);
};

struct TableProperties {
  uint64_t entries = 0;
  uint64_t deletions = 0;
  SequenceNumber smallest_seq = kMaxSequenceNumber;
  SequenceNumber largest_seq = 0;
  std::string smallest_key, largest_key;  // user keys

  std::string Encode() const;
  Status DecodeFrom(std::string_view in);
};

// Internal key encoding: user_key + fixed64 trailer.
void AppendInternalKey(std::string* dst, std::string_view user_key, uint64_t trailer);
// Splits an encoded internal key. False when it is shorter than a trailer.
bool SplitInternalKey(std::string_view ikey, std::string_view* user_key, uint64_t* trailer);

}  // namespace strata::table
