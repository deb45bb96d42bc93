// Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST.
// Times are stored as absolute Unix ms in the key's metadata (and the expiry index).
#include <climits>

#include "commands/registry.h"
#include "commands/util.h"

namespace strata {
namespace {

using types::Meta;

enum ExpireFlags : unsigned { kNx = 1, kXx = 2, kGt = 4, kLt = 8 };

// EXPIRE key time [NX|XX|GT|LT], as Redis's expireGenericCommand: seconds or ms, relative
// or absolute; a time already past deletes the key.
void ExpireGeneric(CommandContext& ctx, bool seconds, bool relative, std::string_view command) {
  unsigned flags = 0;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    std::string_view opt = ctx.args[j];
    if (EqualsNoCase(opt, "NX")) {
      flags |= kNx;
    } else if (EqualsNoCase(opt, "XX")) {
      flags |= kXx;
    } else if (EqualsNoCase(opt, "GT")) {
      flags |= kGt;
    } else if (EqualsNoCase(opt, "LT")) {
      flags |= kLt;
    } else {
      return ErrorReply(ctx, errors::UnsupportedOption(opt));
    }
  }
  if ((flags & kNx) && (flags & (kXx | kGt | kLt))) return ErrorReply(ctx, errors::kExpireNxAnd);
  if ((flags & kGt) && (flags & kLt)) return ErrorReply(ctx, errors::kExpireGtAndLt);

  long long when;
  if (!IntegerOrReply(ctx, ctx.args[2], &when)) return;
  if (seconds) {
    if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) {
      return ErrorReply(ctx, errors::InvalidExpireTime(command));
    }
    when *= 1000;
  }
  if (relative) {
    if (when > LLONG_MAX - ctx.now_ms) return ErrorReply(ctx, errors::InvalidExpireTime(command));
    when += ctx.now_ms;
  }

  std::string_view key = ctx.args[1];
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, key, &meta, &found)) return;
  if (!found) return ctx.reply.Integer(0);
  bool has_ttl = meta.expire_ms != 0;
  if (((flags & kNx) && has_ttl) || ((flags & kXx) && !has_ttl) ||
      ((flags & kGt) && (!has_ttl || when <= meta.expire_ms)) ||  // no TTL = forever
      ((flags & kLt) && has_ttl && when >= meta.expire_ms)) {
    return ctx.reply.Integer(0);
  }
  types::Keyspace& ks = ctx.server.keyspace();
  if (when <= ctx.now_ms) {
    if (!OkOrReply(ctx, ks.DeleteKey(ctx.client.db, key))) return;
    Notify(ctx, kNotifyGeneric, "del", key);
    return ctx.reply.Integer(1);
  }
  std::string payload(meta.payload);
  if (!OkOrReply(ctx, ks.PutKey(ctx.client.db, key, meta.type, when, payload, meta.element_bytes)))
    return;
  Notify(ctx, kNotifyGeneric, "expire", key);
  ctx.reply.Integer(1);
}

void CmdExpire(CommandContext& ctx) { ExpireGeneric(ctx, true, true, "expire"); }
void CmdPexpire(CommandContext& ctx) { ExpireGeneric(ctx, false, true, "pexpire"); }
void CmdExpireat(CommandContext& ctx) { ExpireGeneric(ctx, true, false, "expireat"); }
void CmdPexpireat(CommandContext& ctx) { ExpireGeneric(ctx, false, false, "pexpireat"); }

// TTL and friends: -2 for a missing key, -1 for a key without expiry.
void TtlGeneric(CommandContext& ctx, bool ms, bool absolute) {
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found) return ctx.reply.Integer(-2);
  if (meta.expire_ms == 0) return ctx.reply.Integer(-1);
  if (absolute) return ctx.reply.Integer(ms ? meta.expire_ms : meta.expire_ms / 1000);
  long long ttl = std::max<long long>(meta.expire_ms - ctx.now_ms, 0);
  ctx.reply.Integer(ms ? ttl : (ttl + 500) / 1000);
}

void CmdTtl(CommandContext& ctx) { TtlGeneric(ctx, false, false); }
void CmdPttl(CommandContext& ctx) { TtlGeneric(ctx, true, false); }
void CmdExpiretime(CommandContext& ctx) { TtlGeneric(ctx, false, true); }
void CmdPexpiretime(CommandContext& ctx) { TtlGeneric(ctx, true, true); }

void CmdPersist(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found || meta.expire_ms == 0) return ctx.reply.Integer(0);
  std::string payload(meta.payload);
  if (!OkOrReply(ctx, ctx.server.keyspace().PutKey(ctx.client.db, ctx.args[1], meta.type, 0,
                                                   payload, meta.element_bytes))) {
    return;
  }
  Notify(ctx, kNotifyGeneric, "persist", ctx.args[1]);
  ctx.reply.Integer(1);
}

}  // namespace

std::vector<CommandSpec> ExpireCommands() {
  constexpr auto row = CommandRow;
  const uint32_t kW = kCmdWrite | kCmdFast;
  const uint32_t kR = kCmdReadOnly | kCmdFast;
  return {
      row("expire", CmdExpire, -3, kW),
      row("pexpire", CmdPexpire, -3, kW),
      row("expireat", CmdExpireat, -3, kW),
      row("pexpireat", CmdPexpireat, -3, kW),
      // Reading a key's expiry does not touch it (OBJECT IDLETIME), as in Redis.
      row("ttl", CmdTtl, 2, kR | kCmdNoTouch),
      row("pttl", CmdPttl, 2, kR | kCmdNoTouch),
      row("expiretime", CmdExpiretime, 2, kR | kCmdNoTouch),
      row("pexpiretime", CmdPexpiretime, 2, kR | kCmdNoTouch),
      row("persist", CmdPersist, 2, kW),
  };
}

}  // namespace strata
