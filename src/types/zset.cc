#include "types/zset.h"

#include <cmath>

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
  if (old != nullptr) ks.Erase(ElementKey(ks, *z, ScoreIndexSuffix(*old, member), kScoreTag));
  std::string suffix = ScoreIndexSuffix(score, member);
  ks.Write(ElementKey(ks, *z, member), EncodeScore(score));
  ks.Write(ElementKey(ks, *z, suffix, kScoreTag), "");
  // Keep the pop hints bounding every live entry.
  if (!z->meta.low_hint.empty() && suffix < z->meta.low_hint) z->meta.low_hint = suffix;
  if (!z->meta.high_hint.empty() && suffix > z->meta.high_hint) z->meta.high_hint = suffix;
  if (old == nullptr) z->meta.size++;
}

void Zset::Remove(Keyspace& ks, Collection* z, std::string_view member, double score) {
  ks.Erase(ElementKey(ks, *z, member));
  ks.Erase(ElementKey(ks, *z, ScoreIndexSuffix(score, member), kScoreTag));
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

}  // namespace strata::types
