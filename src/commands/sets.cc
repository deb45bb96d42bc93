// Set commands: SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS SPOP SRANDMEMBER SMOVE SUNION
// SINTER SDIFF SUNIONSTORE SINTERSTORE SDIFFSTORE SINTERCARD SSCAN. Argument parsing and
// replies only: the set itself is types/set.h.
#include <climits>

#include "commands/scan.h"
#include "commands/registry.h"
#include "types/set.h"

namespace strata {
namespace {

using types::Set;
using Algebra = types::Set::Algebra;

void ReplySet(CommandContext& ctx, const std::vector<std::string>& members) {
  ctx.reply.SetHeader(members.size());
  for (const auto& m : members) ctx.reply.Bulk(m);
}

void CmdSadd(CommandContext& ctx) {
  auto added = Set::Add(Op(ctx), ctx.args[1], ctx.args.subspan(2));
  if (!OkOrReply(ctx, added)) return;
  if (*added > 0) Notify(ctx, kNotifySet, "sadd", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*added));
}

void CmdSrem(CommandContext& ctx) {
  auto removed = Set::Remove(Op(ctx), ctx.args[1], ctx.args.subspan(2));
  if (!OkOrReply(ctx, removed)) return;
  if (*removed > 0) Notify(ctx, kNotifySet, "srem", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*removed));
}

void CmdSismember(CommandContext& ctx) {
  auto answers = Set::Contains(Op(ctx), ctx.args[1], ctx.args.subspan(2, 1));
  if (!OkOrReply(ctx, answers)) return;
  ctx.reply.Integer(answers->front() ? 1 : 0);
}

void CmdSmismember(CommandContext& ctx) {
  auto answers = Set::Contains(Op(ctx), ctx.args[1], ctx.args.subspan(2));
  if (!OkOrReply(ctx, answers)) return;
  ctx.reply.ArrayHeader(answers->size());
  for (bool a : *answers) ctx.reply.Integer(a ? 1 : 0);
}

void CmdScard(CommandContext& ctx) {
  auto card = Set::Card(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, card)) return;
  ctx.reply.Integer(static_cast<long long>(*card));
}

void CmdSmembers(CommandContext& ctx) {
  auto members = Set::Members(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, members)) return;
  ReplySet(ctx, *members);
}

void CmdSpop(CommandContext& ctx) {
  long long count = -1;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::kSyntax);
  if (ctx.args.size() == 3) {
    if (!ParseLongLong(ctx.args[2], &count) || count < 0) {
      return ErrorReply(ctx, errors::kMustBePositive);
    }
  }
  auto popped = Set::Pop(Op(ctx), ctx.args[1], count < 0 ? 1 : static_cast<uint64_t>(count));
  if (!OkOrReply(ctx, popped)) return;
  if (!popped->empty()) Notify(ctx, kNotifySet, "spop", ctx.args[1]);
  if (count < 0) return popped->empty() ? ctx.reply.Null() : ctx.reply.Bulk(popped->front());
  ReplySet(ctx, *popped);
}

void CmdSrandmember(CommandContext& ctx) {
  long long count = 1;
  bool single = ctx.args.size() == 2;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::kSyntax);
  if (!single) {
    if (!IntegerOrReply(ctx, ctx.args[2], &count)) return;
    if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) {
      return ErrorReply(ctx, errors::kValueOutOfRange);
    }
  }
  uint64_t n = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  auto picked = Set::RandomMembers(Op(ctx), ctx.args[1], n, count < 0);
  if (!OkOrReply(ctx, picked)) return;
  if (single) return picked->empty() ? ctx.reply.Null() : ctx.reply.Bulk(picked->front());
  ctx.reply.ArrayHeader(picked->size());
  for (const auto& m : *picked) ctx.reply.Bulk(m);
}

void CmdSmove(CommandContext& ctx) {
  auto moved = Set::Move(Op(ctx), ctx.args[1], ctx.args[2], ctx.args[3]);
  if (!OkOrReply(ctx, moved)) return;
  if (*moved) {
    Notify(ctx, kNotifySet, "srem", ctx.args[1]);
    Notify(ctx, kNotifySet, "sadd", ctx.args[2]);
  }
  ctx.reply.Integer(*moved ? 1 : 0);
}

void SetOp(CommandContext& ctx, Algebra algebra) {
  auto members = Set::Combine(Op(ctx), ctx.args.subspan(1), algebra);
  if (!OkOrReply(ctx, members)) return;
  ReplySet(ctx, *members);
}

void SetOpStore(CommandContext& ctx, Algebra algebra) {
  auto members = Set::Combine(Op(ctx), ctx.args.subspan(2), algebra);
  if (!OkOrReply(ctx, members) || !OkOrReply(ctx, Set::Store(Op(ctx), ctx.args[1], *members))) {
    return;
  }
  if (!members->empty()) {
    Notify(ctx, kNotifySet,
           algebra == Algebra::kUnion   ? "sunionstore"
           : algebra == Algebra::kInter ? "sinterstore"
                                        : "sdiffstore",
           ctx.args[1]);
  }
  ctx.reply.Integer(static_cast<long long>(members->size()));
}

void CmdSunion(CommandContext& ctx) { SetOp(ctx, Algebra::kUnion); }
void CmdSinter(CommandContext& ctx) { SetOp(ctx, Algebra::kInter); }
void CmdSdiff(CommandContext& ctx) { SetOp(ctx, Algebra::kDiff); }
void CmdSunionstore(CommandContext& ctx) { SetOpStore(ctx, Algebra::kUnion); }
void CmdSinterstore(CommandContext& ctx) { SetOpStore(ctx, Algebra::kInter); }
void CmdSdiffstore(CommandContext& ctx) { SetOpStore(ctx, Algebra::kDiff); }

void CmdSintercard(CommandContext& ctx) {
  size_t numkeys;
  if (!NumkeysOrReply(ctx, 1, errors::kNumkeysTooMany, &numkeys)) return;
  long long limit = 0;
  size_t j = 2 + static_cast<size_t>(numkeys);
  if (j < ctx.args.size()) {
    if (!EqualsNoCase(ctx.args[j], "LIMIT") || j + 2 != ctx.args.size()) {
      return ErrorReply(ctx, errors::kSyntax);
    }
    if (!ParseLongLong(ctx.args[j + 1], &limit) || limit < 0) {
      return ErrorReply(ctx, errors::kLimitNegative);
    }
  }
  auto members = Set::Combine(Op(ctx), ctx.args.subspan(2, static_cast<size_t>(numkeys)),
                              Algebra::kInter, static_cast<uint64_t>(limit));
  if (!OkOrReply(ctx, members)) return;
  ctx.reply.Integer(static_cast<long long>(members->size()));
}

void CmdSscan(CommandContext& ctx) {
  ScanCollection(ctx, types::Type::kSet,
                 [](std::string_view member, std::string_view, std::vector<std::string>* out) {
                   out->emplace_back(member);
                 });
}

}  // namespace

std::vector<CommandSpec> SetCommands() {
  constexpr auto row = CommandRow;
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  return {
      row("sadd", CmdSadd, -3, kW | kCmdFast),
      row("srem", CmdSrem, -3, kCmdWrite | kCmdFast),
      row("sismember", CmdSismember, 3, kR | kCmdFast),
      row("smismember", CmdSmismember, -3, kR | kCmdFast),
      row("scard", CmdScard, 2, kR | kCmdFast),
      row("smembers", CmdSmembers, 2, kR),
      row("spop", CmdSpop, -2, kCmdWrite | kCmdFast),
      row("srandmember", CmdSrandmember, -2, kR),
      row("smove", CmdSmove, 4, kCmdWrite | kCmdFast, 1, 2),
      row("sunion", CmdSunion, -2, kR, 1, -1),
      row("sinter", CmdSinter, -2, kR, 1, -1),
      row("sdiff", CmdSdiff, -2, kR, 1, -1),
      row("sunionstore", CmdSunionstore, -3, kW, 1, -1),
      row("sinterstore", CmdSinterstore, -3, kW, 1, -1),
      row("sdiffstore", CmdSdiffstore, -3, kW, 1, -1),
      row("sintercard", CmdSintercard, -3, kR, 0, 0),
      row("sscan", CmdSscan, -3, kR),
  };
}

}  // namespace strata
