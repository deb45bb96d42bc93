#include "scripting/conversions.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "server/errors.h"
#include "util/text.h"

namespace strata::scripting {
namespace {

// A RESP reader over a complete reply written by ReplyBuilder (so well formed).
class RespReader {
 public:
  explicit RespReader(std::string_view in) : in_(in) {}

  // Pushes the next reply; depth counts the enclosing aggregates.
  void Push(lua_State* L, int depth) {
    if (pos_ >= in_.size()) return lua_pushnil(L);
    char type = in_[pos_++];
    std::string_view line = Line();
    if (depth >= kMaxDepth || !lua_checkstack(L, 4)) {
      Skip(type, line);
      return lua_pushnil(L);
    }
    switch (type) {
      case ':':
        return lua_pushnumber(
            L, static_cast<lua_Number>(std::strtoll(std::string(line).c_str(), nullptr, 10)));
      case '$':
      case '=': {
        long long n = Number(line);
        if (n < 0) return lua_pushboolean(L, 0);
        std::string_view body = in_.substr(pos_, static_cast<size_t>(n));
        pos_ += static_cast<size_t>(n) + 2;
        if (type == '$') return lua_pushlstring(L, body.data(), body.size());
        // A verbatim string: "fmt:text".
        lua_newtable(L);
        lua_newtable(L);
        lua_pushlstring(L, body.data(), std::min<size_t>(3, body.size()));
        lua_setfield(L, -2, "format");
        std::string_view text = body.size() > 4 ? body.substr(4) : std::string_view();
        lua_pushlstring(L, text.data(), text.size());
        lua_setfield(L, -2, "string");
        lua_setfield(L, -2, "verbatim_string");
        return;
      }
      case '+':
        lua_newtable(L);
        lua_pushlstring(L, line.data(), line.size());
        lua_setfield(L, -2, "ok");
        return;
      case '-':
        return PushErrorTable(L, "-" + std::string(line));
      case '*':
      case '~':
      case '%': {
        long long n = Number(line);
        if (n < 0) return lua_pushboolean(L, 0);
        lua_newtable(L);
        if (type == '*') {
          for (long long i = 1; i <= n; ++i) {
            Push(L, depth + 1);
            lua_rawseti(L, -2, static_cast<int>(i));
          }
          return;
        }
        lua_newtable(L);
        for (long long i = 0; i < n; ++i) {
          Push(L, depth + 1);
          if (type == '~') {
            lua_pushboolean(L, 1);
          } else {
            Push(L, depth + 1);
          }
          lua_settable(L, -3);
        }
        lua_setfield(L, -2, type == '~' ? "set" : "map");
        return;
      }
      case '_':
        return lua_pushnil(L);
      case '#':
        return lua_pushboolean(L, line == "t");
      case ',':
        lua_newtable(L);
        lua_pushnumber(L, std::strtod(std::string(line).c_str(), nullptr));
        lua_setfield(L, -2, "double");
        return;
      case '(':
        lua_newtable(L);
        lua_pushlstring(L, line.data(), line.size());
        lua_setfield(L, -2, "big_number");
        return;
      default:
        return lua_pushnil(L);
    }
  }

 private:
  std::string_view Line() {
    size_t end = in_.find("\r\n", pos_);
    if (end == std::string_view::npos) end = in_.size();
    std::string_view line = in_.substr(pos_, end - pos_);
    pos_ = std::min(in_.size(), end + 2);
    return line;
  }
  static long long Number(std::string_view line) {
    long long n = -1;
    ParseLongLong(line, &n);
    return n;
  }
  // Steps over a reply (its type and first line read) without pushing it.
  void Skip(char type, std::string_view line) {
    long long n = Number(line);
    if ((type == '$' || type == '=') && n >= 0) pos_ += static_cast<size_t>(n) + 2;
    if ((type == '*' || type == '~' || type == '%') && n > 0) {
      long long items = type == '%' ? 2 * n : n;
      for (long long i = 0; i < items && pos_ < in_.size(); ++i) {
        char t = in_[pos_++];
        Skip(t, Line());
      }
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
};

// The string field `name` of the table at idx, if there is one.
bool StringField(lua_State* L, int idx, const char* name, std::string* out) {
  lua_getfield(L, idx, name);
  bool is = lua_type(L, -1) == LUA_TSTRING;
  if (is) {
    size_t n;
    const char* s = lua_tolstring(L, -1, &n);
    out->assign(s, n);
  }
  lua_pop(L, 1);
  return is;
}

bool TableField(lua_State* L, int idx, const char* name) {
  lua_getfield(L, idx, name);
  if (lua_istable(L, -1)) return true;
  lua_pop(L, 1);
  return false;
}

void Write(lua_State* L, int idx, ReplyBuilder& reply, int script_resp, int depth);

void WriteTable(lua_State* L, int idx, ReplyBuilder& reply, int script_resp, int depth) {
  std::string s;
  if (StringField(L, idx, "err", &s)) return reply.Error(s);
  if (StringField(L, idx, "ok", &s)) return reply.SimpleString(s);
  lua_getfield(L, idx, "double");
  if (lua_type(L, -1) == LUA_TNUMBER) {
    double d = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return reply.Double(d);
  }
  lua_pop(L, 1);
  if (StringField(L, idx, "big_number", &s)) return reply.BigNumber(s);
  if (TableField(L, idx, "verbatim_string")) {
    std::string format, text;
    StringField(L, -1, "format", &format);
    StringField(L, -1, "string", &text);
    lua_pop(L, 1);
    return reply.Verbatim(text, format.empty() ? "txt" : format);
  }
  if (TableField(L, idx, "map")) {
    int map = lua_gettop(L);
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, map) != 0) {
      ++n;
      lua_pop(L, 1);
    }
    reply.MapHeader(n);
    lua_pushnil(L);
    while (lua_next(L, map) != 0) {
      lua_pushvalue(L, -2);
      Write(L, lua_gettop(L), reply, script_resp, depth + 1);
      lua_pop(L, 1);
      Write(L, lua_gettop(L), reply, script_resp, depth + 1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  if (TableField(L, idx, "set")) {
    int set = lua_gettop(L);
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, set) != 0) {
      ++n;
      lua_pop(L, 1);
    }
    reply.SetHeader(n);
    lua_pushnil(L);
    while (lua_next(L, set) != 0) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      Write(L, lua_gettop(L), reply, script_resp, depth + 1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  // An array: items 1..n up to the first nil.
  size_t n = 0;
  for (;; ++n) {
    lua_rawgeti(L, idx, static_cast<int>(n + 1));
    bool nil = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (nil) break;
  }
  reply.ArrayHeader(n);
  for (size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, idx, static_cast<int>(i));
    Write(L, lua_gettop(L), reply, script_resp, depth + 1);
    lua_pop(L, 1);
  }
}

void Write(lua_State* L, int idx, ReplyBuilder& reply, int script_resp, int depth) {
  if (depth >= kMaxDepth || !lua_checkstack(L, 4)) return reply.Error(errors::kLuaReplyTooDeep);
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, idx, &n);
      return reply.Bulk(std::string_view(s, n));
    }
    case LUA_TBOOLEAN:
      if (script_resp == 2) {
        if (lua_toboolean(L, idx)) return reply.Integer(1);
        return reply.Null();
      }
      return reply.Bool(lua_toboolean(L, idx));
    case LUA_TNUMBER:
      return reply.Integer(static_cast<long long>(lua_tonumber(L, idx)));
    case LUA_TTABLE:
      return WriteTable(L, idx, reply, script_resp, depth);
    default:
      return reply.Null();
  }
}

}  // namespace

void PushReply(lua_State* L, std::string_view resp) { RespReader(resp).Push(L, 0); }

void WriteReply(lua_State* L, int idx, ReplyBuilder& reply, int script_resp) {
  if (idx < 0) idx = lua_gettop(L) + idx + 1;
  Write(L, idx, reply, script_resp, 0);
}

namespace {
char kRaisedKey;  // registry: the metatable that marks raised error tables
}  // namespace

int RaiseErrorTable(lua_State* L) {
  lua_pushlightuserdata(L, &kRaisedKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushlightuserdata(L, &kRaisedKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
  }
  lua_setmetatable(L, -2);
  return lua_error(L);
}

void UnwrapRaisedError(lua_State* L, int idx) {
  if (idx < 0) idx = lua_gettop(L) + idx + 1;
  if (!lua_istable(L, idx) || !lua_getmetatable(L, idx)) return;
  lua_pushlightuserdata(L, &kRaisedKey);
  lua_rawget(L, LUA_REGISTRYINDEX);
  bool raised = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  if (!raised) return;
  lua_getfield(L, idx, "err");
  if (lua_isstring(L, -1)) {
    lua_replace(L, idx);
  } else {
    lua_pop(L, 1);
  }
}

void PushErrorTable(lua_State* L, std::string_view text) {
  std::string code = "ERR", msg;
  if (!text.empty() && text[0] == '-') {
    size_t space = text.find(' ');
    if (space == std::string_view::npos) {
      msg = text.substr(1);
    } else {
      code = text.substr(1, space - 1);
      msg = text.substr(space + 1);
    }
  } else {
    msg = text;
  }
  while (!msg.empty() && (msg.back() == '\r' || msg.back() == '\n')) msg.pop_back();
  std::string full = code + " " + msg;
  lua_newtable(L);
  lua_pushlstring(L, full.data(), full.size());
  lua_setfield(L, -2, "err");
}

}  // namespace strata::scripting
