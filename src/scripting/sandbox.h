// The Lua 5.1 state scripts run in, as Redis 7.0 builds it.
//
// Libraries: base (without dofile, loadfile, print, setfenv, getfenv, newproxy, module and
// require), coroutine, table, string, math, and cjson, bit (Debian's lua-cjson and
// lua-bitop), struct and cmsgpack (lua_struct.cc, lua_cmsgpack.cc). No io, os, package or
// debug. math.random and math.randomseed are Redis's: rand48, the same sequence on every
// platform.
//
// Globals are read-only, as in Redis. Debian's Lua has no read-only tables, so scripts see
// the globals through a proxy: reading a name that is not there raises "Script attempted to
// access nonexistent global variable", writing one raises "Attempt to modify a readonly
// table", and the library tables (string, math ...) are proxied the same way. The real
// globals table stays writable from C (KEYS and ARGV).
#pragma once

#include <lua.hpp>

namespace strata::scripting {

// A new state with the libraries above. The caller adds its own globals, then seals them.
lua_State* NewSandbox();
// Makes the globals read-only for scripts (see above). Call once, after the last global.
void SealGlobals(lua_State* L);
// Makes the function at the top of the stack see the sealed globals (scripts, libraries and
// what loadstring compiles).
void SetScriptEnv(lua_State* L);
// FUNCTION LOAD runs a library's code with fewer globals than its functions get when called:
// while loading is on, scripts see only the table given to SetLoadGlobals (popped), through
// the same read-only proxy.
void SetLoadGlobals(lua_State* L);
void SetLoading(lua_State* L, bool on);
// Pushes a read-only proxy of the table at idx whose missing names raise, as globals do.
void PushStrictProxy(lua_State* L, int idx);

// The extra libraries, as luaopen_ functions: each leaves its table on the stack.
int OpenStruct(lua_State* L);
int OpenCmsgpack(lua_State* L);

}  // namespace strata::scripting
