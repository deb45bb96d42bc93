// String commands: SET GET GETSET GETDEL GETEX SETNX SETEX PSETEX MSET MSETNX MGET APPEND
// STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT LCS. Argument parsing
// and replies only: the string itself is types/string.h.
#include <charconv>
#include <climits>
#include <cmath>
#include <unordered_set>

#include "commands/registry.h"
#include "commands/util.h"
#include "types/string.h"

namespace strata {
namespace {

using types::String;

enum SetFlags : unsigned {
  kSetNx = 1 << 0,
  kSetXx = 1 << 1,
  kSetGet = 1 << 2,
  kSetKeepTtl = 1 << 3,
  kSetEx = 1 << 4,
  kSetPx = 1 << 5,
  kSetExAt = 1 << 6,
  kSetPxAt = 1 << 7,
  kSetPersist = 1 << 8,  // GETEX only
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

// Parses the options of SET and GETEX, from args[first] on, as Redis's
// parseExtendedStringArgumentsOrReply: repeating an option is fine (the last one counts),
// mixing exclusive ones is a syntax error. The expiry argument is left in *expire_arg.
bool ParseSetOptions(CommandContext& ctx, size_t first, bool getex, unsigned* flags,
                     std::string_view* expire_arg) {
  auto args = ctx.args;
  for (size_t j = first; j < args.size(); ++j) {
    std::string_view opt = args[j];
    bool has_next = j + 1 < args.size();
    unsigned expire_flag = 0;
    if (EqualsNoCase(opt, "EX")) expire_flag = kSetEx;
    if (EqualsNoCase(opt, "PX")) expire_flag = kSetPx;
    if (EqualsNoCase(opt, "EXAT")) expire_flag = kSetExAt;
    if (EqualsNoCase(opt, "PXAT")) expire_flag = kSetPxAt;
    if (!getex && EqualsNoCase(opt, "NX") && !(*flags & kSetXx)) {
      *flags |= kSetNx;
    } else if (!getex && EqualsNoCase(opt, "XX") && !(*flags & kSetNx)) {
      *flags |= kSetXx;
    } else if (!getex && EqualsNoCase(opt, "GET")) {
      *flags |= kSetGet;
    } else if (!getex && EqualsNoCase(opt, "KEEPTTL") && !(*flags & kSetAnyExpire)) {
      *flags |= kSetKeepTtl;
    } else if (getex && EqualsNoCase(opt, "PERSIST") && !(*flags & kSetAnyExpire)) {
      *flags |= kSetPersist;
    } else if (expire_flag != 0 &&
               !(*flags & (kSetKeepTtl | kSetPersist | (kSetAnyExpire & ~expire_flag))) &&
               has_next) {
      *flags |= expire_flag;
      *expire_arg = args[++j];
    } else {
      ErrorReply(ctx, errors::kSyntax);
      return false;
    }
  }
  return true;
}

// The absolute expiry time the options ask for (0: none).
bool OptionExpireOrReply(CommandContext& ctx, unsigned flags, std::string_view expire_arg,
                         std::string_view command, int64_t* expire_ms) {
  *expire_ms = 0;
  return !(flags & kSetAnyExpire) ||
         ExpireAtOrReply(ctx, expire_arg, flags & kSetAnyExpire, command, expire_ms);
}

void CmdSet(CommandContext& ctx) {
  unsigned flags = 0;
  std::string_view expire_arg;
  String::SetOptions options;
  if (!ParseSetOptions(ctx, 3, false, &flags, &expire_arg) ||
      !OptionExpireOrReply(ctx, flags, expire_arg, "set", &options.expire_ms)) {
    return;
  }
  using When = String::SetOptions::When;
  options.when = (flags & kSetNx) ? When::kIfMissing : (flags & kSetXx) ? When::kIfExists
                                                                        : When::kAlways;
  options.get = flags & kSetGet;
  options.keep_ttl = flags & kSetKeepTtl;
  auto result = String::Set(Op(ctx), ctx.args[1], ctx.args[2], options);
  if (!OkOrReply(ctx, result)) return;
  if (result->applied) {
    Notify(ctx, kNotifyString, "set", ctx.args[1]);
    if (options.expire_ms != 0) Notify(ctx, kNotifyGeneric, "expire", ctx.args[1]);
  }
  if (options.get) return result->old ? ctx.reply.Bulk(*result->old) : ctx.reply.Null();
  result->applied ? ctx.reply.Ok() : ctx.reply.Null();
}

void CmdGet(CommandContext& ctx) {
  auto value = String::Get(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, value)) return;
  if (!*value) {
    ctx.server.stats().keyspace_misses++;
    return ctx.reply.Null();
  }
  ctx.server.stats().keyspace_hits++;
  ctx.reply.Bulk(**value);
}

void CmdGetset(CommandContext& ctx) {
  auto result = String::Set(Op(ctx), ctx.args[1], ctx.args[2], {.get = true});
  if (!OkOrReply(ctx, result)) return;
  Notify(ctx, kNotifyString, "set", ctx.args[1]);
  result->old ? ctx.reply.Bulk(*result->old) : ctx.reply.Null();
}

void CmdGetdel(CommandContext& ctx) {
  auto old = String::Take(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, old)) return;
  if (*old) Notify(ctx, kNotifyGeneric, "del", ctx.args[1]);
  *old ? ctx.reply.Bulk(**old) : ctx.reply.Null();
}

void CmdGetex(CommandContext& ctx) {
  unsigned flags = 0;
  std::string_view expire_arg;
  if (!ParseSetOptions(ctx, 2, true, &flags, &expire_arg)) return;
  // Redis looks the key up before it checks the time.
  auto exists = String::Get(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, exists)) return;
  if (!*exists) return ctx.reply.Null();
  std::optional<int64_t> expire_ms;
  if (flags & (kSetAnyExpire | kSetPersist)) {
    expire_ms = 0;
    if (!OptionExpireOrReply(ctx, flags, expire_arg, "getex", &*expire_ms)) return;
  }
  auto value = String::GetAndExpire(Op(ctx), ctx.args[1], expire_ms);
  if (!OkOrReply(ctx, value)) return;
  if (*value && expire_ms) {
    Notify(ctx, kNotifyGeneric,
           *expire_ms == 0            ? "persist"
           : *expire_ms <= ctx.now_ms ? "del"
                                      : "expire",
           ctx.args[1]);
  }
  *value ? ctx.reply.Bulk(**value) : ctx.reply.Null();
}

void CmdSetnx(CommandContext& ctx) {
  String::SetOptions options{.when = String::SetOptions::When::kIfMissing};
  auto result = String::Set(Op(ctx), ctx.args[1], ctx.args[2], options);
  if (!OkOrReply(ctx, result)) return;
  if (result->applied) Notify(ctx, kNotifyString, "set", ctx.args[1]);
  ctx.reply.Integer(result->applied ? 1 : 0);
}

void SetWithTtl(CommandContext& ctx, unsigned unit, std::string_view command) {
  int64_t expire_ms;
  if (!ExpireAtOrReply(ctx, ctx.args[2], unit, command, &expire_ms)) return;
  if (!OkOrReply(ctx, String::Put(Op(ctx), ctx.args[1], ctx.args[3], expire_ms))) return;
  Notify(ctx, kNotifyString, "set", ctx.args[1]);
  Notify(ctx, kNotifyGeneric, "expire", ctx.args[1]);
  ctx.reply.Ok();
}

void CmdSetex(CommandContext& ctx) { SetWithTtl(ctx, kSetEx, "setex"); }
void CmdPsetex(CommandContext& ctx) { SetWithTtl(ctx, kSetPx, "psetex"); }

void CmdMget(CommandContext& ctx) {
  ctx.reply.ArrayHeader(ctx.args.size() - 1);
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    auto value = String::Get(Op(ctx), ctx.args[i]);
    if (value.ok() && *value) {
      ctx.server.stats().keyspace_hits++;
      ctx.reply.Bulk(**value);
    } else {
      ctx.server.stats().keyspace_misses++;
      ctx.reply.Null();  // missing, another type, or unreadable: MGET never fails per key
    }
  }
}

void CmdMset(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 0) return ErrorReply(ctx, errors::WrongArity("mset"));
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    if (!OkOrReply(ctx, String::Put(Op(ctx), ctx.args[i], ctx.args[i + 1]))) return;
    Notify(ctx, kNotifyString, "set", ctx.args[i]);
  }
  ctx.reply.Ok();
}

void CmdMsetnx(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 0) return ErrorReply(ctx, errors::WrongArity("msetnx"));
  auto set = String::PutAllIfNoneExists(Op(ctx), ctx.args.subspan(1));
  if (!OkOrReply(ctx, set)) return;
  for (size_t i = 1; *set && i < ctx.args.size(); i += 2) {
    Notify(ctx, kNotifyString, "set", ctx.args[i]);
  }
  ctx.reply.Integer(*set ? 1 : 0);
}

void CmdAppend(CommandContext& ctx) {
  auto len = String::Append(Op(ctx), ctx.args[1], ctx.args[2]);
  if (!OkOrReply(ctx, len)) return;
  Notify(ctx, kNotifyString, "append", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*len));
}

void CmdStrlen(CommandContext& ctx) {
  auto len = String::Len(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, len)) return;
  ctx.reply.Integer(static_cast<long long>(*len));
}

void CmdGetrange(CommandContext& ctx) {
  long long start, end;
  if (!IntegerOrReply(ctx, ctx.args[2], &start) || !IntegerOrReply(ctx, ctx.args[3], &end)) {
    return;
  }
  auto range = String::Range(Op(ctx), ctx.args[1], start, end);
  if (!OkOrReply(ctx, range)) return;
  ctx.reply.Bulk(*range);
}

void CmdSetrange(CommandContext& ctx) {
  long long offset;
  if (!IntegerOrReply(ctx, ctx.args[2], &offset)) return;
  if (offset < 0) return ErrorReply(ctx, errors::kOffsetOutOfRange);
  auto len = String::SetRange(Op(ctx), ctx.args[1], static_cast<uint64_t>(offset), ctx.args[3]);
  if (!OkOrReply(ctx, len)) return;
  if (!ctx.args[3].empty()) Notify(ctx, kNotifyString, "setrange", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*len));
}

void IncrBy(CommandContext& ctx, long long delta) {
  auto value = String::IncrBy(Op(ctx), ctx.args[1], delta);
  if (!OkOrReply(ctx, value)) return;
  Notify(ctx, kNotifyString, "incrby", ctx.args[1]);
  ctx.reply.Integer(*value);
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

void CmdIncrbyfloat(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.args[2], &delta)) {
    // The key's type is looked at first, as Redis.
    auto value = String::Get(Op(ctx), ctx.args[1]);
    if (OkOrReply(ctx, value)) ErrorReply(ctx, errors::kNotFloat);
    return;
  }
  auto text = String::IncrByFloat(Op(ctx), ctx.args[1], delta);
  if (!OkOrReply(ctx, text)) return;
  Notify(ctx, kNotifyString, "incrbyfloat", ctx.args[1]);
  ctx.reply.Bulk(*text);
}

// ---- LCS ---------------------------------------------------------------------------------

struct LcsMatch {
  uint32_t a_start, a_end, b_start, b_end;
};

void CmdLcs(CommandContext& ctx) {
  std::string a, b;  // missing keys are empty strings
  for (int i = 0; i < 2; ++i) {
    auto value = String::Get(Op(ctx), ctx.args[1 + i]);
    if (types::TypeErrorOf(value.status()) == types::TypeError::kWrongType) {
      return ErrorReply(ctx, errors::kLcsNotStrings);
    }
    if (!OkOrReply(ctx, value)) return;
    if (*value) (i == 0 ? a : b).assign(**value);
  }
  bool want_len = false, want_idx = false, with_match_len = false;
  long long min_match_len = 0;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    std::string_view opt = ctx.args[j];
    if (EqualsNoCase(opt, "IDX")) {
      want_idx = true;
    } else if (EqualsNoCase(opt, "LEN")) {
      want_len = true;
    } else if (EqualsNoCase(opt, "WITHMATCHLEN")) {
      with_match_len = true;
    } else if (EqualsNoCase(opt, "MINMATCHLEN") && j + 1 < ctx.args.size()) {
      if (!IntegerOrReply(ctx, ctx.args[++j], &min_match_len)) return;
      if (min_match_len < 0) min_match_len = 0;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  if (want_idx && want_len) return ErrorReply(ctx, errors::kLcsLenAndIdx);
  uint64_t cells = (a.size() + 1) * (b.size() + 1);
  if (cells * sizeof(uint32_t) > types::kMaxStringSize) {
    return ErrorReply(ctx, errors::kLcsTooMuchMemory);
  }
  // table[i][j]: length of the LCS of a[0..i) and b[0..j).
  size_t width = b.size() + 1;
  std::vector<uint32_t> table(cells, 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return table[i * width + j]; };
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      at(i, j) = a[i - 1] == b[j - 1] ? at(i - 1, j - 1) + 1
                                      : std::max(at(i - 1, j), at(i, j - 1));
    }
  }
  uint32_t length = at(a.size(), b.size());
  if (want_len) return ctx.reply.Integer(length);

  // Walk back from the end, collecting the common string and its contiguous ranges (last
  // first, as Redis reports them).
  std::string common(length, '\0');
  std::vector<LcsMatch> matches;
  size_t i = a.size(), j = b.size(), k = length;
  bool open = false;
  LcsMatch current{};
  auto close = [&] {
    if (open && current.a_end - current.a_start + 1 >= min_match_len) matches.push_back(current);
    open = false;
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] == b[j - 1]) {
      common[--k] = a[i - 1];
      if (open && current.a_start == i && current.b_start == j) {
        current.a_start--;
        current.b_start--;
      } else {
        close();
        current = {static_cast<uint32_t>(i - 1), static_cast<uint32_t>(i - 1),
                   static_cast<uint32_t>(j - 1), static_cast<uint32_t>(j - 1)};
        open = true;
      }
      --i;
      --j;
    } else {
      close();
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
    }
  }
  close();
  if (!want_idx) return ctx.reply.Bulk(common);
  ctx.reply.MapHeader(2);
  ctx.reply.Bulk("matches");
  ctx.reply.ArrayHeader(matches.size());
  for (const LcsMatch& m : matches) {
    ctx.reply.ArrayHeader(with_match_len ? 3 : 2);
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(m.a_start);
    ctx.reply.Integer(m.a_end);
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(m.b_start);
    ctx.reply.Integer(m.b_end);
    if (with_match_len) ctx.reply.Integer(m.a_end - m.a_start + 1);
  }
  ctx.reply.Bulk("len");
  ctx.reply.Integer(length);
}

}  // namespace

std::vector<CommandSpec> StringCommands() {
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  constexpr auto row = CommandRow;
  return {
      row("set", CmdSet, -3, kW, 1, 1, 1),
      row("get", CmdGet, 2, kR | kCmdFast, 1, 1, 1),
      row("getset", CmdGetset, 3, kW | kCmdFast, 1, 1, 1),
      row("getdel", CmdGetdel, 2, kCmdWrite | kCmdFast, 1, 1, 1),
      row("getex", CmdGetex, -2, kCmdWrite | kCmdFast, 1, 1, 1),
      row("setnx", CmdSetnx, 3, kW | kCmdFast, 1, 1, 1),
      row("setex", CmdSetex, 4, kW, 1, 1, 1),
      row("psetex", CmdPsetex, 4, kW, 1, 1, 1),
      row("mget", CmdMget, -2, kR | kCmdFast, 1, -1, 1),
      row("mset", CmdMset, -3, kW, 1, -1, 2),
      row("msetnx", CmdMsetnx, -3, kW, 1, -1, 2),
      row("append", CmdAppend, 3, kW | kCmdFast, 1, 1, 1),
      row("strlen", CmdStrlen, 2, kR | kCmdFast, 1, 1, 1),
      row("getrange", CmdGetrange, 4, kR, 1, 1, 1),
      row("substr", CmdGetrange, 4, kR, 1, 1, 1),
      row("setrange", CmdSetrange, 4, kW, 1, 1, 1),
      row("incr", CmdIncr, 2, kW | kCmdFast, 1, 1, 1),
      row("decr", CmdDecr, 2, kW | kCmdFast, 1, 1, 1),
      row("incrby", CmdIncrby, 3, kW | kCmdFast, 1, 1, 1),
      row("decrby", CmdDecrby, 3, kW | kCmdFast, 1, 1, 1),
      row("incrbyfloat", CmdIncrbyfloat, 3, kW | kCmdFast, 1, 1, 1),
      row("lcs", CmdLcs, -3, kR, 1, 2, 1),
  };
}

}  // namespace strata
