// ZUNION, ZINTER, ZDIFF, their STORE forms, and ZINTERCARD: reading whole sorted sets and
// combining them in memory, as Redis does.
#include <climits>
#include <cmath>
#include <map>

#include "commands/zsets.h"

namespace strata {
namespace {

using types::Type;

// ---- ZUNION, ZINTER, ZDIFF (and STORE), ZINTERCARD ------------------------------------------

enum class SetOp { kUnion, kInter, kDiff };

// Reads numkeys (at args[at]), the keys, WEIGHTS/AGGREGATE (not for ZDIFF), WITHSCORES
// (allow_scores). Computes the result into *out, sorted by score then member.
bool ComputeSetOpOrReply(CommandContext& ctx, size_t at, SetOp op, bool allow_scores,
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
  // Sources may be sets (score 1) or sorted sets, as in Redis.
  std::vector<std::map<std::string, double>> inputs;
  for (size_t k = first; k < end; ++k) {
    types::Meta meta;
    bool found;
    if (!LookupOrReply(ctx, ctx.args[k], &meta, &found)) return false;
    std::map<std::string, double> members;
    if (found) {
      if (meta.type != Type::kZSet && meta.type != Type::kSet) {
        ErrorReply(ctx, errors::kWrongType);
        return false;
      }
      Collection c;
      if (!LoadCollectionOrReply(ctx, ctx.args[k], meta.type, &c)) return false;
      bool zset = meta.type == Type::kZSet;
      if (!ForEachElementOrReply(ctx, c, types::kSubkeyTag,
                                 [&](std::string_view m, std::string_view raw) {
                                   members[std::string(m)] = zset ? types::DecodeScore(raw) : 1.0;
                                   return true;
                                 })) {
        return false;
      }
    }
    inputs.push_back(std::move(members));
  }
  std::vector<double> weights(static_cast<size_t>(numkeys), 1.0);
  enum { kSum, kMin, kMax } aggregate = kSum;
  *with_scores = false;
  for (size_t j = end; j < ctx.args.size(); ++j) {
    std::string_view o = ctx.args[j];
    size_t left = ctx.args.size() - j - 1;
    if (op != SetOp::kDiff && EqualsNoCase(o, "WEIGHTS") && left >= weights.size()) {
      for (size_t w = 0; w < weights.size(); ++w) {
        if (!ParseDouble(ctx.args[j + 1 + w], &weights[w])) {
          ErrorReply(ctx, errors::kWeightNotFloat);
          return false;
        }
      }
      j += weights.size();
    } else if (op != SetOp::kDiff && EqualsNoCase(o, "AGGREGATE") && left >= 1) {
      std::string_view a = ctx.args[++j];
      if (EqualsNoCase(a, "SUM")) {
        aggregate = kSum;
      } else if (EqualsNoCase(a, "MIN")) {
        aggregate = kMin;
      } else if (EqualsNoCase(a, "MAX")) {
        aggregate = kMax;
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
  auto combine = [&](double acc, double v) {
    if (aggregate == kSum) {
      double r = acc + v;
      return std::isnan(r) ? 0.0 : r;  // inf + -inf is 0 in Redis
    }
    return aggregate == kMin ? std::min(acc, v) : std::max(acc, v);
  };
  auto weighted = [&](size_t i, double v) {
    double r = v * weights[i];
    return std::isnan(r) ? 0.0 : r;
  };
  std::map<std::string, double> result;
  if (op == SetOp::kUnion) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      for (const auto& [m, s] : inputs[i]) {
        auto [it, fresh] = result.emplace(m, weighted(i, s));
        if (!fresh) it->second = combine(it->second, weighted(i, s));
      }
    }
  } else if (op == SetOp::kInter) {
    for (const auto& [m, s] : inputs[0]) {
      double acc = weighted(0, s);
      bool everywhere = true;
      for (size_t i = 1; i < inputs.size() && everywhere; ++i) {
        auto it = inputs[i].find(m);
        everywhere = it != inputs[i].end();
        if (everywhere) acc = combine(acc, weighted(i, it->second));
      }
      if (everywhere) result.emplace(m, acc);
    }
  } else {
    for (const auto& [m, s] : inputs[0]) {
      bool elsewhere = false;
      for (size_t i = 1; i < inputs.size() && !elsewhere; ++i) elsewhere = inputs[i].count(m);
      if (!elsewhere) result.emplace(m, s);
    }
  }
  for (auto& [m, s] : result) out->push_back({m, s});
  std::sort(out->begin(), out->end(), [](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score < b.score : a.member < b.member;
  });
  return true;
}

void SetOpReply(CommandContext& ctx, SetOp op) {
  std::vector<Scored> items;
  bool with_scores;
  if (!ComputeSetOpOrReply(ctx, 1, op, true, &items, &with_scores)) return;
  ReplyScored(ctx, items, with_scores);
}

void SetOpStore(CommandContext& ctx, SetOp op) {
  std::vector<Scored> items;
  bool with_scores;
  if (!ComputeSetOpOrReply(ctx, 2, op, false, &items, &with_scores)) return;
  if (!OkOrReply(ctx, ctx.server.keyspace().Delete(ctx.client.db, ctx.args[1]))) return;
  Collection dst = NewCollection(ctx);
  for (const auto& it : items) {
    types::Zset::SetScore(ctx.server.keyspace(), &dst, it.member, it.score, nullptr);
  }
  if (!items.empty() && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kZSet, dst)) return;
  ctx.reply.Integer(static_cast<long long>(items.size()));
}

void CmdZunion(CommandContext& ctx) { SetOpReply(ctx, SetOp::kUnion); }
void CmdZinter(CommandContext& ctx) { SetOpReply(ctx, SetOp::kInter); }
void CmdZdiff(CommandContext& ctx) { SetOpReply(ctx, SetOp::kDiff); }
void CmdZunionstore(CommandContext& ctx) { SetOpStore(ctx, SetOp::kUnion); }
void CmdZinterstore(CommandContext& ctx) { SetOpStore(ctx, SetOp::kInter); }
void CmdZdiffstore(CommandContext& ctx) { SetOpStore(ctx, SetOp::kDiff); }

void CmdZintercard(CommandContext& ctx) {
  long long numkeys;
  if (!IntegerOrReply(ctx, ctx.args[1], &numkeys)) return;
  if (numkeys <= 0) return ErrorReply(ctx, errors::ZsetNumkeys("zintercard"));
  if (numkeys > static_cast<long long>(ctx.args.size() - 2)) {
    return ErrorReply(ctx, errors::kNumkeysTooMany);
  }
  size_t j = 2 + static_cast<size_t>(numkeys);
  for (size_t k = 2; k < j; ++k) {  // Redis checks the keys' types before the options
    types::Meta meta;
    bool found;
    if (!LookupOrReply(ctx, ctx.args[k], &meta, &found)) return;
    if (found && meta.type != Type::kZSet && meta.type != Type::kSet) {
      return ErrorReply(ctx, errors::kWrongType);
    }
  }
  long long limit = 0;
  if (j < ctx.args.size()) {
    if (!EqualsNoCase(ctx.args[j], "LIMIT") || j + 2 != ctx.args.size()) {
      return ErrorReply(ctx, errors::kSyntax);
    }
    if (!ParseLongLong(ctx.args[j + 1], &limit) || limit < 0) {
      return ErrorReply(ctx, errors::kLimitNegative);
    }
  }
  // Reuse the set-operation reader on a synthetic "ZINTER numkeys keys..." shape.
  std::vector<std::string_view> args(ctx.args.begin(), ctx.args.begin() + j);
  CommandContext inner{args, ctx.reply, ctx.client, ctx.server, ctx.now_ms};
  std::vector<Scored> items;
  bool with_scores;
  if (!ComputeSetOpOrReply(inner, 1, SetOp::kInter, false, &items, &with_scores)) return;
  auto n = static_cast<long long>(items.size());
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
