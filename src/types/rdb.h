// DUMP and RESTORE payloads in Redis's own serialization (RDB object encoding), so a key can
// move between Redis and Strata:
//
//   +-----------+-----------------+----------------------+-------------------------+
//   | type: 1   | object encoding | RDB version: 2 (LE)  | CRC-64/Jones: 8 (LE)    |
//   +-----------+-----------------+----------------------+-------------------------+
//   the CRC covers everything before it.
//
// Strings are written as Redis writes them (small integers int-encoded) but never
// LZF-compressed; reading accepts every string encoding Redis produces, LZF included.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "types/encoding.h"

namespace strata::types {

// The RDB version our payloads carry: 10 (Redis 7.0), which Redis 7.0 and later accept.
constexpr uint16_t kDumpRdbVersion = 10;
// The newest RDB version whose payloads we read (Redis 7.4 writes 12).
constexpr uint16_t kMaxReadRdbVersion = 12;

// Redis's crc64 (Jones polynomial, reflected).
uint64_t Crc64(uint64_t crc, std::string_view data);

std::string DumpString(std::string_view value);

enum class RestoreError { kNone, kVersionOrChecksum, kBadFormat };

// Checks the trailer and decodes the object. Only strings so far.
RestoreError ParseDump(std::string_view payload, Type* type, std::string* value);

}  // namespace strata::types
