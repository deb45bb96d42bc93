#include "scripting/functions.h"

#include "scripting/engine.h"
#include "scripting/sandbox.h"
#include "server/errors.h"
#include "server/server.h"
#include "types/key_tag.h"
#include "types/rdb.h"
#include "util/text.h"

namespace strata::scripting {
namespace {

char kFunctionsKey;  // registry: the Functions, as light userdata

std::string StorageKey(std::string_view library) {
  std::string key(1, types::kFunctionTag);
  key.append(library);
  return key;
}

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

// "#!lua name=<library>": the library's name, and the shebang's length.
bool ParseMetadata(std::string_view code, std::string* name, size_t* skip, std::string* error) {
  if (!code.starts_with("#!")) return *error = errors::kLibraryMetadataMissing, false;
  size_t eol = code.find('\n');
  std::string_view line = code.substr(0, eol == std::string_view::npos ? code.size() : eol);
  *skip = line.size();
  std::vector<std::string_view> parts = Split(line.substr(2), ' ');
  if (parts.empty()) return *error = errors::kLibraryMetadataMissing, false;
  if (!EqualsNoCase(parts[0], "lua")) return *error = errors::EngineNotFound(parts[0]), false;
  name->clear();
  bool named = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!parts[i].starts_with("name=")) {
      return *error = errors::LibraryMetadataInvalid(parts[i]), false;
    }
    name->assign(parts[i].substr(5));
    named = true;
  }
  if (!named) return *error = errors::kLibraryNameMissing, false;
  if (!ValidName(*name)) return *error = errors::kLibraryNameInvalid, false;
  return true;
}

Functions* FunctionsOf(lua_State* L) {
  lua_pushlightuserdata(L, &kFunctionsKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  auto* f = static_cast<Functions*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return f;
}

}  // namespace

Functions::Functions(Engine* engine) : engine_(engine), vm_(std::make_unique<LuaVm>(engine, true)) {
  lua_State* L = vm_->L();
  lua_pushlightuserdata(L, &kFunctionsKey);
  lua_pushlightuserdata(L, this);
  lua_rawset(L, LUA_REGISTRYINDEX);
  // What a library's code sees while it loads: redis with register_function, log and the
  // constants.
  lua_newtable(L);  // the load globals
  lua_newtable(L);  // their redis
  lua_getglobal(L, "redis");
  for (const char* name : {"register_function", "log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE",
                           "LOG_WARNING", "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
    lua_getfield(L, -1, name);
    lua_setfield(L, -3, name);
  }
  lua_pop(L, 1);
  PushStrictProxy(L, -1);
  lua_setfield(L, -3, "redis");
  lua_pop(L, 1);
  SetLoadGlobals(L);
}

Functions::~Functions() = default;

size_t Functions::memory() const { return vm_->memory(); }

size_t Functions::code_bytes() const {
  size_t n = 0;
  for (const auto& [name, lib] : libraries_) {
    n += name.size() + lib.code.size();
    for (const auto& [fn, f] : lib.functions) n += fn.size() + f.description.size();
  }
  return n;
}

Status Functions::Open() {
  types::Keyspace& keyspace = engine_->server().keyspace();
  std::string lower(1, types::kFunctionTag), upper(1, types::kFunctionTag + 1);
  auto it = keyspace.NewIterator(lower, upper);
  for (it->Seek(lower); it->Valid(); it->Next()) {
    Library lib;
    std::string error;
    std::string_view code = it->value();
    if (!Compile(code, &lib, &error)) {
      return Status::Corruption("function library " + std::string(it->key().substr(1)) + ": " +
                                error);
    }
    Install(std::move(lib), false);
  }
  return it->status();
}

bool Functions::Compile(std::string_view code, Library* lib, std::string* error) {
  size_t skip;
  if (!ParseMetadata(code, &lib->name, &skip, error)) return false;
  lib->code.assign(code);
  lua_State* L = vm_->L();
  if (luaL_loadbuffer(L, code.data() + skip, code.size() - skip, "@user_function") != 0) {
    *error = errors::FunctionCompile(lua_tostring(L, -1));
    lua_pop(L, 1);
    return false;
  }
  SetScriptEnv(L);
  loading_ = lib;
  register_error_.clear();
  SetLoading(L, true);
  int status = lua_pcall(L, 0, 0, 0);
  SetLoading(L, false);
  loading_ = nullptr;
  if (status != 0) {
    std::string why = register_error_.empty()
                          ? std::string("ERR ") + (lua_isstring(L, -1) ? lua_tostring(L, -1) : "?")
                          : register_error_;
    lua_pop(L, 1);
    *error = errors::FunctionLoadError(why);
    Unref(*lib);
    return false;
  }
  if (lib->functions.empty()) return *error = errors::kNoFunctionsRegistered, false;
  return true;
}

int Functions::RegisterFunction(lua_State* L) {
  Functions* self = FunctionsOf(L);
  Library* lib = self->loading_;
  auto fail = [&](std::string_view why) {
    self->register_error_ = why.starts_with("ERR ") ? std::string(why) : "ERR " + std::string(why);
    return luaL_error(L, "%s", std::string(why).c_str());
  };
  if (lib == nullptr) return fail(errors::kRegisterFunctionOutsideLoad);
  Function fn;
  int callback = 0;
  if (lua_gettop(L) == 1) {
    if (!lua_istable(L, 1)) return fail(errors::kRegisterFunctionTable);
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
      std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
      if (key == "function_name" && lua_type(L, -1) == LUA_TSTRING) {
        fn.name = lua_tostring(L, -1);
      } else if (key == "callback" && lua_isfunction(L, -1)) {
        lua_pushvalue(L, -1);
        lua_insert(L, 2);  // kept below the iteration, at index 2
        callback = 2;
      } else if (key == "description" && lua_type(L, -1) == LUA_TSTRING) {
        fn.description = lua_tostring(L, -1);
        fn.has_description = true;
      } else if (key == "flags" && lua_istable(L, -1)) {
        for (int i = 1;; ++i) {
          lua_rawgeti(L, -1, i);
          if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
          }
          uint32_t flag;
          if (lua_type(L, -1) != LUA_TSTRING || !ParseScriptFlag(lua_tostring(L, -1), &flag)) {
            return fail(errors::kRegisterFunctionFlag);
          }
          fn.flags |= flag;
          lua_pop(L, 1);
        }
      } else {
        return fail(errors::kRegisterFunctionUnknownArg);
      }
      lua_pop(L, 1);
    }
  } else if (lua_gettop(L) == 2) {
    if (!lua_isstring(L, 1)) return fail(errors::kRegisterFunctionName);
    if (!lua_isfunction(L, 2)) return fail(errors::kRegisterFunctionCallback);
    fn.name = lua_tostring(L, 1);
    callback = 2;
  } else {
    return fail(errors::kRegisterFunctionArgs);
  }
  if (fn.name.empty()) return fail(errors::kRegisterFunctionName);
  if (callback == 0) return fail(errors::kRegisterFunctionCallback);
  if (!ValidName(fn.name)) return fail(errors::kFunctionNameInvalid);
  if (lib->functions.count(fn.name) != 0) return fail(errors::kFunctionInLibrary);
  lua_pushvalue(L, callback);
  fn.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  std::string name = fn.name;
  lib->functions.emplace(name, std::move(fn));
  return 0;
}

void Functions::Unref(Library& lib) {
  for (auto& [name, fn] : lib.functions) luaL_unref(vm_->L(), LUA_REGISTRYINDEX, fn.ref);
  lib.functions.clear();
}

bool Functions::FunctionTaken(const Library& lib, const std::string& except,
                              std::string* fn) const {
  for (const auto& [name, f] : lib.functions) {
    auto it = by_function_.find(name);
    if (it != by_function_.end() && it->second != except) {
      *fn = name;
      return true;
    }
  }
  return false;
}

void Functions::Install(Library lib, bool persist) {
  Uninstall(lib.name, false);
  for (const auto& [name, fn] : lib.functions) by_function_[name] = lib.name;
  if (persist)
    engine_->server().keyspace().PutElement(StorageKey(lib.name), lib.code, types::kUncounted);
  std::string name = lib.name;
  libraries_.emplace(name, std::move(lib));
}

void Functions::Uninstall(const std::string& name, bool persist) {
  auto it = libraries_.find(name);
  if (it == libraries_.end()) return;
  for (const auto& [fn, f] : it->second.functions) by_function_.erase(fn);
  Unref(it->second);
  libraries_.erase(it);
  if (persist) engine_->server().keyspace().DeleteElement(StorageKey(name), types::kUncounted);
}

bool Functions::Load(std::string_view code, bool replace, std::string* name, std::string* error) {
  Library lib;
  if (!Compile(code, &lib, error)) return false;
  std::string fn;
  if (libraries_.count(lib.name) != 0 && !replace) {
    *error = errors::LibraryExists(lib.name);
  } else if (FunctionTaken(lib, lib.name, &fn)) {
    *error = "ERR " + errors::FunctionExists(fn);
  } else {
    *name = lib.name;
    Install(std::move(lib), true);
    return true;
  }
  Unref(lib);
  return false;
}

bool Functions::Delete(std::string_view name) {
  std::string key(name);
  if (libraries_.count(key) == 0) return false;
  Uninstall(key, true);
  return true;
}

void Functions::Flush() {
  while (!libraries_.empty()) Uninstall(libraries_.begin()->first, true);
}

std::string Functions::Dump() const {
  std::vector<std::string> codes;
  for (const auto& [name, lib] : libraries_) codes.push_back(lib.code);
  return types::DumpFunctions(codes);
}

bool Functions::Restore(std::string_view payload, RestorePolicy policy, std::string* error) {
  std::vector<std::string> codes;
  if (types::ParseFunctions(payload, &codes) != types::RestoreError::kNone) {
    *error = errors::kBadDumpPayload;
    return false;
  }
  // Everything is compiled and checked before anything changes.
  std::vector<Library> loaded;
  std::map<std::string, std::string> functions;  // of the payload, to its library
  auto fail = [&](std::string text) {
    for (Library& lib : loaded) Unref(lib);
    *error = std::move(text);
    return false;
  };
  for (const std::string& code : codes) {
    Library lib;
    if (!Compile(code, &lib, error)) return fail(*error);
    for (const auto& [fn, f] : lib.functions) {
      if (!functions.emplace(fn, lib.name).second) return fail("ERR " + errors::FunctionExists(fn));
    }
    loaded.push_back(std::move(lib));
  }
  for (const Library& lib : loaded) {
    std::string fn;
    if (policy == RestorePolicy::kFlush) continue;
    if (policy == RestorePolicy::kAppend && libraries_.count(lib.name) != 0) {
      return fail(errors::LibraryExistsOnRestore(lib.name));
    }
    // A function of a library that stays (not replaced by the payload) must not clash.
    for (const auto& [name, f] : lib.functions) {
      auto it = by_function_.find(name);
      if (it != by_function_.end() && it->second != lib.name) {
        bool replaced = false;
        for (const Library& other : loaded) replaced |= other.name == it->second;
        if (!replaced || policy == RestorePolicy::kAppend) {
          return fail("ERR " + errors::FunctionExists(name));
        }
      }
    }
  }
  if (policy == RestorePolicy::kFlush) Flush();
  for (Library& lib : loaded) Uninstall(lib.name, true);
  for (Library& lib : loaded) Install(std::move(lib), true);
  return true;
}

const Functions::Function* Functions::Find(std::string_view name) const {
  auto it = by_function_.find(name);
  if (it == by_function_.end()) return nullptr;
  const Library& lib = libraries_.at(it->second);
  return &lib.functions.at(std::string(name));
}

}  // namespace strata::scripting
