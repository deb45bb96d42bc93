// Helpers shared by the collection commands (hashes, lists, sets, sorted sets): loading and
// saving a collection's metadata, element keys, iteration, random picks and *SCAN.
#pragma once

#include <functional>
#include <random>
#include <string>
#include <string_view>

#include "commands/util.h"
#include "types/collection.h"
#include "types/rdb.h"

namespace strata {

struct Collection {
  bool found = false;
  int64_t expire_ms = 0;
  types::CollectionMeta meta;
};

// Loads key as a collection of `type`: false (after replying) on an engine error or a key
// of another type. A missing key loads as an empty collection (found == false).
bool LoadCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           Collection* c);
// Gives a new collection its version (call before writing its first element).
void EnsureVersion(CommandContext& ctx, Collection* c);
// Stages the metadata; an emptied collection is deleted (its elements are already gone).
bool SaveCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           const Collection& c, int db = -1);

// The engine key of one element of c (tag: types::kSubkeyTag or types::kScoreTag).
std::string ElementKey(CommandContext& ctx, const Collection& c, std::string_view rest,
                       char tag = types::kSubkeyTag, int db = -1);

// Calls fn(suffix, value) for the elements of c in order (reverse: from the end), within
// [from, to) of the suffixes when given; stops when fn returns false. false after replying
// on an engine error.
bool ForEachElementOrReply(CommandContext& ctx, const Collection& c, char tag,
                           const std::function<bool(std::string_view, std::string_view)>& fn,
                           bool reverse = false, std::string_view from = {},
                           std::string_view to = {});

// Stages a copy of the collection described by meta (in the client's database) under
// dst_key in dst_db, with a new version: O(size).
bool CopyCollectionOrReply(CommandContext& ctx, const types::Meta& meta, int dst_db,
                           std::string_view dst_key);

// DUMP: the elements of the collection described by meta (in the client's database), in
// the form its payload carries them.
bool ReadForDumpOrReply(CommandContext& ctx, const types::Meta& meta, types::RdbValue* out);
// RESTORE: stages v (a collection) as key, with a new version.
bool WriteRestoredOrReply(CommandContext& ctx, std::string_view key, const types::RdbValue& v,
                          int64_t expire_ms);

std::mt19937_64& Rng();
// A random string between first and last (byte by byte), for random seeks.
std::string RandomBetween(std::string_view first, std::string_view last);

// Picks up to `count` random elements of c (distinct unless allow_repeats), by random seeks;
// fn(suffix, value) gets each. false after replying on an engine error.
bool RandomElementsOrReply(CommandContext& ctx, const Collection& c, uint64_t count,
                           bool allow_repeats,
                           const std::function<void(std::string_view, std::string_view)>& fn);

// HSCAN, SSCAN, ZSCAN: key cursor [MATCH pattern] [COUNT count]. emit(suffix, value)
// appends the reply items of one element and returns how many it appended.
void ScanCollection(CommandContext& ctx, types::Type type, char tag,
                    const std::function<size_t(std::string_view, std::string_view,
                                               std::vector<std::string>*)>& emit);

}  // namespace strata
