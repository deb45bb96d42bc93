// The list operations the blocking commands (commands/blocking.cc) retry when a key they
// wait on gets a push. Each replies and returns true when it did something (or failed);
// returns false without replying when every key was empty.
#pragma once

#include <span>
#include <string_view>

#include "server/command.h"

namespace strata {

// LMOVE src dst from to.
bool ListMove(CommandContext& ctx, std::string_view src, std::string_view dst, bool from_left,
              bool to_left);
// LMPOP: args[numkeys_at] is numkeys, then the keys, LEFT|RIGHT, [COUNT n].
bool ListMultiPop(CommandContext& ctx, size_t numkeys_at);
// BLPOP/BRPOP's pop: [key, item] from the first non-empty list (no reply when none).
bool ListPopFirst(CommandContext& ctx, std::span<const std::string_view> keys, bool left);

}  // namespace strata
