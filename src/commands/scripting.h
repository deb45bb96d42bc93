// What EVAL's commands (scripting.cc) and FUNCTION's (functions.cc) share.
#pragma once

#include "server/command.h"

namespace strata {

// numkeys (args[2]) of EVAL and FCALL: not negative, at most the arguments after it.
bool ScriptNumkeysOrReply(CommandContext& ctx, size_t* out);
// MONITOR shows EVAL and FCALL before the commands their script runs (they are skip_monitor
// for the dispatcher, which would show them after).
void ShowToMonitors(CommandContext& ctx);
// SCRIPT KILL (function: FUNCTION KILL): stops the busy script of its kind, if it has not
// written.
void KillScript(CommandContext& ctx, bool function);

}  // namespace strata
