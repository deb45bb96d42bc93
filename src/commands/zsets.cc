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
#include "commands/collection_util.h"
#include "commands/registry.h"
#include "types/zset.h"

namespace strata {

bool LoadZsetOrReply(CommandContext& ctx, std::string_view key, Collection* z) {
  return LoadCollectionOrReply(ctx, key, types::Type::kZSet, z);
}

bool ScoreOfOrReply(CommandContext& ctx, const Collection& z, std::string_view member,
                    double* score, bool* found) {
  auto r = types::Zset::ScoreOf(ctx.server.keyspace(), z, member);
  if (!OkOrReply(ctx, r)) return false;
  *found = r->has_value();
  if (*found) *score = **r;
  return true;
}

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

using types::Type;

using types::Zset;

void RemoveMember(CommandContext& ctx, Collection* z, std::string_view member, double score) {
  Zset::Remove(ctx.server.keyspace(), z, member, score);
}

void SetScore(CommandContext& ctx, Collection* z, std::string_view member, double score) {
  Zset::SetScore(ctx.server.keyspace(), z, member, score, nullptr);
}

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
  ctx.reply.Integer(static_cast<long long>(*removed));
}

void CmdZscore(CommandContext& ctx) {
  Collection z;
  double score;
  bool found;
  if (!LoadZsetOrReply(ctx, ctx.args[1], &z) ||
      !ScoreOfOrReply(ctx, z, ctx.args[2], &score, &found)) {
    return;
  }
  if (!found) return ctx.reply.Null();
  ReplyScore(ctx, score);
}

void CmdZmscore(CommandContext& ctx) {
  auto scores = Zset::Scores(Op(ctx), ctx.args[1], ctx.args.subspan(2));
  if (!OkOrReply(ctx, scores)) return;
  ctx.reply.ArrayHeader(scores->size());
  for (auto s : *scores) s ? ReplyScore(ctx, *s) : ctx.reply.Null();
}

void CmdZcard(CommandContext& ctx) {
  Collection z;
  if (!LoadZsetOrReply(ctx, ctx.args[1], &z)) return;
  ctx.reply.Integer(static_cast<long long>(z.meta.size));
}

// ---- Ranges -------------------------------------------------------------------------------

struct ScoreBound {
  double value;
  bool exclusive;
};

bool ParseScoreBound(std::string_view arg, ScoreBound* b) {
  b->exclusive = !arg.empty() && arg[0] == '(';
  if (b->exclusive) arg.remove_prefix(1);
  return ParseDouble(arg, &b->value);
}

struct LexBound {
  std::string value;
  bool exclusive = false;
  int infinity = 0;  // -1: "-", +1: "+"
};

bool ParseLexBound(std::string_view arg, LexBound* b) {
  if (arg == "-" || arg == "+") {
    b->infinity = arg == "-" ? -1 : 1;
    return true;
  }
  if (arg.empty() || (arg[0] != '(' && arg[0] != '[')) return false;
  b->exclusive = arg[0] == '(';
  b->value.assign(arg.substr(1));
  return true;
}

struct RangeSpec {
  enum Kind { kRank, kScore, kLex } kind = kRank;
  bool rev = false;
  long long start = 0, stop = -1;  // ranks
  ScoreBound min{}, max{};         // scores (min <= max, whatever the direction)
  LexBound lex_min, lex_max;
  long long offset = 0, limit = -1;  // LIMIT
};

bool ScoreInRange(const RangeSpec& r, double s) {
  if (r.min.exclusive ? s <= r.min.value : s < r.min.value) return false;
  if (r.max.exclusive ? s >= r.max.value : s > r.max.value) return false;
  return true;
}

bool LexAboveMin(const LexBound& b, std::string_view m) {
  if (b.infinity != 0) return b.infinity < 0;
  return b.exclusive ? m > b.value : m >= b.value;
}

bool LexBelowMax(const LexBound& b, std::string_view m) {
  if (b.infinity != 0) return b.infinity > 0;
  return b.exclusive ? m < b.value : m <= b.value;
}

// Collects the members in range r, in the order of the reply.
bool CollectRangeOrReply(CommandContext& ctx, const Collection& z, const RangeSpec& r,
                         std::vector<Scored>* out) {
  if (!z.found) return true;
  long long skip = r.offset, limit = r.limit;
  auto take = [&](std::string_view member, double score) {
    if (skip > 0) {
      --skip;
      return true;
    }
    if (limit == 0) return false;
    out->push_back({std::string(member), score});
    if (limit > 0) --limit;
    return limit != 0;
  };
  if (r.kind == RangeSpec::kRank) {
    long long start = r.start, stop = r.stop, size = static_cast<long long>(z.meta.size);
    if (start < 0) start += size;
    if (stop < 0) stop += size;
    if (start < 0) start = 0;
    if (start > stop || start >= size) return true;
    if (stop >= size) stop = size - 1;
    long long rank = 0;
    return ForEachElementOrReply(
        ctx, z, types::kScoreTag,
        [&](std::string_view suffix, std::string_view) {
          if (rank++ < start) return true;
          out->push_back({std::string(suffix.substr(8)), types::DecodeScore(suffix)});
          return rank <= stop;
        },
        r.rev);
  }
  if (r.kind == RangeSpec::kScore) {
    if (r.min.value > r.max.value) return true;
    std::string from = types::EncodeScore(r.min.value);
    std::string to = PrefixSuccessor(types::EncodeScore(r.max.value));
    return ForEachElementOrReply(
        ctx, z, types::kScoreTag,
        [&](std::string_view suffix, std::string_view) {
          double s = types::DecodeScore(suffix);
          if (!ScoreInRange(r, s)) return true;  // an excluded bound
          return take(suffix.substr(8), s);
        },
        r.rev, from, to);
  }
  std::string from = r.lex_min.infinity == 0 ? r.lex_min.value : "";
  std::string to;
  if (r.lex_max.infinity == 0) to = r.lex_max.value + std::string(1, '\0');
  if (r.lex_min.infinity > 0 || r.lex_max.infinity < 0) return true;
  return ForEachElementOrReply(
      ctx, z, types::kSubkeyTag,
      [&](std::string_view member, std::string_view raw) {
        if (!LexAboveMin(r.lex_min, member) || !LexBelowMax(r.lex_max, member)) return true;
        return take(member, types::DecodeScore(raw));
      },
      r.rev, from, to);
}

// Parses "<min> <max>" (reversed for REV forms) at args[at], args[at + 1].
bool ParseBoundsOrReply(CommandContext& ctx, size_t at, RangeSpec* r) {
  std::string_view lo = ctx.args[at], hi = ctx.args[at + 1];
  if (r->rev) std::swap(lo, hi);
  if (r->kind == RangeSpec::kScore) {
    if (!ParseScoreBound(lo, &r->min) || !ParseScoreBound(hi, &r->max)) {
      ErrorReply(ctx, errors::kMinMaxNotFloat);
      return false;
    }
  } else if (r->kind == RangeSpec::kLex) {
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
void RangeGeneric(CommandContext& ctx, RangeSpec r, bool options_decide, size_t key_at,
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
      r.kind = RangeSpec::kScore;
    } else if (options_decide && EqualsNoCase(o, "BYLEX")) {
      r.kind = RangeSpec::kLex;
    } else if (options_decide && EqualsNoCase(o, "REV")) {
      r.rev = true;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  // Redis's checks, in its order: a LIMIT with a count is refused for ranks, and so are
  // scores with BYLEX; an offset without a count is ignored there.
  if (has_limit && r.kind == RangeSpec::kRank && r.limit != -1) {
    return ErrorReply(ctx, errors::kLimitNeedsBy);
  }
  if (with_scores && r.kind == RangeSpec::kLex) return ErrorReply(ctx, errors::kWithscoresBylex);
  if (r.kind == RangeSpec::kRank) r.offset = 0;
  if (r.offset < 0) r.limit = 0;  // Redis: a negative offset returns nothing
  if (!ParseBoundsOrReply(ctx, key_at + 1, &r)) return;
  Collection z;
  std::vector<Scored> items;
  if (!LoadZsetOrReply(ctx, ctx.args[key_at], &z) || !CollectRangeOrReply(ctx, z, r, &items)) {
    return;
  }
  if (!store) return ReplyScored(ctx, items, with_scores);
  types::Keyspace& ks = ctx.server.keyspace();
  if (!OkOrReply(ctx, ks.Delete(ctx.client.db, ctx.args[1]))) return;
  Collection dst = NewCollection(ctx);
  for (const auto& it : items) SetScore(ctx, &dst, it.member, it.score);
  if (!items.empty() && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kZSet, dst)) return;
  ctx.reply.Integer(static_cast<long long>(items.size()));
}

void CmdZrange(CommandContext& ctx) { RangeGeneric(ctx, RangeSpec{}, true, 1, false); }
void CmdZrangestore(CommandContext& ctx) { RangeGeneric(ctx, RangeSpec{}, true, 2, true); }
void CmdZrevrange(CommandContext& ctx) {
  RangeGeneric(ctx, RangeSpec{.rev = true}, false, 1, false);
}
void CmdZrangebyscore(CommandContext& ctx) {
  RangeGeneric(ctx, RangeSpec{.kind = RangeSpec::kScore}, false, 1, false);
}
void CmdZrevrangebyscore(CommandContext& ctx) {
  RangeGeneric(ctx, RangeSpec{.kind = RangeSpec::kScore, .rev = true}, false, 1, false);
}
void CmdZrangebylex(CommandContext& ctx) {
  RangeGeneric(ctx, RangeSpec{.kind = RangeSpec::kLex}, false, 1, false);
}
void CmdZrevrangebylex(CommandContext& ctx) {
  RangeGeneric(ctx, RangeSpec{.kind = RangeSpec::kLex, .rev = true}, false, 1, false);
}

void CountGeneric(CommandContext& ctx, RangeSpec::Kind kind) {
  RangeSpec r{.kind = kind};
  if (!ParseBoundsOrReply(ctx, 2, &r)) return;
  Collection z;
  std::vector<Scored> items;
  if (!LoadZsetOrReply(ctx, ctx.args[1], &z) || !CollectRangeOrReply(ctx, z, r, &items)) return;
  ctx.reply.Integer(static_cast<long long>(items.size()));
}

void CmdZcount(CommandContext& ctx) { CountGeneric(ctx, RangeSpec::kScore); }
void CmdZlexcount(CommandContext& ctx) { CountGeneric(ctx, RangeSpec::kLex); }

void RemRangeGeneric(CommandContext& ctx, RangeSpec::Kind kind) {
  RangeSpec r{.kind = kind};
  if (!ParseBoundsOrReply(ctx, 2, &r)) return;
  Collection z;
  std::vector<Scored> items;
  if (!LoadZsetOrReply(ctx, ctx.args[1], &z) || !CollectRangeOrReply(ctx, z, r, &items)) return;
  for (const auto& it : items) RemoveMember(ctx, &z, it.member, it.score);
  if (!items.empty() && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kZSet, z)) return;
  ctx.reply.Integer(static_cast<long long>(items.size()));
}

void CmdZremrangebyrank(CommandContext& ctx) { RemRangeGeneric(ctx, RangeSpec::kRank); }
void CmdZremrangebyscore(CommandContext& ctx) { RemRangeGeneric(ctx, RangeSpec::kScore); }
void CmdZremrangebylex(CommandContext& ctx) { RemRangeGeneric(ctx, RangeSpec::kLex); }

void RankGeneric(CommandContext& ctx, bool rev) {
  bool with_score = false;
  if (ctx.args.size() == 4 && EqualsNoCase(ctx.args[3], "WITHSCORE")) {
    with_score = true;
  } else if (ctx.args.size() != 3) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  Collection z;
  double score;
  bool found;
  if (!LoadZsetOrReply(ctx, ctx.args[1], &z) ||
      !ScoreOfOrReply(ctx, z, ctx.args[2], &score, &found)) {
    return;
  }
  if (!found) return with_score ? ctx.reply.NullArray() : ctx.reply.Null();
  // The rank is the number of index entries before the member's (after, for ZREVRANK).
  std::string own = types::ScoreIndexSuffix(score, ctx.args[2]);
  long long rank = 0;
  if (!ForEachElementOrReply(
          ctx, z, types::kScoreTag,
          [&](std::string_view suffix, std::string_view) {
            if (suffix == own) return false;
            ++rank;
            return true;
          },
          rev)) {
    return;
  }
  if (!with_score) return ctx.reply.Integer(rank);
  ctx.reply.ArrayHeader(2);
  ctx.reply.Integer(rank);
  ReplyScore(ctx, score);
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
  long long numkeys;
  if (!IntegerOrReply(ctx, ctx.args[numkeys_at], &numkeys)) return true;
  if (numkeys <= 0) return ErrorReply(ctx, errors::kNumkeysPositive), true;
  if (numkeys > static_cast<long long>(ctx.args.size() - numkeys_at - 1)) {
    return ErrorReply(ctx, errors::kNumkeysTooMany), true;
  }
  size_t where_at = numkeys_at + 1 + static_cast<size_t>(numkeys);
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
    const std::vector<Scored>& items = *popped;
    ctx.reply.ArrayHeader(3);
    ctx.reply.Bulk(ctx.args[i]);
    ctx.reply.Bulk(items[0].member);
    return ReplyScore(ctx, items[0].score);
  }
  WaitOrReplyNil(ctx, std::move(keys), timeout);
}

void CmdBzpopmin(CommandContext& ctx) { BlockingPop(ctx, false); }
void CmdBzpopmax(CommandContext& ctx) { BlockingPop(ctx, true); }

void CmdBzmpop(CommandContext& ctx) {
  int64_t timeout;
  if (!TimeoutOrReply(ctx, ctx.args[1], &timeout)) return;
  std::vector<std::string> keys;
  if (MultiPop(ctx, 2, &keys)) return;
  WaitOrReplyNil(ctx, std::move(keys), timeout);
}

void CmdZrandmember(CommandContext& ctx) {
  Collection z;
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
  if (!LoadZsetOrReply(ctx, ctx.args[1], &z)) return;
  uint64_t n = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  auto elements = types::RandomElements(ctx.server.keyspace(), z, n, count < 0);
  if (!OkOrReply(ctx, elements)) return;
  std::vector<Scored> picked;
  for (const auto& [m, raw] : *elements) picked.push_back({m, types::DecodeScore(raw)});
  if (single) return picked.empty() ? ctx.reply.Null() : ctx.reply.Bulk(picked[0].member);
  ReplyScored(ctx, picked, with_scores);
}

void CmdZscan(CommandContext& ctx) {
  ScanCollection(ctx, Type::kZSet,
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
      ZsetRow("bzpopmin", CmdBzpopmin, -3, kCmdWrite | kCmdNoScript, 1, -2),
      ZsetRow("bzpopmax", CmdBzpopmax, -3, kCmdWrite | kCmdNoScript, 1, -2),
      ZsetRow("zmpop", CmdZmpop, -4, kCmdWrite, 0, 0),
      ZsetRow("bzmpop", CmdBzmpop, -5, kCmdWrite | kCmdNoScript, 0, 0),
      ZsetRow("zrandmember", CmdZrandmember, -2, kR),
      ZsetRow("zscan", CmdZscan, -3, kR),
  };
}

}  // namespace strata
