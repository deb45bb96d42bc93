// ChangeFeed: the one list of what each commit did, for everything that reacts to writes —
// WATCH (types/watched_keys.h), the clients blocked in BLPOP and friends
// (server/blocked_clients.h), client-side caching, and Pub/Sub (server/pubsub.h), which
// delivers the commit's notices: its keyspace events and the messages its commands published.
//
// The keyspace records a change for every key a staged write touches (Put, Delete, and the
// keys of interest to a subscriber when FLUSHDB or SWAPDB changes a whole database); when the
// commit is durable it hands the list to each subscriber, in order; a discarded commit
// publishes nothing. Notices are staged in command order and delivered after the commit
// (after the reply of the command that made them, as Redis 7.2 sends a client's own
// messages), so a MULTI/EXEC's or a script's events arrive once it is done, in order. Recording
// costs nothing while no subscriber is active (no WATCH, nobody blocked). Loop thread only.
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
  // kExpired: deleted because its time had come (a lookup found it expired, or active expiry).
  enum class Kind : uint8_t { kWritten, kDeleted, kExpired, kEvicted };
  DbKey key;
  Kind kind;
  Type type;  // kWritten: the type the key holds now
};

// Keyspace event classes: notify-keyspace-events' letters, as Redis's bits.
enum NotifyClass : uint32_t {
  kNotifyKeyspace = 1 << 0,  // K: __keyspace@<db>__:<key> <event>
  kNotifyKeyevent = 1 << 1,  // E: __keyevent@<db>__:<event> <key>
  kNotifyGeneric = 1 << 2,   // g
  kNotifyString = 1 << 3,    // $
  kNotifyList = 1 << 4,      // l
  kNotifySet = 1 << 5,       // s
  kNotifyHash = 1 << 6,      // h
  kNotifyZSet = 1 << 7,      // z
  kNotifyExpired = 1 << 8,   // x
  kNotifyEvicted = 1 << 9,   // e
  kNotifyStream = 1 << 10,   // t
  kNotifyKeyMiss = 1 << 11,  // m
  kNotifyModule = 1 << 13,   // d
  kNotifyNew = 1 << 14,      // n
};

// Something a commit makes known once it is durable: a keyspace event (what a command did to
// a key, by Redis's event name), or a message a command published.
struct Notice {
  enum class Kind : uint8_t { kKeyEvent, kMessage, kShardMessage };
  Kind kind;
  int db = 0;         // kKeyEvent
  std::string name;   // the event, or the channel
  std::string value;  // the key, or the message
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
    // ... and what it made known, in order (after OnCommit).
    virtual void OnNotices(std::span<const Notice> /*notices*/) {}
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
  void Stage(Notice notice) { notices_.push_back(std::move(notice)); }
  bool has_notices() const { return !notices_.empty(); }
  void Publish() {
    if (!staged_.empty()) {
      std::vector<KeyChange> changes;
      changes.swap(staged_);
      for (Subscriber* s : subscribers_) s->OnCommit(changes);
    }
    if (!notices_.empty()) {
      // The buffer is reused commit after commit (a nested commit gets a fresh one).
      std::vector<Notice> fresh;
      std::vector<Notice>& out = publishing_.empty() ? publishing_ : fresh;
      out.swap(notices_);
      for (Subscriber* s : subscribers_) s->OnNotices(out);
      out.clear();
    }
  }
  void Drop() {
    staged_.clear();
    notices_.clear();
  }

 private:
  std::vector<Subscriber*> subscribers_;
  std::vector<KeyChange> staged_;
  std::vector<Notice> notices_, publishing_;
};

}  // namespace strata::types
