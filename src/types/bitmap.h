// Bitmaps are strings (types/string.h), read and written bit by bit. Invariants, kept here
// and nowhere else:
//   - bit 0 is the most significant bit of the first byte; a bit field's bits run the same
//     way, its most significant bit first;
//   - bytes past the end of the value read as zeros (a missing key is an empty string), and
//     a write past the end extends the value with zero bytes first;
//   - a write keeps the key's time to live, as SETRANGE does;
//   - a write that changes nothing (the same bit, the same field value, within the value)
//     writes nothing and says so, as Redis 7 then sends no event and leaves WATCH alone.
// Loop thread only; Results as types/hash.h describes (kWrongType for a key of another type).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/collection_ops.h"

namespace strata::types {

// One BITFIELD operation on a field of `bits` bits (1-64 signed, 1-63 unsigned) at bit
// `offset`.
struct BitField {
  enum class Kind { kGet, kSet, kIncrBy } kind = Kind::kGet;
  enum class Overflow { kWrap, kSat, kFail } overflow = Overflow::kWrap;
  bool is_signed = false;
  int bits = 0;
  uint64_t offset = 0;
  int64_t value = 0;  // SET: the new value; INCRBY: the increment
};

class Bitmap {
 public:
  // SETBIT: the bit's old value; *changed: the key was written.
  static Result<int> SetBit(const OpArgs& op, std::string_view key, uint64_t offset, int bit,
                            bool* changed);
  static Result<int> GetBit(const OpArgs& op, std::string_view key, uint64_t offset);

  // The set bits of value within bits [first, last] (last < value.size() * 8).
  static uint64_t Count(std::string_view value, uint64_t first, uint64_t last);
  // The first bit equal to `bit` within bits [first, last], or -1.
  static int64_t Find(std::string_view value, int bit, uint64_t first, uint64_t last);

  // BITOP: the sources combined byte by byte, the shorter ones padded with zeros (NOT: one
  // source, inverted).
  enum class Op { kAnd, kOr, kXor, kNot };
  static std::string Combine(Op op, std::span<const std::string> sources);

  // BITFIELD and BITFIELD_RO: each operation's reply (GET: the value; SET: the old value;
  // INCRBY: the new value; nullopt: an overflow refused by OVERFLOW FAIL). With a SET or
  // INCRBY among them the key is created, or extended to the end of every such field, as in
  // Redis even when OVERFLOW FAIL refuses the write itself; *changed: a field's bits changed
  // or the value grew.
  static Result<std::vector<std::optional<int64_t>>> Fields(const OpArgs& op, std::string_view key,
                                                            std::span<const BitField> fields,
                                                            bool* changed);
};

}  // namespace strata::types
