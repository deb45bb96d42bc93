// BlockedClients: the clients waiting in BLPOP, BRPOP, BLMOVE, BLMPOP, BZPOPMIN ... (as
// Redis's blocked.c). A blocking command that finds nothing calls Block; the client's input
// stops until a commit writes a list or sorted set it waits on (heard from the keyspace's
// change feed), when its command runs again — first blocked, first served — or until its
// timeout, when it gets a nil reply. Loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/command.h"
#include "types/change_feed.h"

struct uv_loop_s;
struct uv_timer_s;

namespace strata {

class Connection;
class Server;

class BlockedClients : public types::ChangeFeed::Subscriber {
 public:
  BlockedClients(Server* server, uv_loop_s* loop);
  BlockedClients(const BlockedClients&) = delete;
  BlockedClients& operator=(const BlockedClients&) = delete;
  ~BlockedClients() override;

  // Parks the client of ctx on keys (in its database) until one is ready; timeout_ms 0 waits
  // forever. Inside EXEC the caller must not block (ClientState::tx.executing).
  // A client blocked on no keys (WAIT) waits for its timeout, or CLIENT UNBLOCK.
  void Block(CommandContext& ctx, std::vector<std::string> keys, types::Type waits_for,
             int64_t timeout_ms);
  // Takes client off every queue (served, timed out, or closed).
  void Unblock(ClientState& client);
  size_t count() const { return count_; }
  // CLIENT UNBLOCK: the blocked client id gets its timeout reply (or, with error, -UNBLOCKED)
  // now. False when id is not blocked.
  bool UnblockById(uint64_t id, bool error);
  // Runs the commands of the clients whose keys the last commits made ready (the dispatcher
  // calls this after each commit; a served command's own commit may make more keys ready).
  void ServeReady();

  // types::ChangeFeed::Subscriber
  bool active() const override { return count_ > 0; }
  void KeysOfInterest(int db, std::vector<std::string>* out) const override;
  void OnCommit(std::span<const types::KeyChange> changes) override;

 private:
  static void OnTimer(uv_timer_s* handle);
  // Ends c's wait with the reply of a timeout, or the -UNBLOCKED error; the caller then lets
  // c go on with its input.
  void EndWait(Connection* c, bool error);

  Server* const server_;
  // Blocked clients by key, in the order they blocked; keys made ready, in order.
  std::unordered_map<types::DbKey, std::vector<uint64_t>, types::DbKey::Hash> waiting_;
  std::vector<std::pair<types::DbKey, types::Type>> ready_;  // keys written, and their type
  bool serving_ = false;
  size_t count_ = 0;
  std::unique_ptr<uv_timer_s> timer_;  // checks deadlines every 10 ms while count_ > 0
};

}  // namespace strata
