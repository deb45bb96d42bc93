// The script engine: Lua 5.1 for EVAL (the script cache) and for FUNCTION (the libraries),
// and the run of one script or function for a command. Loop thread only.
//
// A run is a command: the script's redis.call()s go through the dispatcher as a client of
// their own ("lua": CLIENT-less, MONITOR shows it), their writes staged in the keyspace
// with the caller's, so the dispatcher commits the whole script as one batch after the
// EVAL — atomic in the log, as in Redis, and not rolled back when the script fails midway.
// Reads are cache-only like any command's (server/cold_reads.h): a read that misses aborts
// the script (every later redis.call and line raises), the dispatcher drops its writes and
// reply and runs it again once the keys are in memory. A script that calls a keyless command
// (whose effects the keyspace cannot undo: SELECT, FLUSHDB ...) reads on the loop from there.
//
// Busy scripts (server/script_run.h): an instruction hook every 100000 instructions serves
// the other clients once busy-reply-threshold has passed, and stops the script when SCRIPT
// KILL, FUNCTION KILL or SHUTDOWN NOSAVE asked.
#pragma once

#include <cstdint>
#include <lua.hpp>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command.h"
#include "server/script_run.h"

namespace strata {
class Server;
}

namespace strata::scripting {

// What a script or a function declares (EVAL's "#!lua flags=...", register_function's
// flags). kEvalCompat: an EVAL script with no shebang, which runs as Redis 6 ran them.
enum ScriptFlag : uint32_t {
  kNoWrites = 1 << 0,
  kAllowOom = 1 << 1,
  kAllowStale = 1 << 2,
  kNoCluster = 1 << 3,
  kAllowCrossSlotKeys = 1 << 4,
  kEvalCompat = 1 << 5,
};
// Parses one flag name into *flag; false when unknown.
bool ParseScriptFlag(std::string_view name, uint32_t* flag);
// The names of the flags set, in Redis's order (FUNCTION LIST).
std::vector<std::string_view> ScriptFlagNames(uint32_t flags);

// One Lua state, sandboxed (scripting/sandbox.h), with the redis table.
class LuaVm {
 public:
  LuaVm(class Engine* engine, bool functions);
  ~LuaVm();
  LuaVm(const LuaVm&) = delete;
  LuaVm& operator=(const LuaVm&) = delete;
  lua_State* L() const { return L_; }
  // Memory the state holds, in bytes.
  size_t memory() const;

 private:
  lua_State* L_;
};

class Functions;

class Engine : public ScriptHost {
 public:
  explicit Engine(Server* server);
  ~Engine() override;

  Status Open() override;
  Server& server() { return *server_; }

  // ---- EVAL's script cache, by SHA1 of the body.
  struct Script {
    std::string body;
    int ref = 0;  // the compiled function, in the eval state's registry
    uint32_t flags = 0;
  };
  // Compiles body into the cache (once); nullptr and *error (the reply) when it does not
  // compile or its shebang is wrong.
  const Script* CacheScript(std::string_view body, std::string* sha, std::string* error);
  const Script* FindScript(std::string_view sha) const;
  // SCRIPT FLUSH: a fresh state, an empty cache.
  void FlushScripts();
  size_t scripts() const { return scripts_.size(); }
  size_t scripts_bytes() const { return scripts_bytes_; }
  size_t eval_memory() const { return eval_->memory(); }
  LuaVm& eval_vm() { return *eval_; }

  Functions& functions() { return *functions_; }

  // ---- Runs.
  struct RunSpec {
    LuaVm* vm;
    int ref;           // the function, in vm's registry
    uint32_t flags;    // ScriptFlag
    bool read_only;    // EVAL_RO, EVALSHA_RO, FCALL_RO
    bool function;     // FCALL: keys and args are the function's arguments, not KEYS and ARGV
    std::string name;  // the sha1, or the function's name, for errors
  };
  // Runs spec for the command in ctx (args[3..] are the keys, then the arguments) and replies.
  void Run(CommandContext& ctx, const RunSpec& spec, size_t numkeys);

  // ---- For the redis table (engine.cc): the run in progress, nullptr between runs.
  struct RunContext {
    CommandContext* caller;
    const RunSpec* spec;
    int resp = 2;  // redis.setresp
  };
  RunContext* current() { return current_; }
  // redis.call (raise) and redis.pcall.
  int Call(lua_State* L, bool raise);
  // The instruction hook's work.
  void OnHook(lua_State* L);

 private:
  // Pushes the error a killed or undone script raises, and sets the line hook that raises it
  // again at every line, so that a pcall in the script cannot go on.
  int RaiseStop(lua_State* L);
  void ErrorReplyTo(CommandContext& ctx, std::string_view text);

  Server* const server_;
  std::unique_ptr<LuaVm> eval_;
  std::unordered_map<std::string, Script> scripts_;
  size_t scripts_bytes_ = 0;
  std::unique_ptr<Functions> functions_;
  RunContext* current_ = nullptr;
  ClientState lua_client_;  // the client the scripts' commands run as
  std::string reply_buf_;                    // a redis.call's reply
  std::vector<std::string_view> call_args_;  // a redis.call's arguments (Call)
  std::vector<std::string> numbers_;         // the numbers among them, as text
  int runs_ = 0;
};

// The engine the server owns (server.script_host()).
Engine& EngineOf(Server& server);

}  // namespace strata::scripting
