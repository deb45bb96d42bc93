// Bitmap commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO, on strings
// (types/bitmap.h). Argument parsing and Redis 7.0's range rules (negative indexes, BYTE or
// BIT units) are here; the bits are the type's.
#include <vector>

#include "commands/registry.h"
#include "commands/util.h"
#include "types/bitmap.h"
#include "types/string.h"

namespace strata {
namespace {

using types::BitField;
using types::Bitmap;

// A bit offset: an integer (or, for BITFIELD, #N: N fields of `bits` bits) whose byte is
// below proto-max-bulk-len.
bool BitOffsetOrReply(CommandContext& ctx, std::string_view arg, int bits, uint64_t* out) {
  bool fields = bits > 0 && !arg.empty() && arg[0] == '#';
  long long v;
  if (!ParseLongLong(fields ? arg.substr(1) : arg, &v) || v < 0 ||
      (fields && v > INT64_MAX / bits)) {
    return ErrorReply(ctx, errors::kBitOffset), false;
  }
  if (fields) v *= bits;
  if ((v >> 3) >= ctx.server.config().proto_max_bulk_len) {
    return ErrorReply(ctx, errors::kBitOffset), false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

// The bytes (or bits) [start, end] of a value `len` bytes long, Redis's way: negative indexes
// count from the end, both are clamped into the value. False when the range is empty.
bool ClampRange(long long start, long long end, long long total, long long* first,
                long long* last) {
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  *first = start, *last = end;
  return start <= end;
}

// BYTE or BIT at args[at]; false (a syntax error replied) for anything else.
bool UnitOrReply(CommandContext& ctx, size_t at, bool* bits) {
  if (at >= ctx.args.size()) return true;
  if (EqualsNoCase(ctx.args[at], "BIT")) return *bits = true;
  if (EqualsNoCase(ctx.args[at], "BYTE")) return !(*bits = false);
  return ErrorReply(ctx, errors::kSyntax), false;
}

void CmdSetbit(CommandContext& ctx) {
  uint64_t offset;
  if (!BitOffsetOrReply(ctx, ctx.args[2], 0, &offset)) return;
  long long bit;
  if (!ParseLongLong(ctx.args[3], &bit) || (bit & ~1LL) != 0) {
    return ErrorReply(ctx, errors::kBitValue);
  }
  bool changed;
  auto old = Bitmap::SetBit(Op(ctx), ctx.args[1], offset, static_cast<int>(bit), &changed);
  if (!OkOrReply(ctx, old)) return;
  if (changed) Notify(ctx, kNotifyString, "setbit", ctx.args[1]);
  ctx.reply.Integer(*old);
}

void CmdGetbit(CommandContext& ctx) {
  uint64_t offset;
  if (!BitOffsetOrReply(ctx, ctx.args[2], 0, &offset)) return;
  auto bit = Bitmap::GetBit(Op(ctx), ctx.args[1], offset);
  if (!OkOrReply(ctx, bit)) return;
  ctx.reply.Integer(*bit);
}

void CmdBitcount(CommandContext& ctx) {
  auto v = types::String::Get(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, v)) return;
  if (!v->has_value()) return ctx.reply.Integer(0);  // before the arguments, as Redis
  std::string_view value = **v;
  auto len = static_cast<long long>(value.size());
  long long first = 0, last = len * 8 - 1;
  if (ctx.args.size() == 4 || ctx.args.size() == 5) {
    long long start, end;
    if (!IntegerOrReply(ctx, ctx.args[2], &start) || !IntegerOrReply(ctx, ctx.args[3], &end)) {
      return;
    }
    if (start < 0 && end < 0 && start > end) return ctx.reply.Integer(0);
    bool bits = false;
    if (!UnitOrReply(ctx, 4, &bits)) return;
    if (!ClampRange(start, end, bits ? len * 8 : len, &first, &last)) return ctx.reply.Integer(0);
    if (!bits) first *= 8, last = last * 8 + 7;
  } else if (ctx.args.size() != 2) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (len == 0) return ctx.reply.Integer(0);
  ctx.reply.Integer(static_cast<long long>(Bitmap::Count(value, first, last)));
}

void CmdBitpos(CommandContext& ctx) {
  long long bit;
  if (!IntegerOrReply(ctx, ctx.args[2], &bit)) return;
  if (bit != 0 && bit != 1) return ErrorReply(ctx, errors::kBitposBit);
  auto v = types::String::Get(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, v)) return;
  // A missing key is an endless run of zeros.
  if (!v->has_value()) return ctx.reply.Integer(bit ? -1 : 0);
  std::string_view value = **v;
  auto len = static_cast<long long>(value.size());
  long long first = 0, last = len * 8 - 1;
  bool end_given = false;
  if (ctx.args.size() >= 4 && ctx.args.size() <= 6) {
    long long start, end = 0;
    if (!IntegerOrReply(ctx, ctx.args[3], &start)) return;
    bool bits = false;
    if (!UnitOrReply(ctx, 5, &bits)) return;
    if (ctx.args.size() >= 5) {
      if (!IntegerOrReply(ctx, ctx.args[4], &end)) return;
      end_given = true;
    } else {
      end = bits ? len * 8 - 1 : len - 1;
    }
    if (!ClampRange(start, end, bits ? len * 8 : len, &first, &last)) {
      return ctx.reply.Integer(-1);
    }
    if (!bits) first *= 8, last = last * 8 + 7;
  } else if (ctx.args.size() != 3) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (len == 0) return ctx.reply.Integer(-1);
  int64_t pos = Bitmap::Find(value, static_cast<int>(bit), static_cast<uint64_t>(first),
                             static_cast<uint64_t>(last));
  // Past the end of the string there are more zeros, unless the range was given whole.
  if (pos < 0 && bit == 0 && !end_given) pos = last + 1;
  ctx.reply.Integer(pos);
}

void CmdBitop(CommandContext& ctx) {
  std::string_view name = ctx.args[1];
  Bitmap::Op op;
  if (EqualsNoCase(name, "AND")) {
    op = Bitmap::Op::kAnd;
  } else if (EqualsNoCase(name, "OR")) {
    op = Bitmap::Op::kOr;
  } else if (EqualsNoCase(name, "XOR")) {
    op = Bitmap::Op::kXor;
  } else if (EqualsNoCase(name, "NOT")) {
    op = Bitmap::Op::kNot;
  } else {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (op == Bitmap::Op::kNot && ctx.args.size() != 4) return ErrorReply(ctx, errors::kBitopNot);
  std::vector<std::string> sources;
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    auto v = types::String::Get(Op(ctx), ctx.args[i]);
    if (!OkOrReply(ctx, v)) return;
    sources.emplace_back(v->value_or(std::string_view()));
  }
  std::string result = Bitmap::Combine(op, sources);
  std::string_view dest = ctx.args[2];
  if (!result.empty()) {
    if (!OkOrReply(ctx, types::String::Put(Op(ctx), dest, result))) return;
    Notify(ctx, kNotifyString, "set", dest);
  } else {
    auto deleted = ctx.server.keyspace().DeleteKey(ctx.client.db, dest);
    if (!OkOrReply(ctx, deleted)) return;
    if (*deleted) Notify(ctx, kNotifyGeneric, "del", dest);
  }
  ctx.reply.Integer(static_cast<long long>(result.size()));
}

void Bitfield(CommandContext& ctx, bool read_only) {
  std::vector<BitField> fields;
  BitField::Overflow overflow = BitField::Overflow::kWrap;
  bool writes = false;
  for (size_t j = 2; j < ctx.args.size(); ++j) {
    size_t rest = ctx.args.size() - j - 1;
    std::string_view sub = ctx.args[j];
    BitField f;
    if (EqualsNoCase(sub, "GET") && rest >= 2) {
      f.kind = BitField::Kind::kGet;
    } else if (EqualsNoCase(sub, "SET") && rest >= 3) {
      f.kind = BitField::Kind::kSet;
    } else if (EqualsNoCase(sub, "INCRBY") && rest >= 3) {
      f.kind = BitField::Kind::kIncrBy;
    } else if (EqualsNoCase(sub, "OVERFLOW") && rest >= 1) {
      std::string_view how = ctx.args[++j];
      if (EqualsNoCase(how, "WRAP")) {
        overflow = BitField::Overflow::kWrap;
      } else if (EqualsNoCase(how, "SAT")) {
        overflow = BitField::Overflow::kSat;
      } else if (EqualsNoCase(how, "FAIL")) {
        overflow = BitField::Overflow::kFail;
      } else {
        return ErrorReply(ctx, errors::kBitfieldOverflow);
      }
      continue;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
    std::string_view type = ctx.args[j + 1];
    long long bits = 0;
    f.is_signed = !type.empty() && type[0] == 'i';
    if (type.empty() || (type[0] != 'i' && type[0] != 'u') ||
        !ParseLongLong(type.substr(1), &bits) || bits < 1 || bits > (f.is_signed ? 64 : 63)) {
      return ErrorReply(ctx, errors::kBitfieldType);
    }
    f.bits = static_cast<int>(bits);
    if (!BitOffsetOrReply(ctx, ctx.args[j + 2], f.bits, &f.offset)) return;
    if (f.kind != BitField::Kind::kGet) {
      writes = true;
      long long value;
      if (!IntegerOrReply(ctx, ctx.args[j + 3], &value)) return;
      f.value = value;
    }
    f.overflow = overflow;
    fields.push_back(f);
    j += f.kind == BitField::Kind::kGet ? 2 : 3;
  }
  if (writes && read_only) return ErrorReply(ctx, errors::kBitfieldReadOnly);
  bool changed = false;
  std::vector<std::optional<int64_t>> replies;
  if (fields.empty()) {
    auto v = types::String::Get(Op(ctx), ctx.args[1]);  // a type check still
    if (!OkOrReply(ctx, v)) return;
  } else {
    auto r = Bitmap::Fields(Op(ctx), ctx.args[1], fields, &changed);
    if (!OkOrReply(ctx, r)) return;
    replies = std::move(*r);
  }
  if (changed) Notify(ctx, kNotifyString, "setbit", ctx.args[1]);
  ctx.reply.ArrayHeader(replies.size());
  for (const auto& r : replies) {
    if (r) {
      ctx.reply.Integer(*r);
    } else {
      ctx.reply.Null();
    }
  }
}

void CmdBitfield(CommandContext& ctx) { Bitfield(ctx, false); }
void CmdBitfieldRo(CommandContext& ctx) { Bitfield(ctx, true); }

}  // namespace

std::vector<CommandSpec> BitmapCommands() {
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  constexpr auto row = CommandRow;
  return {
      row("setbit", CmdSetbit, 4, kW, 1, 1, 1),
      row("getbit", CmdGetbit, 3, kR | kCmdFast, 1, 1, 1),
      row("bitcount", CmdBitcount, -2, kR, 1, 1, 1),
      row("bitpos", CmdBitpos, -3, kR, 1, 1, 1),
      row("bitop", CmdBitop, -4, kW, 2, -1, 1),
      row("bitfield", CmdBitfield, -2, kW, 1, 1, 1),
      row("bitfield_ro", CmdBitfieldRo, -2, kR | kCmdFast, 1, 1, 1),
  };
}

}  // namespace strata
