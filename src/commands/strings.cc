// String commands: SET, GET, MGET, MSET, INCR, DECR, INCRBY, DECRBY.
#include <charconv>
#include <climits>

#include "commands/registry.h"
#include "commands/util.h"

namespace strata {
namespace {

using types::Meta;
using types::Type;

enum SetFlags : unsigned {
  kSetNx = 1 << 0,
  kSetXx = 1 << 1,
  kSetGet = 1 << 2,
  kSetKeepTtl = 1 << 3,
  kSetEx = 1 << 4,
  kSetPx = 1 << 5,
  kSetExAt = 1 << 6,
  kSetPxAt = 1 << 7,
};
constexpr unsigned kSetAnyExpire = kSetEx | kSetPx | kSetExAt | kSetPxAt;

// Turns an EX/PX/EXAT/PXAT argument into an absolute time in ms, as Redis's
// getExpireMillisecondsOrReply does (same checks, same errors).
bool ExpireAtOrReply(CommandContext& ctx, std::string_view arg, unsigned unit_flag,
                     std::string_view command, int64_t* at_ms) {
  long long v;
  if (!IntegerOrReply(ctx, arg, &v)) return false;
  bool seconds = unit_flag & (kSetEx | kSetExAt);
  if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
    ErrorReply(ctx, errors::InvalidExpireTime(command));
    return false;
  }
  if (seconds) v *= 1000;
  if (unit_flag & (kSetEx | kSetPx)) {
    if (v > LLONG_MAX - ctx.now_ms) {
      ErrorReply(ctx, errors::InvalidExpireTime(command));
      return false;
    }
    v += ctx.now_ms;
  }
  *at_ms = v;
  return true;
}

// Looks a key up for a string command: false (after replying) on an engine error or a key
// of another type; otherwise *found says whether a live string is there.
bool LookupStringOrReply(CommandContext& ctx, std::string_view key, Meta* meta, bool* found) {
  auto r = ctx.server.keyspace().Lookup(ctx.client.db, key, ctx.now_ms, meta);
  if (!OkOrReply(ctx, r)) return false;
  *found = *r;
  if (*found && meta->type != Type::kString) {
    ErrorReply(ctx, errors::kWrongType);
    return false;
  }
  return true;
}

void CmdSet(CommandContext& ctx) {
  auto args = ctx.args;
  unsigned flags = 0;
  std::string_view expire_arg;
  for (size_t j = 3; j < args.size(); ++j) {
    std::string_view opt = args[j];
    bool has_next = j + 1 < args.size();
    unsigned expire_flag = 0;
    if (EqualsNoCase(opt, "EX")) expire_flag = kSetEx;
    if (EqualsNoCase(opt, "PX")) expire_flag = kSetPx;
    if (EqualsNoCase(opt, "EXAT")) expire_flag = kSetExAt;
    if (EqualsNoCase(opt, "PXAT")) expire_flag = kSetPxAt;
    if (EqualsNoCase(opt, "NX") && !(flags & kSetXx)) {
      flags |= kSetNx;
    } else if (EqualsNoCase(opt, "XX") && !(flags & kSetNx)) {
      flags |= kSetXx;
    } else if (EqualsNoCase(opt, "GET")) {
      flags |= kSetGet;
    } else if (EqualsNoCase(opt, "KEEPTTL") && !(flags & kSetAnyExpire)) {
      flags |= kSetKeepTtl;
    } else if (expire_flag != 0 && !(flags & (kSetKeepTtl | kSetAnyExpire)) && has_next) {
      flags |= expire_flag;
      expire_arg = args[++j];
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  int64_t expire_ms = 0;
  if ((flags & kSetAnyExpire) &&
      !ExpireAtOrReply(ctx, expire_arg, flags & kSetAnyExpire, "set", &expire_ms)) {
    return;
  }

  std::string_view key = args[1];
  types::Keyspace& ks = ctx.server.keyspace();
  bool found = false;
  std::string old_value;
  if (flags & (kSetNx | kSetXx | kSetGet | kSetKeepTtl)) {
    Meta meta;
    auto r = ks.Lookup(ctx.client.db, key, ctx.now_ms, &meta);
    if (!OkOrReply(ctx, r)) return;
    found = *r;
    if (found && (flags & kSetGet) && meta.type != Type::kString) {
      return ErrorReply(ctx, errors::kWrongType);
    }
    if (found && (flags & kSetGet)) old_value.assign(meta.payload);
    if (found && (flags & kSetKeepTtl)) expire_ms = meta.expire_ms;
  }
  auto reply_done = [&](bool applied) {
    if (flags & kSetGet) {
      if (found) return ctx.reply.Bulk(old_value);
      return ctx.reply.Null();
    }
    if (applied) return ctx.reply.Ok();
    ctx.reply.Null();
  };
  if (((flags & kSetNx) && found) || ((flags & kSetXx) && !found)) return reply_done(false);

  Status s;
  if (expire_ms != 0 && expire_ms <= ctx.now_ms) {
    // Already expired (EXAT/PXAT in the past): the key ends up deleted, as in Redis.
    WriteBatch batch;
    ks.BatchDelete(&batch, ctx.client.db, key);
    s = ks.Write(&batch);
  } else {
    s = ks.SetString(ctx.client.db, key, args[2], expire_ms);
  }
  if (!OkOrReply(ctx, s)) return;
  reply_done(true);
}

void CmdGet(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found) {
    ctx.server.stats().keyspace_misses++;
    return ctx.reply.Null();
  }
  ctx.server.stats().keyspace_hits++;
  ctx.reply.Bulk(meta.payload);
}

void CmdMget(CommandContext& ctx) {
  ctx.reply.ArrayHeader(ctx.args.size() - 1);
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    Meta meta;
    auto r = ctx.server.keyspace().Lookup(ctx.client.db, ctx.args[i], ctx.now_ms, &meta);
    if (r.ok() && *r && meta.type == Type::kString) {
      ctx.server.stats().keyspace_hits++;
      ctx.reply.Bulk(meta.payload);
    } else {
      ctx.server.stats().keyspace_misses++;
      ctx.reply.Null();  // missing, another type, or unreadable: MGET never fails per key
    }
  }
}

void CmdMset(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 0) return ErrorReply(ctx, errors::WrongArity("mset"));
  WriteBatch batch;
  types::Keyspace& ks = ctx.server.keyspace();
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    ks.BatchSetString(&batch, ctx.client.db, ctx.args[i], ctx.args[i + 1], 0);
  }
  if (!OkOrReply(ctx, ks.Write(&batch))) return;
  ctx.reply.Ok();
}

void IncrBy(CommandContext& ctx, long long delta) {
  std::string_view key = ctx.args[1];
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, key, &meta, &found)) return;
  long long value = 0;
  if (found && !ParseLongLong(meta.payload, &value)) return ErrorReply(ctx, errors::kNotInteger);
  if ((delta < 0 && value < 0 && delta < LLONG_MIN - value) ||
      (delta > 0 && value > 0 && delta > LLONG_MAX - value)) {
    return ErrorReply(ctx, errors::kOverflow);
  }
  value += delta;
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof(buf), value).ptr;
  // INCR keeps the key's time to live.
  Status s = ctx.server.keyspace().SetString(ctx.client.db, key, std::string_view(buf, end - buf),
                                             found ? meta.expire_ms : 0);
  if (!OkOrReply(ctx, s)) return;
  ctx.reply.Integer(value);
}

void CmdIncr(CommandContext& ctx) { IncrBy(ctx, 1); }
void CmdDecr(CommandContext& ctx) { IncrBy(ctx, -1); }

void CmdIncrby(CommandContext& ctx) {
  long long delta;
  if (!IntegerOrReply(ctx, ctx.args[2], &delta)) return;
  IncrBy(ctx, delta);
}

void CmdDecrby(CommandContext& ctx) {
  long long delta;
  if (!IntegerOrReply(ctx, ctx.args[2], &delta)) return;
  if (delta == LLONG_MIN) return ErrorReply(ctx, errors::kDecrementOverflow);
  IncrBy(ctx, -delta);
}

}  // namespace

std::vector<CommandSpec> StringCommands() {
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  auto row = [](const char* name, CommandHandler h, int arity, uint32_t flags, int first,
                int last, int step) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = flags,
                       .first_key = first, .last_key = last, .step = step, .group = "string"};
  };
  return {
      row("set", CmdSet, -3, kW, 1, 1, 1),
      row("get", CmdGet, 2, kCmdReadOnly | kCmdFast, 1, 1, 1),
      row("mget", CmdMget, -2, kCmdReadOnly | kCmdFast, 1, -1, 1),
      row("mset", CmdMset, -3, kW, 1, -1, 2),
      row("incr", CmdIncr, 2, kW | kCmdFast, 1, 1, 1),
      row("decr", CmdDecr, 2, kW | kCmdFast, 1, 1, 1),
      row("incrby", CmdIncrby, 3, kW | kCmdFast, 1, 1, 1),
      row("decrby", CmdDecrby, 3, kW | kCmdFast, 1, 1, 1),
  };
}

}  // namespace strata
