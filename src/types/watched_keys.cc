#include "types/watched_keys.h"

#include <algorithm>

namespace strata::types {

bool WatchedKeys::Watch(uint64_t client, int db, std::string_view key, bool expired_at_watch) {
  Client& c = clients_[client];
  DbKey k{db, std::string(key)};
  for (const Watched& w : c.keys) {
    if (w.key == k) return false;
  }
  watchers_[k].push_back(client);
  c.keys.push_back(Watched{std::move(k), expired_at_watch});
  return true;
}

void WatchedKeys::UnwatchAll(uint64_t client) {
  auto it = clients_.find(client);
  if (it == clients_.end()) return;
  for (const Watched& w : it->second.keys) {
    auto wit = watchers_.find(w.key);
    if (wit == watchers_.end()) continue;
    std::erase(wit->second, client);
    if (wit->second.empty()) watchers_.erase(wit);
  }
  clients_.erase(it);
}

bool WatchedKeys::Dirty(uint64_t client) const {
  auto it = clients_.find(client);
  return it != clients_.end() && it->second.dirty;
}

std::span<const WatchedKeys::Watched> WatchedKeys::KeysOf(uint64_t client) const {
  auto it = clients_.find(client);
  if (it == clients_.end()) return {};
  return it->second.keys;
}

void WatchedKeys::KeysOfInterest(int db, std::vector<std::string>* out) const {
  for (const auto& [k, ids] : watchers_) {
    if (k.db == db) out->push_back(k.key);
  }
}

void WatchedKeys::OnCommit(std::span<const KeyChange> changes) {
  if (watchers_.empty()) return;
  for (const KeyChange& change : changes) {
    auto it = watchers_.find(change.key);
    if (it == watchers_.end()) continue;
    for (uint64_t id : it->second) {
      Client& c = clients_[id];
      // A key that had expired already when it was watched, now removed: logically no
      // change (as in Redis).
      if (change.kind == KeyChange::Kind::kExpired &&
          std::any_of(c.keys.begin(), c.keys.end(), [&](const Watched& w) {
            return w.key == change.key && w.expired_at_watch;
          })) {
        continue;
      }
      c.dirty = true;
    }
  }
}

}  // namespace strata::types
