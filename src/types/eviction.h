// Eviction: what goes when the data set is over maxmemory (Redis's evict.c, on this store).
//
// The data set is what the keys count (KeyCharge, kept exact per key at write time:
// Keyspace::dataset_bytes). The policies are Redis's:
// - allkeys-lru: the least recently used key, exactly (KeyAccess's recency list);
// - volatile-lru, allkeys-lfu, volatile-lfu: Redis's sampling — maxmemory-samples random
//   tracked keys a pick go into a pool of the 16 best candidates (most idle; lowest decayed
//   LFU counter), and the best is evicted;
// - allkeys-random, volatile-random: a random tracked key;
// - volatile-ttl: the key that expires soonest (the expiry index, in time order);
// - noeviction: none.
// Keys not tracked (not used since start-up, or forgotten past the tracking cap) are the
// coldest: every policy but volatile-ttl evicts them first, found by walking the metadata (or,
// for volatile-*, the expiry index) from a cursor that persists between calls.
//
// An evicted key is deleted like DEL (O(1) for a collection of any size): seen by WATCH and
// client-side caching through the change feed, sent as an "evicted" keyspace event.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "types/keyspace.h"

namespace strata::types {

enum class EvictionPolicy {
  kNoEviction,
  kAllKeysLru,
  kVolatileLru,
  kAllKeysLfu,
  kVolatileLfu,
  kAllKeysRandom,
  kVolatileRandom,
  kVolatileTtl,
};

// maxmemory-policy's name; false for an unknown one.
bool ParseEvictionPolicy(std::string_view name, EvictionPolicy* policy);

struct EvictionLimits {
  uint64_t maxmemory = 0;  // bytes; 0: no limit
  EvictionPolicy policy = EvictionPolicy::kNoEviction;
  int samples = 5;
};

class Evictor {
 public:
  explicit Evictor(Keyspace& ks) : ks_(ks) {}

  enum class Outcome {
    kWithin,   // the data set is within maxmemory
    kRunning,  // still over, out of time: the next call goes on
    kFailed,   // still over and nothing can be evicted (noeviction, or no candidate)
  };
  // Stages deletes (the caller commits) until the data set is within the limit or the steady
  // clock reaches deadline_ns; *evicted counts the keys.
  Result<Outcome> Evict(const EvictionLimits& limits, int64_t now_ms, int64_t deadline_ns,
                        uint64_t* evicted);

 private:
  struct Victim {
    int db = -1;
    std::string key;
  };
  struct Candidate {
    double score = 0;  // higher goes first
    Namespace ns = 0;
    std::string key;
  };
  Result<bool> Next(const EvictionLimits& limits, int64_t now_ms, Victim* v);
  // A key not tracked by KeyAccess, from the metadata (or the expiry index when volatile).
  Result<bool> Untracked(bool volatile_only, Victim* v);
  // The key that expires soonest (untracked_only: of those not tracked).
  Result<bool> Soonest(bool untracked_only, Victim* v);
  Result<bool> Sampled(const EvictionLimits& limits, int64_t now_ms, Victim* v);
  bool Resolve(Namespace ns, std::string_view key, Victim* v);

  Keyspace& ks_;
  std::vector<Candidate> pool_;  // Redis's eviction pool, best last
  int scan_db_ = 0;
  std::string scan_after_;    // the metadata walk's cursor: the last key seen in scan_db_
  std::string expire_after_;  // the expiry-index walk's cursor: the last entry seen
  std::mt19937_64 rng_{0x5eed};
};

}  // namespace strata::types
