// Zset::Combine and its input check (declared in types/zset.h): ZUNION, ZINTER, ZDIFF and
// their STORE forms, ZINTERCARD. Every input is read whole and combined in memory, as Redis
// does; plain sets take part with score 1.
#include <algorithm>
#include <cmath>
#include <map>

#include "types/zset.h"

namespace strata::types {
namespace {

// The members and scores of a set or sorted set (empty when missing).
Result<std::map<std::string, double>> ReadInput(const OpArgs& op, std::string_view key) {
  Meta meta;
  auto found = op.ks.LookupKey(op.db, key, op.now_ms, &meta);
  if (!found.ok()) return found.status();
  std::map<std::string, double> members;
  if (!*found) return members;
  if (meta.type != Type::kZSet && meta.type != Type::kSet) return Rejected(TypeError::kWrongType);
  auto c = LoadCollection(op, key, meta.type);
  if (!c.ok()) return c.status();
  bool zset = meta.type == Type::kZSet;
  Status s = ForEachElement(op.ks, *c, kSubkeyTag, [&](std::string_view m, std::string_view raw) {
    members.emplace(m, zset ? DecodeScore(raw) : 1.0);
    return true;
  });
  if (!s.ok()) return s;
  return members;
}

}  // namespace

Status Zset::CheckAlgebraInputs(const OpArgs& op, std::span<const std::string_view> keys) {
  for (auto key : keys) {
    Meta meta;
    auto found = op.ks.LookupKey(op.db, key, op.now_ms, &meta);
    if (!found.ok()) return found.status();
    if (*found && meta.type != Type::kZSet && meta.type != Type::kSet) {
      return Rejected(TypeError::kWrongType);
    }
  }
  return Status::OK();
}

Result<std::vector<Scored>> Zset::Combine(const OpArgs& op,
                                          std::span<const std::string_view> keys,
                                          Algebra algebra, std::span<const double> weights,
                                          Aggregate aggregate) {
  std::vector<std::map<std::string, double>> inputs;
  inputs.reserve(keys.size());
  for (auto key : keys) {
    auto members = ReadInput(op, key);
    if (!members.ok()) return members.status();
    inputs.push_back(std::move(*members));
  }
  auto combine = [&](double acc, double v) {
    if (aggregate == Aggregate::kSum) {
      double r = acc + v;
      return std::isnan(r) ? 0.0 : r;  // inf + -inf is 0 in Redis
    }
    return aggregate == Aggregate::kMin ? std::min(acc, v) : std::max(acc, v);
  };
  auto weighted = [&](size_t i, double v) {
    double r = v * weights[i];
    return std::isnan(r) ? 0.0 : r;
  };
  std::map<std::string, double> result;
  if (algebra == Algebra::kUnion) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      for (const auto& [m, s] : inputs[i]) {
        auto [it, fresh] = result.emplace(m, weighted(i, s));
        if (!fresh) it->second = combine(it->second, weighted(i, s));
      }
    }
  } else if (algebra == Algebra::kInter) {
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
  std::vector<Scored> out;
  out.reserve(result.size());
  for (auto& [m, s] : result) out.push_back({m, s});
  std::sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score < b.score : a.member < b.member;
  });
  return out;
}

}  // namespace strata::types
