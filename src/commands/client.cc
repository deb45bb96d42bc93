// CLIENT: the connection's own name and attributes, and the operator's view of and controls
// over every client (LIST, INFO, KILL, PAUSE, UNBLOCK ...).
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "commands/registry.h"
#include "commands/util.h"
#include "server/blocked_clients.h"
#include "server/client_registry.h"

namespace strata {
namespace {

std::string ClientInfoLine(const ClientState& c, const ClientBuffers& b, int64_t now_ms) {
  // Redis's flags: O monitor, x in MULTI, b blocked, U unix socket; N for none.
  std::string flags;
  if (c.monitor) flags += 'O';
  if (c.tx.active) flags += 'x';
  if (c.block.active) flags += 'b';
  if (c.subs.count() > 0) flags += 'P';
  if (c.tracking.on) flags += 't';
  if (c.tracking.redirect_broken) flags += 'R';
  if (c.unix_socket) flags += 'U';
  if (flags.empty()) flags = "N";
  long long multi = c.tx.active ? static_cast<long long>(c.tx.queued.size()) : -1;
  return fmt::format(
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} "
      "multi={} qbuf={} qbuf-free={} argv-mem={} multi-mem={} rbs={} rbp={} obl={} oll={} "
      "omem={} tot-mem={} events=r cmd={} user=default redir={} resp={} lib-name={} "
      "lib-ver={}\n",
      c.id, c.addr, c.laddr, c.fd, c.name, (now_ms - c.created_ms) / 1000,
      (now_ms - c.last_interaction_ms) / 1000, flags, c.db, c.subs.channels.size(),
      c.subs.patterns.size(), c.subs.shard_channels.size(), multi, b.qbuf, b.qbuf_free, b.argv_mem,
      b.multi_mem, b.qbuf + b.qbuf_free, b.qbuf + b.qbuf_free, b.obl, b.oll, b.omem, b.tot_mem,
      c.last_command == nullptr ? "NULL" : c.last_command->full_name,
      c.tracking.on ? static_cast<long long>(c.tracking.redirect) : -1, c.resp, c.lib_name,
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
  ctx.server.clients().ForEach([&](const ClientState& c, const ClientBuffers& b) {
    if (c.id == ctx.client.id) line = ClientInfoLine(c, b, ctx.now_ms);
  });
  ctx.reply.Verbatim(line);
}

// Redis's client classes: a client subscribed to anything is of the pubsub class, every other
// one a normal one (no replication yet).
enum class ClientClass { kNormal, kPubSub, kReplication };

ClientClass ClassOf(const ClientState& c) {
  return c.subs.count() > 0 ? ClientClass::kPubSub : ClientClass::kNormal;
}

bool ClientTypeOrReply(CommandContext& ctx, std::string_view name, ClientClass* cls) {
  if (EqualsNoCase(name, "normal")) {
    *cls = ClientClass::kNormal;
  } else if (EqualsNoCase(name, "pubsub")) {
    *cls = ClientClass::kPubSub;
  } else if (EqualsNoCase(name, "master") || EqualsNoCase(name, "replica") ||
             EqualsNoCase(name, "slave")) {
    *cls = ClientClass::kReplication;
  } else {
    ErrorReply(ctx, errors::UnknownClientType(name));
    return false;
  }
  return true;
}

// CLIENT LIST [TYPE type] | [ID id ...]: one of the two filters, as Redis 7.0 takes them.
void CmdClientList(CommandContext& ctx) {
  auto args = ctx.args;
  bool all_types = true;
  ClientClass cls = ClientClass::kNormal;
  std::vector<uint64_t> ids;
  if (args.size() == 4 && EqualsNoCase(args[2], "type")) {
    if (!ClientTypeOrReply(ctx, args[3], &cls)) return;
    all_types = false;
  } else if (args.size() > 3 && EqualsNoCase(args[2], "id")) {
    for (size_t i = 3; i < args.size(); ++i) {
      long long id;
      if (!ParseLongLong(args[i], &id)) return ErrorReply(ctx, errors::kInvalidClientId);
      ids.push_back(static_cast<uint64_t>(id));
    }
  } else if (args.size() != 2) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  std::string out;
  ctx.server.clients().ForEach([&](const ClientState& c, const ClientBuffers& b) {
    if (!all_types && ClassOf(c) != cls) return;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), c.id) == ids.end()) return;
    out += ClientInfoLine(c, b, ctx.now_ms);
  });
  ctx.reply.Verbatim(out);
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when the client was blocked in BLPOP and friends.
void CmdClientUnblock(CommandContext& ctx) {
  long long id;
  if (!IntegerOrReply(ctx, ctx.args[2], &id)) return;
  bool error = false;
  if (ctx.args.size() == 4) {
    if (EqualsNoCase(ctx.args[3], "error")) {
      error = true;
    } else if (!EqualsNoCase(ctx.args[3], "timeout")) {
      return ErrorReply(ctx, errors::kUnblockReason);
    }
  }
  bool done = id > 0 && ctx.server.blocked().UnblockById(static_cast<uint64_t>(id), error);
  ctx.reply.Integer(done ? 1 : 0);
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
      ClientClass cls;
      if (!ClientTypeOrReply(ctx, value, &cls)) return;
      filters.push_back([cls](const ClientState& c) { return ClassOf(c) == cls; });
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
      filters.push_back(
          [n, now](const ClientState& c) { return (now - c.created_ms) / 1000 >= n; });
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

// CLIENT NO-TOUCH ON|OFF (Redis 7.2): while on, the client's commands leave access times and
// LFU counters (OBJECT IDLETIME, FREQ) alone, except TOUCH.
void CmdClientNoTouch(CommandContext& ctx) {
  if (EqualsNoCase(ctx.args[2], "on")) {
    ctx.client.no_touch = true;
  } else if (EqualsNoCase(ctx.args[2], "off")) {
    ctx.client.no_touch = false;
  } else {
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
      "CACHING (YES|NO)",
      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
      "GETREDIR",
      "    Return the client ID we are redirecting to when tracking is enabled.",
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
      "LIST [options ...]",
      "    Return information about client connections. Options:",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Return clients of specified type.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "NO-TOUCH (ON|OFF)",
      "    Will not touch LRU/LFU stats when this mode is on.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <option> <value>",
      "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Control server assisted client side caching.",
      "TRACKINGINFO",
      "    Report tracking status for the current connection.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> ClientCommands() {
  const uint32_t kConn = kCmdNoScript | kCmdLoading | kCmdStale;
  auto row = [&](const char* name, CommandHandler h, int arity, uint32_t flags) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = kConn | flags};
  };
  CommandSpec client{.name = "client", .arity = -2, .group = "connection"};
  client.subcommands = {
      row("id", CmdClientId, 2, 0),
      row("getname", CmdClientGetname, 2, 0),
      row("setname", CmdClientSetname, 3, 0),
      row("setinfo", CmdClientSetinfo, 4, kCmdFast),
      row("info", CmdClientInfo, 2, 0),
      row("list", CmdClientList, -2, kCmdAdmin),
      row("kill", CmdClientKill, -3, kCmdAdmin),
      row("pause", CmdClientPause, -3, kCmdAdmin),
      row("unpause", CmdClientUnpause, 2, kCmdAdmin),
      row("unblock", CmdClientUnblock, -3, kCmdAdmin),
      row("no-evict", CmdClientNoEvict, 3, kCmdAdmin),
      row("no-touch", CmdClientNoTouch, 3, kCmdFast),
      row("reply", CmdClientReply, 3, 0),
      {.name = "help", .handler = CmdClientHelp, .arity = 2, .flags = kCmdLoading | kCmdStale},
  };
  for (CommandSpec& sub : ClientTrackingSubcommands()) client.subcommands.push_back(std::move(sub));
  std::vector<CommandSpec> out;
  out.push_back(std::move(client));
  return out;
}

}  // namespace strata
