// The documentation rows of the scripting commands (EVAL, SCRIPT, FUNCTION, FCALL), in the
// notation of command_docs.cc, which joins them to the table with its own rows.
#include "commands/registry.h"

namespace strata {

const std::vector<CommandDoc>& ScriptingDocs() {
  static const std::vector<CommandDoc> docs = {
      {"eval", "scripting", "2.6.0", "Depends on the script that is executed.",
       "Runs a Lua script.", "script numkeys#i [key#k0...] [arg...]", "RW access update@2#0", "",
       ""},
      {"evalsha", "scripting", "2.6.0", "Depends on the script that is executed.",
       "Runs a cached Lua script by its SHA1 digest.", "sha1 numkeys#i [key#k0...] [arg...]",
       "RW access update@2#0", "", ""},
      {"eval_ro", "scripting", "7.0.0", "Depends on the script that is executed.",
       "Runs a read-only Lua script.", "script numkeys#i [key#k0...] [arg...]", "RO access@2#0", "",
       ""},
      {"evalsha_ro", "scripting", "7.0.0", "Depends on the script that is executed.",
       "Runs a cached read-only Lua script by its SHA1 digest.",
       "sha1 numkeys#i [key#k0...] [arg...]", "RO access@2#0", "", ""},
      {"fcall", "scripting", "7.0.0", "Depends on the function that is executed.",
       "Calls a function of a loaded library.", "function numkeys#i [key#k0...] [arg...]",
       "RW access update@2#0", "", ""},
      {"fcall_ro", "scripting", "7.0.0", "Depends on the function that is executed.",
       "Calls a read-only function of a loaded library.", "function numkeys#i [key#k0...] [arg...]",
       "RO access@2#0", "", ""},
      {"script", "scripting", "2.6.0", "Depends on subcommand.",
       "Container for the script cache commands.", "", "", "", "-scripting"},
      {"script|help", "scripting", "5.0.0", "O(1)", "Shows what the SCRIPT subcommands do.", "", "",
       "", ""},
      {"script|exists", "scripting", "2.6.0", "O(N)", "Says which scripts are in the cache.",
       "sha1...", "", "request_policy:all_shards response_policy:agg_logical_and", ""},
      {"script|kill", "scripting", "2.6.0", "O(1)",
       "Stops the running script, if it has not written yet.", "", "",
       "request_policy:all_shards response_policy:one_succeeded", ""},
      {"script|load", "scripting", "2.6.0", "O(N)", "Compiles a script into the cache.", "script",
       "", "request_policy:all_nodes response_policy:all_succeeded", ""},
      {"script|flush", "scripting", "2.6.0", "O(N)", "Empties the script cache.",
       "[async<ASYNC|SYNC>]", "", "request_policy:all_nodes response_policy:all_succeeded", ""},
      {"function", "scripting", "7.0.0", "Depends on subcommand.",
       "Container for the function library commands.", "", "", "", "-scripting"},
      {"function|kill", "scripting", "7.0.0", "O(1)",
       "Stops the running function, if it has not written yet.", "", "",
       "request_policy:all_shards response_policy:one_succeeded", ""},
      {"function|delete", "scripting", "7.0.0", "O(1)", "Deletes a library and its functions.",
       "library-name", "", "request_policy:all_shards response_policy:all_succeeded", ""},
      {"function|help", "scripting", "7.0.0", "O(1)", "Shows what the FUNCTION subcommands do.", "",
       "", "", ""},
      {"function|restore", "scripting", "7.0.0", "O(N)",
       "Loads the libraries of a FUNCTION DUMP payload.",
       "serialized-value [policy<FLUSH|APPEND|REPLACE>]", "",
       "request_policy:all_shards response_policy:all_succeeded", ""},
      {"function|load", "scripting", "7.0.0", "O(1)", "Loads a library of functions.",
       "[REPLACE] function-code", "", "request_policy:all_shards response_policy:all_succeeded",
       ""},
      {"function|dump", "scripting", "7.0.0", "O(N)",
       "Serializes every library, for FUNCTION RESTORE.", "", "", "", ""},
      {"function|flush", "scripting", "7.0.0", "O(N)", "Deletes every library.",
       "[async<ASYNC|SYNC>]", "", "request_policy:all_shards response_policy:all_succeeded", ""},
      {"function|list", "scripting", "7.0.0", "O(N)", "Lists the libraries and their functions.",
       "[LIBRARYNAME=library-name-pattern] [WITHCODE]", "", "nondeterministic_output_order", ""},
      {"function|stats", "scripting", "7.0.0", "O(1)",
       "Shows the running function, and the engines' counts.", "", "",
       "nondeterministic_output request_policy:all_shards response_policy:special", ""},
  };
  return docs;
}

}  // namespace strata
