// Internal keys: a user key plus an 8-byte trailer (seqno << 8 | type).
//
// Order: user key ascending (memcmp, shorter first on a common prefix), then trailer
// descending, so the newest version of a key comes first. Comparing is one memcmp plus one
// integer compare; nothing is allocated.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "strata/status.h"

namespace strata {

using SequenceNumber = uint64_t;

enum class ValueType : uint8_t { kDeletion = 0, kValue = 1 };

// Seqnos use 56 bits; 0 is never assigned, so (key, trailer 0) sorts after every real entry.
constexpr SequenceNumber kMaxSequenceNumber = (uint64_t{1} << 56) - 1;

inline uint64_t PackTrailer(SequenceNumber seq, ValueType type) {
  return (seq << 8) | static_cast<uint8_t>(type);
}
inline SequenceNumber TrailerSequence(uint64_t trailer) { return trailer >> 8; }
inline ValueType TrailerType(uint64_t trailer) { return static_cast<ValueType>(trailer & 0xff); }

// The trailer to seek with to land on the newest entry of a key visible at seq.
inline uint64_t SeekTrailer(SequenceNumber seq) { return (seq << 8) | 0xff; }

// Short keys (the common case: the benchmark's 16 bytes, typical Redis keys) are compared 8
// bytes at a time in registers, big-endian so integer order is byte order; that beats a call
// to memcmp, which the skiplist, the merging heap and the block search make constantly.
inline int CompareUserKey(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  if (n > 32) {
    int c = std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c;
  } else {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t x, y;
      std::memcpy(&x, a.data() + i, 8);
      std::memcpy(&y, b.data() + i, 8);
      if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y) ? -1 : 1;
    }
    for (; i < n; ++i) {
      unsigned char x = a[i], y = b[i];
      if (x != y) return x < y ? -1 : 1;
    }
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

inline int CompareInternal(std::string_view a_key, uint64_t a_trailer, std::string_view b_key,
                           uint64_t b_trailer) {
  int c = CompareUserKey(a_key, b_key);
  if (c != 0) return c;
  return a_trailer > b_trailer ? -1 : (a_trailer < b_trailer ? 1 : 0);
}

// Iterator over internal entries (every version, tombstones included) of one source.
class InternalIterator {
 public:
  virtual ~InternalIterator() = default;
  virtual bool Valid() const = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // First entry >= (user_key, trailer).
  virtual void Seek(std::string_view user_key, uint64_t trailer) = 0;
  // Last entry <= (user_key, trailer).
  virtual void SeekForPrev(std::string_view user_key, uint64_t trailer) = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  virtual std::string_view user_key() const = 0;
  virtual uint64_t trailer() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const { return Status::OK(); }
};

}  // namespace strata
