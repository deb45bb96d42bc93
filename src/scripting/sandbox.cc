#include "scripting/sandbox.h"

// Debian's headers for these declare C functions without extern "C".
extern "C" {
#include <lua-bitop.h>
#include <lua-cjson.h>
}

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "scripting/conversions.h"
#include "server/errors.h"

namespace strata::scripting {
namespace {

// Registry key of the proxy scripts use as their globals.
char kEnvKey;
// Registry key of the set of proxy tables (rawset refuses them).
char kProxiesKey;
// Registry key of the globals FUNCTION LOAD's code sees.
char kLoadGlobalsKey;

// ---- Redis's rand48 (redisLrand48): the same numbers everywhere, seeded by math.randomseed.
uint64_t rand48_state = (uint64_t{0} << 16) | 0x330e;

int32_t Lrand48() {
  rand48_state = (rand48_state * 0x5deece66dULL + 0xb) & ((uint64_t{1} << 48) - 1);
  return static_cast<int32_t>(rand48_state >> 17);
}

int MathRandom(lua_State* L) {
  constexpr int32_t kMax = INT32_MAX;
  double r = static_cast<double>(Lrand48() % kMax) / kMax;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * u) + 1);
      break;
    }
    case 2: {
      int l = luaL_checkint(L, 1), u = luaL_checkint(L, 2);
      luaL_argcheck(L, l <= u, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (u - l + 1)) + l);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

int MathRandomseed(lua_State* L) {
  rand48_state = (static_cast<uint64_t>(static_cast<uint32_t>(luaL_checkint(L, 1))) << 16) | 0x330e;
  return 0;
}

// ---- The read-only proxies.

int ReadonlyError(lua_State* L) { return luaL_error(L, "%s", errors::kLuaReadonlyTable.data()); }

// __index of a table whose missing names are errors (the real globals, the load-time
// globals): only a miss gets here, a hit is the VM's own table lookup.
int MissingGlobal(lua_State* L) {
  const char* name = lua_isstring(L, 2) ? lua_tostring(L, 2) : "?";
  return luaL_error(L, "%s", errors::LuaNoGlobal(name).c_str());
}

// Gives the table at idx a metatable whose __index is MissingGlobal.
void MakeStrict(lua_State* L, int idx) {
  if (idx < 0) idx = lua_gettop(L) + idx + 1;
  lua_newtable(L);
  lua_pushcfunction(L, MissingGlobal);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, idx);
}

// Pushes a read-only proxy of the table at idx: reads go to the table (its __index a table,
// so the VM looks it up without a call), writes raise.
void PushProxy(lua_State* L, int idx) {
  if (idx < 0) idx = lua_gettop(L) + idx + 1;
  lua_newtable(L);  // the proxy
  lua_newtable(L);  // its metatable
  lua_pushvalue(L, idx);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyError);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushlightuserdata(L, &kProxiesKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_pushvalue(L, -2);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

bool IsProxy(lua_State* L, int idx) {
  lua_pushlightuserdata(L, &kProxiesKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_pushvalue(L, idx);
  lua_rawget(L, -2);
  bool proxy = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return proxy;
}

int SafeRawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  if (IsProxy(L, 1)) {
    lua_pushstring(L, errors::kLuaReadonlyTable.data());
    return lua_error(L);
  }
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

int SafeSetmetatable(lua_State* L) {
  if (lua_istable(L, 1) && IsProxy(L, 1)) {
    lua_pushstring(L, errors::kLuaReadonlyTable.data());
    return lua_error(L);
  }
  lua_getfield(L, LUA_REGISTRYINDEX, "strata.setmetatable");
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// loadstring and load: what they compile sees the sealed globals too.
int WrapLoader(lua_State* L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  if (lua_isfunction(L, 1)) {
    lua_pushvalue(L, 1);
    SetScriptEnv(L);
    lua_pop(L, 1);
  }
  return lua_gettop(L);
}

// pcall as Redis has it: an error the redis table raised is caught as its err string.
int Pcall(lua_State* L) {
  luaL_checkany(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  lua_pushboolean(L, status == 0);
  lua_insert(L, 1);
  if (status != 0) UnwrapRaisedError(L, -1);
  return lua_gettop(L);
}

void OpenLibrary(lua_State* L, const char* name, lua_CFunction open) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  // cjson and bit register themselves as globals; struct and cmsgpack return their table.
  lua_setglobal(L, name);
}

}  // namespace

lua_State* NewSandbox() {
  lua_State* L = luaL_newstate();
  OpenLibrary(L, "", luaopen_base);
  OpenLibrary(L, LUA_TABLIBNAME, luaopen_table);
  OpenLibrary(L, LUA_STRLIBNAME, luaopen_string);
  OpenLibrary(L, LUA_MATHLIBNAME, luaopen_math);
  OpenLibrary(L, "cjson", luaopen_cjson);
  OpenLibrary(L, "bit", luaopen_bit);
  OpenLibrary(L, "struct", OpenStruct);
  OpenLibrary(L, "cmsgpack", OpenCmsgpack);
  lua_pushnil(L);
  lua_setglobal(L, "");  // luaopen_base's own name
  for (const char* name :
       {"dofile", "loadfile", "print", "setfenv", "getfenv", "newproxy", "module", "require"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_getglobal(L, "math");
  lua_pushcfunction(L, MathRandom);
  lua_setfield(L, -2, "random");
  lua_pushcfunction(L, MathRandomseed);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
  lua_pushlightuserdata(L, &kProxiesKey);
  lua_newtable(L);
  lua_newtable(L);  // weak keys: a proxy that is gone is forgotten
  lua_pushstring(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_getglobal(L, "setmetatable");
  lua_setfield(L, LUA_REGISTRYINDEX, "strata.setmetatable");
  lua_register(L, "rawset", SafeRawset);
  lua_register(L, "pcall", Pcall);
  lua_register(L, "setmetatable", SafeSetmetatable);
  for (const char* name : {"loadstring", "load"}) {
    lua_getglobal(L, name);
    lua_pushcclosure(L, WrapLoader, 1);
    lua_setglobal(L, name);
  }
  return L;
}

void SealGlobals(lua_State* L) {
  // The library tables (every table among the globals but KEYS and ARGV) are proxied.
  lua_pushnil(L);
  std::vector<std::string> tables;
  while (lua_next(L, LUA_GLOBALSINDEX) != 0) {
    if (lua_istable(L, -1) && lua_type(L, -2) == LUA_TSTRING)
      tables.emplace_back(lua_tostring(L, -2));
    lua_pop(L, 1);
  }
  for (const std::string& name : tables) {
    if (name == "_G") continue;
    lua_getglobal(L, name.c_str());
    PushProxy(L, -1);
    lua_setglobal(L, name.c_str());
    lua_pop(L, 1);
  }
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  PushProxy(L, -1);  // the scripts' globals
  lua_pushvalue(L, -1);
  lua_setglobal(L, "_G");
  lua_pushlightuserdata(L, &kEnvKey);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  MakeStrict(L, -1);  // from here a missing global raises (C reads globals raw)
  lua_pop(L, 1);
}

void PushStrictProxy(lua_State* L, int idx) {
  if (idx < 0) idx = lua_gettop(L) + idx + 1;
  lua_newtable(L);  // a copy, strict, behind a proxy
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -4);
  }
  MakeStrict(L, -1);
  PushProxy(L, -1);
  lua_remove(L, -2);
}

void SetLoadGlobals(lua_State* L) {
  MakeStrict(L, -1);
  lua_pushlightuserdata(L, &kLoadGlobalsKey);
  lua_insert(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

void SetLoading(lua_State* L, bool on) {
  // The scripts' globals proxy reads from the load-time globals while a library loads.
  lua_pushlightuserdata(L, &kEnvKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_getmetatable(L, -1);
  if (on) {
    lua_pushlightuserdata(L, &kLoadGlobalsKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
  } else {
    lua_pushvalue(L, LUA_GLOBALSINDEX);
  }
  lua_setfield(L, -2, "__index");
  lua_pop(L, 2);
}

void SetScriptEnv(lua_State* L) {
  lua_pushlightuserdata(L, &kEnvKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_setfenv(L, -2);
}

}  // namespace strata::scripting
