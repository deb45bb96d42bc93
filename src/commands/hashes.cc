// Hash commands: HSET HSETNX HMSET HGET HMGET HDEL HEXISTS HLEN HSTRLEN HGETALL HKEYS HVALS
// HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN. Argument parsing and replies only: the hash itself is
// types/hash.h.
#include <climits>
#include <cmath>

#include "commands/scan.h"
#include "commands/registry.h"
#include "types/hash.h"

namespace strata {
namespace {

using types::Hash;

std::span<const std::string_view> From(CommandContext& ctx, size_t first) {
  return ctx.args.subspan(first);
}

void Hset(CommandContext& ctx, bool hmset, bool only_new) {
  if (ctx.args.size() % 2 != 0) {
    return ErrorReply(ctx, errors::WrongArity(hmset ? "hmset" : "hset"));
  }
  auto added = Hash::Set(Op(ctx), ctx.args[1], From(ctx, 2), only_new);
  if (!OkOrReply(ctx, added)) return;
  if (!only_new || *added > 0) Notify(ctx, kNotifyHash, "hset", ctx.args[1]);
  if (hmset) return ctx.reply.Ok();
  ctx.reply.Integer(static_cast<long long>(*added));
}

void CmdHset(CommandContext& ctx) { Hset(ctx, false, false); }
void CmdHmset(CommandContext& ctx) { Hset(ctx, true, false); }
void CmdHsetnx(CommandContext& ctx) { Hset(ctx, false, true); }

void CmdHget(CommandContext& ctx) {
  auto value = Hash::Get(Op(ctx), ctx.args[1], ctx.args[2]);
  if (!OkOrReply(ctx, value)) return;
  if (!*value) return ctx.reply.Null();
  ctx.reply.Bulk(**value);
}

void CmdHmget(CommandContext& ctx) {
  auto values = Hash::MGet(Op(ctx), ctx.args[1], From(ctx, 2));
  if (!OkOrReply(ctx, values)) return;
  ctx.reply.ArrayHeader(values->size());
  for (const auto& v : *values) v ? ctx.reply.Bulk(*v) : ctx.reply.Null();
}

void CmdHdel(CommandContext& ctx) {
  auto deleted = Hash::Delete(Op(ctx), ctx.args[1], From(ctx, 2));
  if (!OkOrReply(ctx, deleted)) return;
  if (*deleted > 0) Notify(ctx, kNotifyHash, "hdel", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*deleted));
}

void CmdHexists(CommandContext& ctx) {
  auto value = Hash::Get(Op(ctx), ctx.args[1], ctx.args[2]);
  if (!OkOrReply(ctx, value)) return;
  ctx.reply.Integer(value->has_value() ? 1 : 0);
}

void CmdHlen(CommandContext& ctx) {
  auto len = Hash::Len(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, len)) return;
  ctx.reply.Integer(static_cast<long long>(*len));
}

void CmdHstrlen(CommandContext& ctx) {
  auto value = Hash::Get(Op(ctx), ctx.args[1], ctx.args[2]);
  if (!OkOrReply(ctx, value)) return;
  ctx.reply.Integer(*value ? static_cast<long long>((*value)->size()) : 0);
}

// HGETALL, HKEYS, HVALS.
void ReplyAll(CommandContext& ctx, bool fields, bool values) {
  auto out = Hash::GetAll(Op(ctx), ctx.args[1], fields, values);
  if (!OkOrReply(ctx, out)) return;
  if (fields && values) {
    ctx.reply.MapHeader(out->size() / 2);
  } else {
    ctx.reply.ArrayHeader(out->size());
  }
  for (const auto& s : *out) ctx.reply.Bulk(s);
}

void CmdHgetall(CommandContext& ctx) { ReplyAll(ctx, true, true); }
void CmdHkeys(CommandContext& ctx) { ReplyAll(ctx, true, false); }
void CmdHvals(CommandContext& ctx) { ReplyAll(ctx, false, true); }

void CmdHincrby(CommandContext& ctx) {
  long long delta;
  if (!IntegerOrReply(ctx, ctx.args[3], &delta)) return;
  auto value = Hash::IncrBy(Op(ctx), ctx.args[1], ctx.args[2], delta);
  if (!OkOrReply(ctx, value)) return;
  Notify(ctx, kNotifyHash, "hincrby", ctx.args[1]);
  ctx.reply.Integer(*value);
}

void CmdHincrbyfloat(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.args[3], &delta)) return ErrorReply(ctx, errors::kNotFloat);
  if (std::isinf(delta)) return ErrorReply(ctx, errors::kValueNanOrInfinity);
  auto text = Hash::IncrByFloat(Op(ctx), ctx.args[1], ctx.args[2], delta);
  if (!OkOrReply(ctx, text)) return;
  Notify(ctx, kNotifyHash, "hincrbyfloat", ctx.args[1]);
  ctx.reply.Bulk(*text);
}

void CmdHrandfield(CommandContext& ctx) {
  if (ctx.args.size() == 2) {
    auto picked = Hash::RandomFields(Op(ctx), ctx.args[1], 1, true);
    if (!OkOrReply(ctx, picked)) return;
    if (picked->empty()) return ctx.reply.Null();
    return ctx.reply.Bulk(picked->front().first);
  }
  long long count;
  if (!IntegerOrReply(ctx, ctx.args[2], &count)) return;
  bool with_values = false;
  if (ctx.args.size() == 4 && EqualsNoCase(ctx.args[3], "WITHVALUES")) {
    with_values = true;
  } else if (ctx.args.size() > 3) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) {
    return ErrorReply(ctx, errors::kValueOutOfRange);
  }
  uint64_t n = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  auto picked = Hash::RandomFields(Op(ctx), ctx.args[1], n, count < 0);
  if (!OkOrReply(ctx, picked)) return;
  bool pairs = with_values && ctx.reply.resp() == 3;
  ctx.reply.ArrayHeader(with_values && !pairs ? picked->size() * 2 : picked->size());
  for (const auto& [f, v] : *picked) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(f);
    if (with_values) ctx.reply.Bulk(v);
  }
}

void CmdHscan(CommandContext& ctx) {
  ScanCollection(ctx, types::Type::kHash,
                 [](std::string_view field, std::string_view value, std::vector<std::string>* out) {
                   out->emplace_back(field);
                   out->emplace_back(value);
                 });
}

}  // namespace

std::vector<CommandSpec> HashCommands() {
  constexpr auto row = CommandRow;
  const uint32_t kW = kCmdWrite | kCmdDenyOom | kCmdFast;
  const uint32_t kR = kCmdReadOnly | kCmdFast;
  return {
      row("hset", CmdHset, -4, kW),
      row("hsetnx", CmdHsetnx, 4, kW),
      row("hmset", CmdHmset, -4, kW),
      row("hget", CmdHget, 3, kR),
      row("hmget", CmdHmget, -3, kR),
      row("hdel", CmdHdel, -3, kCmdWrite | kCmdFast),
      row("hexists", CmdHexists, 3, kR),
      row("hlen", CmdHlen, 2, kR),
      row("hstrlen", CmdHstrlen, 3, kR),
      row("hgetall", CmdHgetall, 2, kCmdReadOnly),
      row("hkeys", CmdHkeys, 2, kCmdReadOnly),
      row("hvals", CmdHvals, 2, kCmdReadOnly),
      row("hincrby", CmdHincrby, 4, kW),
      row("hincrbyfloat", CmdHincrbyfloat, 4, kW),
      row("hrandfield", CmdHrandfield, -2, kCmdReadOnly),
      row("hscan", CmdHscan, -3, kCmdReadOnly),
  };
}

}  // namespace strata
