// ChangeFeed: the one list of keys each commit changed, for everything that reacts to writes
// — WATCH (types/watched_keys.h), the clients blocked in BLPOP and friends
// (server/blocked_clients.h), and later keyspace notifications and client-side caching.
//
// The keyspace records a change for every key a staged write touches (Put, Delete, and the
// keys of interest to a subscriber when FLUSHDB or SWAPDB changes a whole database); when the
// commit is durable it hands the list to each subscriber, in order; a discarded commit
// publishes nothing. Recording costs nothing while no subscriber is active (no WATCH, nobody
// blocked). Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/encoding.h"

namespace strata::types {

// A key in a database: the one way (db, key) is named across the keyspace's consumers.
struct DbKey {
  int db = 0;
  std::string key;

  bool operator==(const DbKey& o) const = default;
  struct Hash {
    size_t operator()(const DbKey& k) const {
      return std::hash<std::string_view>()(k.key) * 31 + static_cast<size_t>(k.db);
    }
  };
};

struct KeyChange {
  enum class Kind : uint8_t { kWritten, kDeleted };
  DbKey key;
  Kind kind;
  Type type;  // kWritten: the type the key holds now
};

class ChangeFeed {
 public:
  class Subscriber {
   public:
    virtual ~Subscriber() = default;
    // Whether the subscriber wants changes now (cheap: asked for every staged write).
    virtual bool active() const = 0;
    // Keys of db whose change this subscriber must hear about even when a whole database
    // changes at once (FLUSHDB, SWAPDB), which lists no key by itself.
    virtual void KeysOfInterest(int db, std::vector<std::string>* out) const = 0;
    // A commit is durable; these are the changes it made, in order.
    virtual void OnCommit(std::span<const KeyChange> changes) = 0;
  };

  // The subscriber must outlive the feed or unsubscribe.
  void Subscribe(Subscriber* s) { subscribers_.push_back(s); }
  void Unsubscribe(Subscriber* s) { std::erase(subscribers_, s); }

  bool active() const {
    for (const Subscriber* s : subscribers_) {
      if (s->active()) return true;
    }
    return false;
  }
  // The keys of db some active subscriber is interested in.
  std::vector<std::string> KeysOfInterest(int db) const {
    std::vector<std::string> out;
    for (const Subscriber* s : subscribers_) {
      if (s->active()) s->KeysOfInterest(db, &out);
    }
    return out;
  }

  // ---- For the keyspace.
  void Record(int db, std::string_view key, KeyChange::Kind kind, Type type = Type::kString) {
    staged_.push_back(KeyChange{DbKey{db, std::string(key)}, kind, type});
  }
  void Publish() {
    if (staged_.empty()) return;
    std::vector<KeyChange> changes;
    changes.swap(staged_);
    for (Subscriber* s : subscribers_) s->OnCommit(changes);
  }
  void Drop() { staged_.clear(); }

 private:
  std::vector<Subscriber*> subscribers_;
  std::vector<KeyChange> staged_;
};

}  // namespace strata::types
