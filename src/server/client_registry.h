// ClientRegistry: every connected client, by id, and the lists a loop turn works through —
// the connections with replies to send (flushed by Server::BeforeSleep after the turn's log
// bytes are written) and the connections held back while the engine's background work falls
// behind (resumed by a 1 ms timer). Also the operator's controls over clients: CLIENT
// KILL/LIST/PAUSE, the idle timeout and the output-buffer limit.
//
// A connection registers when accepted and unregisters in Server::OnConnectionClosed; a
// closed connection is never in a list. Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command.h"

struct uv_loop_s;
struct uv_timer_s;

namespace strata {

class Connection;
class DB;

// What a client's buffers hold, in bytes (CLIENT LIST's qbuf, argv-mem, obl, omem ...).
struct ClientBuffers {
  size_t qbuf = 0, qbuf_free = 0;  // unparsed input, and the room allocated after it
  size_t argv_mem = 0;             // the arguments of the command running now
  size_t multi_mem = 0;            // the commands queued by MULTI
  size_t obl = 0;                  // replies queued this turn
  size_t oll = 0, omem = 0;        // replies handed to the socket and not yet sent: 0 or 1
  size_t tot_mem = 0;              // all of the above as allocated, and the connection itself
};

class ClientRegistry {
 public:
  ClientRegistry(uv_loop_s* loop, DB* db, const CommandTable* commands);
  ClientRegistry(const ClientRegistry&) = delete;
  ClientRegistry& operator=(const ClientRegistry&) = delete;
  ~ClientRegistry();

  uint64_t NextId() { return next_id_++; }
  void Add(Connection* c);
  // Forgets c, and takes it off every list.
  void Remove(Connection* c);
  Connection* Find(uint64_t id) const;
  size_t size() const { return clients_.size(); }
  // Calls fn for every client, in id order (CLIENT LIST).
  void ForEach(const std::function<void(const ClientState&, const ClientBuffers&)>& fn) const;
  // Calls fn for every connection, in no order; fn may not close any.
  void ForEachConnection(const std::function<void(Connection*)>& fn) const;

  // ---- Replies: c has replies to send this turn.
  void QueueFlush(Connection* c);
  bool has_pending() const { return !pending_.empty(); }
  // Sends what the connections queued (a send may queue more: see has_pending), but for the
  // client `except` (its turn is not over: a script of it is running), which stays queued.
  void FlushPending(uint64_t except = 0);

  // ---- Write back-pressure: true when a connection that has run `ran` commands in this
  // batch should wait — always while the engine says kStop, after 16 commands under
  // kSlowdown. AddHeldBack parks c until the engine catches up.
  bool HoldBack(int ran) const;
  void AddHeldBack(Connection* c);

  // ---- CLIENT PAUSE: holds back every command (or only writes) of every client until
  // until_ms; a second pause extends, never shortens, the first.
  void Pause(int64_t until_ms, bool writes_only, int64_t now_ms);
  void Unpause() { pause_until_ms_ = 0; }
  // True when a command (args) must wait for the pause to end.
  bool PausedFor(std::span<const std::string_view> args);

  // ---- CLIENT KILL: closes the clients match accepts (self after its reply, unless
  // skip_me); returns how many.
  size_t Kill(const std::function<bool(const ClientState&)>& match, const ClientState& self,
              bool skip_me);
  // The cron's sweep: `timeout` (idle seconds; 0 = never) and client-output-buffer-limit.
  void CloseIdleAndOverLimit(int64_t now_ms, int timeout_s);

 private:
  static void OnStallTimer(uv_timer_s* handle);

  DB* const db_;
  const CommandTable* const commands_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, Connection*> clients_;
  std::vector<Connection*> pending_;    // connections with replies to send this turn
  std::vector<Connection*> flushing_;   // the batch FlushPending is sending
  std::vector<Connection*> held_back_;  // connections waiting for the engine to catch up
  std::unique_ptr<uv_timer_s> stall_timer_;  // runs every 1 ms while held_back_ is not empty
  int64_t pause_until_ms_ = 0;
  bool pause_writes_only_ = false;
};

}  // namespace strata
