// LiveNamespaces: what is garbage, for the engine's compaction filter. Each database's keys
// live under a namespace id (types/encoding.h); FLUSHDB gives the database a fresh id, so the
// old id's keys are dead at once, and compaction drops them. Likewise a deleted or overwritten
// collection's version: its elements are dead; and a range of a live version's elements (a
// stream's trimmed entries, below its first live entry). Shared between the loop (which publishes)
// and the engine's worker threads (which ask).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "types/encoding.h"

namespace strata::types {

// What is garbage, shared with the compaction filter (worker threads): keys of a namespace no
// database maps to any more, and the elements of deleted or overwritten collections.
class LiveNamespaces {
 public:
  void Set(std::vector<Namespace> live, Namespace next);
  // True for an id that was handed out and belongs to no database now. Ids are never
  // reused, so a dead id stays dead.
  bool Dead(Namespace ns) const;
  void AddDeadVersions(const std::vector<uint64_t>& versions);
  bool DeadVersion(uint64_t version) const;
  // The elements of version whose suffixes are in [begin, end) are dead (replaces the
  // version's earlier range: a range only grows).
  void SetDeadRange(uint64_t version, std::string begin, std::string end);
  // An element key (types/collection.h) that is garbage.
  bool DeadElement(std::string_view key, Namespace ns, uint64_t version) const;
  // For Options::compaction_filter.
  static std::function<bool(std::string_view, std::string_view)> Filter(
      std::shared_ptr<const LiveNamespaces> live);

 private:
  mutable std::mutex mu_;
  std::vector<Namespace> live_;
  Namespace next_ = 0;  // 0: not loaded yet, nothing is dead
  std::unordered_set<uint64_t> dead_versions_;
  std::unordered_map<uint64_t, std::pair<std::string, std::string>> dead_ranges_;
};

}  // namespace strata::types
