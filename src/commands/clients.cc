// Connection commands: PING, ECHO, QUIT, RESET, AUTH, HELLO, SELECT, ACL (the single default
// user). CLIENT is in client.cc.
#include <fmt/format.h>

#include <functional>

#include "commands/registry.h"
#include "commands/util.h"
#include "server/sha256.h"
#include "server/version.h"

namespace strata {
namespace {

void CmdPing(CommandContext& ctx) {
  if (ctx.args.size() > 2) return ErrorReply(ctx, errors::WrongArity("ping"));
  if (ctx.client.resp == 2 && ctx.client.subs.count() > 0) {  // subscribed mode: ["pong", msg]
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("pong");
    return ctx.reply.Bulk(ctx.args.size() == 2 ? ctx.args[1] : "");
  }
  if (ctx.args.size() == 2) return ctx.reply.Bulk(ctx.args[1]);
  ctx.reply.SimpleString("PONG");
}

void CmdEcho(CommandContext& ctx) { ctx.reply.Bulk(ctx.args[1]); }

void CmdQuit(CommandContext& ctx) {
  ctx.reply.Ok();
  ctx.client.close_after_reply = true;
}

// RESET: the connection as it was when it connected — no transaction or watched keys, not a
// monitor, subscribed to nothing, database 0, RESP2, no name, replies on, authenticated only
// if no password is set.
void CmdReset(CommandContext& ctx) {
  ClientState& c = ctx.client;
  if (c.monitor) ctx.server.monitors().Remove(c);
  ctx.server.pubsub().RemoveClient(c);
  c.monitor = false;
  c.tx = TransactionState();
  ctx.server.watched_keys().UnwatchAll(c.id);
  c.db = 0;
  c.resp = 2;
  ctx.reply.set_resp(2);
  c.name.clear();
  c.reply_off = c.skip_next_reply = false;
  c.no_touch = false;
  c.authenticated = ctx.server.config().requirepass.empty();
  ctx.reply.SimpleString("RESET");
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

}  // namespace

std::vector<CommandSpec> ConnectionCommands() {
  const uint32_t kConn = kCmdNoScript | kCmdLoading | kCmdStale;
  return {
      {.name = "ping",
       .handler = CmdPing,
       .arity = -1,
       .flags = kCmdFast | kCmdSubscribed,
       .group = "connection"},
      {.name = "echo",
       .handler = CmdEcho,
       .arity = 2,
       .flags = kCmdFast | kCmdLoading | kCmdStale,
       .group = "connection"},
      {.name = "quit",
       .handler = CmdQuit,
       .arity = -1,
       .flags = kCmdNoAuth | kCmdFast | kConn | kCmdTxControl | kCmdAllowBusy | kCmdSubscribed,
       .group = "connection"},
      {.name = "reset",
       .handler = CmdReset,
       .arity = 1,
       .flags = kCmdNoAuth | kCmdFast | kConn | kCmdTxControl | kCmdAllowBusy | kCmdSubscribed,
       .group = "connection"},
      {.name = "hello",
       .handler = CmdHello,
       .arity = -1,
       .flags = kCmdNoAuth | kCmdFast | kConn | kCmdAllowBusy,
       .group = "connection"},
      {.name = "auth",
       .handler = CmdAuth,
       .arity = -2,
       .flags = kCmdNoAuth | kCmdFast | kConn | kCmdAllowBusy,
       .group = "connection"},
      {.name = "acl",
       .arity = -2,
       .group = "server",
       .subcommands =
           {
               {.name = "whoami", .handler = CmdAclWhoami, .arity = 2, .flags = kConn},
               {.name = "users", .handler = CmdAclUsers, .arity = 2, .flags = kConn | kCmdAdmin},
               {.name = "list", .handler = CmdAclList, .arity = 2, .flags = kConn | kCmdAdmin},
               {.name = "help",
                .handler = CmdAclHelp,
                .arity = 2,
                .flags = kCmdLoading | kCmdStale},
           }},
      {.name = "select",
       .handler = CmdSelect,
       .arity = 2,
       .flags = kCmdFast | kCmdLoading | kCmdStale,
       .group = "connection"},
  };
}

}  // namespace strata
