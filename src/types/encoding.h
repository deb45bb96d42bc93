// How Redis keys become engine keys. One engine key space holds every database.
//
// Each database (SELECT n) maps to a namespace id: a number from a counter that only grows.
// FLUSHDB gives the database a fresh namespace (O(1)); SWAPDB swaps two databases' ids. Keys
// of a namespace no database maps to are garbage that the compaction filter drops.
//
//   metadata key   'M' | ns: 4 BE | user key                    -> metadata value
//   expiry index   'E' | expire_ms: 8 BE | ns: 4 BE | user key  -> empty
//   key counts     'C' | ns: 4 BE                               -> keys: 8, expires: 8,
//                                                                  ttl sum: 16 (LE)
//   counts stamp   'T'                                          -> sequence: 8 (LE), the last
//                                                                  write the counts include
//   database table 'D'                                          -> next ns: 4, then one ns: 4
//                                                                  per database (LE)
//
// Metadata value:
//
//   +----------+-----------------------------------+--------------------------------------+
//   | flags: 1 | expire_ms: 8 BE (if flags & 0x80) | element bytes: varint (if flags & 0x40) |
//   +----------+-----------------------------------+--------------------------------------+
//   | payload: a string's value itself, a collection's metadata (types/collection.h)     |
//   +-------------------------------------------------------------------------------------+
//   flags: low 4 bits = Type, bit 7 = has expiry, bit 6 = element bytes follow (every
//   collection written since they are kept; older ones count kUnsizedElementBytes each).
//
// A string is one engine key, so GET is one lookup. The expiry index, ordered by time, lets
// the active expiry cycle find due keys without scanning live ones. Big-endian numbers keep
// byte order equal to numeric order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "types/key_tag.h"

namespace strata::types {

enum class Type : uint8_t { kString = 0, kHash = 1, kList = 2, kSet = 3, kZSet = 4, kStream = 5 };

std::string_view TypeName(Type type);

using Namespace = uint32_t;


// The largest value a string may hold (Redis's 512 MB proto-max-bulk-len).
constexpr size_t kMaxStringSize = 512u << 20;

void PutBigEndian32(std::string* out, uint32_t v);
void PutBigEndian64(std::string* out, uint64_t v);
uint32_t DecodeBigEndian32(const char* p);
uint64_t DecodeBigEndian64(const char* p);

constexpr size_t kMetaKeyPrefixSize = 5;
// Replaces *out with the metadata key of key in namespace ns.
void EncodeMetaKey(std::string* out, Namespace ns, std::string_view key);
// The metadata-key prefix of ns; all of its keys start with it.
std::string MetaPrefix(Namespace ns);
// The user key of a metadata key. REQUIRES: meta_key starts with a MetaPrefix.
inline std::string_view UserKey(std::string_view meta_key) {
  return meta_key.substr(kMetaKeyPrefixSize);
}

void EncodeExpireKey(std::string* out, int64_t expire_ms, Namespace ns, std::string_view key);
// The expiry-index prefix of everything due at or before ms (an upper bound: exclusive).
std::string ExpireUpperBound(int64_t ms);
bool DecodeExpireKey(std::string_view raw, int64_t* expire_ms, Namespace* ns,
                     std::string_view* key);

std::string CountKey(Namespace ns);
// The namespace a stored key belongs to, for the compaction filter; false for keys that
// belong to none (the database table).
bool KeyNamespace(std::string_view raw, Namespace* ns);

struct Meta {
  Type type = Type::kString;
  int64_t expire_ms = 0;  // absolute Unix time in ms; 0 = no expiry
  std::string_view payload;
  // A collection's elements as stored: the sum of each element's engine key and value sizes
  // (a sorted set's score index too), kept in step by every write (types/collection_ops.h).
  uint64_t element_bytes = 0;

  bool expired(int64_t now_ms) const { return expire_ms != 0 && expire_ms <= now_ms; }
};

// What a collection written before element bytes were kept is taken to hold per element.
constexpr uint64_t kUnsizedElementBytes = 48;

// Parses a metadata value; false when the bytes are not a metadata value (corruption).
bool DecodeMeta(std::string_view raw, Meta* meta);
void EncodeMeta(std::string* out, Type type, int64_t expire_ms, std::string_view payload,
                uint64_t element_bytes);

// What a key counts toward the data set (used_memory_dataset, maxmemory, MEMORY USAGE): its
// metadata key and value as stored, and a collection's element bytes.
inline uint64_t KeyCharge(std::string_view key, const Meta& meta) {
  return 1 + 4 + key.size() + 1 + 8 + meta.payload.size() + meta.element_bytes;
}

}  // namespace strata::types
