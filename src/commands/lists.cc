// List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LREM LTRIM
// LINSERT LPOS LMOVE RPOPLPUSH LMPOP; the blocking forms (commands/blocking.cc) wait and run
// the same pops. Argument parsing and replies only: the list itself is types/list.h.
#include <climits>

#include "commands/lists.h"
#include "commands/util.h"
#include "commands/registry.h"
#include "types/list.h"

namespace strata {
namespace {

using types::List;

void ReplyItems(CommandContext& ctx, const std::vector<std::string>& items) {
  ctx.reply.ArrayHeader(items.size());
  for (const auto& v : items) ctx.reply.Bulk(v);
}

void Push(CommandContext& ctx, bool left, bool only_existing) {
  auto len = List::Push(Op(ctx), ctx.args[1], left, ctx.args.subspan(2), only_existing);
  if (!OkOrReply(ctx, len)) return;
  if (*len > 0) Notify(ctx, kNotifyList, left ? "lpush" : "rpush", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*len));
}

void CmdLpush(CommandContext& ctx) { Push(ctx, true, false); }
void CmdRpush(CommandContext& ctx) { Push(ctx, false, false); }
void CmdLpushx(CommandContext& ctx) { Push(ctx, true, true); }
void CmdRpushx(CommandContext& ctx) { Push(ctx, false, true); }

void Pop(CommandContext& ctx, bool left) {
  long long count = -1;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::WrongArity(left ? "lpop" : "rpop"));
  if (ctx.args.size() == 3) {
    if (!ParseLongLong(ctx.args[2], &count) || count < 0) {
      return ErrorReply(ctx, errors::kMustBePositive);
    }
  }
  auto items = List::Pop(Op(ctx), ctx.args[1], left, count < 0 ? 1 : static_cast<uint64_t>(count));
  if (!OkOrReply(ctx, items)) return;
  if (!*items) return count < 0 ? ctx.reply.Null() : ctx.reply.NullArray();
  if (!(*items)->empty()) Notify(ctx, kNotifyList, left ? "lpop" : "rpop", ctx.args[1]);
  if (count < 0) return ctx.reply.Bulk((**items)[0]);
  ReplyItems(ctx, **items);
}

void CmdLpop(CommandContext& ctx) { Pop(ctx, true); }
void CmdRpop(CommandContext& ctx) { Pop(ctx, false); }

void CmdLlen(CommandContext& ctx) {
  auto len = List::Len(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, len)) return;
  ctx.reply.Integer(static_cast<long long>(*len));
}

void CmdLrange(CommandContext& ctx) {
  long long start, stop;
  if (!IntegerOrReply(ctx, ctx.args[2], &start) || !IntegerOrReply(ctx, ctx.args[3], &stop)) {
    return;
  }
  auto items = List::Range(Op(ctx), ctx.args[1], start, stop);
  if (!OkOrReply(ctx, items)) return;
  ReplyItems(ctx, *items);
}

// LINDEX and LSET look the key up before they parse the index, as Redis: a bad index on a
// missing key (or one of another type) gets the key's answer.
bool IndexOrReply(CommandContext& ctx, long long* index, bool* missing) {
  *missing = false;
  if (ParseLongLong(ctx.args[2], index)) return true;
  auto len = List::Len(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, len)) return false;
  *missing = *len == 0;
  if (!*missing) ErrorReply(ctx, errors::kNotInteger);
  return false;
}

void CmdLindex(CommandContext& ctx) {
  long long index;
  bool missing;
  if (!IndexOrReply(ctx, &index, &missing)) return missing ? ctx.reply.Null() : void();
  auto value = List::Index(Op(ctx), ctx.args[1], index);
  if (!OkOrReply(ctx, value)) return;
  *value ? ctx.reply.Bulk(**value) : ctx.reply.Null();
}

void CmdLset(CommandContext& ctx) {
  long long index;
  bool missing;
  if (!IndexOrReply(ctx, &index, &missing)) {
    return missing ? ErrorReply(ctx, errors::kNoSuchKey) : void();
  }
  if (!OkOrReply(ctx, List::Set(Op(ctx), ctx.args[1], index, ctx.args[3]))) return;
  Notify(ctx, kNotifyList, "lset", ctx.args[1]);
  ctx.reply.Ok();
}

void CmdLrem(CommandContext& ctx) {
  long long count;
  if (!IntegerOrReply(ctx, ctx.args[2], &count)) return;
  auto removed = List::RemoveValue(Op(ctx), ctx.args[1], count, ctx.args[3]);
  if (!OkOrReply(ctx, removed)) return;
  if (*removed > 0) Notify(ctx, kNotifyList, "lrem", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*removed));
}

void CmdLtrim(CommandContext& ctx) {
  long long start, stop;
  if (!IntegerOrReply(ctx, ctx.args[2], &start) || !IntegerOrReply(ctx, ctx.args[3], &stop)) {
    return;
  }
  bool exists = true;
  if (ctx.server.keyspace().notify_classes() != 0) {  // only an existing list sends "ltrim"
    auto len = List::Len(Op(ctx), ctx.args[1]);
    exists = len.ok() && *len > 0;
  }
  if (!OkOrReply(ctx, List::Trim(Op(ctx), ctx.args[1], start, stop))) return;
  if (exists) Notify(ctx, kNotifyList, "ltrim", ctx.args[1]);
  ctx.reply.Ok();
}

void CmdLinsert(CommandContext& ctx) {
  bool after;
  if (EqualsNoCase(ctx.args[2], "AFTER")) {
    after = true;
  } else if (EqualsNoCase(ctx.args[2], "BEFORE")) {
    after = false;
  } else {
    return ErrorReply(ctx, errors::kSyntax);
  }
  auto len = List::Insert(Op(ctx), ctx.args[1], after, ctx.args[3], ctx.args[4]);
  if (!OkOrReply(ctx, len)) return;
  if (*len > 0) Notify(ctx, kNotifyList, "linsert", ctx.args[1]);
  ctx.reply.Integer(*len);
}

void CmdLpos(CommandContext& ctx) {
  long long rank = 1, count = -1, maxlen = 0;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    std::string_view opt = ctx.args[j];
    if (j + 1 >= ctx.args.size()) return ErrorReply(ctx, errors::kSyntax);
    long long v;
    bool is_int = ParseLongLong(ctx.args[++j], &v);
    if (EqualsNoCase(opt, "RANK")) {
      if (!is_int) return ErrorReply(ctx, errors::kNotInteger);
      if (v == 0) return ErrorReply(ctx, errors::kLposRankZero);
      if (v == LLONG_MIN) return ErrorReply(ctx, errors::kLposRankRange);
      rank = v;
    } else if (EqualsNoCase(opt, "COUNT")) {
      if (!is_int || v < 0) return ErrorReply(ctx, errors::kLposCountNegative);
      count = v;
    } else if (EqualsNoCase(opt, "MAXLEN")) {
      if (!is_int || v < 0) return ErrorReply(ctx, errors::kLposMaxlenNegative);
      maxlen = v;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  uint64_t want = count < 0 ? 1 : (count == 0 ? UINT64_MAX : static_cast<uint64_t>(count));
  auto positions = List::Positions(Op(ctx), ctx.args[1], ctx.args[2], rank, want,
                                   static_cast<uint64_t>(maxlen));
  if (!OkOrReply(ctx, positions)) return;
  const std::vector<int64_t>& matches = *positions;
  if (count < 0) {
    if (matches.empty()) return ctx.reply.Null();
    return ctx.reply.Integer(matches[0]);
  }
  ctx.reply.ArrayHeader(matches.size());
  for (int64_t m : matches) ctx.reply.Integer(m);
}

bool ParseSide(std::string_view arg, bool* left) {
  if (EqualsNoCase(arg, "LEFT")) {
    *left = true;
  } else if (EqualsNoCase(arg, "RIGHT")) {
    *left = false;
  } else {
    return false;
  }
  return true;
}

void CmdLmove(CommandContext& ctx) {
  bool from_left, to_left;
  if (!ParseSide(ctx.args[3], &from_left) || !ParseSide(ctx.args[4], &to_left)) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (!ListMove(ctx, ctx.args[1], ctx.args[2], from_left, to_left)) ctx.reply.Null();
}

void CmdRpoplpush(CommandContext& ctx) {
  if (!ListMove(ctx, ctx.args[1], ctx.args[2], false, true)) ctx.reply.Null();
}

void CmdLmpop(CommandContext& ctx) {
  MultiPopArgs a;
  if (!MultiPopArgsOrReply(ctx, 1, &a)) return;
  if (!ListPopFirst(ctx, a.keys, a.left, a.count, true)) ctx.reply.NullArray();
}

}  // namespace

bool ListMove(CommandContext& ctx, std::string_view src, std::string_view dst, bool from_left,
              bool to_left) {
  auto item = List::Move(Op(ctx), src, dst, from_left, to_left);
  if (!OkOrReply(ctx, item)) return true;
  if (!*item) return false;
  // As Redis: the push, then the pop (and the source's "del").
  Notify(ctx, kNotifyList, to_left ? "lpush" : "rpush", dst);
  Notify(ctx, kNotifyList, from_left ? "lpop" : "rpop", src);
  ctx.reply.Bulk(**item);
  return true;
}

bool MultiPopArgsOrReply(CommandContext& ctx, size_t numkeys_at, MultiPopArgs* out) {
  size_t numkeys;
  if (!NumkeysOrReply(ctx, numkeys_at, errors::kNumkeysTooMany, &numkeys)) return false;
  size_t side_at = numkeys_at + 1 + numkeys;
  if (side_at >= ctx.args.size() || !ParseSide(ctx.args[side_at], &out->left)) {
    return ErrorReply(ctx, errors::kSyntax), false;
  }
  long long count = 1;
  size_t j = side_at + 1;
  if (j < ctx.args.size()) {
    if (!EqualsNoCase(ctx.args[j], "COUNT") || j + 2 != ctx.args.size()) {
      return ErrorReply(ctx, errors::kSyntax), false;
    }
    if (!ParseLongLong(ctx.args[j + 1], &count) || count <= 0) {
      return ErrorReply(ctx, errors::kCountPositive), false;
    }
  }
  out->keys = ctx.args.subspan(numkeys_at + 1, numkeys);
  out->count = static_cast<uint64_t>(count);
  return true;
}

bool ListPopFirst(CommandContext& ctx, std::span<const std::string_view> keys, bool left,
                  uint64_t count, bool as_lmpop) {
  for (std::string_view key : keys) {
    auto items = List::Pop(Op(ctx), key, left, count);
    if (!OkOrReply(ctx, items)) return true;
    if (!*items) continue;
    Notify(ctx, kNotifyList, left ? "lpop" : "rpop", key);
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(key);
    if (as_lmpop) {
      ReplyItems(ctx, **items);
    } else {
      ctx.reply.Bulk((**items)[0]);
    }
    return true;
  }
  return false;
}

std::vector<CommandSpec> ListCommands() {
  constexpr auto row = CommandRow;
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  return {
      row("lpush", CmdLpush, -3, kW | kCmdFast),
      row("rpush", CmdRpush, -3, kW | kCmdFast),
      row("lpushx", CmdLpushx, -3, kW | kCmdFast),
      row("rpushx", CmdRpushx, -3, kW | kCmdFast),
      row("lpop", CmdLpop, -2, kCmdWrite | kCmdFast),
      row("rpop", CmdRpop, -2, kCmdWrite | kCmdFast),
      row("llen", CmdLlen, 2, kR | kCmdFast),
      row("lrange", CmdLrange, 4, kR),
      row("lindex", CmdLindex, 3, kR),
      row("lset", CmdLset, 4, kW),
      row("lrem", CmdLrem, 4, kCmdWrite),
      row("ltrim", CmdLtrim, 4, kCmdWrite),
      row("linsert", CmdLinsert, 5, kW),
      row("lpos", CmdLpos, -3, kR),
      row("lmove", CmdLmove, 5, kW, 1, 2, 1),
      row("rpoplpush", CmdRpoplpush, 3, kW, 1, 2, 1),
      row("lmpop", CmdLmpop, -4, kCmdWrite, 0, 0, 0),
  };
}

}  // namespace strata
