// The list pops the blocking commands (commands/blocking.cc) run again when a key they wait
// on gets a push. Each replies (the answer or an error) and returns true, or returns false
// without replying when every key was empty.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "server/command.h"

namespace strata {

// LMOVE src dst from to.
bool ListMove(CommandContext& ctx, std::string_view src, std::string_view dst, bool from_left,
              bool to_left);
// Pops up to count items from the first non-empty list of keys. Replies [key, [items]]
// (as_lmpop: LMPOP, BLMPOP) or [key, item] (BLPOP, BRPOP).
bool ListPopFirst(CommandContext& ctx, std::span<const std::string_view> keys, bool left,
                  uint64_t count, bool as_lmpop);

// (B)LMPOP's arguments from args[numkeys_at] on: numkeys, the keys, LEFT|RIGHT, [COUNT n].
struct MultiPopArgs {
  std::span<const std::string_view> keys;
  bool left = true;
  uint64_t count = 1;
};
bool MultiPopArgsOrReply(CommandContext& ctx, size_t numkeys_at, MultiPopArgs* out);

}  // namespace strata
