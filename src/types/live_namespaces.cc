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
  for (uint64_t v : versions) dead_ranges_.erase(v);  // the whole version is dead now
}

bool LiveNamespaces::DeadVersion(uint64_t version) const {
  std::lock_guard lock(mu_);
  return dead_versions_.count(version) != 0;
}

void LiveNamespaces::SetDeadRange(uint64_t version, std::string begin, std::string end) {
  std::lock_guard lock(mu_);
  dead_ranges_[version] = {std::move(begin), std::move(end)};
}

bool LiveNamespaces::DeadElement(std::string_view key, Namespace ns, uint64_t version) const {
  std::lock_guard lock(mu_);
  if ((ns < next_ && std::find(live_.begin(), live_.end(), ns) == live_.end()) ||
      dead_versions_.count(version) != 0) {
    return true;
  }
  auto it = dead_ranges_.find(version);
  if (it == dead_ranges_.end() || key[0] != kSubkeyTag) return false;
  std::string_view suffix = ElementSuffix(key);
  return suffix >= it->second.first && suffix < it->second.second;
}

std::function<bool(std::string_view, std::string_view)> LiveNamespaces::Filter(
    std::shared_ptr<const LiveNamespaces> live) {
  return [live = std::move(live)](std::string_view key, std::string_view) {
    Namespace ns;
    uint64_t version;
    if (ElementOwner(key, &ns, &version)) return live->DeadElement(key, ns, version);
    return KeyNamespace(key, &ns) && live->Dead(ns);
  };
}

}  // namespace strata::types
