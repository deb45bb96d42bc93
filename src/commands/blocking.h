// Shared by the blocking commands of lists (blocking.cc) and sorted sets (zsets.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/command.h"

namespace strata {

// A blocking command's timeout in seconds (decimals allowed) as ms; 0 waits forever.
bool TimeoutOrReply(CommandContext& ctx, std::string_view arg, int64_t* timeout_ms);
// Nothing to serve: wait on keys, or (inside EXEC) reply nil at once.
void WaitOrReplyNil(CommandContext& ctx, std::vector<std::string> keys, types::Type waits_for,
                    int64_t timeout_ms);

}  // namespace strata
