// Values between Redis and Lua, by Redis 7.0's rules (script_lua.c).
//
// A command's reply, as redis.call returns it:
//   RESP2: integer -> number; bulk -> string; nil bulk or array -> false; array -> table;
//          status -> {ok=...}; error -> {err=...}
//   RESP3 (after redis.setresp(3)), also: null -> nil; map -> {map={...}};
//          set -> {set={member=true}}; double -> {double=n}; boolean -> true/false;
//          big number -> {big_number=s}; verbatim -> {verbatim_string={format=, string=}}
// A script's result, as the caller gets it:
//   string -> bulk; number -> integer (truncated); true -> 1 (RESP3 scripts: a boolean);
//   false -> nil (RESP3 scripts: false); nil -> nil; {err=...} -> error; {ok=...} -> status;
//   {double=n}, {map=}, {set=}, {big_number=}, {verbatim_string=} -> those types; any
//   other table -> an array of its items 1..n up to the first nil.
#pragma once

#include <lua.hpp>
#include <string_view>

#include "server/reply.h"

namespace strata::scripting {

// Pushes the Lua value of the one reply in resp (a complete reply, as ReplyBuilder wrote it).
// Replies nest at most kMaxDepth deep; deeper ones become nil.
void PushReply(lua_State* L, std::string_view resp);
// Appends the value at idx as a reply. script_resp is the protocol the script chose
// (redis.setresp): it decides how booleans go back.
void WriteReply(lua_State* L, int idx, ReplyBuilder& reply, int script_resp);

// Pushes {err=text}, text without its leading '-' and with "ERR " added when it has no code
// (Redis's luaPushError): what redis.call raises and redis.pcall returns.
void PushErrorTable(lua_State* L, std::string_view text);

// Raises the error table at the top of the stack as the redis table's functions raise
// theirs (redis.call's error replies, bad arguments): marked, so that pcall in a script
// catches its err string, not the table, as in Redis.
int RaiseErrorTable(lua_State* L);
// If the value at idx is such a raised table, replaces it with its err string.
void UnwrapRaisedError(lua_State* L, int idx);

constexpr int kMaxDepth = 1000;

}  // namespace strata::scripting
