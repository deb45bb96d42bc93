// The `cmsgpack` library Redis gives scripts (Salvatore Sanfilippo's lua-cmsgpack): Lua
// values to and from MessagePack.
//
//   cmsgpack.pack(v1, v2, ...)            -> the values' encodings, one after another
//   cmsgpack.unpack(s)                    -> every value in s
//   cmsgpack.unpack_one(s [, offset])     -> next offset (-1 at the end), one value
//   cmsgpack.unpack_limit(s, n [, offset])-> next offset, up to n values
// A table whose keys are exactly 1..n is an array, any other a map; nesting past 16 tables
// is encoded as nil. Integral numbers are integers, others float 32 when exact, else 64.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <lua.hpp>
#include <string>

#include "scripting/sandbox.h"

namespace strata::scripting {
namespace {

constexpr int kMaxNesting = 16;

void PutBig(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void EncodeTyped(std::string* out, uint8_t type, uint64_t v, int bytes) {
  out->push_back(static_cast<char>(type));
  PutBig(out, v, bytes);
}

void EncodeInteger(std::string* out, int64_t n) {
  if (n >= 0) {
    auto u = static_cast<uint64_t>(n);
    if (u <= 127) return out->push_back(static_cast<char>(u));
    if (u <= 0xff) return EncodeTyped(out, 0xcc, u, 1);
    if (u <= 0xffff) return EncodeTyped(out, 0xcd, u, 2);
    if (u <= 0xffffffffULL) return EncodeTyped(out, 0xce, u, 4);
    return EncodeTyped(out, 0xcf, u, 8);
  }
  auto u = static_cast<uint64_t>(n);
  if (n >= -32) return out->push_back(static_cast<char>(n));
  if (n >= -128) return EncodeTyped(out, 0xd0, u, 1);
  if (n >= -32768) return EncodeTyped(out, 0xd1, u, 2);
  if (n >= -2147483648LL) return EncodeTyped(out, 0xd2, u, 4);
  EncodeTyped(out, 0xd3, u, 8);
}

void EncodeNumber(std::string* out, lua_Number n) {
  if (std::isfinite(n) && std::floor(n) == n && n >= -9223372036854775808.0 &&
      n < 18446744073709551616.0) {
    if (n >= 9223372036854775808.0) return EncodeTyped(out, 0xcf, static_cast<uint64_t>(n), 8);
    return EncodeInteger(out, static_cast<int64_t>(n));
  }
  auto f = static_cast<float>(n);
  if (static_cast<lua_Number>(f) == n) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    return EncodeTyped(out, 0xca, bits, 4);
  }
  uint64_t bits;
  std::memcpy(&bits, &n, 8);
  EncodeTyped(out, 0xcb, bits, 8);
}

void EncodeString(std::string* out, const char* s, size_t n) {
  if (n < 32) {
    out->push_back(static_cast<char>(0xa0 | n));
  } else if (n <= 0xff) {
    EncodeTyped(out, 0xd9, n, 1);
  } else if (n <= 0xffff) {
    EncodeTyped(out, 0xda, n, 2);
  } else {
    EncodeTyped(out, 0xdb, n, 4);
  }
  out->append(s, n);
}

void EncodeHeader(std::string* out, size_t n, bool array) {
  if (n < 16) {
    out->push_back(static_cast<char>((array ? 0x90 : 0x80) | n));
  } else if (n <= 0xffff) {
    EncodeTyped(out, array ? 0xdc : 0xde, n, 2);
  } else {
    EncodeTyped(out, array ? 0xdd : 0xdf, n, 4);
  }
}

// The table at idx is an array when its keys are 1..n; *n is its count of keys.
bool IsArray(lua_State* L, int idx, size_t* n) {
  size_t count = 0;
  lua_Number max = 0;
  bool array = true;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    ++count;
    if (lua_type(L, -1) == LUA_TNUMBER) {
      lua_Number k = lua_tonumber(L, -1);
      if (k > 0 && std::floor(k) == k) {
        max = std::max(max, k);
        continue;
      }
    }
    array = false;
  }
  *n = count;
  return array && max == static_cast<lua_Number>(count);
}

void Encode(lua_State* L, int idx, std::string* out, int level) {
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, idx, &n);
      return EncodeString(out, s, n);
    }
    case LUA_TBOOLEAN:
      return out->push_back(static_cast<char>(lua_toboolean(L, idx) ? 0xc3 : 0xc2));
    case LUA_TNUMBER:
      return EncodeNumber(out, lua_tonumber(L, idx));
    case LUA_TTABLE: {
      if (level >= kMaxNesting || !lua_checkstack(L, 4)) return out->push_back('\xc0');
      size_t n;
      if (IsArray(L, idx, &n)) {
        EncodeHeader(out, n, true);
        for (size_t i = 1; i <= n; ++i) {
          lua_rawgeti(L, idx, static_cast<int>(i));
          Encode(L, lua_gettop(L), out, level + 1);
          lua_pop(L, 1);
        }
        return;
      }
      EncodeHeader(out, n, false);
      lua_pushnil(L);
      while (lua_next(L, idx) != 0) {
        Encode(L, lua_gettop(L) - 1, out, level + 1);
        Encode(L, lua_gettop(L), out, level + 1);
        lua_pop(L, 1);
      }
      return;
    }
    default:
      return out->push_back('\xc0');
  }
}

int Pack(lua_State* L) {
  int n = lua_gettop(L);
  if (n == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  std::string out;
  for (int i = 1; i <= n; ++i) Encode(L, i, &out, 0);
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

class Decoder {
 public:
  Decoder(lua_State* L, const char* p, size_t n) : L_(L), p_(p), end_(p + n) {}
  size_t offset(const char* start) const { return static_cast<size_t>(p_ - start); }
  bool done() const { return p_ >= end_; }

  // Pushes one value; raises on truncated or malformed input.
  void Decode(int level) {
    if (!lua_checkstack(L_, 4) || level > 1000) luaL_error(L_, "Bad data format in input.");
    uint8_t t = Byte();
    if (t <= 0x7f) return lua_pushnumber(L_, t);
    if (t >= 0xe0) return lua_pushnumber(L_, static_cast<int8_t>(t));
    if ((t & 0xe0) == 0xa0) return String(t & 0x1f);
    if ((t & 0xf0) == 0x90) return Array(t & 0x0f, level);
    if ((t & 0xf0) == 0x80) return Map(t & 0x0f, level);
    switch (t) {
      case 0xc0:
        return lua_pushnil(L_);
      case 0xc2:
      case 0xc3:
        return lua_pushboolean(L_, t == 0xc3);
      case 0xc4:
      case 0xd9:
        return String(Big(1));
      case 0xc5:
      case 0xda:
        return String(Big(2));
      case 0xc6:
      case 0xdb:
        return String(Big(4));
      case 0xca: {
        auto bits = static_cast<uint32_t>(Big(4));
        float f;
        std::memcpy(&f, &bits, 4);
        return lua_pushnumber(L_, f);
      }
      case 0xcb: {
        uint64_t bits = Big(8);
        double d;
        std::memcpy(&d, &bits, 8);
        return lua_pushnumber(L_, d);
      }
      case 0xcc:
        return lua_pushnumber(L_, static_cast<lua_Number>(Big(1)));
      case 0xcd:
        return lua_pushnumber(L_, static_cast<lua_Number>(Big(2)));
      case 0xce:
        return lua_pushnumber(L_, static_cast<lua_Number>(Big(4)));
      case 0xcf:
        return lua_pushnumber(L_, static_cast<lua_Number>(Big(8)));
      case 0xd0:
        return lua_pushnumber(L_, static_cast<int8_t>(Big(1)));
      case 0xd1:
        return lua_pushnumber(L_, static_cast<int16_t>(Big(2)));
      case 0xd2:
        return lua_pushnumber(L_, static_cast<int32_t>(Big(4)));
      case 0xd3:
        return lua_pushnumber(L_, static_cast<lua_Number>(static_cast<int64_t>(Big(8))));
      case 0xdc:
        return Array(Big(2), level);
      case 0xdd:
        return Array(Big(4), level);
      case 0xde:
        return Map(Big(2), level);
      case 0xdf:
        return Map(Big(4), level);
      default:
        luaL_error(L_, "Bad data format in input.");
    }
  }

 private:
  void Need(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) luaL_error(L_, "Missing bytes in input.");
  }
  uint8_t Byte() {
    Need(1);
    return static_cast<uint8_t>(*p_++);
  }
  uint64_t Big(int bytes) {
    Need(static_cast<size_t>(bytes));
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(*p_++);
    return v;
  }
  void String(uint64_t n) {
    Need(n);
    lua_pushlstring(L_, p_, n);
    p_ += n;
  }
  void Array(uint64_t n, int level) {
    Need(n);  // each item takes a byte at least
    lua_createtable(L_, static_cast<int>(n), 0);
    for (uint64_t i = 1; i <= n; ++i) {
      Decode(level + 1);
      lua_rawseti(L_, -2, static_cast<int>(i));
    }
  }
  void Map(uint64_t n, int level) {
    Need(2 * n);
    lua_createtable(L_, 0, static_cast<int>(n));
    for (uint64_t i = 0; i < n; ++i) {
      Decode(level + 1);
      Decode(level + 1);
      if (lua_isnil(L_, -2)) {
        lua_pop(L_, 2);  // a nil key cannot be stored
        continue;
      }
      lua_settable(L_, -3);
    }
  }

  lua_State* L_;
  const char* p_;
  const char* end_;
};

// Decodes up to limit values (0: all) from offset; pushes them, returns how many.
int DecodeMany(lua_State* L, const char* s, size_t n, size_t offset, int limit, size_t* next) {
  if (offset > n) luaL_argerror(L, 2, "Start offset greater than input length.");
  Decoder d(L, s + offset, n - offset);
  int count = 0;
  while (!d.done() && (limit == 0 || count < limit)) {
    d.Decode(0);
    ++count;
  }
  *next = offset + d.offset(s + offset);
  return count;
}

int Unpack(lua_State* L) {
  size_t n, next;
  const char* s = luaL_checklstring(L, 1, &n);
  lua_settop(L, 1);
  return DecodeMany(L, s, n, 0, 0, &next);
}

int UnpackLimited(lua_State* L, int limit, size_t offset) {
  size_t n, next;
  const char* s = luaL_checklstring(L, 1, &n);
  lua_settop(L, 3);
  lua_pushnil(L);  // the next offset's slot
  int base = lua_gettop(L);
  int count = DecodeMany(L, s, n, offset, limit, &next);
  lua_pushnumber(L, next >= n ? -1 : static_cast<lua_Number>(next));
  lua_replace(L, base);
  return count + 1;
}

int UnpackOne(lua_State* L) {
  auto offset = static_cast<size_t>(luaL_optinteger(L, 2, 0));
  return UnpackLimited(L, 1, offset);
}

int UnpackLimit(lua_State* L) {
  int limit = static_cast<int>(luaL_checkinteger(L, 2));
  auto offset = static_cast<size_t>(luaL_optinteger(L, 3, 0));
  return UnpackLimited(L, limit, offset);
}

}  // namespace

int OpenCmsgpack(lua_State* L) {
  const luaL_Reg functions[] = {{"pack", Pack},
                                {"unpack", Unpack},
                                {"unpack_one", UnpackOne},
                                {"unpack_limit", UnpackLimit},
                                {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  lua_pushstring(L, "lua-cmsgpack 0.4.0");
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

}  // namespace strata::scripting
