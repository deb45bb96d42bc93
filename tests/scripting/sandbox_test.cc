#include "scripting/sandbox.h"

#include <doctest/doctest.h>

#include <string>

namespace strata::scripting {
namespace {

// A sealed state with one extra global table, like the engine's `redis`.
struct Sandbox {
  Sandbox() : L(NewSandbox()) {
    lua_newtable(L);
    lua_pushinteger(L, 7);
    lua_setfield(L, -2, "seven");
    lua_setglobal(L, "lib");
    SealGlobals(L);
  }
  ~Sandbox() { lua_close(L); }

  // Runs code as a script; returns its result as a string, or "error: <message>".
  std::string Run(const std::string& code) {
    if (luaL_loadbuffer(L, code.data(), code.size(), "@user_script") != 0) {
      std::string e = lua_tostring(L, -1);
      lua_pop(L, 1);
      return "compile: " + e;
    }
    SetScriptEnv(L);
    if (lua_pcall(L, 0, 1, 0) != 0) {
      std::string e = lua_isstring(L, -1) ? lua_tostring(L, -1) : "(not a string)";
      lua_pop(L, 1);
      return "error: " + e;
    }
    std::string out = lua_isnil(L, -1)       ? "nil"
                      : lua_isboolean(L, -1) ? (lua_toboolean(L, -1) ? "true" : "false")
                      : lua_isstring(L, -1)  ? lua_tostring(L, -1)
                                             : lua_typename(L, lua_type(L, -1));
    lua_pop(L, 1);
    return out;
  }

  lua_State* L;
};

}  // namespace

TEST_SUITE("scripting sandbox") {
  TEST_CASE("scripts cannot create or change globals") {
    Sandbox s;
    CHECK(s.Run("x = 5") == "error: user_script:1: Attempt to modify a readonly table");
    CHECK(s.Run("_G.x = 5") == "error: user_script:1: Attempt to modify a readonly table");
    CHECK(s.Run("string.upper = nil") ==
          "error: user_script:1: Attempt to modify a readonly table");
    CHECK(s.Run("lib.seven = 8") == "error: user_script:1: Attempt to modify a readonly table");
    CHECK(s.Run("rawset(_G, 'x', 1)") == "error: Attempt to modify a readonly table");
    CHECK(s.Run("setmetatable(_G, {})") == "error: Attempt to modify a readonly table");
    CHECK(s.Run("loadstring('y = 1')()") ==
          "error: [string \"y = 1\"]:1: Attempt to modify a readonly table");
    // Locals, and tables the script makes, are its own.
    CHECK(s.Run("local t = {} t.a = 1 local x = 2 return t.a + x") == "3");
  }

  TEST_CASE("a missing global is an error, not nil") {
    Sandbox s;
    CHECK(s.Run("return nosuch") ==
          "error: user_script:1: Script attempted to access nonexistent global variable 'nosuch'");
    for (const char* name : {"os", "io", "package", "debug", "dofile", "loadfile", "require",
                             "print", "setfenv", "getfenv", "module", "newproxy"}) {
      CAPTURE(name);
      CHECK(s.Run(std::string("return ") + name).find("nonexistent global variable") !=
            std::string::npos);
    }
  }

  TEST_CASE("the libraries Redis gives are there") {
    Sandbox s;
    CHECK(s.Run("return lib.seven") == "7");
    CHECK(s.Run("return string.rep('ab', 2)") == "abab");
    CHECK(s.Run("return ('x'):upper()") == "X");
    CHECK(s.Run("return table.concat({1, 2}, ',')") == "1,2");
    CHECK(s.Run("return math.max(1, 9)") == "9");
    CHECK(s.Run("return cjson.encode({a = {1, 2}})") == "{\"a\":[1,2]}");
    CHECK(s.Run("return bit.bor(1, 4)") == "5");
    CHECK(s.Run("return type(coroutine.create)") == "function");
    CHECK(s.Run("return loadstring('return 1 + 1')()") == "2");
    CHECK(s.Run("return type(pcall)") == "function");
  }

  TEST_CASE("math.random is Redis's rand48: the same numbers everywhere for a seed") {
    Sandbox s;
    CHECK(s.Run("math.randomseed(0) return math.random(1000000)") ==
          s.Run("math.randomseed(0) return math.random(1000000)"));
    CHECK(s.Run("math.randomseed(0) local a = math.random() return a >= 0 and a < 1") == "true");
    CHECK(s.Run("return math.random(5, 1)").find("interval is empty") != std::string::npos);
    CHECK(s.Run("return math.random(1, 2, 3)").find("wrong number of arguments") !=
          std::string::npos);
  }

  TEST_CASE("struct packs and unpacks by its format") {
    Sandbox s;
    CHECK(s.Run("return struct.size('>iHb')") == "7");
    CHECK(s.Run("return struct.size('!4 b i')") == "8");
    CHECK(s.Run("return #struct.pack('>I2', 258)") == "2");
    CHECK(s.Run("return struct.pack('>I2', 258) == '\\1\\2'") == "true");
    CHECK(s.Run("return struct.pack('<I2', 258) == '\\2\\1'") == "true");
    CHECK(s.Run("local a, b, n = struct.unpack('<i4d', struct.pack('<i4d', -7, 1.5)) "
                "return a .. ' ' .. b .. ' ' .. n") == "-7 1.5 13");
    CHECK(s.Run("return (struct.unpack('s', struct.pack('s', 'hi')))") == "hi");
    CHECK(s.Run("return (struct.unpack('b', '\\255'))") == "-1");
    CHECK(s.Run("return (struct.unpack('B', '\\255'))") == "255");
    // c0 takes its length from the number before it, which it consumes.
    CHECK(s.Run("local s, next = struct.unpack('Bc0', '\\3abcd') return s .. next") == "abc5");
    CHECK(s.Run("return struct.unpack('>I4', 'ab')").find("data string too short") !=
          std::string::npos);
    CHECK(s.Run("return struct.pack('y', 1)").find("invalid format option 'y'") !=
          std::string::npos);
    CHECK(s.Run("return struct.size('s')").find("undefined sizes") != std::string::npos);
  }

  TEST_CASE("cmsgpack encodes MessagePack and decodes it back") {
    Sandbox s;
    auto hex = [&](const std::string& expr) {
      return s.Run("local p = " + expr +
                   " local out = {} for i = 1, #p do out[i] = string.format('%02x', p:byte(i)) "
                   "end return table.concat(out)");
    };
    CHECK(hex("cmsgpack.pack(1)") == "01");
    CHECK(hex("cmsgpack.pack(-1)") == "ff");
    CHECK(hex("cmsgpack.pack(300)") == "cd012c");
    CHECK(hex("cmsgpack.pack(-200)") == "d1ff38");
    CHECK(hex("cmsgpack.pack(1.5)") == "ca3fc00000");
    CHECK(hex("cmsgpack.pack(0.1)") == "cb3fb999999999999a");
    CHECK(hex("cmsgpack.pack('abc')") == "a3616263");
    CHECK(hex("cmsgpack.pack({1, 2})") == "920102");
    CHECK(hex("cmsgpack.pack({a = 1})") == "81a16101");
    CHECK(hex("cmsgpack.pack(true, false)") == "c3c2");
    CHECK(hex("cmsgpack.pack({})") == "90");
    CHECK(s.Run("local t = cmsgpack.unpack(cmsgpack.pack({1, 'two', {x = 3}})) "
                "return t[1] .. t[2] .. t[3].x") == "1two3");
    CHECK(s.Run("local a, b, c = cmsgpack.unpack(cmsgpack.pack(1, 2, 3)) return a + b + c") == "6");
    CHECK(s.Run("local off, v = cmsgpack.unpack_one(cmsgpack.pack(7, 8)) return off .. ':' .. v") ==
          "1:7");
    CHECK(
        s.Run(
            "local off, v = cmsgpack.unpack_one(cmsgpack.pack(7, 8), 1) return off .. ':' .. v") ==
        "-1:8");
    CHECK(s.Run("return cmsgpack.unpack('\\205\\1')").find("Missing bytes in input.") !=
          std::string::npos);
    CHECK(s.Run("return cmsgpack.unpack('\\193')").find("Bad data format in input.") !=
          std::string::npos);
    // Nesting past 16 levels is encoded as nil rather than recursing on.
    CHECK(s.Run("local t = {} local c = t for i = 1, 40 do c[1] = {} c = c[1] end "
                "return #cmsgpack.pack(t)") == "17");
  }
}

}  // namespace strata::scripting
