#include "types/key_access.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>

namespace strata::types {
namespace {

constexpr int kLfuInitial = 5;  // Redis's LFU_INIT_VAL
constexpr int kLfuMax = 255;

uint32_t HashOf(uint64_t word) { return static_cast<uint32_t>(word >> 32); }
uint32_t EntryOf(uint64_t word) { return static_cast<uint32_t>(word) - 1; }
uint64_t Word(uint32_t hash, uint32_t entry) { return (uint64_t{hash} << 32) | (entry + 1); }

}  // namespace

uint32_t KeyAccess::Hash(Namespace ns, std::string_view key) {
  uint64_t h = std::hash<std::string_view>{}(key) ^ (uint64_t{ns} * 0x9e3779b97f4a7c15ULL);
  h ^= h >> 33;  // murmur3's finaliser: every bit of ns and the key reaches the top 32
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return static_cast<uint32_t>(h >> 32);
}

size_t KeyAccess::Probe(uint32_t hash, Namespace ns, std::string_view key, bool* found) const {
  size_t mask = index_.size() - 1;
  for (size_t pos = hash & mask;; pos = (pos + 1) & mask) {
    uint64_t w = index_[pos];
    if (w == 0) {
      *found = false;
      return pos;
    }
    if (HashOf(w) != hash) continue;
    const Node& n = nodes_[EntryOf(w)];
    if (n.ns == ns && n.key() == key) {
      *found = true;
      return pos;
    }
  }
}

size_t KeyAccess::PositionOf(uint32_t i) const {
  size_t mask = index_.size() - 1;
  size_t pos = nodes_[i].hash & mask;
  while (index_[pos] == 0 || EntryOf(index_[pos]) != i) pos = (pos + 1) & mask;
  return pos;
}

size_t KeyAccess::Locate(Namespace ns, std::string_view key) const {
  if (nodes_.empty()) return kNoPosition;
  bool found;
  size_t pos = Probe(Hash(ns, key), ns, key, &found);
  return found ? pos : kNoPosition;
}

uint32_t KeyAccess::Find(Namespace ns, std::string_view key) const {
  size_t pos = Locate(ns, key);
  return pos == kNoPosition ? kNone : EntryOf(index_[pos]);
}

void KeyAccess::Grow() {
  std::vector<uint64_t> old =
      std::exchange(index_, std::vector<uint64_t>(std::max<size_t>(16, index_.size() * 2)));
  size_t mask = index_.size() - 1;
  for (uint64_t w : old) {
    if (w == 0) continue;
    size_t pos = HashOf(w) & mask;
    while (index_[pos] != 0) pos = (pos + 1) & mask;
    index_[pos] = w;
  }
}

int KeyAccess::Decayed(const Node& e, int64_t now_ms) const {
  if (decay_minutes_ <= 0) return e.counter;
  int64_t periods = (now_ms - e.last_ms) / 60000 / decay_minutes_;
  return periods >= e.counter ? 0 : e.counter - static_cast<int>(periods);
}

uint32_t& KeyAccess::LinkFromNewer(uint32_t newer) {
  return newer != kNone ? nodes_[newer].older : head_;
}

uint32_t& KeyAccess::LinkFromOlder(uint32_t older) {
  return older != kNone ? nodes_[older].newer : tail_;
}

void KeyAccess::Unlink(uint32_t i) {
  Node& e = nodes_[i];
  LinkFromNewer(e.newer) = e.older;
  LinkFromOlder(e.older) = e.newer;
  e.older = e.newer = kNone;
}

void KeyAccess::PushNewest(uint32_t i) {
  nodes_[i].older = head_;
  nodes_[i].newer = kNone;
  LinkFromOlder(head_) = i;  // the old head, or tail_ when the list was empty
  head_ = i;
}

void KeyAccess::SetVolatile(uint32_t i, bool on) {
  Node& e = nodes_[i];
  if (e.volatile_key == on) return;
  e.volatile_key = on;
  Counts& c = counts_[e.ns];
  if (on) {
    e.vslot = static_cast<uint32_t>(volatile_.size());
    volatile_.push_back(i);
    c.volatile_keys++;
  } else {
    uint32_t last = volatile_.back();
    volatile_[e.vslot] = last;
    nodes_[last].vslot = e.vslot;
    volatile_.pop_back();
    e.vslot = kNone;
    c.volatile_keys--;
  }
}

void KeyAccess::Move(uint32_t from, uint32_t to) {
  Node& n = nodes_[from];
  index_[PositionOf(from)] = Word(n.hash, to);
  LinkFromNewer(n.newer) = to;
  LinkFromOlder(n.older) = to;
  if (n.vslot != kNone) volatile_[n.vslot] = to;
  nodes_[to] = std::move(n);
}

void KeyAccess::Erase(size_t hole) {
  uint32_t i = EntryOf(index_[hole]);
  SetVolatile(i, false);
  Unlink(i);
  Namespace ns = nodes_[i].ns;
  if (--counts_[ns].all == 0) counts_.erase(ns);
  // Backward-shift deletion: later words of the run move up unless they are at or past home.
  size_t mask = index_.size() - 1;
  for (size_t pos = (hole + 1) & mask; index_[pos] != 0; pos = (pos + 1) & mask) {
    size_t home = HashOf(index_[pos]) & mask;
    if (((pos - home) & mask) >= ((pos - hole) & mask)) {
      index_[hole] = index_[pos];
      hole = pos;
    }
  }
  index_[hole] = 0;
  uint32_t last = static_cast<uint32_t>(nodes_.size() - 1);
  if (i != last) Move(last, i);
  nodes_.pop_back();
}

void KeyAccess::ForgetOldest() {
  forgotten_ms_ = std::max(forgotten_ms_, nodes_[tail_].last_ms);
  Erase(PositionOf(tail_));
}

uint32_t KeyAccess::Upsert(Namespace ns, std::string_view key, int64_t now_ms, bool* inserted) {
  if ((nodes_.size() + 1) * 2 > index_.size()) Grow();
  uint32_t hash = Hash(ns, key);
  bool found;
  size_t pos = Probe(hash, ns, key, &found);
  *inserted = !found;
  if (found) return EntryOf(index_[pos]);
  if (nodes_.size() >= capacity_) {  // make room first: erasing shifts the index
    while (nodes_.size() >= capacity_) ForgetOldest();
    pos = Probe(hash, ns, key, &found);
  }
  uint32_t i = static_cast<uint32_t>(nodes_.size());
  Node& n = nodes_.emplace_back();
  n.last_ms = now_ms;
  n.counter = kLfuInitial;
  n.ns = ns;
  n.hash = hash;
  n.key_len = static_cast<uint32_t>(key.size());
  char* dst = n.inline_key;
  if (key.size() > sizeof(n.inline_key)) {
    n.long_key = std::make_unique<char[]>(key.size());
    dst = n.long_key.get();
  }
  if (!key.empty()) std::memcpy(dst, key.data(), key.size());
  index_[pos] = Word(hash, i);
  counts_[ns].all++;
  PushNewest(i);
  return i;
}

void KeyAccess::Touch(Namespace ns, std::string_view key, int64_t now_ms, bool volatile_key) {
  bool inserted;
  uint32_t i = Upsert(ns, key, now_ms, &inserted);
  SetVolatile(i, volatile_key);
  if (inserted) return;  // a new key starts at LFU_INIT_VAL, as Redis's dbAdd sets it
  Node& e = nodes_[i];
  int counter = Decayed(e, now_ms);
  e.last_ms = now_ms;
  if (counter < kLfuMax) {  // Redis's LFULogIncr
    double base = std::max(0, counter - kLfuInitial);
    double p = 1.0 / (base * log_factor_ + 1);
    if (std::uniform_real_distribution<double>(0, 1)(rng_) < p) counter++;
  }
  e.counter = static_cast<uint8_t>(counter);
  if (head_ != i) {
    Unlink(i);
    PushNewest(i);
  }
}

void KeyAccess::Written(Namespace ns, std::string_view key, int64_t now_ms, bool volatile_key) {
  bool inserted;
  SetVolatile(Upsert(ns, key, now_ms, &inserted), volatile_key);
}

void KeyAccess::Forget(Namespace ns, std::string_view key) {
  size_t pos = Locate(ns, key);
  if (pos != kNoPosition) Erase(pos);
}

void KeyAccess::SetCapacity(size_t capacity) {
  capacity_ = std::max<size_t>(capacity, 1);
  while (nodes_.size() > capacity_) ForgetOldest();
}

int64_t KeyAccess::IdleSeconds(Namespace ns, std::string_view key, int64_t now_ms) const {
  uint32_t i = Find(ns, key);
  int64_t since = i != kNone ? nodes_[i].last_ms : forgotten_ms_;
  return std::max<int64_t>(0, (now_ms - since) / 1000);
}

int KeyAccess::Frequency(Namespace ns, std::string_view key, int64_t now_ms) const {
  uint32_t i = Find(ns, key);
  return i == kNone ? 0 : Decayed(nodes_[i], now_ms);
}

uint64_t KeyAccess::tracked(Namespace ns) const {
  auto it = counts_.find(ns);
  return it == counts_.end() ? 0 : it->second.all;
}

uint64_t KeyAccess::tracked_volatile(Namespace ns) const {
  auto it = counts_.find(ns);
  return it == counts_.end() ? 0 : it->second.volatile_keys;
}

const KeyAccess::Node* KeyAccess::Random(bool volatile_only, std::mt19937_64& rng) const {
  size_t n = volatile_only ? volatile_.size() : nodes_.size();
  if (n == 0) return nullptr;
  size_t at = std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  return &nodes_[volatile_only ? volatile_[at] : at];
}

}  // namespace strata::types
