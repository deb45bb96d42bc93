// Connection commands: PING, ECHO, QUIT, AUTH, HELLO, SELECT, CLIENT, ACL (the single
// default user).
#include <fmt/format.h>

#include <functional>

#include "commands/registry.h"
#include "commands/util.h"
#include "server/sha256.h"
#include "server/version.h"

namespace strata {
namespace {

// Redis accepts client names and library attributes made of '!'..'~' only.
bool ValidClientAttribute(std::string_view s) {
  for (char c : s) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

void CmdPing(CommandContext& ctx) {
  if (ctx.args.size() > 2) return ErrorReply(ctx, errors::WrongArity("ping"));
  if (ctx.args.size() == 2) return ctx.reply.Bulk(ctx.args[1]);
  ctx.reply.SimpleString("PONG");
}

void CmdEcho(CommandContext& ctx) { ctx.reply.Bulk(ctx.args[1]); }

void CmdQuit(CommandContext& ctx) {
  ctx.reply.Ok();
  ctx.client.close_after_reply = true;
}

void CmdSelect(CommandContext& ctx) {
  int index;
  if (!DbIndexOrReply(ctx, ctx.args[1], &index)) return;
  ctx.client.db = index;
  ctx.reply.Ok();
}

// Compares in time independent of where the strings differ, as Redis does.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

// The single user is "default"; with no requirepass it takes any password ("nopass").
bool CheckUser(CommandContext& ctx, std::string_view user, std::string_view password) {
  const std::string& required = ctx.server.config().requirepass;
  bool ok = user == "default" && (required.empty() || SameSecret(password, required));
  if (ok) ctx.client.authenticated = true;
  return ok;
}

void CmdAuth(CommandContext& ctx) {
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::kSyntax);
  if (ctx.args.size() == 2 && ctx.server.config().requirepass.empty()) {
    return ErrorReply(ctx, errors::kAuthNotConfigured);
  }
  std::string_view user = ctx.args.size() == 3 ? ctx.args[1] : "default";
  if (!CheckUser(ctx, user, ctx.args.back())) return ErrorReply(ctx, errors::kWrongPass);
  ctx.reply.Ok();
}

void CmdAclWhoami(CommandContext& ctx) { ctx.reply.Bulk("default"); }

void CmdAclUsers(CommandContext& ctx) {
  ctx.reply.ArrayHeader(1);
  ctx.reply.Bulk("default");
}

void CmdAclList(CommandContext& ctx) {
  const std::string& pass = ctx.server.config().requirepass;
  ctx.reply.ArrayHeader(1);
  ctx.reply.Bulk(fmt::format("user default on {} ~* &* +@all",
                             pass.empty() ? "nopass" : "#" + Sha256Hex(pass)));
}

void CmdAclHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LIST",
      "    Show users details in config file format.",
      "USERS",
      "    List all the registered usernames.",
      "WHOAMI",
      "    Return the current connection username.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

void CmdHello(CommandContext& ctx) {
  auto args = ctx.args;
  int version = ctx.client.resp;
  if (args.size() >= 2) {
    long long v;
    if (!ParseLongLong(args[1], &v)) return ErrorReply(ctx, errors::kProtoNotInteger);
    if (v < 2 || v > 3) return ErrorReply(ctx, errors::kNoProto);
    version = static_cast<int>(v);
  }
  std::string_view user, password, setname;
  bool auth = false, has_name = false;
  for (size_t j = 2; j < args.size(); ++j) {
    size_t more = args.size() - 1 - j;
    if (EqualsNoCase(args[j], "AUTH") && more >= 2) {
      auth = true;
      user = args[j + 1];
      password = args[j + 2];
      j += 2;
    } else if (EqualsNoCase(args[j], "SETNAME") && more >= 1) {
      has_name = true;
      setname = args[j + 1];
      j += 1;
    } else {
      return ErrorReply(ctx, errors::HelloSyntax(args[j]));
    }
  }
  if (auth && !CheckUser(ctx, user, password)) return ErrorReply(ctx, errors::kWrongPass);
  if (!ctx.client.authenticated) return ErrorReply(ctx, errors::kHelloNoAuth);
  if (has_name) {
    if (!ValidClientAttribute(setname)) return ErrorReply(ctx, errors::kClientNameChars);
    ctx.client.name.assign(setname);
  }
  ctx.client.resp = version;
  ctx.reply.set_resp(version);
  ctx.reply.MapHeader(7);
  ctx.reply.Bulk("server");
  ctx.reply.Bulk("redis");
  ctx.reply.Bulk("version");
  ctx.reply.Bulk(kRedisCompatVersion);
  ctx.reply.Bulk("proto");
  ctx.reply.Integer(version);
  ctx.reply.Bulk("id");
  ctx.reply.Integer(static_cast<long long>(ctx.client.id));
  ctx.reply.Bulk("mode");
  ctx.reply.Bulk("standalone");
  ctx.reply.Bulk("role");
  ctx.reply.Bulk("master");
  ctx.reply.Bulk("modules");
  ctx.reply.ArrayHeader(0);
}

std::string ClientInfoLine(const ClientState& c, size_t qbuf, size_t omem, int64_t now_ms) {
  // Redis's flags: O monitor, x in MULTI, b blocked, U unix socket; N for none.
  std::string flags;
  if (c.monitor) flags += 'O';
  if (c.tx.active) flags += 'x';
  if (c.block.active) flags += 'b';
  if (c.unix_socket) flags += 'U';
  if (flags.empty()) flags = "N";
  long long multi = c.tx.active ? static_cast<long long>(c.tx.queued.size()) : -1;
  return fmt::format(
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub=0 psub=0 ssub=0 "
      "multi={} qbuf={} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem={} "
      "tot-mem={} events=r cmd={} user=default redir=-1 resp={} lib-name={} lib-ver={}\n",
      c.id, c.addr, c.laddr, c.fd, c.name, (now_ms - c.created_ms) / 1000,
      (now_ms - c.last_interaction_ms) / 1000, flags, c.db, multi, qbuf, omem, qbuf + omem,
      c.last_command == nullptr ? "NULL" : c.last_command->full_name, c.resp, c.lib_name,
      c.lib_ver);
}

void CmdClientId(CommandContext& ctx) { ctx.reply.Integer(static_cast<long long>(ctx.client.id)); }

void CmdClientGetname(CommandContext& ctx) {
  if (ctx.client.name.empty()) return ctx.reply.Null();
  ctx.reply.Bulk(ctx.client.name);
}

void CmdClientSetname(CommandContext& ctx) {
  if (!ValidClientAttribute(ctx.args[2])) return ErrorReply(ctx, errors::kClientNameChars);
  ctx.client.name.assign(ctx.args[2]);
  ctx.reply.Ok();
}

void CmdClientSetinfo(CommandContext& ctx) {
  std::string_view attr = ctx.args[2], value = ctx.args[3];
  std::string* dest;
  if (EqualsNoCase(attr, "lib-name")) {
    dest = &ctx.client.lib_name;
  } else if (EqualsNoCase(attr, "lib-ver")) {
    dest = &ctx.client.lib_ver;
  } else {
    return ErrorReply(ctx, errors::UnrecognizedOption(attr));
  }
  if (!ValidClientAttribute(value)) {
    return ErrorReply(
        ctx, fmt::format("ERR {} cannot contain spaces, newlines or special characters.", attr));
  }
  dest->assign(value);
  ctx.reply.Ok();
}

void CmdClientInfo(CommandContext& ctx) {
  std::string line;
  ctx.server.clients().ForEach([&](const ClientState& c, size_t qbuf, size_t omem) {
    if (c.id == ctx.client.id) line = ClientInfoLine(c, qbuf, omem, ctx.now_ms);
  });
  ctx.reply.Verbatim(line);
}

void CmdClientList(CommandContext& ctx) {
  std::string out;
  ctx.server.clients().ForEach([&](const ClientState& c, size_t qbuf, size_t omem) {
    out += ClientInfoLine(c, qbuf, omem, ctx.now_ms);
  });
  ctx.reply.Verbatim(out);
}

// CLIENT KILL addr:port, or CLIENT KILL [ID id] [ADDR ip:port] [LADDR ip:port] [TYPE type]
// [USER name] [SKIPME yes|no] [MAXAGE seconds]: every filter must match.
void CmdClientKill(CommandContext& ctx) {
  auto args = ctx.args;
  if (args.size() == 3) {  // the old form
    std::string addr(args[2]);
    size_t n = ctx.server.clients().Kill([&](const ClientState& c) { return c.addr == addr; },
                                      ctx.client, false);
    if (n == 0) return ErrorReply(ctx, errors::kNoSuchClient);
    return ctx.reply.Ok();
  }
  if (args.size() % 2 != 0) return ErrorReply(ctx, errors::kSyntax);
  std::vector<std::function<bool(const ClientState&)>> filters;
  bool skip_me = true;
  for (size_t i = 2; i + 1 < args.size(); i += 2) {
    std::string_view opt = args[i];
    std::string value(args[i + 1]);
    long long n;
    if (EqualsNoCase(opt, "id")) {
      if (!ParseLongLong(value, &n) || n <= 0) return ErrorReply(ctx, errors::kClientIdPositive);
      filters.push_back([n](const ClientState& c) { return c.id == static_cast<uint64_t>(n); });
    } else if (EqualsNoCase(opt, "addr")) {
      filters.push_back([value](const ClientState& c) { return c.addr == value; });
    } else if (EqualsNoCase(opt, "laddr")) {
      filters.push_back([value](const ClientState& c) { return c.laddr == value; });
    } else if (EqualsNoCase(opt, "type")) {
      bool normal = EqualsNoCase(value, "normal");
      if (!normal && !EqualsNoCase(value, "master") && !EqualsNoCase(value, "replica") &&
          !EqualsNoCase(value, "slave") && !EqualsNoCase(value, "pubsub")) {
        return ErrorReply(ctx, errors::UnknownClientType(value));
      }
      filters.push_back([normal](const ClientState&) { return normal; });
    } else if (EqualsNoCase(opt, "user")) {
      if (value != "default") return ErrorReply(ctx, errors::NoSuchUser(value));
    } else if (EqualsNoCase(opt, "skipme")) {
      if (EqualsNoCase(value, "yes")) {
        skip_me = true;
      } else if (EqualsNoCase(value, "no")) {
        skip_me = false;
      } else {
        return ErrorReply(ctx, errors::kSyntax);
      }
    } else if (EqualsNoCase(opt, "maxage")) {
      if (!ParseLongLong(value, &n)) return ErrorReply(ctx, errors::kSyntax);
      int64_t now = ctx.now_ms;
      filters.push_back([n, now](const ClientState& c) { return (now - c.created_ms) / 1000 >= n; });
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  size_t killed = ctx.server.clients().Kill(
      [&](const ClientState& c) {
        for (const auto& f : filters) {
          if (!f(c)) return false;
        }
        return true;
      },
      ctx.client, skip_me);
  ctx.reply.Integer(static_cast<long long>(killed));
}

void CmdClientPause(CommandContext& ctx) {
  long long ms;
  if (!ParseLongLong(ctx.args[2], &ms)) return ErrorReply(ctx, errors::kTimeoutNotInteger);
  if (ms < 0) return ErrorReply(ctx, errors::kTimeoutNegative);
  bool writes_only = false;
  if (ctx.args.size() == 4) {
    if (EqualsNoCase(ctx.args[3], "write")) {
      writes_only = true;
    } else if (!EqualsNoCase(ctx.args[3], "all")) {
      return ErrorReply(ctx, errors::kSyntax);
    }
  } else if (ctx.args.size() > 4) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  ctx.server.clients().Pause(ctx.now_ms + ms, writes_only, ctx.now_ms);
  ctx.reply.Ok();
}

void CmdClientUnpause(CommandContext& ctx) {
  ctx.server.clients().Unpause();
  ctx.reply.Ok();
}

// No eviction happens in Strata (data is not bounded by memory), so the flag changes nothing.
void CmdClientNoEvict(CommandContext& ctx) {
  if (!EqualsNoCase(ctx.args[2], "on") && !EqualsNoCase(ctx.args[2], "off")) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  ctx.reply.Ok();
}

void CmdClientReply(CommandContext& ctx) {
  std::string_view mode = ctx.args[2];
  if (EqualsNoCase(mode, "on")) {
    ctx.client.reply_off = ctx.client.skip_next_reply = false;
    ctx.reply.Ok();
  } else if (EqualsNoCase(mode, "off")) {
    ctx.client.reply_off = true;
  } else if (EqualsNoCase(mode, "skip")) {
    if (!ctx.client.reply_off) ctx.client.skip_next_reply = true;
  } else {
    ErrorReply(ctx, errors::kSyntax);
  }
}

void CmdClientHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are: ID, ADDR, LADDR, TYPE, USER, SKIPME, MAXAGE.",
      "LIST",
      "    Return information about client connections.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <option> <value>",
      "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> ConnectionCommands() {
  const uint32_t kConn = kCmdNoScript | kCmdLoading | kCmdStale;
  return {
      {.name = "ping", .handler = CmdPing, .arity = -1, .flags = kCmdFast, .group = "connection"},
      {.name = "echo", .handler = CmdEcho, .arity = 2, .flags = kCmdFast, .group = "connection"},
      {.name = "quit",
       .handler = CmdQuit,
       .arity = -1,
       .flags = kCmdNoAuth | kCmdFast | kConn | kCmdNoMulti,
       .group = "connection"},
      {.name = "hello",
       .handler = CmdHello,
       .arity = -1,
       .flags = kCmdNoAuth | kCmdFast | kConn,
       .group = "connection"},
      {.name = "auth",
       .handler = CmdAuth,
       .arity = -2,
       .flags = kCmdNoAuth | kCmdFast | kConn,
       .group = "connection"},
      {.name = "acl",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "whoami", .handler = CmdAclWhoami, .arity = 2, .flags = kConn},
               {.name = "users", .handler = CmdAclUsers, .arity = 2, .flags = kConn | kCmdAdmin},
               {.name = "list", .handler = CmdAclList, .arity = 2, .flags = kConn | kCmdAdmin},
               {.name = "help", .handler = CmdAclHelp, .arity = 2, .flags = kConn},
           }},
      {.name = "select",
       .handler = CmdSelect,
       .arity = 2,
       .flags = kCmdFast | kConn,
       .group = "connection"},
      {.name = "client",
       .arity = -2,
       .group = "connection",
       .subcommands =
           {
               {.name = "id", .handler = CmdClientId, .arity = 2, .flags = kConn | kCmdFast},
               {.name = "getname",
                .handler = CmdClientGetname,
                .arity = 2,
                .flags = kConn | kCmdFast},
               {.name = "setname",
                .handler = CmdClientSetname,
                .arity = 3,
                .flags = kConn | kCmdFast},
               {.name = "setinfo",
                .handler = CmdClientSetinfo,
                .arity = 4,
                .flags = kConn | kCmdFast},
               {.name = "info", .handler = CmdClientInfo, .arity = 2, .flags = kConn},
               {.name = "list", .handler = CmdClientList, .arity = -2, .flags = kConn | kCmdAdmin},
           {.name = "kill", .handler = CmdClientKill, .arity = -3, .flags = kConn | kCmdAdmin},
           {.name = "pause", .handler = CmdClientPause, .arity = -3,
            .flags = kConn | kCmdAdmin},
           {.name = "unpause", .handler = CmdClientUnpause, .arity = 2,
            .flags = kConn | kCmdAdmin},
           {.name = "no-evict", .handler = CmdClientNoEvict, .arity = 3,
            .flags = kConn | kCmdAdmin},
           {.name = "reply", .handler = CmdClientReply, .arity = 3, .flags = kConn},
               {.name = "help", .handler = CmdClientHelp, .arity = 2, .flags = kConn},
           }},
  };
}

}  // namespace strata
