// Keyspace commands: DEL, EXISTS.
#include <unordered_set>

#include "commands/registry.h"
#include "commands/util.h"

namespace strata {
namespace {

void CmdDel(CommandContext& ctx) {
  types::Keyspace& ks = ctx.server.keyspace();
  std::unordered_set<std::string_view> seen;
  WriteBatch batch;
  long long deleted = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if (!seen.insert(ctx.args[i]).second) continue;  // DEL k k deletes k once
    types::Meta meta;
    auto r = ks.Lookup(ctx.client.db, ctx.args[i], ctx.now_ms, &meta);
    if (!OkOrReply(ctx, r)) return;
    if (!*r) continue;
    ks.BatchDelete(&batch, ctx.client.db, ctx.args[i]);
    ++deleted;
  }
  if (deleted > 0 && !OkOrReply(ctx, ks.Write(&batch))) return;
  ctx.reply.Integer(deleted);
}

void CmdExists(CommandContext& ctx) {
  long long count = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {  // repeats count each time, as in Redis
    types::Meta meta;
    auto r = ctx.server.keyspace().Lookup(ctx.client.db, ctx.args[i], ctx.now_ms, &meta);
    if (!OkOrReply(ctx, r)) return;
    count += *r ? 1 : 0;
  }
  ctx.reply.Integer(count);
}

}  // namespace

std::vector<CommandSpec> KeyCommands() {
  return {
      {.name = "del", .handler = CmdDel, .arity = -2, .flags = kCmdWrite, .first_key = 1,
       .last_key = -1, .step = 1, .group = "keyspace"},
      {.name = "exists", .handler = CmdExists, .arity = -2, .flags = kCmdReadOnly | kCmdFast,
       .first_key = 1, .last_key = -1, .step = 1, .group = "keyspace"},
  };
}

}  // namespace strata
