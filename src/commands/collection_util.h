// Command-level helpers of the collection families (hashes, lists, sets, sorted sets): the
// ...OrReply forms of types/collection_ops.h, and the *SCAN reply.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/util.h"
#include "types/collection_ops.h"

namespace strata {

using types::Collection;

// Loads key as a collection of `type`: false (after replying) on an engine error or a key
// of another type. A missing key loads as an empty collection (found == false).
bool LoadCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           Collection* c);
// A new, empty collection in the client's database (for a destination key: *STORE).
inline Collection NewCollection(CommandContext& ctx) {
  Collection c;
  c.db = ctx.client.db;
  return c;
}
// Stages the metadata; an emptied collection is deleted (its elements are already gone).
bool SaveCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           const Collection& c);
inline void EnsureVersion(CommandContext& ctx, Collection* c) {
  types::EnsureVersion(ctx.server.keyspace(), c);
}
// The engine key of one element of c (sets and lists, until their invariants move to
// types/set.h and types/list.h as the hash's and the sorted set's have).
inline std::string ElementKey(CommandContext& ctx, const Collection& c, std::string_view rest,
                              char tag = types::kSubkeyTag) {
  return types::ElementKey(ctx.server.keyspace(), c, rest, tag);
}
// Calls fn(suffix, value) for the elements of c (see types::ForEachElement). false after
// replying on an engine error.
bool ForEachElementOrReply(CommandContext& ctx, const Collection& c, char tag,
                           const types::ElementFn& fn, bool reverse = false,
                           std::string_view from = {}, std::string_view to = {});

// HSCAN, SSCAN, ZSCAN: key cursor [MATCH pattern] [COUNT count]. emit(suffix, value, out)
// appends the reply items of one element; MATCH tests the first of them.
using ScanEmit = std::function<void(std::string_view, std::string_view, std::vector<std::string>*)>;
void ScanCollection(CommandContext& ctx, types::Type type, const ScanEmit& emit);

}  // namespace strata
