#include "scripting/engine.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "scripting/conversions.h"
#include "scripting/functions.h"
#include "scripting/sandbox.h"
#include "server/errors.h"
#include "server/log.h"
#include "server/server.h"
#include "server/sha1.h"
#include "server/version.h"
#include "util/text.h"

namespace strata::scripting {
namespace {

char kEngineKey;  // registry: the Engine, as light userdata
constexpr int kHookInstructions = 100000;
constexpr int kGcPeriod = 50;  // runs between incremental GC steps (Redis's LUA_GC_CYCLE_PERIOD)

Engine* EngineOfState(lua_State* L) {
  lua_pushlightuserdata(L, &kEngineKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  auto* e = static_cast<Engine*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return e;
}

void Hook(lua_State* L, lua_Debug*) { EngineOfState(L)->OnHook(L); }

// Raises {err="ERR <text>"}: how the redis table's functions refuse their arguments.
int RaiseError(lua_State* L, std::string_view text) {
  PushErrorTable(L, text);
  return RaiseErrorTable(L);
}

// The message handler of every run: an error becomes a table {err=, source=, line=} saying
// where in the script it happened (the first Lua frame: redis.call is a C one).
int ErrorHandler(lua_State* L) {
  lua_Debug ar;
  bool where = false;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.what[0] != 'C') {
      where = true;
      break;
    }
  }
  if (!lua_istable(L, 1)) {
    // As Lua's tostring shows it: error(nil) is "ERR nil", as in Redis.
    const char* msg = lua_tostring(L, 1);
    std::string text =
        std::string("ERR ") + (msg != nullptr        ? msg
                               : lua_isboolean(L, 1) ? (lua_toboolean(L, 1) ? "true" : "false")
                                                     : luaL_typename(L, 1));
    lua_newtable(L);
    lua_pushstring(L, text.c_str());
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
  }
  if (where) {
    lua_pushstring(L, ar.source);
    lua_setfield(L, 1, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, 1, "line");
  }
  lua_settop(L, 1);
  return 1;
}

int RedisCall(lua_State* L) { return EngineOfState(L)->Call(L, true); }
int RedisPcall(lua_State* L) { return EngineOfState(L)->Call(L, false); }

int RedisErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, errors::kLuaReplyArgs);
    return 1;
  }
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  PushErrorTable(L, std::string_view(s, n));
  return 1;
}

int RedisStatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, errors::kLuaReplyArgs);
    return 1;
  }
  lua_newtable(L);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

int RedisSha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseError(L, errors::kLuaSha1hexArgs);
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  std::string hex = Sha1Hex(std::string_view(s != nullptr ? s : "", s != nullptr ? n : 0));
  lua_pushlstring(L, hex.data(), hex.size());
  return 1;
}

int RedisLog(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc < 2) return RaiseError(L, errors::kLuaLogArgs);
  if (!lua_isnumber(L, 1)) return RaiseError(L, errors::kLuaLogLevelType);
  int level = static_cast<int>(lua_tonumber(L, 1));
  if (level < 0 || level > 3) return RaiseError(L, errors::kLuaLogLevel);
  std::string msg;
  for (int i = 2; i <= argc; ++i) {
    size_t n;
    const char* s = lua_tolstring(L, i, &n);
    if (s == nullptr) continue;
    if (i > 2) msg += ' ';
    msg.append(s, n);
  }
  static constexpr LogLevel kLevels[] = {LogLevel::kDebug, LogLevel::kVerbose, LogLevel::kNotice,
                                         LogLevel::kWarning};
  Log(kLevels[level], "{}", msg);
  return 0;
}

int RedisSetresp(lua_State* L) {
  Engine* e = EngineOfState(L);
  if (lua_gettop(L) != 1) return RaiseError(L, errors::kLuaSetrespArgs);
  int resp = static_cast<int>(lua_tonumber(L, 1));
  if (resp != 2 && resp != 3) return RaiseError(L, errors::kLuaSetrespVersion);
  if (e->current() != nullptr) e->current()->resp = resp;
  return 0;
}

int RedisSetRepl(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseError(L, errors::kLuaSetReplArgs);
  int flags = static_cast<int>(lua_tonumber(L, 1));
  if (flags < 0 || flags > 3) return RaiseError(L, errors::kLuaSetReplFlags);
  return 0;  // every script's effects are one batch in the log
}

int RedisReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

int RedisBreakpoint(lua_State* L) {
  lua_pushboolean(L, 0);  // no debugger session (SCRIPT DEBUG is not supported)
  return 1;
}

int RedisNoop(lua_State*) { return 0; }

int RedisAclCheckCmd(lua_State* L) {
  Engine* e = EngineOfState(L);
  if (lua_gettop(L) < 1) return RaiseError(L, errors::kScriptNoArgs.substr(4));
  size_t n;
  const char* name = lua_tolstring(L, 1, &n);
  if (name == nullptr || e->server().commands().Find(std::string_view(name, n)) == nullptr) {
    return RaiseError(L, errors::kAclCheckCmdInvalid);
  }
  lua_pushboolean(L, 1);  // the default user may run everything
  return 1;
}

void SetNumber(lua_State* L, const char* name, lua_Number v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, name);
}

// The version as REDIS_VERSION_NUM encodes it: 0x00MMmmpp.
int VersionNum(const char* v) {
  int major = 0, minor = 0, patch = 0;
  std::sscanf(v, "%d.%d.%d", &major, &minor, &patch);
  return (major << 16) | (minor << 8) | patch;
}

}  // namespace

// ---- Flags.

namespace {
constexpr std::pair<ScriptFlag, std::string_view> kFlagNames[] = {
    {kNoWrites, "no-writes"},
    {kAllowOom, "allow-oom"},
    {kAllowStale, "allow-stale"},
    {kNoCluster, "no-cluster"},
    {kAllowCrossSlotKeys, "allow-cross-slot-keys"},
};
}  // namespace

bool ParseScriptFlag(std::string_view name, uint32_t* flag) {
  for (auto [f, n] : kFlagNames) {
    if (n == name) {
      *flag = f;
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> ScriptFlagNames(uint32_t flags) {
  std::vector<std::string_view> out;
  for (auto [f, n] : kFlagNames) {
    if (flags & f) out.push_back(n);
  }
  return out;
}

// ---- LuaVm.

LuaVm::LuaVm(Engine* engine, bool functions) : L_(NewSandbox()) {
  lua_pushlightuserdata(L_, &kEngineKey);
  lua_pushlightuserdata(L_, engine);
  lua_rawset(L_, LUA_REGISTRYINDEX);
  lua_newtable(L_);
  const luaL_Reg api[] = {{"call", RedisCall},
                          {"pcall", RedisPcall},
                          {"error_reply", RedisErrorReply},
                          {"status_reply", RedisStatusReply},
                          {"sha1hex", RedisSha1hex},
                          {"log", RedisLog},
                          {"setresp", RedisSetresp},
                          {"set_repl", RedisSetRepl},
                          {"replicate_commands", RedisReplicateCommands},
                          {"breakpoint", RedisBreakpoint},
                          {"debug", RedisNoop},
                          {"acl_check_cmd", RedisAclCheckCmd},
                          {nullptr, nullptr}};
  luaL_register(L_, nullptr, api);
  if (functions) {
    lua_pushcfunction(L_, Functions::RegisterFunction);
    lua_setfield(L_, -2, "register_function");
  }
  SetNumber(L_, "LOG_DEBUG", 0);
  SetNumber(L_, "LOG_VERBOSE", 1);
  SetNumber(L_, "LOG_NOTICE", 2);
  SetNumber(L_, "LOG_WARNING", 3);
  SetNumber(L_, "REPL_NONE", 0);
  SetNumber(L_, "REPL_AOF", 1);
  SetNumber(L_, "REPL_SLAVE", 2);
  SetNumber(L_, "REPL_REPLICA", 2);
  SetNumber(L_, "REPL_ALL", 3);
  lua_pushstring(L_, kRedisCompatVersion);
  lua_setfield(L_, -2, "REDIS_VERSION");
  SetNumber(L_, "REDIS_VERSION_NUM", VersionNum(kRedisCompatVersion));
  lua_setglobal(L_, "redis");
  lua_pushcfunction(L_, ErrorHandler);
  lua_setfield(L_, LUA_REGISTRYINDEX, "strata.error_handler");
  SealGlobals(L_);
}

LuaVm::~LuaVm() { lua_close(L_); }

size_t LuaVm::memory() const {
  return static_cast<size_t>(lua_gc(L_, LUA_GCCOUNT, 0)) * 1024 +
         static_cast<size_t>(lua_gc(L_, LUA_GCCOUNTB, 0));
}

// ---- Engine.

Engine::Engine(Server* server)
    : server_(server),
      eval_(std::make_unique<LuaVm>(this, false)),
      functions_(std::make_unique<Functions>(this)) {
  lua_client_.addr = "lua";
  lua_client_.script = true;
  lua_client_.tx.executing = true;  // blocking commands answer at once, as inside EXEC
}

Engine::~Engine() = default;

Status Engine::Open() { return functions_->Open(); }

Engine& EngineOf(Server& server) { return *static_cast<Engine*>(server.script_host()); }

namespace {

// EVAL's shebang: "#!lua" and optionally " flags=a,b". *skip: the shebang line's length
// (the script is compiled from its newline on, so line numbers stay).
bool ParseShebang(std::string_view body, uint32_t* flags, size_t* skip, std::string* error) {
  *flags = kEvalCompat;
  *skip = 0;
  if (!body.starts_with("#!")) return true;
  size_t eol = body.find('\n');
  std::string_view line = body.substr(0, eol == std::string_view::npos ? body.size() : eol);
  *skip = line.size();
  std::vector<std::string_view> parts = Split(line.substr(2), ' ');
  if (parts.empty() || parts[0] != "lua") {
    *error = errors::ShebangUnknownEngine(Split(line, ' ')[0]);
    return false;
  }
  *flags = 0;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!parts[i].starts_with("flags=")) {
      *error = errors::ShebangUnknownOption(parts[i]);
      return false;
    }
    for (std::string_view f : Split(parts[i].substr(6), ',')) {
      uint32_t flag;
      if (f.empty()) continue;
      if (!ParseScriptFlag(f, &flag)) {
        *error = errors::ShebangUnexpectedFlag(f);
        return false;
      }
      *flags |= flag;
    }
  }
  return true;
}

}  // namespace

const Engine::Script* Engine::CacheScript(std::string_view body, std::string* sha,
                                          std::string* error) {
  *sha = Sha1Hex(body);
  if (auto it = scripts_.find(*sha); it != scripts_.end()) return &it->second;
  uint32_t flags;
  size_t skip;
  if (!ParseShebang(body, &flags, &skip, error)) return nullptr;
  lua_State* L = eval_->L();
  if (luaL_loadbuffer(L, body.data() + skip, body.size() - skip, "@user_script") != 0) {
    *error = errors::ScriptCompile("new function", lua_tostring(L, -1));
    lua_pop(L, 1);
    return nullptr;
  }
  SetScriptEnv(L);
  Script& s = scripts_[*sha];
  s.body.assign(body);
  s.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  s.flags = flags;
  scripts_bytes_ += body.size() + sha->size();
  return &s;
}

const Engine::Script* Engine::FindScript(std::string_view sha) const {
  std::string lower = ToLower(sha);
  auto it = scripts_.find(lower);
  return it == scripts_.end() ? nullptr : &it->second;
}

void Engine::FlushScripts() {
  scripts_.clear();
  scripts_bytes_ = 0;
  eval_ = std::make_unique<LuaVm>(this, false);
}

void Engine::Run(CommandContext& ctx, const RunSpec& spec, size_t numkeys) {
  ScriptRun& run = server_->script_run();
  types::Keyspace& keyspace = server_->keyspace();
  if (spec.read_only && !(spec.flags & (kNoWrites | kEvalCompat))) {
    return ErrorReplyTo(ctx, errors::kScriptWriteFlagRo);
  }
  if (!(spec.flags & (kNoWrites | kEvalCompat))) {
    // A script that declares it may write is refused up front while writes are.
    if (Status bg = server_->db().BackgroundError(); !bg.ok()) {
      return ErrorReplyTo(ctx, errors::WalWriteFailed(bg.ToString()));
    }
  }
  lua_State* L = spec.vm->L();
  int base = lua_gettop(L);
  lua_getfield(L, LUA_REGISTRYINDEX, "strata.error_handler");
  lua_rawgeti(L, LUA_REGISTRYINDEX, spec.ref);
  auto push_strings = [L](std::span<const std::string_view> items) {
    lua_createtable(L, static_cast<int>(items.size()), 0);
    for (size_t i = 0; i < items.size(); ++i) {
      lua_pushlstring(L, items[i].data(), items[i].size());
      lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
  };
  std::span<const std::string_view> keys = ctx.args.subspan(3, numkeys);
  std::span<const std::string_view> argv = ctx.args.subspan(3 + numkeys);
  int nargs = 0;
  if (spec.function) {
    push_strings(keys);
    push_strings(argv);
    nargs = 2;
  } else {
    push_strings(keys);
    lua_setglobal(L, "KEYS");
    push_strings(argv);
    lua_setglobal(L, "ARGV");
  }
  RunContext rc{&ctx, &spec};
  current_ = &rc;
  lua_client_.db = ctx.client.db;
  lua_client_.resp = 2;
  run = ScriptRun{};
  run.active = true;
  run.function = spec.function;
  run.client_id = ctx.client.id;
  run.start_ms = Server::NowMs();
  run.name = spec.name;
  run.command.assign(ctx.args.begin(), ctx.args.end());
  lua_sethook(L, Hook, LUA_MASKCOUNT, kHookInstructions);
  int status = lua_pcall(L, nargs, 1, base + 1);
  lua_sethook(L, nullptr, 0, 0);
  current_ = nullptr;
  bool shutdown = run.shutdown;
  run = ScriptRun{};
  if (shutdown) keyspace.Discard();
  if (keyspace.missed()) {
    // Undone: the dispatcher drops what was replied and runs the command again.
  } else if (status != 0) {
    std::string msg(errors::kScriptUnknownError), source, line;
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) msg = lua_tostring(L, -1);
      lua_getfield(L, -2, "source");
      if (lua_isstring(L, -1)) source = lua_tostring(L, -1);
      lua_getfield(L, -3, "line");
      if (lua_isnumber(L, -1)) line = lua_tostring(L, -1);
      lua_pop(L, 3);
    } else if (lua_isstring(L, -1)) {
      msg = std::string("ERR ") + lua_tostring(L, -1);
    }
    ErrorReplyTo(ctx, source.empty() || line.empty()
                          ? msg
                          : errors::ScriptError(msg, spec.name, source, line));
  } else {
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) server_->stats().CountError(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    WriteReply(L, -1, ctx.reply, rc.resp);
  }
  lua_settop(L, base);
  if (++runs_ >= kGcPeriod) {
    runs_ = 0;
    lua_gc(L, LUA_GCSTEP, kGcPeriod);
  }
}

void Engine::ErrorReplyTo(CommandContext& ctx, std::string_view text) {
  server_->stats().CountError(text);
  ctx.reply.Error(text);
}

int Engine::RaiseStop(lua_State* L) {
  lua_sethook(L, Hook, LUA_MASKLINE, 0);
  ScriptRun& run = server_->script_run();
  std::string_view why = server_->keyspace().missed() ? errors::kScriptColdRead
                         : run.shutdown               ? errors::kShutdownKilled
                                                      : errors::kScriptKilled;
  PushErrorTable(L, why);
  return lua_error(L);
}

void Engine::OnHook(lua_State* L) {
  ScriptRun& run = server_->script_run();
  if (run.kill || server_->keyspace().missed()) {
    RaiseStop(L);
    return;
  }
  int64_t threshold = server_->config().busy_reply_threshold;
  if (run.busy || Server::NowMs() - run.start_ms >= threshold) server_->ServeWhileBusy();
  if (run.kill) RaiseStop(L);
}

int Engine::Call(lua_State* L, bool raise) {
  auto fail = [&](std::string_view text) {  // text: an error reply's, with its code
    PushErrorTable(L, "-" + std::string(text));
    return raise ? RaiseErrorTable(L) : 1;
  };
  if (current_ == nullptr) {
    return RaiseError(L, errors::kScriptCallOutsideRun);
  }
  ScriptRun& run = server_->script_run();
  types::Keyspace& keyspace = server_->keyspace();
  if (run.kill || keyspace.missed()) return RaiseStop(L);
  int argc = lua_gettop(L);
  if (argc == 0) return fail(errors::kScriptNoArgs);
  // The arguments as views: a string into Lua's own (it stays on the stack for the call), a
  // number into numbers_ (reserved first, so the views stay valid). Both reused per call.
  std::vector<std::string_view>& args = call_args_;
  args.clear();
  numbers_.clear();
  numbers_.reserve(static_cast<size_t>(argc));
  for (int i = 1; i <= argc; ++i) {
    int t = lua_type(L, i);
    if (t == LUA_TNUMBER) {
      // Redis formats numbers with %.17g; an integer below 1e17 reads the same in decimal.
      lua_Number n = lua_tonumber(L, i);
      if (n == static_cast<lua_Number>(static_cast<long long>(n)) && n > -1e17 && n < 1e17) {
        numbers_.push_back(std::to_string(static_cast<long long>(n)));
      } else {
        numbers_.push_back(fmt::format("{:.17g}", n));
      }
      args.emplace_back(numbers_.back());
    } else if (t == LUA_TSTRING) {
      size_t n;
      const char* s = lua_tolstring(L, i, &n);
      args.emplace_back(s, n);
    } else {
      return fail(errors::kScriptArgType);
    }
  }
  CommandTable::ResolveError error;
  const CommandSpec* found;
  const CommandSpec* cmd = server_->commands().Resolve(args, &error, &found);
  if (error == CommandTable::ResolveError::kWrongArity) return fail(errors::kScriptWrongArity);
  if (cmd == nullptr) return fail(errors::kScriptUnknownCommand);
  if (cmd->flags & kCmdNoScript) return fail(errors::kScriptNotAllowed);
  bool write = cmd->flags & kCmdWrite;
  if (write) {
    const RunSpec& spec = *current_->spec;
    if (spec.read_only || (spec.flags & kNoWrites)) return fail(errors::kScriptReadOnly);
    if (Status bg = server_->db().BackgroundError(); !bg.ok()) {
      return fail(errors::WalWriteFailed(bg.ToString()));
    }
  }
  // As Redis: past maxmemory with nothing left to evict when the script began, its writes
  // that may add data are refused unless it is flagged allow-oom.
  if ((cmd->flags & kCmdDenyOom) && server_->oom() && !(current_->spec->flags & kAllowOom)) {
    return fail(errors::kOom);
  }
  // A keyless command's effects (SELECT, FLUSHDB, CONFIG SET ...) are not the keyspace's to
  // undo: from here the script reads on the loop and is never undone.
  if (cmd->first_key == 0 && !(cmd->flags & kCmdMovableKeys)) keyspace.set_cache_only(false);
  reply_buf_.clear();
  ReplyBuilder reply(&reply_buf_);
  reply.set_resp(current_->resp);
  lua_client_.resp = current_->resp;
  Dispatcher& dispatcher = server_->dispatcher();
  int64_t us = dispatcher.Run(lua_client_, reply, cmd, args);
  if (keyspace.missed()) return RaiseStop(L);
  dispatcher.Account(lua_client_, cmd, args, us);
  if (write) run.wrote = true;
  lua_settop(L, 0);
  PushReply(L, reply_buf_);
  if (raise && !reply_buf_.empty() && reply_buf_[0] == '-') return RaiseErrorTable(L);
  return 1;
}

}  // namespace strata::scripting
