// What every collection type (hash, list, set, sorted set) does the same way: load its
// metadata, give it a version, save it, and read its elements (in order, at random, a page at
// a time for *SCAN), copy it, and turn it into or from a DUMP payload. The types' own files
// (types/hash.h, types/zset.h, ...) are built on these; commands call the types, never these
// element-level helpers for a type's invariants. Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "types/collection.h"
#include "types/keyspace.h"
#include "types/rdb.h"
#include "types/type_error.h"

namespace strata::types {

// What a type operation runs against: the keyspace, the client's database and the time the
// command started (for expiry).
struct OpArgs {
  Keyspace& ks;
  int db;
  int64_t now_ms;
};

// A collection as loaded from its metadata key. A missing key loads as an empty collection
// (found == false, version 0: no element written yet).
struct Collection {
  int db = 0;
  bool found = false;
  int64_t expire_ms = 0;
  CollectionMeta meta;
  // The element bytes (Meta::element_bytes) and size as last loaded or saved: SaveCollection
  // adds the element writes staged since (Keyspace::PutElement).
  uint64_t element_bytes = 0, saved_size = 0;
};

// Loads key (in op.db) as a collection of `type`; TypeError::kWrongType for another type.
Result<Collection> LoadCollection(const OpArgs& op, std::string_view key, Type type);
// Gives a new collection its version (call before writing its first element).
void EnsureVersion(Keyspace& ks, Collection* c);
// Stages the metadata, with the element bytes the staged element writes changed; an emptied
// collection is deleted (its elements must be gone already).
Status SaveCollection(Keyspace& ks, std::string_view key, Type type, Collection& c);

// The engine key of one element of c (tag: kSubkeyTag or kScoreTag).
std::string ElementKey(const Keyspace& ks, const Collection& c, std::string_view rest,
                       char tag = kSubkeyTag);
// Reads one element; nullopt when absent.
Result<std::optional<std::string>> ReadElement(Keyspace& ks, const Collection& c,
                                               std::string_view rest, char tag = kSubkeyTag);

using ElementFn = std::function<bool(std::string_view suffix, std::string_view value)>;
// Calls fn(suffix, value) for the elements of c in order (reverse: from the end), within
// [from, to) of the suffixes when given; stops when fn returns false.
Status ForEachElement(Keyspace& ks, const Collection& c, char tag, const ElementFn& fn,
                      bool reverse = false, std::string_view from = {}, std::string_view to = {});

using Element = std::pair<std::string, std::string>;  // suffix, value

// Random picks (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY) are uniform up to this many
// members (keys, for RANDOMKEY): the picks are random ranks (the sizes are exact in the
// metadata), read in one ordered pass, O(size + the versions and tombstones not yet
// compacted away). SPOP picks from a list of the set's members instead (types/pop_gaps.h),
// O(1) a pop once listed. Larger collections are sampled by random seeks into the key space,
// O(count log size), uniform only as far as the members' keys are evenly spread.
constexpr uint64_t kUniformPickLimit = 16384;

// `count` ranks in [0, n), sorted: distinct (Floyd's algorithm; count <= n) or with repeats.
std::vector<uint64_t> RandomRanks(uint64_t n, uint64_t count, bool allow_repeats);

// Up to `count` random elements of c (distinct unless allow_repeats), in random order; see
// kUniformPickLimit for how.
Result<std::vector<Element>> RandomElements(Keyspace& ks, const Collection& c, uint64_t count,
                                            bool allow_repeats);

// One page of HSCAN/SSCAN/ZSCAN: the elements after `after` (from the start when nullopt),
// `count` of them at most. more: elements remain after the last one returned.
struct ElementPage {
  std::vector<Element> elements;
  bool more = false;
};
Result<ElementPage> ScanElements(const OpArgs& op, std::string_view key, Type type,
                                 const std::optional<std::string>& after, uint64_t count);

// Stages a copy of the collection that meta describes (stored in src_db) under dst_key in
// dst_db, with a new version: O(size).
Status CopyCollection(Keyspace& ks, const Meta& meta, int src_db, int dst_db,
                      std::string_view dst_key);
// DUMP: the elements of the collection that meta describes (in db), as a payload carries them.
Result<RdbValue> ReadForDump(Keyspace& ks, const Meta& meta, int db);
// RESTORE: stages v (a collection) as key in db, with a new version.
Status WriteRestored(Keyspace& ks, int db, std::string_view key, const RdbValue& v,
                     int64_t expire_ms);

// The generator every random pick uses (RANDOMKEY, SRANDMEMBER, SPOP, HRANDFIELD, ...).
std::mt19937_64& Rng();
// A random string between first and last (byte by byte), for random seeks.
std::string RandomBetween(std::string_view first, std::string_view last);

}  // namespace strata::types
