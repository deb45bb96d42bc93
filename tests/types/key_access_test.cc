#include "types/key_access.h"

#include <doctest/doctest.h>

#include <list>
#include <map>
#include <random>
#include <string>

namespace strata::types {
namespace {

// A reference model: the recency order as a list (newest first), each key's volatile flag.
struct Model {
  std::list<std::pair<Namespace, std::string>> order;
  std::map<std::pair<Namespace, std::string>, bool> volatile_of;

  void Use(Namespace ns, const std::string& key, bool vol, bool touch, size_t capacity) {
    auto k = std::make_pair(ns, key);
    bool known = volatile_of.count(k) > 0;
    if (known && touch) order.remove(k);
    if (!known || touch) {
      if (!known) {
        while (order.size() >= capacity) {
          volatile_of.erase(order.back());
          order.pop_back();
        }
      }
      order.push_front(k);
    }
    volatile_of[k] = vol;
  }
  void Forget(Namespace ns, const std::string& key) {
    auto k = std::make_pair(ns, key);
    if (volatile_of.erase(k) > 0) order.remove(k);
  }
};

}  // namespace

TEST_CASE("key access: recency, membership and counts agree with a model under churn") {
  const size_t capacity = 300;
  KeyAccess access(0, capacity);
  Model model;
  std::mt19937_64 rng(7);
  for (int step = 0; step < 20000; ++step) {
    Namespace ns = 1 + rng() % 2;
    // Short keys sit inline, long ones (over 24 bytes) on the heap.
    std::string key = "k" + std::to_string(rng() % 500);
    if (rng() % 4 == 0) key += std::string(30, 'x');
    bool vol = rng() % 3 == 0;
    switch (rng() % 4) {
      case 0:
      case 1:
        access.Touch(ns, key, step, vol);
        model.Use(ns, key, vol, true, capacity);
        break;
      case 2:
        access.Written(ns, key, step, vol);
        model.Use(ns, key, vol, false, capacity);
        break;
      default:
        access.Forget(ns, key);
        model.Forget(ns, key);
    }
    if (step % 997 == 0) {
      REQUIRE(access.size() == model.order.size());
      for (Namespace n : {1u, 2u}) {
        uint64_t all = 0, vols = 0;
        for (const auto& [k, v] : model.volatile_of) {
          all += k.first == n;
          vols += k.first == n && v;
        }
        CHECK(access.tracked(n) == all);
        CHECK(access.tracked_volatile(n) == vols);
      }
      for (const auto& [k, v] : model.volatile_of) CHECK(access.Tracked(k.first, k.second));
    }
  }
  // Evicting oldest-first walks exactly the model's recency order.
  std::mt19937_64 pick(1);
  while (!model.order.empty()) {
    const KeyAccess::Node* oldest = access.Oldest();
    REQUIRE(oldest != nullptr);
    CHECK(oldest->ns == model.order.back().first);
    CHECK(oldest->key() == model.order.back().second);
    const KeyAccess::Node* any = access.Random(false, pick);
    REQUIRE(any != nullptr);
    CHECK(access.Tracked(any->ns, std::string(any->key())));
    const KeyAccess::Node* vol = access.Random(true, pick);
    if (vol != nullptr) CHECK(vol->volatile_key);
    access.Forget(model.order.back().first, model.order.back().second);
    model.order.pop_back();
  }
  CHECK(access.size() == 0);
  CHECK(access.Oldest() == nullptr);
  CHECK(access.Random(false, pick) == nullptr);
}

TEST_CASE("key access: idle time and LFU counter; a forgotten key is the coldest") {
  KeyAccess access(1000, 2);
  access.Touch(1, "a", 5000, false);
  CHECK(access.IdleSeconds(1, "a", 65000) == 60);
  CHECK(access.Frequency(1, "a", 5000) == 5);              // new keys start at LFU_INIT_VAL
  CHECK(access.Frequency(1, "a", 5000 + 3 * 60000) == 2);  // one per lfu-decay-time minute
  access.Touch(1, "b", 6000, false);
  access.Touch(1, "c", 7000, false);  // past the cap: "a" is forgotten
  CHECK_FALSE(access.Tracked(1, "a"));
  CHECK(access.Frequency(1, "a", 7000) == 0);
  CHECK(access.IdleSeconds(1, "a", 15000) == 10);  // since the newest forgotten use
}

}  // namespace strata::types
