// Sorted-set commands. Two element spaces per zset (types/collection.h): member -> score
// ('S', member order: ZSCORE, BYLEX ranges) and (score, member) -> "" ('Z', score order:
// ranks, BYSCORE ranges, pops). Rank queries walk the score index: ZRANK and ZRANGE by
// rank cost O(rank + count) here instead of Redis's O(log N); we chose no rank counters
// because every write would have to update them, and ranks deep into huge sets are rare.
#include "commands/zsets.h"

#include <climits>
#include <cmath>
#include <map>

#include "commands/blocking.h"
#include "commands/scan.h"
#include "commands/registry.h"
#include "types/zset.h"

namespace strata {

void ReplyScore(CommandContext& ctx, double score) {
  if (ctx.reply.resp() == 3) return ctx.reply.Double(score);
  ctx.reply.Bulk(FormatDouble(score));
}

// Members with or without scores: RESP3 pairs them, RESP2 flattens.
void ReplyScored(CommandContext& ctx, const std::vector<Scored>& items, bool with_scores) {
  bool pairs = with_scores && ctx.reply.resp() == 3;
  ctx.reply.ArrayHeader(with_scores && !pairs ? items.size() * 2 : items.size());
  for (const auto& it : items) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    if (with_scores) ReplyScore(ctx, it.score);
  }
}

namespace {

using types::Zset;
using Range = types::Zset::Range;

// ---- ZADD, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD ------------------------------------------

void Zadd(CommandContext& ctx, bool zincrby) {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = zincrby;
  size_t j = 2;
  for (; !zincrby && j < ctx.args.size(); ++j) {
    std::string_view o = ctx.args[j];
    if (EqualsNoCase(o, "NX")) {
      nx = true;
    } else if (EqualsNoCase(o, "XX")) {
      xx = true;
    } else if (EqualsNoCase(o, "GT")) {
      gt = true;
    } else if (EqualsNoCase(o, "LT")) {
      lt = true;
    } else if (EqualsNoCase(o, "CH")) {
      ch = true;
    } else if (EqualsNoCase(o, "INCR")) {
      incr = true;
    } else {
      break;
    }
  }
  size_t elements = ctx.args.size() - j;
  if (elements == 0 || elements % 2 != 0) return ErrorReply(ctx, errors::kSyntax);
  if (incr && elements > 2) return ErrorReply(ctx, errors::kZaddIncrPair);
  if (nx && xx) return ErrorReply(ctx, errors::kZaddNxXx);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return ErrorReply(ctx, errors::kZaddGtLtNx);
  std::vector<double> scores;
  for (size_t i = j; i < ctx.args.size(); i += 2) {
    double d;
    if (!ParseDouble(ctx.args[i], &d)) return ErrorReply(ctx, errors::kNotFloat);
    scores.push_back(d);
  }
  std::vector<std::string_view> members;
  for (size_t i = j + 1; i < ctx.args.size(); i += 2) members.push_back(ctx.args[i]);
  auto r = Zset::Add(Op(ctx), ctx.args[1], {.nx = nx, .xx = xx, .gt = gt, .lt = lt, .incr = incr},
                     scores, members);
  if (!OkOrReply(ctx, r)) return;
  if (r->added + r->changed > 0) Notify(ctx, kNotifyZSet, incr ? "zincr" : "zadd", ctx.args[1]);
  if (incr) return r->skipped ? ctx.reply.Null() : ReplyScore(ctx, r->score);
  ctx.reply.Integer(static_cast<long long>(ch ? r->added + r->changed : r->added));
}

void CmdZadd(CommandContext& ctx) { Zadd(ctx, false); }

void CmdZincrby(CommandContext& ctx) {
  // ZINCRBY key increment member is ZADD key INCR increment member.
  Zadd(ctx, true);
}

void CmdZrem(CommandContext& ctx) {
  auto removed = Zset::Remove(Op(ctx), ctx.args[1], ctx.args.subspan(2));
  if (!OkOrReply(ctx, removed)) return;
  if (*removed > 0) Notify(ctx, kNotifyZSet, "zrem", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*removed));
}

void CmdZscore(CommandContext& ctx) {
  auto scores = Zset::Scores(Op(ctx), ctx.args[1], ctx.args.subspan(2, 1));
  if (!OkOrReply(ctx, scores)) return;
  scores->front() ? ReplyScore(ctx, *scores->front()) : ctx.reply.Null();
}

void CmdZmscore(CommandContext& ctx) {
  auto scores = Zset::Scores(Op(ctx), ctx.args[1], ctx.args.subspan(2));
  if (!OkOrReply(ctx, scores)) return;
  ctx.reply.ArrayHeader(scores->size());
  for (auto s : *scores) s ? ReplyScore(ctx, *s) : ctx.reply.Null();
}

void CmdZcard(CommandContext& ctx) {
  auto card = Zset::Card(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, card)) return;
  ctx.reply.Integer(static_cast<long long>(*card));
}

// ---- Ranges -------------------------------------------------------------------------------

bool ParseScoreBound(std::string_view arg, Zset::ScoreBound* b) {
  b->exclusive = !arg.empty() && arg[0] == '(';
  if (b->exclusive) arg.remove_prefix(1);
  return ParseDouble(arg, &b->value);
}

bool ParseLexBound(std::string_view arg, Zset::LexBound* b) {
  if (arg == "-" || arg == "+") {
    b->infinity = arg == "-" ? -1 : 1;
    return true;
  }
  if (arg.empty() || (arg[0] != '(' && arg[0] != '[')) return false;
  b->exclusive = arg[0] == '(';
  b->value.assign(arg.substr(1));
  return true;
}

// Parses "<min> <max>" (reversed for REV forms) at args[at], args[at + 1].
bool ParseBoundsOrReply(CommandContext& ctx, size_t at, Range* r) {
  std::string_view lo = ctx.args[at], hi = ctx.args[at + 1];
  if (r->rev) std::swap(lo, hi);
  if (r->kind == Range::kScore) {
    if (!ParseScoreBound(lo, &r->min) || !ParseScoreBound(hi, &r->max)) {
      ErrorReply(ctx, errors::kMinMaxNotFloat);
      return false;
    }
  } else if (r->kind == Range::kLex) {
    if (!ParseLexBound(lo, &r->lex_min) || !ParseLexBound(hi, &r->lex_max)) {
      ErrorReply(ctx, errors::kMinMaxNotLex);
      return false;
    }
  } else {
    if (!IntegerOrReply(ctx, ctx.args[at], &r->start) ||
        !IntegerOrReply(ctx, ctx.args[at + 1], &r->stop)) {
      return false;
    }
  }
  return true;
}

// ZRANGE and friends. form: the command's fixed shape (kind, rev) or, for ZRANGE and
// ZRANGESTORE, options decide. key_at: the source key's index.
void RangeGeneric(CommandContext& ctx, Range r, bool options_decide, size_t key_at,
                  bool store) {
  bool with_scores = false, has_limit = false;
  for (size_t j = key_at + 3; j < ctx.args.size(); ++j) {
    std::string_view o = ctx.args[j];
    if (!store && EqualsNoCase(o, "WITHSCORES")) {
      with_scores = true;
    } else if (EqualsNoCase(o, "LIMIT") && j + 2 < ctx.args.size()) {
      if (!IntegerOrReply(ctx, ctx.args[j + 1], &r.offset) ||
          !IntegerOrReply(ctx, ctx.args[j + 2], &r.limit)) {
        return;
      }
      has_limit = true;
      j += 2;
    } else if (options_decide && EqualsNoCase(o, "BYSCORE")) {
      r.kind = Range::kScore;
    } else if (options_decide && EqualsNoCase(o, "BYLEX")) {
      r.kind = Range::kLex;
    } else if (options_decide && EqualsNoCase(o, "REV")) {
      r.rev = true;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  // Redis's checks, in its order: a LIMIT with a count is refused for ranks, and so are
  // scores with BYLEX; an offset without a count is ignored there.
  if (has_limit && r.kind == Range::kRank && r.limit != -1) {
    return ErrorReply(ctx, errors::kLimitNeedsBy);
  }
  if (with_scores && r.kind == Range::kLex) return ErrorReply(ctx, errors::kWithscoresBylex);
  if (r.kind == Range::kRank) r.offset = 0;
  if (!ParseBoundsOrReply(ctx, key_at + 1, &r)) return;
  auto items = Zset::InRange(Op(ctx), ctx.args[key_at], r);
  if (!OkOrReply(ctx, items)) return;
  if (!store) return ReplyScored(ctx, *items, with_scores);
  if (!OkOrReply(ctx, Zset::Store(Op(ctx), ctx.args[1], *items))) return;
  if (!items->empty()) Notify(ctx, kNotifyZSet, "zrangestore", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(items->size()));
}

void CmdZrange(CommandContext& ctx) { RangeGeneric(ctx, Range{}, true, 1, false); }
void CmdZrangestore(CommandContext& ctx) { RangeGeneric(ctx, Range{}, true, 2, true); }
void CmdZrevrange(CommandContext& ctx) {
  RangeGeneric(ctx, Range{.rev = true}, false, 1, false);
}
void CmdZrangebyscore(CommandContext& ctx) {
  RangeGeneric(ctx, Range{.kind = Range::kScore}, false, 1, false);
}
void CmdZrevrangebyscore(CommandContext& ctx) {
  RangeGeneric(ctx, Range{.kind = Range::kScore, .rev = true}, false, 1, false);
}
void CmdZrangebylex(CommandContext& ctx) {
  RangeGeneric(ctx, Range{.kind = Range::kLex}, false, 1, false);
}
void CmdZrevrangebylex(CommandContext& ctx) {
  RangeGeneric(ctx, Range{.kind = Range::kLex, .rev = true}, false, 1, false);
}

void CountGeneric(CommandContext& ctx, Range::Kind kind) {
  Range r{.kind = kind};
  if (!ParseBoundsOrReply(ctx, 2, &r)) return;
  auto items = Zset::InRange(Op(ctx), ctx.args[1], r);
  if (!OkOrReply(ctx, items)) return;
  ctx.reply.Integer(static_cast<long long>(items->size()));
}

void CmdZcount(CommandContext& ctx) { CountGeneric(ctx, Range::kScore); }
void CmdZlexcount(CommandContext& ctx) { CountGeneric(ctx, Range::kLex); }

void RemRangeGeneric(CommandContext& ctx, Range::Kind kind) {
  Range r{.kind = kind};
  if (!ParseBoundsOrReply(ctx, 2, &r)) return;
  auto removed = Zset::RemoveRange(Op(ctx), ctx.args[1], r);
  if (!OkOrReply(ctx, removed)) return;
  if (*removed > 0) {
    Notify(ctx, kNotifyZSet,
           kind == Range::kRank    ? "zremrangebyrank"
           : kind == Range::kScore ? "zremrangebyscore"
                                   : "zremrangebylex",
           ctx.args[1]);
  }
  ctx.reply.Integer(static_cast<long long>(*removed));
}

void CmdZremrangebyrank(CommandContext& ctx) { RemRangeGeneric(ctx, Range::kRank); }
void CmdZremrangebyscore(CommandContext& ctx) { RemRangeGeneric(ctx, Range::kScore); }
void CmdZremrangebylex(CommandContext& ctx) { RemRangeGeneric(ctx, Range::kLex); }

void RankGeneric(CommandContext& ctx, bool rev) {
  bool with_score = false;
  if (ctx.args.size() == 4 && EqualsNoCase(ctx.args[3], "WITHSCORE")) {
    with_score = true;
  } else if (ctx.args.size() != 3) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  auto rank = Zset::Rank(Op(ctx), ctx.args[1], ctx.args[2], rev);
  if (!OkOrReply(ctx, rank)) return;
  if (!*rank) return with_score ? ctx.reply.NullArray() : ctx.reply.Null();
  if (!with_score) return ctx.reply.Integer(static_cast<long long>((*rank)->first));
  ctx.reply.ArrayHeader(2);
  ctx.reply.Integer(static_cast<long long>((*rank)->first));
  ReplyScore(ctx, (*rank)->second);
}

void CmdZrank(CommandContext& ctx) { RankGeneric(ctx, false); }
void CmdZrevrank(CommandContext& ctx) { RankGeneric(ctx, true); }

// ---- Pops ---------------------------------------------------------------------------------

void PopGeneric(CommandContext& ctx, bool max) {
  long long count = 1;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::kSyntax);
  if (ctx.args.size() == 3) {
    if (!ParseLongLong(ctx.args[2], &count) || count < 0) {
      return ErrorReply(ctx, errors::kMustBePositive);
    }
  }
  auto popped = Zset::Pop(Op(ctx), ctx.args[1], max, static_cast<uint64_t>(count));
  if (!OkOrReply(ctx, popped)) return;
  if (!popped->empty()) Notify(ctx, kNotifyZSet, max ? "zpopmax" : "zpopmin", ctx.args[1]);
  const std::vector<Scored>& items = *popped;
  bool pairs = ctx.reply.resp() == 3 && ctx.args.size() == 3;
  ctx.reply.ArrayHeader(pairs ? items.size() : items.size() * 2);
  for (const auto& it : items) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    ReplyScore(ctx, it.score);
  }
}

void CmdZpopmin(CommandContext& ctx) { PopGeneric(ctx, false); }
void CmdZpopmax(CommandContext& ctx) { PopGeneric(ctx, true); }

// ZMPOP / BZMPOP from args[numkeys_at]: true when it replied.
bool MultiPop(CommandContext& ctx, size_t numkeys_at, std::vector<std::string>* keys) {
  size_t numkeys;
  if (!NumkeysOrReply(ctx, numkeys_at, errors::kSyntax, &numkeys)) return true;
  size_t where_at = numkeys_at + 1 + numkeys;
  if (where_at >= ctx.args.size() ||
      (!EqualsNoCase(ctx.args[where_at], "MIN") && !EqualsNoCase(ctx.args[where_at], "MAX"))) {
    return ErrorReply(ctx, errors::kSyntax), true;
  }
  bool max = EqualsNoCase(ctx.args[where_at], "MAX");
  long long count = 1;
  if (where_at + 1 < ctx.args.size()) {
    if (!EqualsNoCase(ctx.args[where_at + 1], "COUNT") || where_at + 3 != ctx.args.size()) {
      return ErrorReply(ctx, errors::kSyntax), true;
    }
    if (!ParseLongLong(ctx.args[where_at + 2], &count) || count <= 0) {
      return ErrorReply(ctx, errors::kCountPositive), true;
    }
  }
  for (size_t k = numkeys_at + 1; k < where_at; ++k) {
    keys->emplace_back(ctx.args[k]);
    auto popped = Zset::Pop(Op(ctx), ctx.args[k], max, static_cast<uint64_t>(count));
    if (!OkOrReply(ctx, popped)) return true;
    if (popped->empty()) continue;  // no such key: a sorted set is never empty
    Notify(ctx, kNotifyZSet, max ? "zpopmax" : "zpopmin", ctx.args[k]);
    const std::vector<Scored>& items = *popped;
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.args[k]);
    ctx.reply.ArrayHeader(items.size());  // [member, score] pairs, in RESP2 too
    for (const auto& it : items) {
      ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(it.member);
      ReplyScore(ctx, it.score);
    }
    return true;
  }
  return false;
}

void CmdZmpop(CommandContext& ctx) {
  std::vector<std::string> keys;
  if (!MultiPop(ctx, 1, &keys)) ctx.reply.NullArray();
}

void BlockingPop(CommandContext& ctx, bool max) {
  int64_t timeout;
  if (!TimeoutOrReply(ctx, ctx.args.back(), &timeout)) return;
  std::vector<std::string> keys;
  for (size_t i = 1; i + 1 < ctx.args.size(); ++i) {
    auto popped = Zset::Pop(Op(ctx), ctx.args[i], max, 1);
    if (!OkOrReply(ctx, popped)) return;
    keys.emplace_back(ctx.args[i]);
    if (popped->empty()) continue;
    Notify(ctx, kNotifyZSet, max ? "zpopmax" : "zpopmin", ctx.args[i]);
    const std::vector<Scored>& items = *popped;
    ctx.reply.ArrayHeader(3);
    ctx.reply.Bulk(ctx.args[i]);
    ctx.reply.Bulk(items[0].member);
    return ReplyScore(ctx, items[0].score);
  }
  WaitOrReplyNil(ctx, std::move(keys), types::Type::kZSet, timeout);
}

void CmdBzpopmin(CommandContext& ctx) { BlockingPop(ctx, false); }
void CmdBzpopmax(CommandContext& ctx) { BlockingPop(ctx, true); }

void CmdBzmpop(CommandContext& ctx) {
  int64_t timeout;
  if (!TimeoutOrReply(ctx, ctx.args[1], &timeout)) return;
  std::vector<std::string> keys;
  if (MultiPop(ctx, 2, &keys)) return;
  WaitOrReplyNil(ctx, std::move(keys), types::Type::kZSet, timeout);
}

void CmdZrandmember(CommandContext& ctx) {
  bool single = ctx.args.size() == 2;
  long long count = 1;
  bool with_scores = false;
  if (!single) {
    if (!IntegerOrReply(ctx, ctx.args[2], &count)) return;
    if (ctx.args.size() == 4 && EqualsNoCase(ctx.args[3], "WITHSCORES")) {
      with_scores = true;
    } else if (ctx.args.size() > 3) {
      return ErrorReply(ctx, errors::kSyntax);
    }
    if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) {
      return ErrorReply(ctx, errors::kValueOutOfRange);
    }
  }
  uint64_t n = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  auto picked = Zset::RandomMembers(Op(ctx), ctx.args[1], n, count < 0);
  if (!OkOrReply(ctx, picked)) return;
  if (single) return picked->empty() ? ctx.reply.Null() : ctx.reply.Bulk(picked->front().member);
  ReplyScored(ctx, *picked, with_scores);
}

void CmdZscan(CommandContext& ctx) {
  ScanCollection(ctx, types::Type::kZSet,
                 [](std::string_view member, std::string_view raw, std::vector<std::string>* out) {
                   out->emplace_back(member);
                   out->push_back(FormatDouble(types::DecodeScore(raw)));
                 });
}

}  // namespace

std::vector<CommandSpec> SortedSetCommands() {
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  return {
      ZsetRow("zadd", CmdZadd, -4, kW | kCmdFast),
      ZsetRow("zincrby", CmdZincrby, 4, kW | kCmdFast),
      ZsetRow("zrem", CmdZrem, -3, kCmdWrite | kCmdFast),
      ZsetRow("zscore", CmdZscore, 3, kR | kCmdFast),
      ZsetRow("zmscore", CmdZmscore, -3, kR | kCmdFast),
      ZsetRow("zcard", CmdZcard, 2, kR | kCmdFast),
      ZsetRow("zcount", CmdZcount, 4, kR | kCmdFast),
      ZsetRow("zlexcount", CmdZlexcount, 4, kR | kCmdFast),
      ZsetRow("zrange", CmdZrange, -4, kR),
      ZsetRow("zrangestore", CmdZrangestore, -5, kW, 1, 2),
      ZsetRow("zrevrange", CmdZrevrange, -4, kR),
      ZsetRow("zrangebyscore", CmdZrangebyscore, -4, kR),
      ZsetRow("zrevrangebyscore", CmdZrevrangebyscore, -4, kR),
      ZsetRow("zrangebylex", CmdZrangebylex, -4, kR),
      ZsetRow("zrevrangebylex", CmdZrevrangebylex, -4, kR),
      ZsetRow("zrank", CmdZrank, -3, kR | kCmdFast),
      ZsetRow("zrevrank", CmdZrevrank, -3, kR | kCmdFast),
      ZsetRow("zremrangebyrank", CmdZremrangebyrank, 4, kCmdWrite),
      ZsetRow("zremrangebyscore", CmdZremrangebyscore, 4, kCmdWrite),
      ZsetRow("zremrangebylex", CmdZremrangebylex, 4, kCmdWrite),
      ZsetRow("zpopmin", CmdZpopmin, -2, kCmdWrite | kCmdFast),
      ZsetRow("zpopmax", CmdZpopmax, -2, kCmdWrite | kCmdFast),
      ZsetRow("bzpopmin", CmdBzpopmin, -3, kCmdWrite | kCmdNoScript | kCmdBlocking | kCmdFast, 1,
              -2),
      ZsetRow("bzpopmax", CmdBzpopmax, -3, kCmdWrite | kCmdNoScript | kCmdBlocking | kCmdFast, 1,
              -2),
      ZsetRow("zmpop", CmdZmpop, -4, kCmdWrite, 0, 0),
      ZsetRow("bzmpop", CmdBzmpop, -5, kCmdWrite | kCmdBlocking, 0, 0),
      ZsetRow("zrandmember", CmdZrandmember, -2, kR),
      ZsetRow("zscan", CmdZscan, -3, kR),
  };
}

}  // namespace strata
