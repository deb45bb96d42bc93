// Operator commands: SLOWLOG, LATENCY, MONITOR, TIME, SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE,
// SHUTDOWN, LOLWUT.
#include <fmt/format.h>

#include "commands/registry.h"
#include "commands/util.h"
#include "server/log.h"
#include "server/version.h"

namespace strata {
namespace {

void CmdSlowlogGet(CommandContext& ctx) {
  long long count = 10;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::WrongArity("slowlog|get"));
  if (ctx.args.size() == 3) {
    if (!ParseLongLong(ctx.args[2], &count) || count < -1) {
      return ErrorReply(ctx, errors::kSlowlogCount);
    }
  }
  const auto& entries = ctx.server.slowlog().entries();
  size_t n = count < 0 ? entries.size() : std::min<size_t>(entries.size(), count);
  ctx.reply.ArrayHeader(n);
  for (size_t i = 0; i < n; ++i) {
    const SlowLogEntry& e = entries[i];
    ctx.reply.ArrayHeader(6);
    ctx.reply.Integer(static_cast<long long>(e.id));
    ctx.reply.Integer(e.time_s);
    ctx.reply.Integer(e.duration_us);
    ctx.reply.ArrayHeader(e.args.size());
    for (const auto& a : e.args) ctx.reply.Bulk(a);
    ctx.reply.Bulk(e.addr);
    ctx.reply.Bulk(e.name);
  }
}

void CmdSlowlogLen(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<long long>(ctx.server.slowlog().entries().size()));
}

void CmdSlowlogReset(CommandContext& ctx) {
  ctx.server.slowlog().Reset();
  ctx.reply.Ok();
}

void CmdSlowlogHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

void CmdLatencyLatest(CommandContext& ctx) {
  const auto& events = ctx.server.latency().events();
  ctx.reply.ArrayHeader(events.size());
  for (const auto& [name, e] : events) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(name);
    ctx.reply.Integer(e.history.back().time_s);
    ctx.reply.Integer(e.history.back().ms);
    ctx.reply.Integer(e.max_ms);
  }
}

void CmdLatencyHistory(CommandContext& ctx) {
  const auto& events = ctx.server.latency().events();
  auto it = events.find(ctx.args[2]);
  if (it == events.end()) return ctx.reply.ArrayHeader(0);
  ctx.reply.ArrayHeader(it->second.history.size());
  for (const auto& sample : it->second.history) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(sample.time_s);
    ctx.reply.Integer(sample.ms);
  }
}

void CmdLatencyReset(CommandContext& ctx) {
  std::vector<std::string_view> names(ctx.args.begin() + 2, ctx.args.end());
  ctx.reply.Integer(static_cast<long long>(ctx.server.latency().Reset(names)));
}

void CmdLatencyHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LATEST",
      "    Return the latest latency samples for all events.",
      "HISTORY <event>",
      "    Return time-latency samples for the <event> class.",
      "RESET [<event> ...]",
      "    Reset latency data of one or more <event> classes.",
      "    (default: reset all data for all event classes)",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

void CmdMonitor(CommandContext& ctx) {
  if (ctx.client.monitor) return;
  ctx.server.monitors().Add(ctx.client);
  ctx.reply.Ok();
}

void CmdTime(CommandContext& ctx) {
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(us / 1'000'000));
  ctx.reply.Bulk(std::to_string(us % 1'000'000));
}

// SAVE and BGSAVE make checkpoints (a directory under `dir` that strata-server --dir opens),
// not RDB files: every write is in the log already.
void CmdSave(CommandContext& ctx) {
  if (ctx.server.checkpoints().state().in_progress) return ErrorReply(ctx, errors::kBgsaveInProgress);
  if (!OkOrReply(ctx, ctx.server.checkpoints().Take(false))) return;
  ctx.reply.Ok();
}

void CmdBgsave(CommandContext& ctx) {
  bool schedule = ctx.args.size() == 2 && EqualsNoCase(ctx.args[1], "schedule");
  if (ctx.args.size() > 2 || (ctx.args.size() == 2 && !schedule)) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (ctx.server.checkpoints().state().in_progress) {
    if (schedule) return ctx.reply.SimpleString("Background saving scheduled");
    return ErrorReply(ctx, errors::kBgsaveInProgress);
  }
  if (!OkOrReply(ctx, ctx.server.checkpoints().Take(true))) return;
  ctx.reply.SimpleString("Background saving started");
}

void CmdLastsave(CommandContext& ctx) { ctx.reply.Integer(ctx.server.checkpoints().state().last_save_s); }

// BGREWRITEAOF: Redis compacts its append-only file; Strata's log needs no rewrite (a flush
// turns it into tables and drops it), so this writes and syncs the log, as an operator who
// runs it before a backup expects.
void CmdBgrewriteaof(CommandContext& ctx) {
  if (!OkOrReply(ctx, ctx.server.db().FlushWal())) return;
  ctx.reply.SimpleString("Background append only file rewriting started");
}

// LOLWUT [VERSION v]: a picture and the version, as Redis's; the picture is the engine's
// levels, each ten times the one above.
void CmdLolwut(CommandContext& ctx) {
  if (ctx.args.size() != 1 && (ctx.args.size() != 3 || !EqualsNoCase(ctx.args[1], "version"))) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  long long version;
  if (ctx.args.size() == 3 && !IntegerOrReply(ctx, ctx.args[2], &version)) return;
  std::string out;
  for (int level = 0, width = 1; level < 4; ++level, width = width * 3 + 1) {
    out += fmt::format("L{} {}\n", level, std::string(static_cast<size_t>(width), '#'));
  }
  out += fmt::format("\nStrata ver. {}, Redis ver. {}\n", kStrataVersion, kRedisCompatVersion);
  ctx.reply.Verbatim(out);
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: the log holds every write, so SAVE and
// NOSAVE end the same way: the log written and synced, the engine closed. No reply.
void CmdShutdown(CommandContext& ctx) {
  bool abort = false, save = false, nosave = false;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    std::string_view a = ctx.args[i];
    if (EqualsNoCase(a, "nosave")) {
      nosave = true;
    } else if (EqualsNoCase(a, "save")) {
      save = true;
    } else if (EqualsNoCase(a, "abort")) {
      abort = true;
    } else if (!EqualsNoCase(a, "now") && !EqualsNoCase(a, "force")) {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  if ((save && nosave) || (abort && ctx.args.size() > 2)) return ErrorReply(ctx, errors::kSyntax);
  if (abort) return ErrorReply(ctx, errors::kNoShutdown);
  ScriptRun& script = ctx.server.script_run();
  if (script.busy) {
    // Only SHUTDOWN NOSAVE stops a busy script: its writes, staged, are dropped.
    if (!nosave)
      return ErrorReply(ctx, script.function ? errors::kBusyFunction : errors::kBusyScript);
    script.kill = script.shutdown = true;
    ctx.server.keyspace().Discard();
  }
  ctx.client.close_after_reply = true;  // nothing after it runs
  ctx.server.Shutdown("User requested shutdown...");
}

}  // namespace

std::vector<CommandSpec> AdminCommands() {
  const uint32_t kAny = kCmdLoading | kCmdStale;
  return {
      {.name = "slowlog",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "get", .handler = CmdSlowlogGet, .arity = -2, .flags = kCmdAdmin | kAny},
               {.name = "len", .handler = CmdSlowlogLen, .arity = 2, .flags = kCmdAdmin | kAny},
               {.name = "reset", .handler = CmdSlowlogReset, .arity = 2, .flags = kCmdAdmin | kAny},
               {.name = "help", .handler = CmdSlowlogHelp, .arity = 2, .flags = kAny},
           }},
      {.name = "latency",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "latest",
                .handler = CmdLatencyLatest,
                .arity = 2,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "history",
                .handler = CmdLatencyHistory,
                .arity = 3,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "reset",
                .handler = CmdLatencyReset,
                .arity = -2,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "help", .handler = CmdLatencyHelp, .arity = 2, .flags = kAny},
           }},
      {.name = "monitor",
       .handler = CmdMonitor,
       .arity = 1,
       .flags = kCmdAdmin | kCmdNoScript | kAny,
       .group = "server"},
      {.name = "time", .handler = CmdTime, .arity = 1, .flags = kCmdFast | kAny, .group = "server"},
      {.name = "save",
       .handler = CmdSave,
       .arity = 1,
       .flags = kCmdAdmin | kCmdNoScript | kCmdNoAsyncLoading | kCmdNoMulti,
       .group = "server"},
      {.name = "bgsave",
       .handler = CmdBgsave,
       .arity = -1,
       .flags = kCmdAdmin | kCmdNoScript | kCmdNoAsyncLoading,
       .group = "server"},
      {.name = "bgrewriteaof",
       .handler = CmdBgrewriteaof,
       .arity = 1,
       .flags = kCmdAdmin | kCmdNoScript | kCmdNoAsyncLoading,
       .group = "server"},
      {.name = "lolwut",
       .handler = CmdLolwut,
       .arity = -1,
       .flags = kCmdReadOnly | kCmdFast,
       .group = "server"},
      {.name = "lastsave",
       .handler = CmdLastsave,
       .arity = 1,
       .flags = kCmdFast | kAny,
       .group = "server"},
      {.name = "shutdown",
       .handler = CmdShutdown,
       .arity = -1,
       .flags = kCmdAdmin | kCmdNoScript | kAny | kCmdNoMulti | kCmdAllowBusy,
       .group = "server"},
  };
}

}  // namespace strata
