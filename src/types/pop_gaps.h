// SPOP's memory of a set, keyed by the set's version.
//
// Small sets (at most kUniformPickLimit members) are listed: every member, so that a pop is
// a uniform pick from the list, O(1). SADD, SREM and SMOVE keep the list in step (Added,
// Removed); a list whose length is not the set's size is read again.
//
// Larger sets: the member ranges pops emptied. A random pop seeks to a random point and
// takes the next live member; in a set that pops have thinned out, that walk would cross the
// tombstones of every earlier pop (quadratic over a drain). Each pop records the range it
// walked as empty, and later seeks jump over known-empty ranges, so each tombstone is walked
// about once.
//
// Loop thread only; a cache (bounded, dropped freely). The keyspace owns it and drops it when
// a commit is discarded: a pop that was never committed must not leave its members marked
// empty or unlisted.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::types {

class PopGaps {
 public:
  struct Set {
    std::string first, last;  // member bounds seen when tracking began (for random points)
    bool bounded = false;
    std::map<std::string, std::string> empty;  // start -> end (inclusive; "" = to the end)
    bool listed = false;                       // small sets: members and index hold every member
    std::vector<std::string> members;          // in no order
    std::unordered_map<std::string, size_t> index;  // member -> its place in members
  };

  // Lists every member of a small set (replacing what was listed). May drop the other sets'
  // entries (the bound on what is listed): references from For are then invalid.
  Set& List(uint64_t version, std::vector<std::string> members) {
    if (listed_total_ + members.size() > kMaxListed) Clear();
    Set& s = For(version);
    s.members = std::move(members);
    s.index.clear();
    for (size_t i = 0; i < s.members.size(); ++i) s.index.emplace(s.members[i], i);
    s.listed = true;
    listed_total_ += s.members.size();
    return s;
  }

  // Takes member off s's list.
  static void Unlist(Set* s, std::string_view member) {
    auto it = s->index.find(std::string(member));
    if (it == s->index.end()) return;
    size_t at = it->second;
    s->index.erase(it);
    if (at + 1 != s->members.size()) {
      s->members[at] = std::move(s->members.back());
      s->index[s->members[at]] = at;
    }
    s->members.pop_back();
  }

  // A member was removed (SREM, SMOVE away).
  void Removed(uint64_t version, std::string_view member) {
    auto found = sets_.find(version);
    if (found != sets_.end() && found->second.listed) Unlist(&found->second, member);
  }

  Set& For(uint64_t version) {
    if (sets_.size() > kMaxSets && sets_.count(version) == 0) Clear();
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

  void Clear() {
    sets_.clear();
    listed_total_ = 0;
  }

  // A member was added: a range holding it is no longer empty, and a list gains it.
  void Added(uint64_t version, std::string_view member) {
    auto found = sets_.find(version);
    if (found == sets_.end()) return;
    Set& s = found->second;
    std::string m(member);
    if (s.listed && s.index.emplace(m, s.members.size()).second) {
      s.members.push_back(m);
      listed_total_++;
    }
    if (m < s.first) s.first = m;
    if (m > s.last) s.last = m;
    auto it = s.empty.upper_bound(m);
    if (it == s.empty.begin()) return;
    --it;
    if (it->second.empty() || m <= it->second) s.empty.erase(it);
  }

 private:
  static constexpr size_t kMaxSets = 1024, kMaxRanges = 100000, kMaxListed = 1 << 20;
  std::unordered_map<uint64_t, Set> sets_;
  size_t listed_total_ = 0;  // members listed, over all sets (an upper bound)
};

}  // namespace strata::types
