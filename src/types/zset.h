// Sorted set: a metadata key plus two element spaces under the set's version
// (types/collection.h):
//
//   'S' | ns | version | member                 ->  score: 8 (EncodeScore)
//   'Z' | ns | version | score: 8 | member      ->  empty      (the score index)
//
// Invariants, kept here and nowhere else:
//   - every member has exactly one 'S' key and one 'Z' key, with the same score;
//   - the metadata's size is the number of members;
//   - the low (high) pop hint is a score-index suffix at or below (above) every live entry,
//     so ZPOPMIN (ZPOPMAX) seeks past the tombstones of earlier pops instead of walking them;
//   - a sorted set with no member does not exist;
//   - a write to any member writes the metadata too (what WATCH and blocked clients see).
//
// Ranges by score and by rank walk the score index; by lex, the member space. Loop thread
// only; Results as types/hash.h describes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/collection_ops.h"

namespace strata::types {

struct Scored {
  std::string member;
  double score;
};

class Zset {
 public:
  static Result<Collection> Load(const OpArgs& op, std::string_view key) {
    return LoadCollection(op, key, Type::kZSet);
  }

  // ---- Element level, on a loaded set (ranges, the algebra, RESTORE). The caller saves the
  // metadata (SaveCollection) after changing members.

  // member's score; nullopt when it has none.
  static Result<std::optional<double>> ScoreOf(Keyspace& ks, const Collection& z,
                                               std::string_view member);
  // Stages member's score (old: its current score when it has one).
  static void SetScore(Keyspace& ks, Collection* z, std::string_view member, double score,
                       const double* old);
  // Stages the removal of a member whose score is `score`.
  static void Remove(Keyspace& ks, Collection* z, std::string_view member, double score);

  // ---- Key level.

  struct AddFlags {
    bool nx = false, xx = false, gt = false, lt = false, incr = false;
  };
  struct AddResult {
    uint64_t added = 0, changed = 0;
    bool skipped = false;  // some member was left alone by NX, XX, GT or LT
    double score = 0;      // the last score set (INCR: the new score)
  };
  // ZADD (and ZINCRBY: incr). REQUIRES: members.size() == scores.size(); the flags are a
  // combination Redis accepts. kScoreNan when an increment makes a score NaN.
  static Result<AddResult> Add(const OpArgs& op, std::string_view key, AddFlags flags,
                               std::span<const double> scores,
                               std::span<const std::string_view> members);
  // Removes members; returns how many were there.
  static Result<uint64_t> Remove(const OpArgs& op, std::string_view key,
                                 std::span<const std::string_view> members);
  static Result<std::vector<std::optional<double>>> Scores(
      const OpArgs& op, std::string_view key, std::span<const std::string_view> members);
  // Pops up to count members from the low (max: the high) end.
  static Result<std::vector<Scored>> Pop(const OpArgs& op, std::string_view key, bool max,
                                         uint64_t count);
  static Result<uint64_t> Card(const OpArgs& op, std::string_view key);
  // member's rank (0: the lowest score; rev: the highest) and score; nullopt when absent.
  static Result<std::optional<std::pair<uint64_t, double>>> Rank(const OpArgs& op,
                                                                 std::string_view key,
                                                                 std::string_view member,
                                                                 bool rev);
  // Up to count random members, distinct unless allow_repeats (ZRANDMEMBER).
  static Result<std::vector<Scored>> RandomMembers(const OpArgs& op, std::string_view key,
                                                   uint64_t count, bool allow_repeats);

  // ---- Ranges: by rank, by score or by member (lex), in either direction, with LIMIT.
  struct ScoreBound {
    double value = 0;
    bool exclusive = false;
  };
  struct LexBound {
    std::string value;
    bool exclusive = false;
    int infinity = 0;  // -1: "-", +1: "+"
  };
  struct Range {
    enum Kind { kRank, kScore, kLex } kind = kRank;
    bool rev = false;
    long long start = 0, stop = -1;  // ranks, Redis's negative indexes allowed
    ScoreBound min, max;           // scores (min <= max, whatever the direction)
    LexBound lex_min, lex_max;
    long long offset = 0, limit = -1;  // LIMIT (scores and lex only; -1: no limit)
  };
  // The members in range, in the order of the reply (ZRANGE and friends, ZCOUNT).
  static Result<std::vector<Scored>> InRange(const OpArgs& op, std::string_view key,
                                             const Range& range);
  // ZREMRANGEBY*: returns how many were removed.
  static Result<uint64_t> RemoveRange(const OpArgs& op, std::string_view key, const Range& range);
  // Replaces whatever dst holds with a sorted set of items (deleted when there is none):
  // ZRANGESTORE, ZUNIONSTORE ...
  static Status Store(const OpArgs& op, std::string_view dst, const std::vector<Scored>& items);

  // ---- The algebra (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD), over sorted sets
  // and plain sets (whose members score 1), in memory as Redis does.
  enum class Algebra { kUnion, kInter, kDiff };
  enum class Aggregate { kSum, kMin, kMax };
  // kWrongType when a key holds neither a set nor a sorted set (Redis checks this before it
  // parses the options).
  static Status CheckAlgebraInputs(const OpArgs& op, std::span<const std::string_view> keys);
  // The result sorted by score then member. weights: one per key (ignored by kDiff).
  static Result<std::vector<Scored>> Combine(const OpArgs& op,
                                             std::span<const std::string_view> keys,
                                             Algebra algebra, std::span<const double> weights,
                                             Aggregate aggregate);
};

}  // namespace strata::types
