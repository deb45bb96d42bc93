// Server: the libuv loop that owns every connection, the command table and the engine.
//
// One loop turn: read callbacks parse and run commands (each write goes to the memtable and
// the WAL buffer); then BeforeSleep (a uv_prepare handle, like Redis's beforeSleep) hands the
// turn's WAL bytes to the OS in one write(2), syncs them under appendfsync always (one sync
// for every client of the turn), and only then sends the queued replies.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/command.h"
#include "server/config.h"
#include "server/cursors.h"
#include "server/latency.h"
#include "server/slowlog.h"
#include "strata/db.h"
#include "types/keyspace.h"

// libuv's handle types, declared so that this header (which the commands include) does not
// pull in libuv: the handles themselves live in server.cc.
struct uv_loop_s;
struct uv_stream_s;
struct uv_prepare_s;
struct uv_signal_s;
struct uv_timer_s;

namespace strata {

class Connection;

// SAVE and BGSAVE: checkpoints of the database under `dir` (see DB::Checkpoint).
struct SaveState {
  bool in_progress = false;
  bool last_ok = true;
  int64_t last_save_s = 0;       // unix time of the last successful checkpoint (or start)
  int64_t started_ms = 0;        // of the one in progress
  int64_t last_duration_s = -1;  // of the last BGSAVE
  uint64_t saves = 0;
  std::string last_dir;  // the last successful checkpoint
};

struct ServerStats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t total_error_replies = 0;
  std::map<std::string, uint64_t, std::less<>> error_prefixes;  // INFO errorstats

  // Counts an error reply by its first word ("ERR", "WRONGTYPE", ...), as errorstats does.
  void CountError(std::string_view text) {
    total_error_replies++;
    std::string_view prefix = text.substr(0, text.find(' '));
    auto it = error_prefixes.find(prefix);
    if (it == error_prefixes.end()) it = error_prefixes.emplace(std::string(prefix), 0).first;
    it->second++;
  }
  uint64_t expired_keys = 0;
};

class Server {
 public:
  // live: the namespaces shared with the engine's compaction filter (see types::Keyspace).
  Server(Config config, std::unique_ptr<DB> db, CommandTable commands,
         std::shared_ptr<types::LiveNamespaces> live);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // Listens and runs the loop until SIGTERM/SIGINT. Returns the process exit code.
  int Run();

  // For commands.
  DB& db() { return *db_; }
  types::Keyspace& keyspace() { return keyspace_; }
  Config& config() { return config_; }
  const CommandTable& commands() const { return commands_; }
  ServerStats& stats() { return stats_; }
  CursorTable& cursors() { return cursors_; }
  SlowLog& slowlog() { return slowlog_; }
  SaveState& save_state() { return save_; }
  // A checkpoint in a new directory under dir: SAVE (background = false, done when it
  // returns) or BGSAVE (the copy runs on the engine's workers; save_state() follows it).
  Status Checkpoint(bool background);
  int64_t start_time_ms() const { return start_time_ms_; }
  size_t connected_clients() const { return clients_.size(); }
  const std::string& run_id() const { return run_id_; }
  void ForEachClient(
      const std::function<void(const ClientState&, size_t qbuf, size_t omem)>& fn) const;
  // Re-reads the run-time settings after CONFIG SET.
  void ApplyConfig();
  // Stops accepting, writes (and syncs) the turn's log bytes and replies, and ends the loop;
  // Run returns and the engine is closed cleanly. SIGTERM, SIGINT and SHUTDOWN.
  void Shutdown(const char* reason);

  // For connections: runs (or, inside MULTI, queues) one command, then commits its writes.
  void Execute(ClientState& client, ReplyBuilder& reply, std::span<const std::string_view> args);
  // Operator controls. KillClients closes the clients match accepts (self after its reply,
  // unless skip_me) and returns how many; PauseClients holds back every command (or only
  // writes) of every client until until_ms; AddMonitor makes client a MONITOR.
  size_t KillClients(const std::function<bool(const ClientState&)>& match, const ClientState& self,
                     bool skip_me);
  void PauseClients(int64_t until_ms, bool writes_only);
  void UnpauseClients() { pause_until_ms_ = 0; }
  // True when a command (args) must wait for CLIENT PAUSE to end.
  bool PausedFor(std::span<const std::string_view> args);
  void AddMonitor(ClientState& client);
  LatencyMonitor& latency() { return latency_; }
  // Runs a command whose name and arity were checked, without committing (EXEC).
  void Call(ClientState& client, ReplyBuilder& reply, const CommandSpec* cmd,
            std::span<const std::string_view> args);
  // Blocking commands. Block parks the client on keys (in db) until a write signals one of
  // them ready, then runs its command again; timeout_ms 0 waits forever. Inside EXEC the
  // caller must not block (ClientState::tx.executing).
  void Block(CommandContext& ctx, std::vector<std::string> keys, int64_t timeout_ms);
  size_t blocked_clients() const { return blocked_count_; }

  // Resolves args[0] (and a subcommand) to a command; nullptr after queueing the error.
  const CommandSpec* Resolve(ReplyBuilder& reply, std::span<const std::string_view> args);
  void QueueFlush(Connection* connection);
  // Write back-pressure: true when a connection that has run `ran` commands in this batch
  // should wait — always while the engine says kStop, after 16 commands under kSlowdown.
  bool HoldBack(int ran);
  void AddHeldBack(Connection* connection);
  void OnConnectionClosed(Connection* connection);
  uv_loop_s* loop();
  char* read_buffer() { return read_buffer_.get(); }
  static constexpr size_t kReadBufferSize = 64 * 1024;

  static int64_t NowMs();
  // Wall-clock ms, read once per read event: every command parsed from one read sees the
  // same time (reading the clock per command cost 5% of a pipelined PING here).
  int64_t cached_now_ms() const { return now_ms_; }
  int64_t RefreshClock() { return now_ms_ = NowMs(); }

 private:
  static void OnConnection(uv_stream_s* listener, int status);
  static void OnBeforeSleep(uv_prepare_s* handle);
  static void OnSignal(uv_signal_s* handle, int signum);
  static void OnCron(uv_timer_s* handle);
  static void OnStallTimer(uv_timer_s* handle);

  bool Listen();
  bool ListenUnix();
  void BeforeSleep();
  void ActiveExpire();
  // Execute without CLIENT REPLY handling; returns the command run (nullptr: refused).
  const CommandSpec* Dispatch(ClientState& client, ReplyBuilder& reply,
                              std::span<const std::string_view> args);
  void FeedMonitors(const ClientState& client, const CommandSpec* cmd,
                    std::span<const std::string_view> args);
  // timeout and client-output-buffer-limit, checked by the cron.
  void CloseIdleAndOverLimit();
  // A write made key hold data a blocked client may want.
  void SignalKeyReady(int db, std::string_view key);
  void ServeReadyKeys();
  void Unblock(ClientState& client);
  static void OnBlockTimer(uv_timer_s* handle);

  Config config_;
  std::unique_ptr<DB> db_;
  types::Keyspace keyspace_;
  CommandTable commands_;
  ServerStats stats_;
  CursorTable cursors_;
  SlowLog slowlog_;
  SaveState save_;
  LatencyMonitor latency_;
  std::vector<uint64_t> monitors_;  // MONITOR clients
  int64_t pause_until_ms_ = 0;      // CLIENT PAUSE
  bool pause_writes_only_ = false;
  int64_t start_time_ms_;
  int64_t now_ms_;
  std::string run_id_;

  struct LoopHandles;  // the loop, listeners, timers and signal handles (server.cc)
  std::unique_ptr<LoopHandles> uv_;
  std::unique_ptr<char[]> read_buffer_;

  uint64_t next_client_id_ = 1;
  std::unordered_map<uint64_t, Connection*> clients_;
  std::vector<Connection*> pending_;    // connections with replies to send this turn
  std::vector<Connection*> held_back_;  // connections waiting for the engine to catch up
  // Blocked clients by "db|key", in the order they blocked; keys signalled ready.
  std::unordered_map<std::string, std::vector<uint64_t>> blocking_keys_;
  std::vector<std::string> ready_keys_;
  bool serving_ready_ = false;
  size_t blocked_count_ = 0;
  bool wal_error_logged_ = false;  // writes are being refused (logged once)
};

}  // namespace strata
