// Tracking: client-side caching (CLIENT TRACKING) as Redis 7 has it. In the default mode the
// keys a tracking client reads (read-only commands, as their key specs name them; with OPTIN
// only after CLIENT CACHING YES, with OPTOUT unless CLIENT CACHING NO) are remembered, and the
// first change of such a key sends the client one invalidation and forgets the key. In BCAST
// mode every changed key under one of the client's prefixes is sent. Invalidations go as a
// RESP3 push ("invalidate" [keys]) on the client's own connection, or to its REDIRECT target:
// a push too, or in RESP2 a message on __redis__:invalidate. FLUSHDB and FLUSHALL send a null
// invalidation to everyone. The table keeps at most tracking-table-max-keys keys: past that,
// keys are dropped (their clients told) as they are added.
//
// Changes come from the change feed, once committed; NOLOOP leaves out what the client changed
// itself. Loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/command.h"
#include "types/change_feed.h"

namespace strata {

class ClientRegistry;
struct Config;

class Tracking : public types::ChangeFeed::Subscriber {
 public:
  Tracking(ClientRegistry* clients, const Config* config);

  // CLIENT TRACKING ON with its options (checked by the command), OFF.
  void Enable(ClientState& client, TrackingState mode);
  void Disable(ClientState& client);
  // A read-only command of client ran: remember its keys, as the mode says.
  void Remember(ClientState& client, const CommandSpec& cmd,
                std::span<const std::string_view> args);
  // FLUSHDB, FLUSHALL: a null invalidation to every tracking client; the table is emptied.
  void InvalidateAll();
  // The client whose commit comes next (NOLOOP); 0 for the server's own (expiry).
  void set_writer(uint64_t id) { writer_ = id; }

  size_t total_keys() const { return keys_.size(); }
  size_t total_items() const { return items_; }
  size_t total_prefixes() const { return prefixes_.size(); }

  // ChangeFeed::Subscriber
  bool active() const override { return !keys_.empty() || !prefixes_.empty(); }
  void KeysOfInterest(int, std::vector<std::string>*) const override {}
  void OnCommit(std::span<const types::KeyChange> changes) override;

 private:
  // Sends keys (nullptr: the null invalidation) to the tracking client id, unless it changed
  // them itself and asked for NOLOOP.
  void Send(uint64_t id, const std::vector<std::string_view>* keys);
  // A change the writer made (by_writer) that client id, the writer, asked not to hear of.
  bool IsOwnChange(uint64_t id, bool by_writer) const;
  void Forget(std::string_view key);

  ClientRegistry* const clients_;
  const Config* const config_;
  std::unordered_map<std::string, std::unordered_set<uint64_t>> keys_;  // key -> client ids
  std::map<std::string, std::unordered_set<uint64_t>> prefixes_;        // BCAST
  size_t items_ = 0;                       // the sum of keys_' set sizes
  std::unordered_set<uint64_t> tracking_;  // every client with tracking on
  uint64_t writer_ = 0;
};

}  // namespace strata
