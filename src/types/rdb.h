// DUMP and RESTORE payloads in Redis's own serialization (RDB object encoding), so a key can
// move between Redis and Strata:
//
//   +-----------+-----------------+----------------------+-------------------------+
//   | type: 1   | object encoding | RDB version: 2 (LE)  | CRC-64/Jones: 8 (LE)    |
//   +-----------+-----------------+----------------------+-------------------------+
//   the CRC covers everything before it.
//
// Writing uses the plain encodings every Redis since 2.x loads: strings (small integers
// int-encoded, never LZF-compressed), RDB_TYPE_LIST (1), SET (2), HASH (4) and ZSET_2 (5,
// binary doubles); streams as Redis 7.0 writes them, STREAM_LISTPACKS_2 (19): listpacks of
// up to 100 entries, then the counters, the groups with their pending entries and the
// consumers. Reading also accepts what Redis 7 writes for small values: LZF strings,
// intsets, ziplists and listpacks, quicklists of either, and streams of Redis 5 to 7.4 (15,
// 19, 21).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "types/encoding.h"
#include "types/stream_value.h"

namespace strata::types {

// The RDB version our payloads carry: 10 (Redis 7.0), which Redis 7.0 and later accept.
constexpr uint16_t kDumpRdbVersion = 10;
// The newest RDB version whose payloads we read (Redis 7.4 writes 12).
constexpr uint16_t kMaxReadRdbVersion = 12;

// Redis's crc64 (Jones polynomial, reflected).
uint64_t Crc64(uint64_t crc, std::string_view data);

// A value as DUMP and RESTORE carry it.
struct RdbValue {
  Type type = Type::kString;
  std::string str;                    // strings
  std::vector<std::string> elements;  // list items, set members, hash field and value
                                      // alternating, or zset members
  std::vector<double> scores;         // zsets: the score of elements[i]
  StreamValue stream;                 // streams
};

std::string Dump(const RdbValue& value);
std::string DumpString(std::string_view value);

enum class RestoreError { kNone, kVersionOrChecksum, kBadFormat };

// Checks the trailer and decodes the object. A collection that is empty, holds a member or
// field twice, or a NaN score is a format error, as in Redis; so is a stream that is not
// what a stream must be (types/rdb_format.h, ReadStream).
RestoreError ParseDump(std::string_view payload, RdbValue* value);

// FUNCTION DUMP and RESTORE: the libraries' code, each an RDB_OPCODE_FUNCTION2 (245) byte and
// an RDB string, then the same trailer.
std::string DumpFunctions(const std::vector<std::string>& codes);
RestoreError ParseFunctions(std::string_view payload, std::vector<std::string>* codes);

}  // namespace strata::types
