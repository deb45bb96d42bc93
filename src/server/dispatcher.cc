#include "server/dispatcher.h"

#include <chrono>

#include "server/blocked_clients.h"
#include "server/errors.h"
#include "server/monitor.h"
#include "server/server.h"

namespace strata {

void Dispatcher::Reject(ReplyBuilder& reply, std::string_view error) {
  server_->stats().CountError(error);
  reply.Error(error);
}

const CommandSpec* Dispatcher::Resolve(ReplyBuilder& reply,
                                       std::span<const std::string_view> args) {
  CommandTable::ResolveError error;
  const CommandSpec* found;
  const CommandSpec* cmd = server_->commands().Resolve(args, &error, &found);
  switch (error) {
    case CommandTable::ResolveError::kNone:
      break;
    case CommandTable::ResolveError::kUnknownCommand:
      Reject(reply, errors::UnknownCommand(args[0], args.data() + 1, args.size() - 1));
      break;
    case CommandTable::ResolveError::kUnknownSubcommand:
      Reject(reply, errors::UnknownSubcommand(args[1], found->name));
      break;
    case CommandTable::ResolveError::kWrongArity:
      if (found->subcommands.empty()) found->rejected_calls++;  // a container counts none
      Reject(reply, errors::WrongArity(found->full_name));
      break;
  }
  return cmd;
}

void Dispatcher::Execute(ClientState& client, ReplyBuilder& reply,
                         std::span<const std::string_view> args) {
  if (!client.reply_off && !client.skip_next_reply) {
    Dispatch(client, reply, args);
    return;
  }
  // CLIENT REPLY OFF or SKIP: the reply is dropped (CLIENT REPLY itself answers or not).
  size_t mark = reply.size();
  const CommandSpec* cmd = Dispatch(client, reply, args);
  if (client.park.active) return;  // it runs again once its reads are in
  if (cmd != nullptr && cmd->full_name == "client|reply") return;
  reply.Truncate(mark);
  client.skip_next_reply = false;
}

const CommandSpec* Dispatcher::Dispatch(ClientState& client, ReplyBuilder& reply,
                                        std::span<const std::string_view> args) {
  server_->stats().total_commands_processed++;
  reply.set_resp(client.resp);
  const CommandSpec* cmd = Resolve(reply, args);
  TransactionState& tx = client.tx;
  if (cmd != nullptr && !client.authenticated && !(cmd->flags & kCmdNoAuth)) {
    cmd->rejected_calls++;
    Reject(reply, errors::kNoAuth);
    cmd = nullptr;
  }
  if (cmd == nullptr) {
    if (tx.active) tx.aborted = true;  // EXEC will refuse the transaction
    return nullptr;
  }
  if (client.resp == 2 && client.subs.count() > 0 && !(cmd->flags & kCmdSubscribed)) {
    cmd->rejected_calls++;
    Reject(reply, errors::SubscribedContext(cmd->full_name));
    if (tx.active) tx.aborted = true;
    return nullptr;
  }
  if (server_->script_run().busy && !(cmd->flags & kCmdAllowBusy)) {
    cmd->rejected_calls++;
    Reject(reply, server_->script_run().function ? errors::kBusyFunction : errors::kBusyScript);
    if (tx.active) tx.aborted = true;
    return nullptr;
  }
  // maxmemory: make room first, as Redis does before every command; when nothing can go,
  // commands that may grow the data set are refused (reads go on).
  if (!server_->script_run().busy && !server_->MakeRoom() && (cmd->flags & kCmdDenyOom)) {
    cmd->rejected_calls++;
    Reject(reply, errors::kOom);
    if (tx.active) tx.aborted = true;
    return nullptr;
  }
  if (tx.active && (cmd->flags & kCmdNoMulti)) {
    cmd->rejected_calls++;
    Reject(reply, errors::kNotAllowedInMulti);
    tx.aborted = true;
    return nullptr;
  }
  if (tx.active && !(cmd->flags & kCmdTxControl)) {
    tx.queued.emplace_back(args.begin(), args.end());
    reply.SimpleString("QUEUED");
    return cmd;
  }
  if (cmd->flags & kCmdWrite) {
    Status bg = server_->db().BackgroundError();
    if (!bg.ok()) {
      cmd->rejected_calls++;
      Reject(reply, errors::WalWriteFailed(bg.ToString()));
      return cmd;
    }
  }
  if (server_->script_run().busy) {
    // An allow-busy command while a script holds the loop (server/script_run.h): what is
    // staged is the script's, for its own command to commit or drop.
    Call(client, reply, cmd, args);
    return cmd;
  }
  size_t mark = reply.size();
  types::Keyspace& keyspace = server_->keyspace();
  // Reads never wait for the device on the loop: a command whose keys are not in memory is
  // undone and parked while the engine's read threads fetch them (server/cold_reads.h). Not
  // for blocked clients' runs or a parked command's second run.
  bool cache_only = !client.block.active && !client.park.retry;
  keyspace.set_cache_only(cache_only);
  Call(client, reply, cmd, args);
  keyspace.set_cache_only(false);
  if (keyspace.missed()) {
    reply.Truncate(mark);
    std::vector<std::string> keys = keyspace.TakeMissed();
    keyspace.Discard();
    server_->cold_reads().Park(client, args, std::move(keys));
    return cmd;
  }
  if (!keyspace.has_staged()) return cmd;
  uint64_t evicted = server_->EvictIntoBatch();
  // One batch (one log record) for the command, or for a whole EXEC, and what it evicted. If
  // it cannot be written, nothing of it happened: the reply becomes the error.
  server_->tracking().set_writer(client.id);  // NOLOOP
  Status s = keyspace.Commit();
  server_->tracking().set_writer(0);
  if (!s.ok()) {
    reply.Truncate(mark);
    Reject(reply, errors::EngineError(s));
    return cmd;
  }
  server_->stats().evicted_keys += evicted;
  if (server_->blocked().count() > 0) server_->blocked().ServeReady();
  return cmd;
}

void Dispatcher::Call(ClientState& client, ReplyBuilder& reply, const CommandSpec* cmd,
                      std::span<const std::string_view> args) {
  int64_t us = Run(client, reply, cmd, args);
  if (us >= 0) Account(client, cmd, args, us);
}

int64_t Dispatcher::Run(ClientState& client, ReplyBuilder& reply, const CommandSpec* cmd,
                        std::span<const std::string_view> args) {
  client.last_command = cmd;
  CommandContext ctx{args, reply, client, *server_, server_->cached_now_ms()};
  auto start = std::chrono::steady_clock::now();
  uint64_t errors = server_->stats().total_error_replies;
  bool touch = !(cmd->flags & kCmdNoTouch) && (!client.no_touch || cmd->full_name == "touch");
  types::Keyspace& keyspace = server_->keyspace();
  keyspace.set_touch(touch, ctx.now_ms);
  // "keymiss" events are for the lookups of read commands.
  bool miss_events =
      (cmd->flags & kCmdReadOnly) && (keyspace.notify_classes() & types::kNotifyKeyMiss);
  if (miss_events) keyspace.set_read_command(true);
  cmd->handler(ctx);
  if (miss_events) keyspace.set_read_command(false);
  keyspace.set_touch(false, ctx.now_ms);
  // A command undone for cold reads is counted (and shown to monitors) when it runs again.
  if (keyspace.missed()) return -1;
  TrackingState& tracking = client.tracking;
  if (tracking.on) {
    if (cmd->flags & kCmdReadOnly) server_->tracking().Remember(client, *cmd, args);
    // CLIENT CACHING is for the next command (the whole of a transaction).
    if (cmd->full_name != "client|caching" && !client.tx.active) {
      tracking.caching_yes = tracking.caching_no = false;
    }
  }
  if (server_->stats().total_error_replies != errors) cmd->failed_calls++;
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

void Dispatcher::Account(ClientState& client, const CommandSpec* cmd,
                         std::span<const std::string_view> args, int64_t us) {
  int64_t now_ms = server_->cached_now_ms();
  cmd->calls++;
  cmd->usec += static_cast<uint64_t>(us);
  const Config& config = server_->config();
  if (config.latency_tracking) cmd->latency.Record(static_cast<uint64_t>(us));
  // A command that blocked is logged when it runs again and is served, as in Redis.
  int64_t threshold = config.slowlog_log_slower_than;
  if (threshold >= 0 && us >= threshold && !client.block.waiting) {
    std::vector<std::string_view> shown = RedactSecrets(cmd, args);
    server_->slowlog().Add(shown, now_ms / 1000, us, client.addr, client.name,
                           static_cast<size_t>(config.slowlog_max_len));
  }
  if (config.latency_monitor_threshold > 0 && us / 1000 >= config.latency_monitor_threshold) {
    server_->latency().Add((cmd->flags & kCmdFast) ? "fast-command" : "command", us / 1000,
                           now_ms / 1000);
  }
  Monitors& monitors = server_->monitors();
  if (!monitors.empty() && !(cmd->flags & (kCmdAdmin | kCmdSkipMonitor))) {
    monitors.Feed(client, cmd, args);
  }
}

}  // namespace strata
