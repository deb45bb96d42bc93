// LiveNamespaces: what is garbage, for the engine's compaction filter. Each database's keys
// live under a namespace id (types/encoding.h); FLUSHDB gives the database a fresh id, so the
// old id's keys are dead at once, and compaction drops them. Likewise a deleted or overwritten
// collection's version: its elements are dead. Shared between the loop (which publishes) and
// the engine's worker threads (which ask).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_set>
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
  // For Options::compaction_filter.
  static std::function<bool(std::string_view, std::string_view)> Filter(
      std::shared_ptr<const LiveNamespaces> live);

 private:
  mutable std::mutex mu_;
  std::vector<Namespace> live_;
  Namespace next_ = 0;  // 0: not loaded yet, nothing is dead
  std::unordered_set<uint64_t> dead_versions_;
};

}  // namespace strata::types
