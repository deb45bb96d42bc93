#include "types/live_namespaces.h"

#include <algorithm>

#include "types/collection.h"

namespace strata::types {

void LiveNamespaces::Set(std::vector<Namespace> live, Namespace next) {
  std::lock_guard lock(mu_);
  live_ = std::move(live);
  next_ = next;
}

bool LiveNamespaces::Dead(Namespace ns) const {
  std::lock_guard lock(mu_);
  return ns < next_ && std::find(live_.begin(), live_.end(), ns) == live_.end();
}

void LiveNamespaces::AddDeadVersions(const std::vector<uint64_t>& versions) {
  std::lock_guard lock(mu_);
  dead_versions_.insert(versions.begin(), versions.end());
}

bool LiveNamespaces::DeadVersion(uint64_t version) const {
  std::lock_guard lock(mu_);
  return dead_versions_.count(version) != 0;
}

std::function<bool(std::string_view, std::string_view)> LiveNamespaces::Filter(
    std::shared_ptr<const LiveNamespaces> live) {
  return [live = std::move(live)](std::string_view key, std::string_view) {
    Namespace ns;
    uint64_t version;
    if (ElementOwner(key, &ns, &version)) return live->Dead(ns) || live->DeadVersion(version);
    return KeyNamespace(key, &ns) && live->Dead(ns);
  };
}

}  // namespace strata::types
