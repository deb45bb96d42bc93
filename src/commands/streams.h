// What the stream commands (streams.cc) and the consumer-group ones (stream_groups.cc) share.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "server/command.h"
#include "types/stream.h"

namespace strata {

// Parses an entry ID ("ms-seq", or "ms" with missing_seq); false after replying.
bool StreamIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                     types::StreamId* id);
// An XRANGE bound: "-", "+", an ID ("ms" alone: seq 0 at the start, the largest at the
// end), "(" before one for an exclusive bound; false after replying.
bool RangeBoundOrReply(CommandContext& ctx, std::string_view arg, bool start,
                       types::StreamId* id);
// An entry as Redis replies with it: [id, [field, value ...]].
void ReplyEntry(ReplyBuilder& r, const types::StreamEntry& e);

// XREAD's and XREADGROUP's options: [GROUP group consumer] [COUNT n] [BLOCK ms] [NOACK]
// STREAMS key... id...
struct ReadArgs {
  uint64_t count = 0;     // 0: no limit
  int64_t block_ms = -1;  // -1: do not block
  bool noack = false;
  std::string_view group, consumer;
  size_t first_key = 0, streams = 0;  // args[first_key ...] keys, then as many IDs
};
bool ReadArgsOrReply(CommandContext& ctx, bool group, ReadArgs* a);
// XREAD's reply shape: [[key, entries] ...], a map in RESP3. Calls entries(i) for key i.
// XINFO STREAM FULL's groups: each with its pending entries and consumers, at most count of
// each list (0: all) (stream_groups.cc).
void ReplyGroupsFull(CommandContext& ctx, const types::Collection& c, std::string_view key,
                     uint64_t count);
// XINFO GROUPS and XINFO CONSUMERS (stream_groups.cc), for XINFO's row.
std::vector<CommandSpec> StreamGroupInfoSubcommands();
void ReplyStreams(CommandContext& ctx, const ReadArgs& a, std::span<const size_t> keys,
                  const std::function<void(size_t)>& entries);

}  // namespace strata
