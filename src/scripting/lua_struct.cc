// The `struct` library Redis gives scripts (Roberto Ierusalimschy's lstruct): binary packing
// of numbers and strings by a format.
//
//   < > = !n   little, big, native endian; alignment n (default: the machine's)
//   x          a zero byte           b B h H l L T   char, short, long, size_t
//   in In      an integer of n bytes (default 4); lower case: signed
//   f d        float, double         s   a zero-terminated string
//   cn         n bytes (c0: unpack takes n from the value before it; pack the whole string)
#include <cctype>
#include <cstdint>
#include <cstring>
#include <lua.hpp>
#include <string>

#include "scripting/sandbox.h"

namespace strata::scripting {
namespace {

constexpr int kMaxIntSize = 8;
constexpr int kNativeAlign = 8;

struct Header {
  bool little = true;
  int align = 1;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int ReadNumber(const char** fmt, int def) {
  if (!IsDigit(**fmt)) return def;
  int n = 0;
  do {
    n = n * 10 + (*(*fmt)++ - '0');
  } while (IsDigit(**fmt) && n < 100000);
  return n;
}

// The size of option opt (fmt past it, to read its count), or 0 for s and c0.
size_t OptionSize(lua_State* L, char opt, const char** fmt) {
  switch (opt) {
    case 'B':
    case 'b':
    case 'x':
      return 1;
    case 'H':
    case 'h':
      return sizeof(short);
    case 'L':
    case 'l':
      return sizeof(long);
    case 'T':
      return sizeof(size_t);
    case 'f':
      return sizeof(float);
    case 'd':
      return sizeof(double);
    case 's':
      return 0;
    case 'c':
      return static_cast<size_t>(ReadNumber(fmt, 1));
    case 'i':
    case 'I': {
      int n = ReadNumber(fmt, sizeof(int));
      if (n > kMaxIntSize || n < 1) {
        luaL_error(L, "integral size %d is larger than limit of %d", n, kMaxIntSize);
      }
      return static_cast<size_t>(n);
    }
    default:
      return 0;
  }
}

// Padding before an item of size at offset len.
size_t Align(size_t len, const Header& h, char opt, size_t size) {
  if (size == 0 || opt == 'c' || opt == 's') return 0;
  size_t a = std::min<size_t>(size, static_cast<size_t>(h.align));
  if (a <= 1) return 0;
  return (a - (len & (a - 1))) & (a - 1);
}

// Applies a header option; false when opt is an item.
bool Control(lua_State* L, char opt, const char** fmt, Header* h) {
  switch (opt) {
    case ' ':
      return true;
    case '>':
      h->little = false;
      return true;
    case '<':
    case '=':
      h->little = true;
      return true;
    case '!': {
      int a = ReadNumber(fmt, kNativeAlign);
      if (a & (a - 1)) luaL_error(L, "alignment %d is not a power of 2", a);
      h->align = a;
      return true;
    }
    default:
      if (!std::strchr("xbBhHlLTiIfdsc", opt) || opt == '\0') {
        luaL_error(L, "invalid format option '%c'", opt);
      }
      return false;
  }
}

void PutInteger(std::string* out, uint64_t v, bool little, size_t size) {
  char buf[kMaxIntSize];
  for (size_t i = 0; i < size; ++i) {
    buf[little ? i : size - 1 - i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  out->append(buf, size);
}

int Pack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  int arg = 2;
  std::string out;
  while (*fmt != '\0') {
    char opt = *fmt++;
    if (Control(L, opt, &fmt, &h)) continue;
    size_t size = OptionSize(L, opt, &fmt);
    out.append(Align(out.size(), h, opt, size), '\0');
    switch (opt) {
      case 'x':
        out.push_back('\0');
        break;
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I': {
        lua_Number n = luaL_checknumber(L, arg++);
        uint64_t v =
            n < 0 ? static_cast<uint64_t>(static_cast<int64_t>(n)) : static_cast<uint64_t>(n);
        PutInteger(&out, v, h.little, size);
        break;
      }
      case 'f': {
        auto f = static_cast<float>(luaL_checknumber(L, arg++));
        uint32_t bits;
        std::memcpy(&bits, &f, 4);
        PutInteger(&out, bits, h.little, 4);
        break;
      }
      case 'd': {
        double d = luaL_checknumber(L, arg++);
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        PutInteger(&out, bits, h.little, 8);
        break;
      }
      case 'c':
      case 's': {
        size_t l;
        const char* s = luaL_checklstring(L, arg, &l);
        if (opt == 'c') {
          if (size == 0) size = l;
          luaL_argcheck(L, l >= size, arg, "string too short");
          out.append(s, size);
        } else {
          out.append(s, l);
          out.push_back('\0');
        }
        ++arg;
        break;
      }
    }
  }
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

uint64_t GetInteger(const char* p, bool little, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) {
    v = (v << 8) | static_cast<unsigned char>(p[little ? size - 1 - i : i]);
  }
  return v;
}

int Unpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t ld;
  const char* data = luaL_checklstring(L, 2, &ld);
  size_t pos = static_cast<size_t>(luaL_optinteger(L, 3, 1)) - 1;
  luaL_argcheck(L, pos <= ld, 3, "offset must be 1 or greater");
  Header h;
  lua_settop(L, 2);
  int pushed = 0;
  while (*fmt != '\0') {
    char opt = *fmt++;
    if (Control(L, opt, &fmt, &h)) continue;
    size_t size = OptionSize(L, opt, &fmt);
    pos += Align(pos, h, opt, size);
    luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");
    switch (opt) {
      case 'x':
        break;
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I': {
        uint64_t v = GetInteger(data + pos, h.little, size);
        if (std::islower(static_cast<unsigned char>(opt))) {
          if (size < 8) {
            uint64_t mask = ~uint64_t{0} << (size * 8 - 1);
            if (v & mask) v |= mask;
          }
          lua_pushnumber(L, static_cast<lua_Number>(static_cast<int64_t>(v)));
        } else {
          lua_pushnumber(L, static_cast<lua_Number>(v));
        }
        ++pushed;
        break;
      }
      case 'f': {
        auto bits = static_cast<uint32_t>(GetInteger(data + pos, h.little, 4));
        float f;
        std::memcpy(&f, &bits, 4);
        lua_pushnumber(L, f);
        ++pushed;
        break;
      }
      case 'd': {
        uint64_t bits = GetInteger(data + pos, h.little, 8);
        double d;
        std::memcpy(&d, &bits, 8);
        lua_pushnumber(L, d);
        ++pushed;
        break;
      }
      case 'c': {
        if (size == 0) {
          if (pushed == 0 || !lua_isnumber(L, -1)) {
            luaL_error(L, "format 'c0' needs a previous size");
          }
          size = static_cast<size_t>(lua_tonumber(L, -1));
          lua_pop(L, 1);
          --pushed;
          luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
        }
        lua_pushlstring(L, data + pos, size);
        ++pushed;
        break;
      }
      case 's': {
        const char* end = static_cast<const char*>(std::memchr(data + pos, '\0', ld - pos));
        if (end == nullptr) luaL_error(L, "unfinished string in data");
        size = static_cast<size_t>(end - (data + pos)) + 1;
        lua_pushlstring(L, data + pos, size - 1);
        ++pushed;
        break;
      }
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return pushed + 1;
}

int Size(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  size_t pos = 0;
  while (*fmt != '\0') {
    char opt = *fmt++;
    if (Control(L, opt, &fmt, &h)) continue;
    size_t size = OptionSize(L, opt, &fmt);
    pos += Align(pos, h, opt, size);
    if (opt == 's' || (opt == 'c' && size == 0)) {
      luaL_argerror(L, 1, "options 'c0' - 's' have undefined sizes");
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

}  // namespace

int OpenStruct(lua_State* L) {
  const luaL_Reg functions[] = {
      {"pack", Pack}, {"unpack", Unpack}, {"size", Size}, {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace strata::scripting
