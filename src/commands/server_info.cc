// Server commands: CONFIG, DEBUG, DBSIZE, FLUSHDB, FLUSHALL (INFO is in info.cc, COMMAND in
// command_info.cc).
#include <fcntl.h>
#include <fmt/format.h>
#include <mimalloc.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include "commands/registry.h"
#include "commands/util.h"
#include "server/listener.h"
#include "server/log.h"
#include "server/version.h"
#include "strata/env.h"
#include "util/glob.h"

namespace strata {
namespace {

// ---- CONFIG --------------------------------------------------------------------------

void CmdConfigGet(CommandContext& ctx) {
  std::vector<std::pair<std::string, std::string>> found;
  std::set<std::string> seen;
  auto add = [&](std::string_view name, std::string value) {
    for (size_t i = 2; i < ctx.args.size(); ++i) {
      if (GlobMatch(ctx.args[i], name, true) && seen.emplace(name).second) {
        found.emplace_back(std::string(name), std::move(value));
        return;
      }
    }
  };
  for (const auto& o : ConfigOptions()) {
    add(o.name, o.get(ctx.server.config()));
    if (o.alias != nullptr) add(o.alias, o.get(ctx.server.config()));
  }
  for (const auto& f : FixedConfigValues()) add(f.name, f.value);
  ctx.reply.MapHeader(found.size());
  for (const auto& [name, value] : found) {
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(value);
  }
}

void CmdConfigSet(CommandContext& ctx) {
  if (ctx.args.size() % 2 != 0) return ErrorReply(ctx, errors::WrongArity("config|set"));
  Config updated = ctx.server.config();
  std::set<std::string> seen;
  for (size_t i = 2; i < ctx.args.size(); i += 2) {
    std::string_view name = ctx.args[i];
    const ConfigOption* option = FindConfigOption(name);
    if (option == nullptr) {
      for (const auto& f : FixedConfigValues()) {
        if (EqualsNoCase(name, f.name)) {
          return ErrorReply(ctx, errors::ConfigSetFailed(name, "can't set immutable config"));
        }
      }
      return ErrorReply(ctx, errors::ConfigSetUnknown(name));
    }
    if (!seen.insert(option->name).second) {
      return ErrorReply(ctx, errors::ConfigSetFailed(name, "duplicate parameter"));
    }
    if (!option->mutable_at_runtime) {
      return ErrorReply(ctx, errors::ConfigSetFailed(name, "can't set immutable config"));
    }
    std::string why = option->set(updated, {ctx.args[i + 1]});
    if (!why.empty()) return ErrorReply(ctx, errors::ConfigSetFailed(name, why));
  }
  // The one setting whose applying can fail: new sockets for a new port or bind. Nothing of
  // the command is applied then, and the old sockets stay open.
  const Config& current = ctx.server.config();
  if (updated.port != current.port || updated.bind != current.bind) {
    if (!ctx.server.listener().Rebind(updated)) {
      bool port = updated.port != current.port;
      return ErrorReply(ctx,
                        errors::ConfigSetFailed(port ? "port" : "bind",
                                                port ? "Unable to listen on this port"
                                                     : "Failed to bind to specified addresses."));
    }
  }
  ctx.server.config() = std::move(updated);
  ctx.server.ApplyConfig();
  ctx.reply.Ok();
}

// Rewrites the file atomically (Env::WriteFileAtomically: a crash leaves the old or the new).
void CmdConfigRewrite(CommandContext& ctx) {
  const std::string& path = ctx.server.config().config_file;
  if (path.empty()) return ErrorReply(ctx, errors::kNoConfigFile);
  std::string original;
  {
    std::ifstream in(path, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string text = RewriteConfigText(original, ctx.server.config());
  Status s = Env::Default()->WriteFileAtomically(path, text);
  if (!s.ok()) {
    std::string_view reason = s.message();
    reason.remove_prefix(reason.rfind(": ") == std::string_view::npos ? 0 : reason.rfind(": ") + 2);
    Log(LogLevel::kWarning, "CONFIG REWRITE failed: {}", reason);
    return ErrorReply(ctx, errors::RewriteConfigFailed(reason));
  }
  Log(LogLevel::kNotice, "CONFIG REWRITE executed with success.");
  ctx.reply.Ok();
}

void CmdConfigResetstat(CommandContext& ctx) {
  ctx.server.stats() = ServerStats();
  ctx.server.keyspace().TakeLazyExpired();
  auto reset = [](const CommandSpec& c) {
    c.calls = c.usec = c.rejected_calls = c.failed_calls = 0;
    c.latency.Reset();
  };
  for (const auto& cmd : ctx.server.commands().all()) {
    reset(*cmd);
    for (const auto& sub : cmd->subcommands) reset(sub);
  }
  ctx.server.slowlog().Reset();
  ctx.reply.Ok();
}

void CmdConfigHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

// ---- DBSIZE, FLUSHDB, FLUSHALL -------------------------------------------------------

void CmdDbsize(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.keyspace().counts(ctx.client.db).keys);
}

// DEBUG COMPACT: a full compaction, now, on the loop thread (for tests and operators
// reclaiming space at once; compactions otherwise run on the worker pool).
void CmdDebugCompact(CommandContext& ctx) {
  if (!OkOrReply(ctx, ctx.server.db().CompactAll())) return;
  ctx.reply.Ok();
}

// DEBUG OBJECT key: Redis's one-line description. serializedlength is the key's stored size
// (MEMORY USAGE with every element), lru the access clock in seconds (types/key_access.h).
void CmdDebugObject(CommandContext& ctx) {
  types::Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[2], &meta, &found)) return;
  if (!found) return ErrorReply(ctx, errors::kNoSuchKey);
  auto encoding = types::EncodingOf(Op(ctx), ctx.args[2], meta, EncodingLimitsOf(ctx));
  if (!OkOrReply(ctx, encoding)) return;
  std::string name(*encoding);
  if (!OkOrReply(ctx, ctx.server.keyspace().FindKey(ctx.client.db, ctx.args[2], &meta))) return;
  uint64_t length = types::KeyCharge(ctx.args[2], meta);
  const types::Keyspace& ks = ctx.server.keyspace();
  int64_t idle = ks.access().IdleSeconds(ks.ns(ctx.client.db), ctx.args[2], ctx.now_ms);
  ctx.reply.SimpleString(fmt::format(
      "Value at:0x0 refcount:1 encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}", name,
      length, ((ctx.now_ms / 1000) - idle) & ((1 << 24) - 1), idle));
}

void CmdDebugHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "COMPACT",
      "    Compact the whole engine now, on the event loop.",
      "OBJECT <key>",
      "    Show low level info about the key and associated value.",
      "SLEEP <seconds>",
      "    Stop the server for <seconds>. Decimals allowed.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

// DEBUG SLEEP <seconds>: blocks the server, as Redis's does (for testing timeouts and the
// slow log and latency monitor).
void CmdDebugSleep(CommandContext& ctx) {
  double seconds;
  std::string arg(ctx.args[2]);
  char* end = nullptr;
  seconds = std::strtod(arg.c_str(), &end);
  if (arg.empty() || end != arg.c_str() + arg.size() || !(seconds >= 0) || seconds > 3600) {
    return ErrorReply(ctx, errors::kNotFloat);
  }
  std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6)));
  ctx.reply.Ok();
}

bool FlushOptionOk(CommandContext& ctx) {
  if (ctx.args.size() > 2 || (ctx.args.size() == 2 && !EqualsNoCase(ctx.args[1], "async") &&
                              !EqualsNoCase(ctx.args[1], "sync"))) {
    ErrorReply(ctx, errors::kSyntax);
    return false;
  }
  return true;
}

void CmdFlushdb(CommandContext& ctx) {
  if (!FlushOptionOk(ctx)) return;
  ctx.server.keyspace().FlushDb(ctx.client.db);  // O(1): a fresh namespace
  ctx.server.tracking().InvalidateAll();
  ctx.reply.Ok();
}

void CmdFlushall(CommandContext& ctx) {
  if (!FlushOptionOk(ctx)) return;
  types::Keyspace& ks = ctx.server.keyspace();
  for (int db = 0; db < ks.databases(); ++db) ks.FlushDb(db);
  ctx.server.tracking().InvalidateAll();
  ctx.reply.Ok();
}

}  // namespace

std::vector<CommandSpec> ServerCommands() {
  const uint32_t kAny = kCmdLoading | kCmdStale;
  return {
      {.name = "config",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "get",
                .handler = CmdConfigGet,
                .arity = -3,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "set",
                .handler = CmdConfigSet,
                .arity = -4,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "rewrite",
                .handler = CmdConfigRewrite,
                .arity = 2,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "resetstat",
                .handler = CmdConfigResetstat,
                .arity = 2,
                .flags = kCmdAdmin | kCmdNoScript | kAny},
               {.name = "help", .handler = CmdConfigHelp, .arity = 2, .flags = kAny},
           }},
      {.name = "debug",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "compact",
                .handler = CmdDebugCompact,
                .arity = 2,
                .flags = kCmdAdmin | kCmdNoScript},
               {.name = "sleep",
                .handler = CmdDebugSleep,
                .arity = 3,
                .flags = kCmdAdmin | kCmdNoScript},
               {.name = "object",
                .handler = CmdDebugObject,
                .arity = 3,
                .flags = kCmdAdmin | kCmdNoScript | kCmdNoTouch},
               {.name = "help", .handler = CmdDebugHelp, .arity = 2, .flags = kAny},
           }},
      {.name = "dbsize",
       .handler = CmdDbsize,
       .arity = 1,
       .flags = kCmdReadOnly | kCmdFast,
       .group = "server"},
      {.name = "flushdb",
       .handler = CmdFlushdb,
       .arity = -1,
       .flags = kCmdWrite,
       .group = "server"},
      {.name = "flushall",
       .handler = CmdFlushall,
       .arity = -1,
       .flags = kCmdWrite,
       .group = "server"},
  };
}

}  // namespace strata
