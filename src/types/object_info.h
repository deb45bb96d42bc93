// What OBJECT ENCODING and DEBUG OBJECT report about a stored value (MEMORY USAGE is the
// key's KeyCharge, types/encoding.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "strata/status.h"
#include "types/collection_ops.h"

namespace strata::types {

// Redis's size thresholds (hash-max-listpack-entries ...), by which a value is named with the
// encoding Redis would give it.
struct EncodingLimits {
  int64_t hash_entries = 512, hash_value = 64;
  int64_t zset_entries = 128, zset_value = 64;
  int64_t set_intset_entries = 512;
};

// The encoding Redis 7.0 would use for the live key (meta from LookupKey): int, embstr or raw
// for strings; listpack or hashtable (hash); intset or hashtable (set); listpack or skiplist
// (sorted set); quicklist (list). Reads at most the limit's number of elements.
Result<std::string_view> EncodingOf(const OpArgs& op, std::string_view key, const Meta& meta,
                                    const EncodingLimits& limits);

}  // namespace strata::types
