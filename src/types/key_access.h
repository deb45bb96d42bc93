// KeyAccess: when each key was last used and how often (Redis's LRU clock and LFU counter),
// for OBJECT IDLETIME, OBJECT FREQ and DEBUG OBJECT (and, later, eviction).
//
// Invariants:
// - Keys are tracked by namespace, not database index, so SWAPDB and FLUSHDB need nothing.
// - Memory is bounded: two generations of at most `capacity` keys each. When the current one
//   fills it becomes the previous one and the old previous one is dropped, so a key used
//   within the last `capacity` distinct keys is always known. A key that is not known was
//   last used before the previous generation began: its idle time is reported as the time
//   since then (a lower bound), its LFU counter as 0.
// - The LFU counter follows Redis's evict.c: new keys start at 5, a use increments it with
//   probability 1 / ((counter - 5) * lfu-log-factor + 1), and it decays by one per
//   lfu-decay-time minutes of idleness.
//
// Loop thread only; in memory only (a restart forgets it, as Redis's RDB load does).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

#include "types/encoding.h"

namespace strata::types {

class KeyAccess {
 public:
  // started_ms: when tracking began (what an unknown key's idle time counts from at first).
  explicit KeyAccess(int64_t started_ms, size_t capacity = 64 * 1024)
      : capacity_(capacity), previous_since_ms_(started_ms), current_since_ms_(started_ms) {}

  // The key was read or written at now_ms.
  void Touch(Namespace ns, std::string_view key, int64_t now_ms);
  // Seconds since the key was last used.
  int64_t IdleSeconds(Namespace ns, std::string_view key, int64_t now_ms) const;
  // The LFU counter, decayed to now_ms.
  int Frequency(Namespace ns, std::string_view key, int64_t now_ms) const;
  void SetLfu(int log_factor, int decay_minutes) {
    log_factor_ = log_factor;
    decay_minutes_ = decay_minutes;
  }

 private:
  struct Entry {
    int64_t last_ms = 0;
    int counter = 0;
  };
  const Entry* Find(Namespace ns, std::string_view key) const;
  int Decayed(const Entry& e, int64_t now_ms) const;

  const size_t capacity_;
  std::unordered_map<std::string, Entry> current_, previous_;
  int64_t previous_since_ms_;  // when the previous generation began
  int64_t current_since_ms_;
  int log_factor_ = 10, decay_minutes_ = 1;
  std::mt19937 rng_{12345};
  std::string buf_;  // Touch's lookup key, reused: no allocation for a key already tracked
};

}  // namespace strata::types
