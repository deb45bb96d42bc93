// Blocking pops: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP (and the sorted-set ones in
// zsets.cc). Each tries its non-blocking form; when every key is empty the client waits
// (Server::Block) and the server runs the command again when a push makes a key ready.
// Inside MULTI/EXEC nothing waits: the reply is nil at once, as in Redis.
#include <cmath>

#include "commands/blocking.h"
#include "commands/lists.h"
#include "commands/registry.h"
#include "commands/util.h"

namespace strata {

bool TimeoutOrReply(CommandContext& ctx, std::string_view arg, int64_t* timeout_ms) {
  long double seconds;
  if (!ParseLongDouble(arg, &seconds) || std::isinf(seconds) || seconds > 1e15) {
    ErrorReply(ctx, errors::kTimeoutNotFloat);
    return false;
  }
  if (seconds < 0) {
    ErrorReply(ctx, errors::kTimeoutNegative);
    return false;
  }
  *timeout_ms = static_cast<int64_t>(std::ceil(seconds * 1000));
  return true;
}

void WaitOrReplyNil(CommandContext& ctx, std::vector<std::string> keys, types::Type waits_for,
                    int64_t timeout_ms) {
  if (ctx.client.tx.executing) return ctx.reply.NullArray();
  ctx.server.blocked().Block(ctx, std::move(keys), waits_for, timeout_ms);
}

namespace {

void BlockingPop(CommandContext& ctx, bool left) {
  int64_t timeout;
  if (!TimeoutOrReply(ctx, ctx.args.back(), &timeout)) return;
  auto keys = ctx.args.subspan(1, ctx.args.size() - 2);
  if (ListPopFirst(ctx, keys, left, 1, false)) return;
  WaitOrReplyNil(ctx, std::vector<std::string>(keys.begin(), keys.end()), types::Type::kList,
                 timeout);
}

void CmdBlpop(CommandContext& ctx) { BlockingPop(ctx, true); }
void CmdBrpop(CommandContext& ctx) { BlockingPop(ctx, false); }

void BlockingMove(CommandContext& ctx, bool from_left, bool to_left) {
  int64_t timeout;
  if (!TimeoutOrReply(ctx, ctx.args.back(), &timeout)) return;
  if (ListMove(ctx, ctx.args[1], ctx.args[2], from_left, to_left)) return;
  WaitOrReplyNil(ctx, {std::string(ctx.args[1])}, types::Type::kList, timeout);
}

void CmdBlmove(CommandContext& ctx) {
  bool from_left = EqualsNoCase(ctx.args[3], "LEFT"), to_left = EqualsNoCase(ctx.args[4], "LEFT");
  if ((!from_left && !EqualsNoCase(ctx.args[3], "RIGHT")) ||
      (!to_left && !EqualsNoCase(ctx.args[4], "RIGHT"))) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  BlockingMove(ctx, from_left, to_left);
}

void CmdBrpoplpush(CommandContext& ctx) { BlockingMove(ctx, false, true); }

void CmdBlmpop(CommandContext& ctx) {
  int64_t timeout;
  if (!TimeoutOrReply(ctx, ctx.args[1], &timeout)) return;
  MultiPopArgs a;
  if (!MultiPopArgsOrReply(ctx, 2, &a) || ListPopFirst(ctx, a.keys, a.left, a.count, true)) {
    return;
  }
  WaitOrReplyNil(ctx, std::vector<std::string>(a.keys.begin(), a.keys.end()),
                 types::Type::kList, timeout);
}

}  // namespace

std::vector<CommandSpec> BlockingListCommands() {
  auto row = [](const char* name, CommandHandler h, int arity, uint32_t flags, int first,
                int last) {
    return CommandSpec{.name = name,
                       .handler = h,
                       .arity = arity,
                       .flags = kCmdWrite | kCmdBlocking | flags,
                       .first_key = first,
                       .last_key = last,
                       .step = 1,
                       .group = "list"};
  };
  return {
      row("blpop", CmdBlpop, -3, kCmdNoScript, 1, -2),
      row("brpop", CmdBrpop, -3, kCmdNoScript, 1, -2),
      row("blmove", CmdBlmove, 6, kCmdDenyOom | kCmdNoScript, 1, 2),
      row("brpoplpush", CmdBrpoplpush, 4, kCmdDenyOom | kCmdNoScript, 1, 2),
      row("blmpop", CmdBlmpop, -5, 0, 0, 0),
  };
}

}  // namespace strata
