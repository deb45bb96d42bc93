// KeyAccess: when each key was last used and how often (Redis's LRU clock and LFU counter),
// for OBJECT IDLETIME, OBJECT FREQ, DEBUG OBJECT and eviction (types/eviction.h).
//
// Invariants:
// - Keys are tracked by namespace, not database index, so SWAPDB and FLUSHDB need nothing (a
//   flushed namespace's entries are dropped when eviction or the cap reaches them).
// - Every key written is tracked (a write adds it); a key read is tracked while touching is
//   on. Deleted keys are forgotten (Keyspace::RemoveKey).
// - Memory is bounded: at most `capacity` keys (maxmemory-tracked-keys), ~120 bytes each plus
//   the key's length. Past it the least recently used is forgotten, so an untracked key was
//   last used before every tracked one, or before start-up: it is the coldest there is. Its
//   idle time is the time since the newest forgotten use (a lower bound), its LFU counter 0.
// - The LFU counter follows Redis's evict.c: new keys start at 5, a use increments it with
//   probability 1 / ((counter - 5) * lfu-log-factor + 1), and it decays by one per
//   lfu-decay-time minutes of idleness.
// - Sampling (eviction's random picks) is O(1): every entry has a slot in a vector of all
//   entries and, when the key has a TTL, in a vector of volatile ones.
//
// Loop thread only; in memory only (a restart forgets it, as Redis's RDB load does).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "types/encoding.h"

namespace strata::types {

class KeyAccess {
 public:
  struct Entry;
  using Node = std::pair<const std::string, Entry>;
  struct Entry {
    int64_t last_ms = 0;
    uint8_t counter = 0;
    bool volatile_key = false;           // had a TTL when last written or read
    uint32_t slot = 0, vslot = kNoSlot;  // in all_, volatile_
    Node* older = nullptr;               // the recency list: newest at head_, oldest at tail_
    Node* newer = nullptr;
  };
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  // started_ms: when tracking began (what an untracked key's idle time counts from at first).
  explicit KeyAccess(int64_t started_ms, size_t capacity = 2'000'000)
      : capacity_(capacity), forgotten_ms_(started_ms) {}
  KeyAccess(const KeyAccess&) = delete;
  KeyAccess& operator=(const KeyAccess&) = delete;

  // The key was read or written at now_ms (a use: recency and the LFU counter).
  void Touch(Namespace ns, std::string_view key, int64_t now_ms, bool volatile_key);
  // The key was written without a use (CLIENT NO-TOUCH): tracked from now_ms if it was not.
  void Written(Namespace ns, std::string_view key, int64_t now_ms, bool volatile_key);
  void Forget(Namespace ns, std::string_view key);
  bool Tracked(Namespace ns, std::string_view key) const { return Find(ns, key) != nullptr; }
  // Seconds since the key was last used.
  int64_t IdleSeconds(Namespace ns, std::string_view key, int64_t now_ms) const;
  // The LFU counter, decayed to now_ms.
  int Frequency(Namespace ns, std::string_view key, int64_t now_ms) const;
  int Decayed(const Entry& e, int64_t now_ms) const;
  void SetLfu(int log_factor, int decay_minutes) {
    log_factor_ = log_factor;
    decay_minutes_ = decay_minutes;
  }
  void SetCapacity(size_t capacity);

  // ---- For eviction.
  size_t size() const { return map_.size(); }
  // Tracked keys of ns, all and with a TTL.
  uint64_t tracked(Namespace ns) const;
  uint64_t tracked_volatile(Namespace ns) const;
  // The least recently used entry; nullptr when none is tracked.
  const Node* Oldest() const { return tail_; }
  // A random entry (of those with a TTL when volatile_only); nullptr when there is none.
  const Node* Random(bool volatile_only, std::mt19937_64& rng) const;
  // A tracked node's namespace and key.
  static Namespace NamespaceOf(const Node& n);
  static std::string_view KeyOf(const Node& n) { return std::string_view(n.first).substr(4); }

 private:
  struct Counts {
    uint64_t all = 0, volatile_keys = 0;
  };
  const Entry* Find(Namespace ns, std::string_view key) const;
  Node* Upsert(Namespace ns, std::string_view key, int64_t now_ms, bool* inserted);
  void SetVolatile(Node* n, bool on);
  void Unlink(Node* n);
  void PushNewest(Node* n);
  void Erase(Node* n);

  size_t capacity_;
  std::unordered_map<std::string, Entry> map_;
  std::vector<Node*> all_, volatile_;
  std::unordered_map<Namespace, Counts> counts_;
  Node* head_ = nullptr;  // newest
  Node* tail_ = nullptr;  // oldest
  int64_t forgotten_ms_;  // the newest use of a key no longer tracked (or start-up)
  int log_factor_ = 10, decay_minutes_ = 1;
  std::mt19937 rng_{12345};
  mutable std::string buf_;  // the lookup key, reused: no allocation for a key already tracked
};

}  // namespace strata::types
