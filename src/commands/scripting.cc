// Scripting: EVAL EVALSHA EVAL_RO EVALSHA_RO SCRIPT (LOAD EXISTS FLUSH KILL HELP).
//
// The Lua side — the sandbox, the script cache, conversions, busy scripts — is
// src/scripting (scripting/engine.h).
#include "commands/scripting.h"

#include "commands/registry.h"
#include "commands/util.h"
#include "scripting/engine.h"

namespace strata {
namespace {

using scripting::Engine;
using scripting::EngineOf;

}  // namespace

bool ScriptNumkeysOrReply(CommandContext& ctx, size_t* out) {
  long long n;
  if (!IntegerOrReply(ctx, ctx.args[2], &n)) return false;
  if (n < 0) return ErrorReply(ctx, errors::kNumkeysNegative), false;
  if (n > static_cast<long long>(ctx.args.size() - 3)) {
    return ErrorReply(ctx, errors::kNumkeysTooBig), false;
  }
  *out = static_cast<size_t>(n);
  return true;
}

void ShowToMonitors(CommandContext& ctx) {
  Monitors& monitors = ctx.server.monitors();
  if (!monitors.empty()) monitors.Feed(ctx.client, ctx.client.last_command, ctx.args);
}

void KillScript(CommandContext& ctx, bool function) {
  ScriptRun& run = ctx.server.script_run();
  if (!run.active) return ErrorReply(ctx, errors::kNotBusy);
  if (run.function != function) {
    return ErrorReply(ctx, run.function ? errors::kBusyFunction : errors::kBusyScript);
  }
  if (run.wrote) return ErrorReply(ctx, errors::kUnkillable);
  run.kill = true;
  ctx.reply.Ok();
}

namespace {

void Eval(CommandContext& ctx, bool by_sha, bool read_only) {
  size_t numkeys;
  if (!ScriptNumkeysOrReply(ctx, &numkeys)) return;
  Engine& engine = EngineOf(ctx.server);
  const Engine::Script* script;
  std::string sha;
  if (by_sha) {
    script = engine.FindScript(ctx.args[1]);
    if (script == nullptr) return ErrorReply(ctx, errors::kNoScript);
    sha = ToLower(ctx.args[1]);
  } else {
    std::string error;
    script = engine.CacheScript(ctx.args[1], &sha, &error);
    if (script == nullptr) return ErrorReply(ctx, error);
  }
  ShowToMonitors(ctx);
  Engine::RunSpec spec{.vm = &engine.eval_vm(),
                       .ref = script->ref,
                       .flags = script->flags,
                       .read_only = read_only,
                       .function = false,
                       .name = sha};
  engine.Run(ctx, spec, numkeys);
}

void CmdEval(CommandContext& ctx) { Eval(ctx, false, false); }
void CmdEvalsha(CommandContext& ctx) { Eval(ctx, true, false); }
void CmdEvalRo(CommandContext& ctx) { Eval(ctx, false, true); }
void CmdEvalshaRo(CommandContext& ctx) { Eval(ctx, true, true); }

void CmdScriptLoad(CommandContext& ctx) {
  std::string sha, error;
  if (EngineOf(ctx.server).CacheScript(ctx.args[2], &sha, &error) == nullptr) {
    return ErrorReply(ctx, error);
  }
  ctx.reply.Bulk(sha);
}

void CmdScriptExists(CommandContext& ctx) {
  Engine& engine = EngineOf(ctx.server);
  ctx.reply.ArrayHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    ctx.reply.Integer(engine.FindScript(ctx.args[i]) != nullptr ? 1 : 0);
  }
}

void CmdScriptFlush(CommandContext& ctx) {
  if (ctx.args.size() > 3 || (ctx.args.size() == 3 && !EqualsNoCase(ctx.args[2], "async") &&
                              !EqualsNoCase(ctx.args[2], "sync"))) {
    return ErrorReply(ctx, errors::kScriptFlushOption);
  }
  EngineOf(ctx.server).FlushScripts();
  ctx.reply.Ok();
}

void CmdScriptKill(CommandContext& ctx) { KillScript(ctx, false); }

void CmdScriptHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> ScriptingCommands() {
  const uint32_t kEvalFlags = kCmdNoScript | kCmdStale | kCmdSkipMonitor | kCmdNoMandatoryKeys;
  auto eval = [&](const char* name, CommandHandler h, uint32_t extra) {
    return CommandSpec{.name = name, .handler = h, .arity = -3, .flags = kEvalFlags | extra};
  };
  return {
      eval("eval", CmdEval, 0),
      eval("evalsha", CmdEvalsha, 0),
      eval("eval_ro", CmdEvalRo, kCmdReadOnly),
      eval("evalsha_ro", CmdEvalshaRo, kCmdReadOnly),
      {.name = "script",
       .arity = -2,
       .subcommands =
           {
               {.name = "help",
                .handler = CmdScriptHelp,
                .arity = 2,
                .flags = kCmdLoading | kCmdStale},
               {.name = "exists", .handler = CmdScriptExists, .arity = -3, .flags = kCmdNoScript},
               {.name = "kill",
                .handler = CmdScriptKill,
                .arity = 2,
                .flags = kCmdNoScript | kCmdAllowBusy},
               {.name = "load",
                .handler = CmdScriptLoad,
                .arity = 3,
                .flags = kCmdNoScript | kCmdStale},
               {.name = "flush", .handler = CmdScriptFlush, .arity = -2, .flags = kCmdNoScript},
           }},
  };
}

}  // namespace strata
