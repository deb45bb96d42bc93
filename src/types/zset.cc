#include "types/zset.h"

#include <cmath>

#include "util/text.h"

namespace strata::types {

Result<std::optional<double>> Zset::ScoreOf(Keyspace& ks, const Collection& z,
                                            std::string_view member) {
  auto raw = ReadElement(ks, z, member);
  if (!raw.ok()) return raw.status();
  if (!*raw || (*raw)->size() != 8) return std::optional<double>();
  return std::optional<double>(DecodeScore(**raw));
}

void Zset::SetScore(Keyspace& ks, Collection* z, std::string_view member, double score,
                    const double* old) {
  EnsureVersion(ks, z);
  // A member is its score (8 bytes) and a score-index entry (no value).
  if (old != nullptr) {
    ks.DeleteElement(ElementKey(ks, *z, ScoreIndexSuffix(*old, member), kScoreTag), 0);
  }
  std::string suffix = ScoreIndexSuffix(score, member);
  ks.PutElement(ElementKey(ks, *z, member), EncodeScore(score), old != nullptr ? 8 : kNewElement);
  ks.PutElement(ElementKey(ks, *z, suffix, kScoreTag), "", kNewElement);
  // Keep the pop hints bounding every live entry.
  if (!z->meta.low_hint.empty() && suffix < z->meta.low_hint) z->meta.low_hint = suffix;
  if (!z->meta.high_hint.empty() && suffix > z->meta.high_hint) z->meta.high_hint = suffix;
  if (old == nullptr) z->meta.size++;
}

void Zset::Remove(Keyspace& ks, Collection* z, std::string_view member, double score) {
  ks.DeleteElement(ElementKey(ks, *z, member), 8);
  ks.DeleteElement(ElementKey(ks, *z, ScoreIndexSuffix(score, member), kScoreTag), 0);
  z->meta.size--;
}

Result<Zset::AddResult> Zset::Add(const OpArgs& op, std::string_view key, AddFlags f,
                                  std::span<const double> scores,
                                  std::span<const std::string_view> members) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  AddResult r;
  for (size_t k = 0; k < scores.size(); ++k) {
    auto cur = ScoreOf(op.ks, *z, members[k]);
    if (!cur.ok()) return cur.status();
    bool exists = cur->has_value();
    double score = scores[k];
    if ((f.nx && exists) || (f.xx && !exists)) {
      r.skipped = true;
      continue;
    }
    if (f.incr && exists) {
      score += **cur;
      if (std::isnan(score)) return Rejected(TypeError::kScoreNan);
    }
    if (exists && ((f.gt && score <= **cur) || (f.lt && score >= **cur))) {
      r.skipped = true;
      continue;
    }
    r.score = score;
    if (exists && score == **cur) continue;
    SetScore(op.ks, &*z, members[k], score, exists ? &**cur : nullptr);
    exists ? ++r.changed : ++r.added;
  }
  if (r.added > 0 || r.changed > 0) {
    Status s = SaveCollection(op.ks, key, Type::kZSet, *z);
    if (!s.ok()) return s;
  }
  return r;
}

Result<uint64_t> Zset::Remove(const OpArgs& op, std::string_view key,
                              std::span<const std::string_view> members) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  uint64_t removed = 0;
  for (auto member : members) {
    auto score = ScoreOf(op.ks, *z, member);
    if (!score.ok()) return score.status();
    if (!*score) continue;
    Remove(op.ks, &*z, member, **score);
    ++removed;
  }
  if (removed > 0) {
    Status s = SaveCollection(op.ks, key, Type::kZSet, *z);
    if (!s.ok()) return s;
  }
  return removed;
}

Result<std::vector<std::optional<double>>> Zset::Scores(
    const OpArgs& op, std::string_view key, std::span<const std::string_view> members) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  std::vector<std::optional<double>> out;
  out.reserve(members.size());
  for (auto member : members) {
    auto score = ScoreOf(op.ks, *z, member);
    if (!score.ok()) return score.status();
    out.push_back(*score);
  }
  return out;
}

Result<std::vector<Scored>> Zset::Pop(const OpArgs& op, std::string_view key, bool max,
                                      uint64_t count) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  std::vector<Scored> out;
  if (count == 0 || !z->found) return out;
  std::string from = max ? "" : z->meta.low_hint;
  std::string to =
      max && !z->meta.high_hint.empty() ? z->meta.high_hint + std::string(1, '\0') : "";
  std::string last;
  Status s = ForEachElement(
      op.ks, *z, kScoreTag,
      [&](std::string_view suffix, std::string_view) {
        out.push_back({std::string(suffix.substr(8)), DecodeScore(suffix)});
        last.assign(suffix);
        return out.size() < count;
      },
      max, from, to);
  if (!s.ok()) return s;
  for (const auto& it : out) Remove(op.ks, &*z, it.member, it.score);
  if (!last.empty()) (max ? z->meta.high_hint : z->meta.low_hint) = last;
  if (!out.empty()) {
    s = SaveCollection(op.ks, key, Type::kZSet, *z);
    if (!s.ok()) return s;
  }
  return out;
}

Result<uint64_t> Zset::Card(const OpArgs& op, std::string_view key) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  return z->meta.size;
}

Result<std::optional<std::pair<uint64_t, double>>> Zset::Rank(const OpArgs& op,
                                                              std::string_view key,
                                                              std::string_view member,
                                                              bool rev) {
  using Answer = std::optional<std::pair<uint64_t, double>>;
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  auto score = ScoreOf(op.ks, *z, member);
  if (!score.ok()) return score.status();
  if (!*score) return Answer();
  // The rank is the number of index entries before the member's (after, for ZREVRANK).
  std::string own = ScoreIndexSuffix(**score, member);
  uint64_t rank = 0;
  Status s = ForEachElement(
      op.ks, *z, kScoreTag,
      [&](std::string_view suffix, std::string_view) {
        if (suffix == own) return false;
        ++rank;
        return true;
      },
      rev);
  if (!s.ok()) return s;
  return Answer(std::pair(rank, **score));
}

Result<std::vector<Scored>> Zset::RandomMembers(const OpArgs& op, std::string_view key,
                                                uint64_t count, bool allow_repeats) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  auto elements = RandomElements(op.ks, *z, count, allow_repeats);
  if (!elements.ok()) return elements.status();
  std::vector<Scored> picked;
  picked.reserve(elements->size());
  for (auto& [m, raw] : *elements) picked.push_back({std::move(m), DecodeScore(raw)});
  return picked;
}

// ---- Ranges ---------------------------------------------------------------------------------

namespace {

bool ScoreInRange(const Zset::Range& r, double s) {
  if (r.min.exclusive ? s <= r.min.value : s < r.min.value) return false;
  if (r.max.exclusive ? s >= r.max.value : s > r.max.value) return false;
  return true;
}

bool LexAboveMin(const Zset::LexBound& b, std::string_view m) {
  if (b.infinity != 0) return b.infinity < 0;
  return b.exclusive ? m > b.value : m >= b.value;
}

bool LexBelowMax(const Zset::LexBound& b, std::string_view m) {
  if (b.infinity != 0) return b.infinity > 0;
  return b.exclusive ? m < b.value : m <= b.value;
}

// The members of a loaded set in range r, in reply order.
Status CollectRange(Keyspace& ks, const Collection& z, const Zset::Range& r,
                    std::vector<Scored>* out) {
  if (!z.found) return Status::OK();
  int64_t skip = r.offset, limit = r.offset < 0 ? 0 : r.limit;  // a negative offset: nothing
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
  if (r.kind == Zset::Range::kRank) {
    int64_t start = r.start, stop = r.stop, size = static_cast<int64_t>(z.meta.size);
    if (start < 0) start += size;
    if (stop < 0) stop += size;
    if (start < 0) start = 0;
    if (start > stop || start >= size) return Status::OK();
    if (stop >= size) stop = size - 1;
    int64_t rank = 0;
    return ForEachElement(
        ks, z, kScoreTag,
        [&](std::string_view suffix, std::string_view) {
          if (rank++ < start) return true;
          out->push_back({std::string(suffix.substr(8)), DecodeScore(suffix)});
          return rank <= stop;
        },
        r.rev);
  }
  if (r.kind == Zset::Range::kScore) {
    if (r.min.value > r.max.value) return Status::OK();
    std::string from = EncodeScore(r.min.value);
    std::string to = PrefixSuccessor(EncodeScore(r.max.value));
    return ForEachElement(
        ks, z, kScoreTag,
        [&](std::string_view suffix, std::string_view) {
          double s = DecodeScore(suffix);
          if (!ScoreInRange(r, s)) return true;  // an excluded bound
          return take(suffix.substr(8), s);
        },
        r.rev, from, to);
  }
  if (r.lex_min.infinity > 0 || r.lex_max.infinity < 0) return Status::OK();
  std::string from = r.lex_min.infinity == 0 ? r.lex_min.value : "";
  std::string to;
  if (r.lex_max.infinity == 0) to = r.lex_max.value + std::string(1, '\0');
  return ForEachElement(
      ks, z, kSubkeyTag,
      [&](std::string_view member, std::string_view raw) {
        if (!LexAboveMin(r.lex_min, member) || !LexBelowMax(r.lex_max, member)) return true;
        return take(member, DecodeScore(raw));
      },
      r.rev, from, to);
}

}  // namespace

Result<std::vector<Scored>> Zset::InRange(const OpArgs& op, std::string_view key,
                                          const Range& range) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  std::vector<Scored> items;
  Status s = CollectRange(op.ks, *z, range, &items);
  if (!s.ok()) return s;
  return items;
}

Result<uint64_t> Zset::RemoveRange(const OpArgs& op, std::string_view key, const Range& range) {
  auto z = Load(op, key);
  if (!z.ok()) return z.status();
  std::vector<Scored> items;
  Status s = CollectRange(op.ks, *z, range, &items);
  if (!s.ok()) return s;
  for (const auto& it : items) Remove(op.ks, &*z, it.member, it.score);
  if (!items.empty()) s = SaveCollection(op.ks, key, Type::kZSet, *z);
  if (!s.ok()) return s;
  return items.size();
}

Status Zset::Store(const OpArgs& op, std::string_view dst, const std::vector<Scored>& items) {
  auto deleted = op.ks.DeleteKey(op.db, dst);
  if (!deleted.ok()) return deleted.status();
  if (*deleted && items.empty()) op.ks.NoteEmptied(op.db, dst);  // sent as "del"
  Collection z;
  z.db = op.db;
  for (const auto& it : items) SetScore(op.ks, &z, it.member, it.score, nullptr);
  return items.empty() ? Status::OK() : SaveCollection(op.ks, dst, Type::kZSet, z);
}

}  // namespace strata::types
