// WatchedKeys: WATCH's bookkeeping. Each client's watched keys, and whether a commit has
// changed one of them since (EXEC then fails). A subscriber of the change feed: a key is
// dirty once a commit writes or deletes it (including its expiry, FLUSHDB and SWAPDB when
// the key existed). Loop thread only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "types/change_feed.h"

namespace strata::types {

class WatchedKeys : public ChangeFeed::Subscriber {
 public:
  struct Watched {
    DbKey key;
    bool expired_at_watch;  // Redis aborts EXEC when a watched key expired since WATCH
  };

  // Adds (db, key) to client's watched keys; false when it is already there.
  bool Watch(uint64_t client, int db, std::string_view key, bool expired_at_watch);
  // UNWATCH, EXEC, DISCARD, a closed connection.
  void UnwatchAll(uint64_t client);
  // A watched key of client changed since it was watched.
  bool Dirty(uint64_t client) const;
  std::span<const Watched> KeysOf(uint64_t client) const;
  size_t watching_clients() const { return clients_.size(); }

  // ChangeFeed::Subscriber
  bool active() const override { return !watchers_.empty(); }
  void KeysOfInterest(int db, std::vector<std::string>* out) const override;
  void OnCommit(std::span<const KeyChange> changes) override;

 private:
  struct Client {
    std::vector<Watched> keys;
    bool dirty = false;
  };
  std::unordered_map<uint64_t, Client> clients_;
  std::unordered_map<DbKey, std::vector<uint64_t>, DbKey::Hash> watchers_;
};

}  // namespace strata::types
