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

}  // namespace

const KeyAccess::Entry* KeyAccess::Find(Namespace ns, std::string_view key) const {
  std::string k;
  TrackedKey(&k, ns, key);
  if (auto it = current_.find(k); it != current_.end()) return &it->second;
  if (auto it = previous_.find(k); it != previous_.end()) return &it->second;
  return nullptr;
}

int KeyAccess::Decayed(const Entry& e, int64_t now_ms) const {
  if (decay_minutes_ <= 0) return e.counter;
  int64_t periods = (now_ms - e.last_ms) / 60000 / decay_minutes_;
  return periods >= e.counter ? 0 : e.counter - static_cast<int>(periods);
}

void KeyAccess::Touch(Namespace ns, std::string_view key, int64_t now_ms) {
  TrackedKey(&buf_, ns, key);
  auto it = current_.find(buf_);
  Entry e{now_ms, kLfuInitial};
  if (it != current_.end()) {
    e.counter = Decayed(it->second, now_ms);
  } else if (auto old = previous_.find(buf_); old != previous_.end()) {
    e.counter = Decayed(old->second, now_ms);
    previous_.erase(old);
  }
  if (e.counter < kLfuMax) {  // Redis's LFULogIncr
    double base = std::max(0, e.counter - kLfuInitial);
    double p = 1.0 / (base * log_factor_ + 1);
    if (std::uniform_real_distribution<double>(0, 1)(rng_) < p) e.counter++;
  }
  if (it != current_.end()) {
    it->second = e;
    return;
  }
  if (current_.size() >= capacity_) {
    previous_ = std::move(current_);
    current_ = {};
    previous_since_ms_ = current_since_ms_;
    current_since_ms_ = now_ms;
  }
  current_.emplace(buf_, e);
}

int64_t KeyAccess::IdleSeconds(Namespace ns, std::string_view key, int64_t now_ms) const {
  const Entry* e = Find(ns, key);
  int64_t since = e != nullptr ? e->last_ms : previous_since_ms_;
  return std::max<int64_t>(0, (now_ms - since) / 1000);
}

int KeyAccess::Frequency(Namespace ns, std::string_view key, int64_t now_ms) const {
  const Entry* e = Find(ns, key);
  return e == nullptr ? 0 : Decayed(*e, now_ms);
}

}  // namespace strata::types
