#include "scripting/conversions.h"

#include <doctest/doctest.h>

#include <string>

#include "server/sha1.h"

namespace strata::scripting {
namespace {

// Runs `code` with the reply pushed as the local `r`, and returns what it returns (a string).
std::string Inspect(std::string_view resp, const std::string& code) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  luaL_loadstring(L, ("local r = ... " + code).c_str());
  PushReply(L, resp);
  std::string out;
  if (lua_pcall(L, 1, 1, 0) != 0) {
    out = std::string("error: ") + lua_tostring(L, -1);
  } else {
    out = lua_isstring(L, -1) ? lua_tostring(L, -1) : lua_typename(L, lua_type(L, -1));
  }
  lua_close(L);
  return out;
}

// Evaluates the Lua expression and writes it as a reply in protocol `resp`.
std::string Reply(const std::string& expr, int script_resp = 2, int client_resp = 2) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  luaL_dostring(L, ("return " + expr).c_str());
  std::string out;
  ReplyBuilder reply(&out);
  reply.set_resp(client_resp);
  WriteReply(L, -1, reply, script_resp);
  lua_close(L);
  return out;
}

}  // namespace

TEST_SUITE("scripting conversions") {
  TEST_CASE("RESP2 replies become Lua values") {
    CHECK(Inspect(":42\r\n", "return type(r) .. r") == "number42");
    CHECK(Inspect("$3\r\nabc\r\n", "return r") == "abc");
    CHECK(Inspect("$0\r\n\r\n", "return '[' .. r .. ']'") == "[]");
    CHECK(Inspect("$-1\r\n", "return tostring(r)") == "false");
    CHECK(Inspect("*-1\r\n", "return tostring(r)") == "false");
    CHECK(Inspect("+OK\r\n", "return r.ok") == "OK");
    CHECK(Inspect("-ERR bad thing\r\n", "return r.err") == "ERR bad thing");
    CHECK(Inspect("-WRONGTYPE no\r\n", "return r.err") == "WRONGTYPE no");
    CHECK(Inspect("*3\r\n:1\r\n$1\r\nx\r\n*1\r\n$-1\r\n",
                  "return r[1] .. r[2] .. tostring(r[3][1])") == "1xfalse");
    CHECK(Inspect("*0\r\n", "return #r") == "0");
  }

  TEST_CASE("RESP3 replies become the typed tables of redis.setresp(3)") {
    CHECK(Inspect("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", "return r.map.f") == "v");
    CHECK(Inspect("~2\r\n$1\r\na\r\n$1\r\nb\r\n", "return tostring(r.set.a and r.set.b)") ==
          "true");
    CHECK(Inspect("_\r\n", "return type(r)") == "nil");
    CHECK(Inspect("#t\r\n", "return tostring(r)") == "true");
    CHECK(Inspect("#f\r\n", "return tostring(r)") == "false");
    CHECK(Inspect(",3.5\r\n", "return r.double") == "3.5");
    CHECK(Inspect("(12345678901234567890\r\n", "return r.big_number") == "12345678901234567890");
    CHECK(Inspect("=8\r\ntxt:hey!\r\n",
                  "return r.verbatim_string.format .. '/' .. r.verbatim_string.string") ==
          "txt/hey!");
  }

  TEST_CASE("Lua values become replies") {
    CHECK(Reply("'abc'") == "$3\r\nabc\r\n");
    CHECK(Reply("3.99") == ":3\r\n");
    CHECK(Reply("-3.99") == ":-3\r\n");
    CHECK(Reply("true") == ":1\r\n");
    CHECK(Reply("false") == "$-1\r\n");
    CHECK(Reply("nil") == "$-1\r\n");
    CHECK(Reply("{1, 'a', nil, 5}") == "*2\r\n:1\r\n$1\r\na\r\n");
    CHECK(Reply("{ok = 'FINE'}") == "+FINE\r\n");
    CHECK(Reply("{err = 'ERR bad'}") == "-ERR bad\r\n");
    CHECK(Reply("{err = 'line\\r\\nbreak'}") == "-line  break\r\n");
    CHECK(Reply("{double = 1.5}") == "$3\r\n1.5\r\n");
    CHECK(Reply("{double = 1.5}", 2, 3) == ",1.5\r\n");
    CHECK(Reply("{map = {a = 1}}", 2, 3) == "%1\r\n$1\r\na\r\n:1\r\n");
    CHECK(Reply("{map = {a = 1}}") == "*2\r\n$1\r\na\r\n:1\r\n");
    CHECK(Reply("{set = {a = true}}", 2, 3) == "~1\r\n$1\r\na\r\n");
    CHECK(Reply("{big_number = '123'}", 2, 3) == "(123\r\n");
    CHECK(Reply("{verbatim_string = {format = 'mkd', string = 'x'}}", 2, 3) == "=5\r\nmkd:x\r\n");
    // A RESP3 script (redis.setresp(3)) answers booleans as booleans.
    CHECK(Reply("true", 3, 3) == "#t\r\n");
    CHECK(Reply("false", 3, 3) == "#f\r\n");
    CHECK(Reply("false", 3, 2) == ":0\r\n");
  }

  TEST_CASE("an error text gets Redis's code rules") {
    lua_State* L = luaL_newstate();
    auto err = [&](std::string_view text) {
      PushErrorTable(L, text);
      lua_getfield(L, -1, "err");
      std::string s = lua_tostring(L, -1);
      lua_pop(L, 2);
      return s;
    };
    CHECK(err("bad") == "ERR bad");
    CHECK(err("-X bad") == "X bad");
    CHECK(err("-ERR value is bad\r\n") == "ERR value is bad");
    CHECK(err("-NOSPACE") == "ERR NOSPACE");
    lua_close(L);
  }

  TEST_CASE("SHA-1 names scripts as Redis does") {
    CHECK(Sha1Hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(Sha1Hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(Sha1Hex("return 1") == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    CHECK(Sha1Hex(std::string(1000, 'a')) == "291e9a6c66994949b57ba5e650361e98fc36b1ba");
  }
}

}  // namespace strata::scripting
