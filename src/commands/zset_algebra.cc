// ZUNION, ZINTER, ZDIFF, their STORE forms, and ZINTERCARD: argument parsing and replies
// (the algebra itself is Zset::Combine, types/zset_algebra.cc).
#include <climits>
#include <cmath>
#include <map>

#include "commands/zsets.h"

namespace strata {
namespace {

using types::Zset;
using Algebra = types::Zset::Algebra;
using Aggregate = types::Zset::Aggregate;

// Reads numkeys (at args[at]), the keys, WEIGHTS/AGGREGATE (not for ZDIFF), WITHSCORES
// (allow_scores), and computes the result, sorted by score then member.
bool ComputeOrReply(CommandContext& ctx, size_t at, Algebra algebra, bool allow_scores,
                    std::vector<Scored>* out, bool* with_scores) {
  long long numkeys;
  if (!IntegerOrReply(ctx, ctx.args[at], &numkeys)) return false;
  if (numkeys <= 0) {
    ErrorReply(ctx, errors::ZsetNumkeys(ctx.args[0]));
    return false;
  }
  if (numkeys > static_cast<long long>(ctx.args.size() - at - 1)) {
    ErrorReply(ctx, errors::kSyntax);
    return false;
  }
  size_t first = at + 1, end = first + static_cast<size_t>(numkeys);
  auto keys = ctx.args.subspan(first, static_cast<size_t>(numkeys));
  // Sources may be sets (score 1) or sorted sets; their types are checked first, as Redis.
  if (!OkOrReply(ctx, Zset::CheckAlgebraInputs(Op(ctx), keys))) return false;
  std::vector<double> weights(static_cast<size_t>(numkeys), 1.0);
  Aggregate aggregate = Aggregate::kSum;
  *with_scores = false;
  for (size_t j = end; j < ctx.args.size(); ++j) {
    std::string_view o = ctx.args[j];
    size_t left = ctx.args.size() - j - 1;
    if (algebra != Algebra::kDiff && EqualsNoCase(o, "WEIGHTS") && left >= weights.size()) {
      for (size_t w = 0; w < weights.size(); ++w) {
        if (!ParseDouble(ctx.args[j + 1 + w], &weights[w])) {
          ErrorReply(ctx, errors::kWeightNotFloat);
          return false;
        }
      }
      j += weights.size();
    } else if (algebra != Algebra::kDiff && EqualsNoCase(o, "AGGREGATE") && left >= 1) {
      std::string_view a = ctx.args[++j];
      if (EqualsNoCase(a, "SUM")) {
        aggregate = Aggregate::kSum;
      } else if (EqualsNoCase(a, "MIN")) {
        aggregate = Aggregate::kMin;
      } else if (EqualsNoCase(a, "MAX")) {
        aggregate = Aggregate::kMax;
      } else {
        ErrorReply(ctx, errors::kSyntax);
        return false;
      }
    } else if (allow_scores && EqualsNoCase(o, "WITHSCORES")) {
      *with_scores = true;
    } else {
      ErrorReply(ctx, errors::kSyntax);
      return false;
    }
  }
  auto result = Zset::Combine(Op(ctx), keys, algebra, weights, aggregate);
  if (!OkOrReply(ctx, result)) return false;
  *out = std::move(*result);
  return true;
}

void AlgebraReply(CommandContext& ctx, Algebra algebra) {
  std::vector<Scored> items;
  bool with_scores;
  if (!ComputeOrReply(ctx, 1, algebra, true, &items, &with_scores)) return;
  ReplyScored(ctx, items, with_scores);
}

void AlgebraStore(CommandContext& ctx, Algebra algebra) {
  std::vector<Scored> items;
  bool with_scores;
  if (!ComputeOrReply(ctx, 2, algebra, false, &items, &with_scores) ||
      !OkOrReply(ctx, Zset::Store(Op(ctx), ctx.args[1], items))) {
    return;
  }
  if (!items.empty()) {
    Notify(ctx, kNotifyZSet,
           algebra == Algebra::kUnion   ? "zunionstore"
           : algebra == Algebra::kInter ? "zinterstore"
                                        : "zdiffstore",
           ctx.args[1]);
  }
  ctx.reply.Integer(static_cast<long long>(items.size()));
}

void CmdZunion(CommandContext& ctx) { AlgebraReply(ctx, Algebra::kUnion); }
void CmdZinter(CommandContext& ctx) { AlgebraReply(ctx, Algebra::kInter); }
void CmdZdiff(CommandContext& ctx) { AlgebraReply(ctx, Algebra::kDiff); }
void CmdZunionstore(CommandContext& ctx) { AlgebraStore(ctx, Algebra::kUnion); }
void CmdZinterstore(CommandContext& ctx) { AlgebraStore(ctx, Algebra::kInter); }
void CmdZdiffstore(CommandContext& ctx) { AlgebraStore(ctx, Algebra::kDiff); }

void CmdZintercard(CommandContext& ctx) {
  long long numkeys;
  if (!IntegerOrReply(ctx, ctx.args[1], &numkeys)) return;
  if (numkeys <= 0) return ErrorReply(ctx, errors::ZsetNumkeys("zintercard"));
  if (numkeys > static_cast<long long>(ctx.args.size() - 2))
    return ErrorReply(ctx, errors::kSyntax);
  size_t j = 2 + static_cast<size_t>(numkeys);
  auto keys = ctx.args.subspan(2, static_cast<size_t>(numkeys));
  // Redis checks the keys' types before the options.
  if (!OkOrReply(ctx, Zset::CheckAlgebraInputs(Op(ctx), keys))) return;
  long long limit = 0;
  if (j < ctx.args.size()) {
    if (!EqualsNoCase(ctx.args[j], "LIMIT") || j + 2 != ctx.args.size()) {
      return ErrorReply(ctx, errors::kSyntax);
    }
    if (!ParseLongLong(ctx.args[j + 1], &limit) || limit < 0) {
      return ErrorReply(ctx, errors::kLimitNegative);
    }
  }
  std::vector<double> weights(keys.size(), 1.0);
  auto items = Zset::Combine(Op(ctx), keys, Algebra::kInter, weights, Aggregate::kSum);
  if (!OkOrReply(ctx, items)) return;
  auto n = static_cast<long long>(items->size());
  ctx.reply.Integer(limit > 0 ? std::min(n, limit) : n);
}

}  // namespace

std::vector<CommandSpec> SortedSetAlgebraCommands() {
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  return {
      ZsetRow("zunion", CmdZunion, -3, kR, 0, 0),
      ZsetRow("zinter", CmdZinter, -3, kR, 0, 0),
      ZsetRow("zdiff", CmdZdiff, -3, kR, 0, 0),
      ZsetRow("zunionstore", CmdZunionstore, -4, kW, 1, 1),
      ZsetRow("zinterstore", CmdZinterstore, -4, kW, 1, 1),
      ZsetRow("zdiffstore", CmdZdiffstore, -4, kW, 1, 1),
      ZsetRow("zintercard", CmdZintercard, -3, kR, 0, 0),
  };
}

}  // namespace strata
