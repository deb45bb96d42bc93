// Transactions: MULTI EXEC DISCARD WATCH UNWATCH.
//
// Between MULTI and EXEC the server queues commands (Server::Execute); a command refused
// while queueing (unknown, wrong arity) makes EXEC reply EXECABORT. EXEC runs the queue
// without committing in between, so the server's single commit after EXEC writes the whole
// transaction as one engine batch: one WAL record, all or nothing after a crash.
#include "commands/registry.h"
#include "commands/util.h"

namespace strata {
namespace {

void UnwatchAll(CommandContext& ctx) { ctx.server.watched_keys().UnwatchAll(ctx.client.id); }

void EndTransaction(CommandContext& ctx) {
  TransactionState& tx = ctx.client.tx;
  tx.active = false;
  tx.aborted = false;
  tx.queued.clear();
  UnwatchAll(ctx);
}

void CmdMulti(CommandContext& ctx) {
  if (ctx.client.tx.active) return ErrorReply(ctx, errors::kMultiNested);
  ctx.client.tx.active = true;
  ctx.reply.Ok();
}

void CmdDiscard(CommandContext& ctx) {
  if (!ctx.client.tx.active) return ErrorReply(ctx, errors::kDiscardWithoutMulti);
  EndTransaction(ctx);
  ctx.reply.Ok();
}

// Redis also fails EXEC when a watched key that was live at WATCH time has expired since.
bool WatchedKeyExpired(CommandContext& ctx) {
  for (const auto& w : ctx.server.watched_keys().KeysOf(ctx.client.id)) {
    if (w.expired_at_watch) continue;
    types::Meta meta;
    auto found = ctx.server.keyspace().FindKey(w.key.db, w.key.key, &meta);
    if (found.ok() && *found && meta.expired(ctx.now_ms)) return true;
  }
  return false;
}

void CmdExec(CommandContext& ctx) {
  TransactionState& tx = ctx.client.tx;
  if (!tx.active) return ErrorReply(ctx, errors::kExecWithoutMulti);
  if (tx.aborted) {
    EndTransaction(ctx);
    return ErrorReply(ctx, errors::kExecAbort);
  }
  if (ctx.server.watched_keys().Dirty(ctx.client.id) || WatchedKeyExpired(ctx)) {
    EndTransaction(ctx);
    return ctx.reply.NullArray();
  }
  std::vector<std::vector<std::string>> queued;
  queued.swap(tx.queued);
  EndTransaction(ctx);
  ctx.reply.ArrayHeader(queued.size());
  std::vector<std::string_view> args;
  tx.executing = true;
  for (const auto& command : queued) {
    args.assign(command.begin(), command.end());
    const CommandSpec* spec = ctx.server.dispatcher().Resolve(ctx.reply, args);  // checked when queued
    if (spec != nullptr) ctx.server.dispatcher().Call(ctx.client, ctx.reply, spec, args);
  }
  tx.executing = false;
}

void CmdWatch(CommandContext& ctx) {
  TransactionState& tx = ctx.client.tx;
  if (tx.active) return ErrorReply(ctx, errors::kWatchInMulti);
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    types::Meta meta;
    auto found = ctx.server.keyspace().FindKey(ctx.client.db, ctx.args[i], &meta);
    if (!OkOrReply(ctx, found)) return;
    ctx.server.watched_keys().Watch(ctx.client.id, ctx.client.db, ctx.args[i],
                                    *found && meta.expired(ctx.now_ms));
  }
  ctx.reply.Ok();
}

void CmdUnwatch(CommandContext& ctx) {
  UnwatchAll(ctx);
  ctx.reply.Ok();
}

}  // namespace

std::vector<CommandSpec> TransactionCommands() {
  auto row = [](const char* name, CommandHandler h, int arity, uint32_t flags) {
    return CommandSpec{.name = name, .handler = h, .arity = arity,
                       .flags = flags | kCmdNoScript | kCmdLoading | kCmdStale | kCmdFast,
                       .group = "transactions"};
  };
  CommandSpec watch = row("watch", CmdWatch, -2, kCmdNoMulti);
  watch.first_key = 1;
  watch.last_key = -1;
  watch.step = 1;
  return {
      row("multi", CmdMulti, 1, kCmdNoMulti),
      row("exec", CmdExec, 1, kCmdNoMulti | kCmdNoColdPark),
      row("discard", CmdDiscard, 1, kCmdNoMulti),
      std::move(watch),
      row("unwatch", CmdUnwatch, 1, 0),
  };
}

}  // namespace strata
