// SPOP's memory of the member ranges its pops emptied. A random pop seeks to a random point
// and takes the next live member; in a set that pops have thinned out, that walk would cross
// the tombstones of every earlier pop (quadratic over a drain). Each pop records the range
// it walked as empty, and later seeks jump over known-empty ranges, so each tombstone is
// walked about once. Loop thread only; a cache (bounded, dropped freely), keyed by the
// set's version. The keyspace owns it and drops it when a commit is discarded: a pop that was
// never committed must not leave its members marked empty.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata::types {

class PopGaps {
 public:
  struct Set {
    std::string first, last;  // member bounds seen when tracking began (for random points)
    bool bounded = false;
    std::map<std::string, std::string> empty;  // start -> end (inclusive; "" = to the end)
  };

  Set& For(uint64_t version) {
    if (sets_.size() > kMaxSets && sets_.count(version) == 0) sets_.clear();
    return sets_[version];
  }

  // Where a seek to target should really start: past any known-empty range holding it.
  // Sets *to_end when everything from target on is known empty.
  static std::string Skip(const Set& s, const std::string& target, bool* to_end) {
    *to_end = false;
    auto it = s.empty.upper_bound(target);
    if (it == s.empty.begin()) return target;
    --it;
    if (it->second.empty()) {
      *to_end = true;
      return target;
    }
    if (target > it->second) return target;
    return it->second + std::string(1, '\0');  // just past the range
  }

  // Records [start, end] (end "" = to the end) as empty, merging overlapping ranges.
  static void MarkEmpty(Set* s, std::string start, std::string end) {
    auto it = s->empty.upper_bound(start);
    if (it != s->empty.begin()) {
      auto prev = std::prev(it);
      if (prev->second.empty() || prev->second >= start) {
        start = prev->first;
        if (prev->second.empty() || (!end.empty() && prev->second > end)) end = prev->second;
        it = s->empty.erase(prev);
      }
    }
    while (it != s->empty.end() && (end.empty() || it->first <= end)) {
      if (!end.empty() && (it->second.empty() || it->second > end)) end = it->second;
      it = s->empty.erase(it);
    }
    s->empty.emplace(std::move(start), std::move(end));
    if (s->empty.size() > kMaxRanges) s->empty.clear();
  }

  void Clear() { sets_.clear(); }

  // A member was added: a range holding it is no longer empty.
  void Added(uint64_t version, std::string_view member) {
    auto found = sets_.find(version);
    if (found == sets_.end()) return;
    Set& s = found->second;
    std::string m(member);
    if (m < s.first) s.first = m;
    if (m > s.last) s.last = m;
    auto it = s.empty.upper_bound(m);
    if (it == s.empty.begin()) return;
    --it;
    if (it->second.empty() || m <= it->second) s.empty.erase(it);
  }

 private:
  static constexpr size_t kMaxSets = 1024, kMaxRanges = 100000;
  std::unordered_map<uint64_t, Set> sets_;
};

}  // namespace strata::types
