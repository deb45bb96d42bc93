#include "types/key_access.h"

#include <algorithm>

#include "strata/coding.h"

namespace strata::types {
namespace {

constexpr int kLfuInitial = 5;  // Redis's LFU_INIT_VAL
constexpr int kLfuMax = 255;

void TrackedKey(std::string* out, Namespace ns, std::string_view key) {
  out->clear();
  PutFixed32(out, ns);
  out->append(key);
}

// Removes slot `slot` of v (moving the last entry there); `field` is the slot member.
void RemoveSlot(std::vector<KeyAccess::Node*>* v, uint32_t slot,
                uint32_t KeyAccess::Entry::*field) {
  KeyAccess::Node* last = v->back();
  (*v)[slot] = last;
  last->second.*field = slot;
  v->pop_back();
}

}  // namespace

Namespace KeyAccess::NamespaceOf(const Node& n) { return DecodeFixed32(n.first.data()); }

const KeyAccess::Entry* KeyAccess::Find(Namespace ns, std::string_view key) const {
  TrackedKey(&buf_, ns, key);
  auto it = map_.find(buf_);
  return it == map_.end() ? nullptr : &it->second;
}

int KeyAccess::Decayed(const Entry& e, int64_t now_ms) const {
  if (decay_minutes_ <= 0) return e.counter;
  int64_t periods = (now_ms - e.last_ms) / 60000 / decay_minutes_;
  return periods >= e.counter ? 0 : e.counter - static_cast<int>(periods);
}

void KeyAccess::Unlink(Node* n) {
  Entry& e = n->second;
  (e.newer ? e.newer->second.older : head_) = e.older;
  (e.older ? e.older->second.newer : tail_) = e.newer;
  e.older = e.newer = nullptr;
}

void KeyAccess::PushNewest(Node* n) {
  n->second.older = head_;
  n->second.newer = nullptr;
  if (head_ != nullptr) head_->second.newer = n;
  head_ = n;
  if (tail_ == nullptr) tail_ = n;
}

void KeyAccess::SetVolatile(Node* n, bool on) {
  Entry& e = n->second;
  if (e.volatile_key == on) return;
  e.volatile_key = on;
  Counts& c = counts_[NamespaceOf(*n)];
  if (on) {
    e.vslot = static_cast<uint32_t>(volatile_.size());
    volatile_.push_back(n);
    c.volatile_keys++;
  } else {
    RemoveSlot(&volatile_, e.vslot, &Entry::vslot);
    e.vslot = kNoSlot;
    c.volatile_keys--;
  }
}

void KeyAccess::Erase(Node* n) {
  SetVolatile(n, false);
  Unlink(n);
  RemoveSlot(&all_, n->second.slot, &Entry::slot);
  Namespace ns = NamespaceOf(*n);
  if (--counts_[ns].all == 0) counts_.erase(ns);
  map_.erase(n->first);
}

KeyAccess::Node* KeyAccess::Upsert(Namespace ns, std::string_view key, int64_t now_ms,
                                   bool* inserted) {
  TrackedKey(&buf_, ns, key);
  auto [it, fresh] = map_.try_emplace(buf_);
  Node* n = &*it;
  *inserted = fresh;
  if (fresh) {
    n->second = Entry{.last_ms = now_ms, .counter = kLfuInitial};
    n->second.slot = static_cast<uint32_t>(all_.size());
    all_.push_back(n);
    counts_[ns].all++;
    PushNewest(n);
    while (map_.size() > capacity_ && tail_ != n) {
      forgotten_ms_ = std::max(forgotten_ms_, tail_->second.last_ms);
      Erase(tail_);
    }
  }
  return n;
}

void KeyAccess::Touch(Namespace ns, std::string_view key, int64_t now_ms, bool volatile_key) {
  bool inserted;
  Node* n = Upsert(ns, key, now_ms, &inserted);
  Entry& e = n->second;
  SetVolatile(n, volatile_key);
  if (inserted) return;  // a new key starts at LFU_INIT_VAL, as Redis's dbAdd sets it
  int counter = Decayed(e, now_ms);
  e.last_ms = now_ms;
  if (counter < kLfuMax) {  // Redis's LFULogIncr
    double base = std::max(0, counter - kLfuInitial);
    double p = 1.0 / (base * log_factor_ + 1);
    if (std::uniform_real_distribution<double>(0, 1)(rng_) < p) counter++;
  }
  e.counter = static_cast<uint8_t>(counter);
  if (head_ != n) {
    Unlink(n);
    PushNewest(n);
  }
}

void KeyAccess::Written(Namespace ns, std::string_view key, int64_t now_ms, bool volatile_key) {
  bool inserted;
  SetVolatile(Upsert(ns, key, now_ms, &inserted), volatile_key);
}

void KeyAccess::Forget(Namespace ns, std::string_view key) {
  TrackedKey(&buf_, ns, key);
  auto it = map_.find(buf_);
  if (it != map_.end()) Erase(&*it);
}

void KeyAccess::SetCapacity(size_t capacity) {
  capacity_ = std::max<size_t>(capacity, 1);
  while (map_.size() > capacity_) {
    forgotten_ms_ = std::max(forgotten_ms_, tail_->second.last_ms);
    Erase(tail_);
  }
}

int64_t KeyAccess::IdleSeconds(Namespace ns, std::string_view key, int64_t now_ms) const {
  const Entry* e = Find(ns, key);
  int64_t since = e != nullptr ? e->last_ms : forgotten_ms_;
  return std::max<int64_t>(0, (now_ms - since) / 1000);
}

int KeyAccess::Frequency(Namespace ns, std::string_view key, int64_t now_ms) const {
  const Entry* e = Find(ns, key);
  return e == nullptr ? 0 : Decayed(*e, now_ms);
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
  const std::vector<Node*>& v = volatile_only ? volatile_ : all_;
  if (v.empty()) return nullptr;
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

}  // namespace strata::types
