#include "types/eviction.h"

#include <algorithm>
#include <chrono>

namespace strata::types {
namespace {

constexpr size_t kPoolSize = 16;       // Redis's EVPOOL_SIZE
constexpr uint64_t kWalkLimit = 4096;  // keys a walk examines for one victim at most

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool IsVolatile(EvictionPolicy p) {
  return p == EvictionPolicy::kVolatileLru || p == EvictionPolicy::kVolatileLfu ||
         p == EvictionPolicy::kVolatileRandom || p == EvictionPolicy::kVolatileTtl;
}

}  // namespace

bool ParseEvictionPolicy(std::string_view name, EvictionPolicy* policy) {
  static constexpr std::pair<std::string_view, EvictionPolicy> kNames[] = {
      {"noeviction", EvictionPolicy::kNoEviction},
      {"allkeys-lru", EvictionPolicy::kAllKeysLru},
      {"volatile-lru", EvictionPolicy::kVolatileLru},
      {"allkeys-lfu", EvictionPolicy::kAllKeysLfu},
      {"volatile-lfu", EvictionPolicy::kVolatileLfu},
      {"allkeys-random", EvictionPolicy::kAllKeysRandom},
      {"volatile-random", EvictionPolicy::kVolatileRandom},
      {"volatile-ttl", EvictionPolicy::kVolatileTtl},
  };
  for (const auto& [n, p] : kNames) {
    if (n == name) {
      *policy = p;
      return true;
    }
  }
  return false;
}

bool Evictor::Resolve(Namespace ns, std::string_view key, Victim* v) {
  int db = ks_.DbOfNamespace(ns);
  if (db < 0) return false;  // a flushed database's key
  v->db = db;
  v->key.assign(key);
  return true;
}

Result<bool> Evictor::Soonest(bool untracked_only, Victim* v) {
  for (int pass = 0; pass < 2; ++pass) {
    std::string lower(1, kExpireTag), upper(1, kExpireTag + 1);
    auto it = ks_.NewIterator(lower, upper);
    if (expire_after_.empty()) {
      it->SeekToFirst();
    } else {
      it->Seek(expire_after_);
      if (it->Valid() && it->key() == expire_after_) it->Next();
    }
    for (uint64_t seen = 0; it->Valid() && seen < kWalkLimit; it->Next(), ++seen) {
      int64_t at;
      Namespace ns;
      std::string_view key;
      if (!DecodeExpireKey(it->key(), &at, &ns, &key)) continue;
      if (untracked_only && ks_.access().Tracked(ns, key)) continue;
      if (!Resolve(ns, key, v)) continue;
      expire_after_.assign(it->key());
      return true;
    }
    if (!it->status().ok()) return it->status();
    if (it->Valid()) return false;  // walked enough for one call
    if (expire_after_.empty()) return false;
    expire_after_.clear();  // at the end: once more from the soonest
  }
  return false;
}

Result<bool> Evictor::Untracked(bool volatile_only, Victim* v) {
  const KeyAccess& access = ks_.access();
  auto untracked = [&](int db) {
    const KeyCounts& c = ks_.counts(db);
    Namespace ns = ks_.ns(db);
    return volatile_only ? c.expires > static_cast<int64_t>(access.tracked_volatile(ns))
                         : c.keys > static_cast<int64_t>(access.tracked(ns));
  };
  // More keys than tracked entries first (cheap): a flushed database's entries, until they
  // are forgotten, may hide untracked keys from it, which only delays them.
  int64_t keys = 0;
  for (int db = 0; db < ks_.databases(); ++db) keys += ks_.counts(db).keys;
  bool any = false;
  if (keys > static_cast<int64_t>(access.size())) {
    for (int db = 0; db < ks_.databases() && !any; ++db) any = untracked(db);
  }
  if (!any) return false;
  if (volatile_only) return Soonest(/*untracked_only=*/true, v);
  uint64_t seen = 0;
  for (int step = 0; step <= ks_.databases() && seen < kWalkLimit; ++step) {
    if (!untracked(scan_db_)) {
      scan_db_ = (scan_db_ + 1) % ks_.databases();
      scan_after_.clear();
      continue;
    }
    std::string lower = MetaPrefix(ks_.ns(scan_db_));
    auto it = ks_.NewIterator(lower, PrefixSuccessor(lower));
    if (scan_after_.empty()) {
      it->SeekToFirst();
    } else {
      it->Seek(scan_after_);
      if (it->Valid() && it->key() == scan_after_) it->Next();
    }
    for (; it->Valid() && seen < kWalkLimit; it->Next(), ++seen) {
      std::string_view key = UserKey(it->key());
      if (access.Tracked(ks_.ns(scan_db_), key)) continue;
      scan_after_.assign(it->key());
      v->db = scan_db_;
      v->key.assign(key);
      return true;
    }
    if (!it->status().ok()) return it->status();
    if (it->Valid()) return false;
    scan_db_ = (scan_db_ + 1) % ks_.databases();
    scan_after_.clear();
  }
  return false;
}

Result<bool> Evictor::Sampled(const EvictionLimits& limits, int64_t now_ms, Victim* v) {
  KeyAccess& access = ks_.access();
  bool lfu =
      limits.policy == EvictionPolicy::kAllKeysLfu || limits.policy == EvictionPolicy::kVolatileLfu;
  bool volatile_only = IsVolatile(limits.policy);
  for (int i = 0; i < limits.samples; ++i) {
    const KeyAccess::Node* n = access.Random(volatile_only, rng_);
    if (n == nullptr) break;
    // LFU: the lowest counter; among equal counters (every key used once shares one), the
    // one idle longest.
    double idle = static_cast<double>(now_ms - n->last_ms);
    double score = lfu ? (255.0 - access.Decayed(*n, now_ms)) * 1e12 + idle : idle;
    Namespace ns = n->ns;
    std::string_view key = n->key();
    bool pooled = false;
    for (const Candidate& c : pool_) pooled |= c.ns == ns && c.key == key;
    if (pooled) continue;
    if (pool_.size() == kPoolSize) {
      if (score <= pool_.front().score) continue;
      pool_.erase(pool_.begin());
    }
    auto at = std::upper_bound(pool_.begin(), pool_.end(), score,
                               [](double s, const Candidate& c) { return s < c.score; });
    pool_.insert(at, Candidate{score, ns, std::string(key)});
  }
  while (!pool_.empty()) {
    Candidate best = std::move(pool_.back());
    pool_.pop_back();
    if (!access.Tracked(best.ns, best.key)) continue;  // gone since it was sampled
    if (Resolve(best.ns, best.key, v)) return true;
    access.Forget(best.ns, best.key);
  }
  return false;
}

Result<bool> Evictor::Next(const EvictionLimits& limits, int64_t now_ms, Victim* v) {
  KeyAccess& access = ks_.access();
  switch (limits.policy) {
    case EvictionPolicy::kNoEviction:
      return false;
    case EvictionPolicy::kVolatileTtl:
      return Soonest(/*untracked_only=*/false, v);
    default:
      break;
  }
  bool volatile_only = IsVolatile(limits.policy);
  auto untracked = Untracked(volatile_only, v);
  if (!untracked.ok() || *untracked) return untracked;
  // Tracked keys of a flushed database are forgotten as they come up.
  for (int tries = 0; tries < 64; ++tries) {
    const KeyAccess::Node* n = nullptr;
    if (limits.policy == EvictionPolicy::kAllKeysLru) {
      n = access.Oldest();
    } else if (limits.policy == EvictionPolicy::kAllKeysRandom ||
               limits.policy == EvictionPolicy::kVolatileRandom) {
      n = access.Random(volatile_only, rng_);
    } else {
      return Sampled(limits, now_ms, v);
    }
    if (n == nullptr) return false;
    Namespace ns = n->ns;
    std::string key(n->key());
    if (Resolve(ns, key, v)) return true;
    access.Forget(ns, key);
  }
  return false;
}

Result<Evictor::Outcome> Evictor::Evict(const EvictionLimits& limits, int64_t now_ms,
                                        int64_t deadline_ns, uint64_t* evicted) {
  *evicted = 0;
  if (limits.maxmemory == 0) return Outcome::kWithin;
  for (uint64_t steps = 1; ks_.dataset_bytes() > limits.maxmemory; ++steps) {
    Victim v;
    auto got = Next(limits, now_ms, &v);
    if (!got.ok()) return got.status();
    if (!*got) return Outcome::kFailed;
    auto deleted = ks_.EvictKey(v.db, v.key);
    if (!deleted.ok()) return deleted.status();
    if (*deleted) {
      ks_.Notify(kNotifyEvicted, "evicted", v.db, v.key);
      ++*evicted;
    } else {
      ks_.access().Forget(ks_.ns(v.db), v.key);
    }
    if (steps % 16 == 0 && SteadyNs() >= deadline_ns) return Outcome::kRunning;
  }
  return Outcome::kWithin;
}

}  // namespace strata::types
