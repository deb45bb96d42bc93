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
  types::Keyspace& keyspace = ctx.server.keyspace();
  bool expired = WatchedKeyExpired(ctx);
  if (keyspace.missed()) return;  // parked (below), the transaction kept as it is
  if (ctx.server.watched_keys().Dirty(ctx.client.id) || expired) {
    EndTransaction(ctx);
    return ctx.reply.NullArray();
  }
  // Fetch first, then run atomically. Under cache-only reads (server/cold_reads.h) a read
  // that misses undoes the whole run: the dispatcher drops its writes and reply and parks the
  // client, and the transaction (its queue and watches) waits as it is for the second run.
  // The rest of the queue still runs, so all of its cold keys are fetched at once, and
  // nothing is accounted (MONITOR, SLOWLOG, calls) until all of it ran. Only for a queue of
  // key commands: a keyless one (SELECT, FLUSHDB, CONFIG SET, ...) may change what the
  // keyspace does not undo, so such a queue reads on the loop.
  Dispatcher& dispatcher = ctx.server.dispatcher();
  struct Queued {
    std::vector<std::string_view> args;
    const CommandSpec* spec;  // nullptr: not run (never: checked when queued)
    int64_t us = -1;          // its time, once it ran and was not undone
  };
  std::vector<Queued> queue;
  for (const auto& command : tx.queued) {
    Queued& q = queue.emplace_back(Queued{{command.begin(), command.end()}, nullptr});
    q.spec = dispatcher.Resolve(ctx.reply, q.args);
    if (q.spec == nullptr || q.spec->first_key == 0) keyspace.set_cache_only(false);
  }
  ctx.reply.ArrayHeader(queue.size());
  tx.executing = true;
  for (Queued& q : queue) {
    if (q.spec != nullptr) q.us = dispatcher.Run(ctx.client, ctx.reply, q.spec, q.args);
  }
  tx.executing = false;
  if (keyspace.missed()) return;
  for (const Queued& q : queue) {
    if (q.us >= 0) dispatcher.Account(ctx.client, q.spec, q.args, q.us);
  }
  EndTransaction(ctx);
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
    return CommandSpec{.name = name,
                       .handler = h,
                       .arity = arity,
                       .flags = flags | kCmdNoScript | kCmdLoading | kCmdStale,
                       .group = "transactions"};
  };
  const uint32_t kQuick = kCmdFast | kCmdAllowBusy;
  CommandSpec watch = row("watch", CmdWatch, -2, kCmdTxControl | kQuick);
  watch.first_key = 1;
  watch.last_key = -1;
  watch.step = 1;
  return {
      row("multi", CmdMulti, 1, kCmdTxControl | kQuick),
      row("exec", CmdExec, 1, kCmdTxControl | kCmdSkipSlowlog),
      row("discard", CmdDiscard, 1, kCmdTxControl | kQuick),
      std::move(watch),
      row("unwatch", CmdUnwatch, 1, kQuick),
  };
}

}  // namespace strata
