// KeyAccess: when each key was last used and how often (Redis's LRU clock and LFU counter),
// for OBJECT IDLETIME, OBJECT FREQ, DEBUG OBJECT and eviction (types/eviction.h).
//
// Invariants:
// - Keys are tracked by namespace, not database index, so SWAPDB and FLUSHDB need nothing (a
//   flushed namespace's entries are dropped when eviction or the cap reaches them).
// - Every key written is tracked (a write adds it); a key read is tracked while touching is
//   on. Deleted keys are forgotten (Keyspace::RemoveKey).
// - Memory is bounded: at most `capacity` keys (maxmemory-tracked-keys), ~100 bytes each with
//   the index (a key over 24 bytes adds its length). Past it the least recently used is
//   forgotten, so an untracked key was last used before every tracked one, or before start-up:
//   it is the coldest there is. Its idle time is the time since the newest forgotten use (a
//   lower bound), its LFU counter 0.
// - The LFU counter follows Redis's evict.c: new keys start at 5, a use increments it with
//   probability 1 / ((counter - 5) * lfu-log-factor + 1), and it decays by one per
//   lfu-decay-time minutes of idleness.
// - Layout: entries live in one dense sequence (erasing moves the last into the hole), found
// through an
//   open-addressing index of (hash, entry) words with linear probing and backward-shift
//   deletion, so a lookup touches one index word and one entry; the recency list links entries
//   by position. Sampling is O(1): a random position of the entries, or of the vector of entries
//   whose key has a TTL.
//
// Loop thread only; in memory only (a restart forgets it, as Redis's RDB load does).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "types/encoding.h"

namespace strata::types {

class KeyAccess {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Node {
    int64_t last_ms = 0;
    uint8_t counter = 0;
    bool volatile_key = false;  // had a TTL when last written or read
    uint32_t vslot = kNone;     // in volatile_
    uint32_t older = kNone;     // the recency list: newest at head_, oldest at tail_
    uint32_t newer = kNone;
    Namespace ns = 0;
    uint32_t hash = 0;
    uint32_t key_len = 0;
    char inline_key[24];
    std::unique_ptr<char[]> long_key;  // a key longer than inline_key

    std::string_view key() const { return {long_key ? long_key.get() : inline_key, key_len}; }
  };

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
  bool Tracked(Namespace ns, std::string_view key) const { return Find(ns, key) != kNone; }
  // Seconds since the key was last used.
  int64_t IdleSeconds(Namespace ns, std::string_view key, int64_t now_ms) const;
  // The LFU counter, decayed to now_ms.
  int Frequency(Namespace ns, std::string_view key, int64_t now_ms) const;
  int Decayed(const Node& e, int64_t now_ms) const;
  void SetLfu(int log_factor, int decay_minutes) {
    log_factor_ = log_factor;
    decay_minutes_ = decay_minutes;
  }
  void SetCapacity(size_t capacity);

  // ---- For eviction.
  size_t size() const { return nodes_.size(); }
  // Tracked keys of ns, all and with a TTL.
  uint64_t tracked(Namespace ns) const;
  uint64_t tracked_volatile(Namespace ns) const;
  // The least recently used entry; nullptr when none is tracked.
  const Node* Oldest() const { return tail_ == kNone ? nullptr : &nodes_[tail_]; }
  // A random entry (of those with a TTL when volatile_only); nullptr when there is none.
  const Node* Random(bool volatile_only, std::mt19937_64& rng) const;

 private:
  struct Counts {
    uint64_t all = 0, volatile_keys = 0;
  };
  static uint32_t Hash(Namespace ns, std::string_view key);
  // The index position holding (ns, key), or the empty one where it would go: *found says which.
  size_t Probe(uint32_t hash, Namespace ns, std::string_view key, bool* found) const;
  static constexpr size_t kNoPosition = SIZE_MAX;
  size_t PositionOf(uint32_t i) const;                      // the index position of entry i
  size_t Locate(Namespace ns, std::string_view key) const;  // kNoPosition when not tracked
  uint32_t Find(Namespace ns, std::string_view key) const;  // kNone when not tracked
  uint32_t Upsert(Namespace ns, std::string_view key, int64_t now_ms, bool* inserted);
  void Grow();
  void Move(uint32_t from, uint32_t to);  // entry from becomes entry to (a free slot)
  void SetVolatile(uint32_t i, bool on);
  // The link that points at the entry just older than `newer` (head_ when newer is kNone),
  // and the one at the entry just newer than `older` (tail_ when older is kNone).
  uint32_t& LinkFromNewer(uint32_t newer);
  uint32_t& LinkFromOlder(uint32_t older);
  void Unlink(uint32_t i);
  void PushNewest(uint32_t i);
  void Erase(size_t pos);  // the entry at index position pos
  void ForgetOldest();

  size_t capacity_;
  std::deque<Node> nodes_;  // dense: erasing moves the last entry into the hole
  // The index: 0 empty, else (hash << 32) | (entry + 1); a power-of-two size, at most half full.
  std::vector<uint64_t> index_;
  std::vector<uint32_t> volatile_;
  std::unordered_map<Namespace, Counts> counts_;
  uint32_t head_ = kNone;  // newest
  uint32_t tail_ = kNone;  // oldest
  int64_t forgotten_ms_;   // the newest use of a key no longer tracked (or start-up)
  int log_factor_ = 10, decay_minutes_ = 1;
  std::mt19937 rng_{12345};
};

}  // namespace strata::types
