// Functions: FUNCTION (LOAD LIST DELETE FLUSH DUMP RESTORE STATS KILL HELP), FCALL, FCALL_RO.
//
// The libraries themselves — loading, registration, where they are kept — are
// scripting/functions.h.
#include "scripting/functions.h"

#include "commands/registry.h"
#include "commands/scripting.h"
#include "commands/util.h"
#include "scripting/engine.h"
#include "util/glob.h"

namespace strata {
namespace {

using scripting::Engine;
using scripting::EngineOf;
using scripting::Functions;

void Fcall(CommandContext& ctx, bool read_only) {
  size_t numkeys;
  if (!ScriptNumkeysOrReply(ctx, &numkeys)) return;
  Engine& engine = EngineOf(ctx.server);
  const Functions::Function* fn = engine.functions().Find(ctx.args[1]);
  if (fn == nullptr) return ErrorReply(ctx, errors::kFunctionNotFound);
  ShowToMonitors(ctx);
  Engine::RunSpec spec{.vm = &engine.functions().vm(),
                       .ref = fn->ref,
                       .flags = fn->flags,
                       .read_only = read_only,
                       .function = true,
                       .name = fn->name};
  engine.Run(ctx, spec, numkeys);
}

void CmdFcall(CommandContext& ctx) { Fcall(ctx, false); }
void CmdFcallRo(CommandContext& ctx) { Fcall(ctx, true); }

void CmdFunctionLoad(CommandContext& ctx) {
  bool replace = false;
  for (size_t i = 2; i + 1 < ctx.args.size(); ++i) {
    if (!EqualsNoCase(ctx.args[i], "replace")) {
      return ErrorReply(ctx, errors::UnknownOptionGiven(ctx.args[i]));
    }
    replace = true;
  }
  std::string name, error;
  if (!EngineOf(ctx.server).functions().Load(ctx.args.back(), replace, &name, &error)) {
    return ErrorReply(ctx, error);
  }
  ctx.reply.Bulk(name);
}

void CmdFunctionDelete(CommandContext& ctx) {
  if (!EngineOf(ctx.server).functions().Delete(ctx.args[2])) {
    return ErrorReply(ctx, errors::kLibraryNotFound);
  }
  ctx.reply.Ok();
}

void CmdFunctionFlush(CommandContext& ctx) {
  if (ctx.args.size() > 3 || (ctx.args.size() == 3 && !EqualsNoCase(ctx.args[2], "async") &&
                              !EqualsNoCase(ctx.args[2], "sync"))) {
    return ErrorReply(ctx, errors::kFunctionFlushOption);
  }
  EngineOf(ctx.server).functions().Flush();
  ctx.reply.Ok();
}

void CmdFunctionList(CommandContext& ctx) {
  std::string_view pattern;
  bool has_pattern = false, with_code = false;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    std::string_view a = ctx.args[i];
    if (EqualsNoCase(a, "withcode") && !with_code) {
      with_code = true;
    } else if (EqualsNoCase(a, "libraryname") && !has_pattern) {
      if (i + 1 >= ctx.args.size()) return ErrorReply(ctx, errors::kFunctionListLibraryMissing);
      pattern = ctx.args[++i];
      has_pattern = true;
    } else {
      return ErrorReply(ctx, errors::UnknownArgument(a));
    }
  }
  std::vector<const Functions::Library*> libs;
  for (const auto& [name, lib] : EngineOf(ctx.server).functions().libraries()) {
    if (!has_pattern || GlobMatch(pattern, name, false)) libs.push_back(&lib);
  }
  ReplyBuilder& r = ctx.reply;
  r.ArrayHeader(libs.size());
  for (const Functions::Library* lib : libs) {
    r.MapHeader(with_code ? 4 : 3);
    r.Bulk("library_name");
    r.Bulk(lib->name);
    r.Bulk("engine");
    r.Bulk("LUA");
    r.Bulk("functions");
    r.ArrayHeader(lib->functions.size());
    for (const auto& [name, fn] : lib->functions) {
      r.MapHeader(3);
      r.Bulk("name");
      r.Bulk(name);
      r.Bulk("description");
      if (fn.has_description) {
        r.Bulk(fn.description);
      } else {
        r.Null();
      }
      r.Bulk("flags");
      std::vector<std::string_view> flags = scripting::ScriptFlagNames(fn.flags);
      r.SetHeader(flags.size());
      for (std::string_view f : flags) r.SimpleString(f);
    }
    if (with_code) {
      r.Bulk("library_code");
      r.Bulk(lib->code);
    }
  }
}

void CmdFunctionDump(CommandContext& ctx) {
  ctx.reply.Bulk(EngineOf(ctx.server).functions().Dump());
}

void CmdFunctionRestore(CommandContext& ctx) {
  Functions::RestorePolicy policy = Functions::RestorePolicy::kAppend;
  if (ctx.args.size() == 4) {
    std::string_view p = ctx.args[3];
    if (EqualsNoCase(p, "flush")) {
      policy = Functions::RestorePolicy::kFlush;
    } else if (EqualsNoCase(p, "replace")) {
      policy = Functions::RestorePolicy::kReplace;
    } else if (!EqualsNoCase(p, "append")) {
      return ErrorReply(ctx, errors::kFunctionRestorePolicy);
    }
  } else if (ctx.args.size() > 4) {
    return ErrorReply(ctx, errors::UnknownSubcommandOrArity(ctx.args[1], "FUNCTION"));
  }
  std::string error;
  if (!EngineOf(ctx.server).functions().Restore(ctx.args[2], policy, &error)) {
    return ErrorReply(ctx, error);
  }
  ctx.reply.Ok();
}

void CmdFunctionStats(CommandContext& ctx) {
  ReplyBuilder& r = ctx.reply;
  const ScriptRun& run = ctx.server.script_run();
  r.MapHeader(2);
  r.Bulk("running_script");
  if (run.active && run.function) {
    r.MapHeader(3);
    r.Bulk("name");
    r.Bulk(run.name);
    r.Bulk("command");
    r.ArrayHeader(run.command.size());
    for (const std::string& a : run.command) r.Bulk(a);
    r.Bulk("duration_ms");
    r.Integer(Server::NowMs() - run.start_ms);
  } else {
    r.Null();
  }
  r.Bulk("engines");
  r.MapHeader(1);
  r.Bulk("LUA");
  r.MapHeader(2);
  const Functions& functions = EngineOf(ctx.server).functions();
  r.Bulk("libraries_count");
  r.Integer(static_cast<long long>(functions.libraries().size()));
  r.Bulk("functions_count");
  r.Integer(static_cast<long long>(functions.function_count()));
}

void CmdFunctionKill(CommandContext& ctx) { KillScript(ctx, true); }

void CmdFunctionHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Library description",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME "
      "argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored "
      "using FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a "
      "restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
      "abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
      "replace the old",
      "      libraries with the new libraries (notice that even on this option there is a "
      "chance of failure",
      "      in case of functions name collision with another library).",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> FunctionCommands() {
  const uint32_t kFcallFlags = kCmdNoScript | kCmdStale | kCmdSkipMonitor | kCmdNoMandatoryKeys;
  return {
      {.name = "fcall", .handler = CmdFcall, .arity = -3, .flags = kFcallFlags},
      {.name = "fcall_ro", .handler = CmdFcallRo, .arity = -3, .flags = kFcallFlags | kCmdReadOnly},
      {.name = "function",
       .arity = -2,
       .subcommands =
           {
               {.name = "kill",
                .handler = CmdFunctionKill,
                .arity = 2,
                .flags = kCmdNoScript | kCmdAllowBusy},
               {.name = "delete",
                .handler = CmdFunctionDelete,
                .arity = 3,
                .flags = kCmdWrite | kCmdNoScript},
               {.name = "help",
                .handler = CmdFunctionHelp,
                .arity = 2,
                .flags = kCmdLoading | kCmdStale},
               {.name = "restore",
                .handler = CmdFunctionRestore,
                .arity = -3,
                .flags = kCmdWrite | kCmdDenyOom | kCmdNoScript},
               {.name = "load",
                .handler = CmdFunctionLoad,
                .arity = -3,
                .flags = kCmdWrite | kCmdDenyOom | kCmdNoScript},
               {.name = "dump", .handler = CmdFunctionDump, .arity = 2, .flags = kCmdNoScript},
               {.name = "flush",
                .handler = CmdFunctionFlush,
                .arity = -2,
                .flags = kCmdWrite | kCmdNoScript},
               {.name = "list", .handler = CmdFunctionList, .arity = -2, .flags = kCmdNoScript},
               {.name = "stats",
                .handler = CmdFunctionStats,
                .arity = 2,
                .flags = kCmdNoScript | kCmdAllowBusy},
           }},
  };
}

}  // namespace strata
