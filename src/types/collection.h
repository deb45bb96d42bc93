// Hashes, lists, sets and sorted sets: one metadata key plus one engine key per element.
//
// Metadata payload of a collection (after the flags and expiry of types/encoding.h):
//
//   version: 8 BE | size: varint | lists: head: 8, tail: 8
//                                | zsets: low hint (length-prefixed), high hint (rest)
//                                | streams: last ID: 16 | max deleted ID: 16 |
//                                  first ID: 16 | entries added: varint | groups: varint
//   (a stream ID is ms: 8 BE, seq: 8 BE, so that byte order is ID order)
//
// Elements live under a prefix holding the namespace and the collection's version:
//
//   member / field / item   'S' | ns: 4 | version: 8 | field           -> value
//                           (list items: field = index: 8 BE, items at [head, tail))
//   zset score index        'Z' | ns: 4 | version: 8 | score: 8 | member -> empty
//
// Versions come from one counter that only grows (persisted in blocks, never reused), so
// deleting or overwriting a collection is O(1): new metadata, and the old version's elements
// are garbage that compaction drops (the version is recorded as dead). Sorted sets keep a
// low and a high hint, score-index suffixes at or below (above) every live entry, so
// ZPOPMIN and ZPOPMAX seek past the tombstones earlier pops left instead of walking them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "types/encoding.h"

namespace strata::types {


// Lists start in the middle of the index space so they can grow either way.
constexpr uint64_t kListOrigin = 1ull << 63;

// A stream entry's ID: milliseconds and a sequence number, ordered as a pair.
struct StreamId {
  uint64_t ms = 0, seq = 0;
  auto operator<=>(const StreamId&) const = default;
  std::string ToString() const;
};

struct CollectionMeta {
  uint64_t version = 0;
  uint64_t size = 0;
  uint64_t head = kListOrigin, tail = kListOrigin;  // lists
  std::string low_hint, high_hint;                   // sorted sets ("": none)
  // Streams (types/stream.h): the last ID given out, the largest deleted one, how many
  // entries were ever added, the first live entry (0-0 when empty) and the group count.
  StreamId last_id, max_deleted, first_id;
  uint64_t entries_added = 0, groups = 0;
};

inline bool IsCollection(Type type) { return type != Type::kString; }
// A collection that may exist with no element (a stream: XDEL or XTRIM of its last entry, or
// XGROUP CREATE MKSTREAM, leaves the key).
inline bool ExistsEmpty(Type type) { return type == Type::kStream; }

void EncodeCollection(std::string* out, Type type, const CollectionMeta& meta);
bool DecodeCollection(std::string_view payload, Type type, CollectionMeta* meta);
// The version a collection's payload starts with, and its size.
uint64_t PayloadVersion(std::string_view payload);
uint64_t PayloadSize(std::string_view payload);

constexpr size_t kSubkeyPrefixSize = 13;
// 'S' or 'Z', ns, version: every element key of one collection starts with it.
std::string ElementPrefix(char tag, Namespace ns, uint64_t version);
void EncodeElementKey(std::string* out, char tag, Namespace ns, uint64_t version,
                      std::string_view rest);
// What follows the prefix of an element key.
inline std::string_view ElementSuffix(std::string_view key) {
  return key.substr(kSubkeyPrefixSize);
}
// The namespace and version of an element key; false for other keys.
bool ElementOwner(std::string_view key, Namespace* ns, uint64_t* version);

std::string EncodeListIndex(uint64_t index);
uint64_t DecodeListIndex(std::string_view suffix);

// Doubles in 8 bytes whose byte order is numeric order (-0 is stored as 0).
std::string EncodeScore(double score);
double DecodeScore(std::string_view bytes);

// The suffix of a score-index key: the encoded score, then the member.
std::string ScoreIndexSuffix(double score, std::string_view member);

std::string DeadVersionKey(uint64_t version);

}  // namespace strata::types
