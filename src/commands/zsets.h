// What the sorted-set family files share (zsets.cc: the commands on one zset;
// zset_algebra.cc: ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "commands/util.h"
#include "types/zset.h"

namespace strata {

using types::Scored;

void ReplyScore(CommandContext& ctx, double score);
// A row of the sorted-set command tables (zsets.cc, zset_algebra.cc).
inline CommandSpec ZsetRow(const char* name, CommandHandler h, int arity, uint32_t flags,
                           int first = 1, int last = 1) {
  return CommandSpec{.name = name,
                     .handler = h,
                     .arity = arity,
                     .flags = flags,
                     .first_key = first,
                     .last_key = last,
                     .step = 1,
                     .group = "sorted_set"};
}

// The members (and scores, as pairs or RESP3 [member, score] arrays) of items.
void ReplyScored(CommandContext& ctx, const std::vector<Scored>& items, bool with_scores);

}  // namespace strata
