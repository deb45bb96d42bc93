// String commands: SET GET GETSET GETDEL GETEX SETNX SETEX PSETEX MSET MSETNX MGET APPEND
// STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT LCS.
#include <charconv>
#include <climits>
#include <cmath>
#include <unordered_set>

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

// Stages a string write; an expiry time already past deletes the key instead (as Redis
// does for SET ... PXAT <past>).
bool PutStringOrReply(CommandContext& ctx, std::string_view key, std::string_view value,
                      int64_t expire_ms) {
  types::Keyspace& ks = ctx.server.keyspace();
  if (expire_ms != 0 && expire_ms <= ctx.now_ms) {
    return OkOrReply(ctx, ks.Delete(ctx.client.db, key));
  }
  return OkOrReply(ctx, ks.Put(ctx.client.db, key, Type::kString, expire_ms, value));
}

bool LookupStringOrReply(CommandContext& ctx, std::string_view key, Meta* meta, bool* found) {
  return LookupTypedOrReply(ctx, key, Type::kString, meta, found);
}

void CmdSet(CommandContext& ctx) {
  unsigned flags = 0;
  std::string_view expire_arg;
  int64_t expire_ms;
  if (!ParseSetOptions(ctx, 3, false, &flags, &expire_arg) ||
      !OptionExpireOrReply(ctx, flags, expire_arg, "set", &expire_ms)) {
    return;
  }
  std::string_view key = ctx.args[1];
  bool found = false;
  std::string old_value;
  if (flags & (kSetNx | kSetXx | kSetGet | kSetKeepTtl)) {
    Meta meta;
    if (!LookupOrReply(ctx, key, &meta, &found)) return;
    if (found && (flags & kSetGet) && meta.type != Type::kString) {
      return ErrorReply(ctx, errors::kWrongType);
    }
    if (found && (flags & kSetGet)) old_value.assign(meta.payload);
    if (found && (flags & kSetKeepTtl)) expire_ms = meta.expire_ms;
  }
  bool applied = !((flags & kSetNx) && found) && !((flags & kSetXx) && !found);
  if (applied && !PutStringOrReply(ctx, key, ctx.args[2], expire_ms)) return;
  if (flags & kSetGet) {
    if (found) return ctx.reply.Bulk(old_value);
    return ctx.reply.Null();
  }
  if (applied) return ctx.reply.Ok();
  ctx.reply.Null();
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

void CmdGetset(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  std::string old(found ? meta.payload : std::string_view());
  if (!PutStringOrReply(ctx, ctx.args[1], ctx.args[2], 0)) return;
  if (!found) return ctx.reply.Null();
  ctx.reply.Bulk(old);
}

void CmdGetdel(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found) return ctx.reply.Null();
  std::string old(meta.payload);
  if (!OkOrReply(ctx, ctx.server.keyspace().Delete(ctx.client.db, ctx.args[1]))) return;
  ctx.reply.Bulk(old);
}

void CmdGetex(CommandContext& ctx) {
  unsigned flags = 0;
  std::string_view expire_arg;
  if (!ParseSetOptions(ctx, 2, true, &flags, &expire_arg)) return;
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found) return ctx.reply.Null();  // Redis looks the key up before checking the time
  int64_t expire_ms;
  if (!OptionExpireOrReply(ctx, flags, expire_arg, "getex", &expire_ms)) return;
  std::string value(meta.payload);
  if (((flags & kSetAnyExpire) || ((flags & kSetPersist) && meta.expire_ms != 0)) &&
      !PutStringOrReply(ctx, ctx.args[1], value, expire_ms)) {
    return;
  }
  ctx.reply.Bulk(value);
}

void CmdSetnx(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found && !PutStringOrReply(ctx, ctx.args[1], ctx.args[2], 0)) return;
  ctx.reply.Integer(found ? 0 : 1);
}

void SetWithTtl(CommandContext& ctx, unsigned unit, std::string_view command) {
  int64_t expire_ms;
  if (!ExpireAtOrReply(ctx, ctx.args[2], unit, command, &expire_ms)) return;
  if (!PutStringOrReply(ctx, ctx.args[1], ctx.args[3], expire_ms)) return;
  ctx.reply.Ok();
}

void CmdSetex(CommandContext& ctx) { SetWithTtl(ctx, kSetEx, "setex"); }
void CmdPsetex(CommandContext& ctx) { SetWithTtl(ctx, kSetPx, "psetex"); }

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
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    if (!PutStringOrReply(ctx, ctx.args[i], ctx.args[i + 1], 0)) return;
  }
  ctx.reply.Ok();
}

void CmdMsetnx(CommandContext& ctx) {
  if (ctx.args.size() % 2 == 0) return ErrorReply(ctx, errors::WrongArity("msetnx"));
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    Meta meta;
    bool found;
    if (!LookupOrReply(ctx, ctx.args[i], &meta, &found)) return;
    if (found) return ctx.reply.Integer(0);
  }
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    if (!PutStringOrReply(ctx, ctx.args[i], ctx.args[i + 1], 0)) return;
  }
  ctx.reply.Integer(1);
}

bool LengthOkOrReply(CommandContext& ctx, uint64_t length) {
  if (length <= types::kMaxStringSize) return true;
  ErrorReply(ctx, errors::kStringTooLong);
  return false;
}

void CmdAppend(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  std::string_view old = found ? meta.payload : std::string_view();
  if (!LengthOkOrReply(ctx, old.size() + ctx.args[2].size())) return;
  std::string value;
  value.reserve(old.size() + ctx.args[2].size());
  value.append(old).append(ctx.args[2]);
  if (!PutStringOrReply(ctx, ctx.args[1], value, found ? meta.expire_ms : 0)) return;
  ctx.reply.Integer(static_cast<long long>(value.size()));
}

void CmdStrlen(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  ctx.reply.Integer(found ? static_cast<long long>(meta.payload.size()) : 0);
}

void CmdGetrange(CommandContext& ctx) {
  long long start, end;
  if (!IntegerOrReply(ctx, ctx.args[2], &start) || !IntegerOrReply(ctx, ctx.args[3], &end)) {
    return;
  }
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found || (start < 0 && end < 0 && start > end)) return ctx.reply.Bulk("");
  auto len = static_cast<long long>(meta.payload.size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len == 0 || start > end) return ctx.reply.Bulk("");
  ctx.reply.Bulk(meta.payload.substr(static_cast<size_t>(start),
                                     static_cast<size_t>(end - start + 1)));
}

void CmdSetrange(CommandContext& ctx) {
  long long offset;
  if (!IntegerOrReply(ctx, ctx.args[2], &offset)) return;
  if (offset < 0) return ErrorReply(ctx, errors::kOffsetOutOfRange);
  std::string_view piece = ctx.args[3];
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, ctx.args[1], &meta, &found)) return;
  std::string_view old = found ? meta.payload : std::string_view();
  if (piece.empty()) return ctx.reply.Integer(static_cast<long long>(old.size()));
  if (!LengthOkOrReply(ctx, static_cast<uint64_t>(offset) + piece.size())) return;
  std::string value(old);
  if (value.size() < offset + piece.size()) value.resize(offset + piece.size(), '\0');
  value.replace(static_cast<size_t>(offset), piece.size(), piece);
  if (!PutStringOrReply(ctx, ctx.args[1], value, found ? meta.expire_ms : 0)) return;
  ctx.reply.Integer(static_cast<long long>(value.size()));
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
  if (!PutStringOrReply(ctx, key, std::string_view(buf, end - buf), found ? meta.expire_ms : 0)) {
    return;
  }
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

void CmdIncrbyfloat(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  Meta meta;
  bool found;
  if (!LookupStringOrReply(ctx, key, &meta, &found)) return;
  long double value = 0, incr;
  if ((found && !ParseLongDouble(meta.payload, &value)) ||
      !ParseLongDouble(ctx.args[2], &incr)) {
    return ErrorReply(ctx, errors::kNotFloat);
  }
  value += incr;
  if (std::isnan(value) || std::isinf(value)) return ErrorReply(ctx, errors::kNanOrInfinity);
  std::string text = FormatLongDouble(value);
  if (!PutStringOrReply(ctx, key, text, found ? meta.expire_ms : 0)) return;
  ctx.reply.Bulk(text);
}

// ---- LCS ---------------------------------------------------------------------------------

struct LcsMatch {
  uint32_t a_start, a_end, b_start, b_end;
};

void CmdLcs(CommandContext& ctx) {
  std::string a, b;  // missing keys are empty strings
  for (int i = 0; i < 2; ++i) {
    Meta meta;
    bool found;
    if (!LookupOrReply(ctx, ctx.args[1 + i], &meta, &found)) return;
    if (found && meta.type != Type::kString) return ErrorReply(ctx, errors::kLcsNotStrings);
    if (found) (i == 0 ? a : b).assign(meta.payload);
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
  auto row = [](const char* name, CommandHandler h, int arity, uint32_t flags, int first,
                int last, int step) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = flags,
                       .first_key = first, .last_key = last, .step = step, .group = "string"};
  };
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
