// Server: the loop, and the parts of the server that hang off it. One loop turn: read
// callbacks parse and run commands (server/connection.h → server/dispatcher.h; each write goes
// to the memtable and the WAL buffer); then BeforeSleep (a uv_prepare handle, like Redis's
// beforeSleep) hands the turn's WAL bytes to the OS in one write(2), syncs them under
// appendfsync always (one sync for every client of the turn), and only then sends the queued
// replies. The cron (every 100 ms) polls the engine's background work, runs active expiry and
// closes idle clients; SIGTERM/SIGINT and SHUTDOWN end the loop cleanly.
//
// The parts, one job each: Listener (sockets, accepting), ClientRegistry (clients, their
// reply and held-back lists, CLIENT KILL/PAUSE), Dispatcher (one command start to end),
// BlockedClients (BLPOP and friends), ColdReads (commands waiting for the disk), Monitors
// (MONITOR), PubSub (channels, keyspace events), Tracking (client-side caching), Checkpoints
// (SAVE/BGSAVE), and the keyspace's WatchedKeys (WATCH).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "server/blocked_clients.h"
#include "server/checkpoints.h"
#include "server/client_registry.h"
#include "server/cold_reads.h"
#include "server/command.h"
#include "server/config.h"
#include "server/cursors.h"
#include "server/dispatcher.h"
#include "server/latency.h"
#include "server/monitor.h"
#include "server/pubsub.h"
#include "server/script_run.h"
#include "server/slowlog.h"
#include "server/stats.h"
#include "server/tracking.h"
#include "strata/db.h"
#include "types/eviction.h"
#include "types/keyspace.h"
#include "types/watched_keys.h"

// libuv's handle types, declared so that this header (which the commands include) does not
// pull in libuv: the handles themselves live in server.cc.
struct uv_loop_s;
struct uv_prepare_s;
struct uv_signal_s;
struct uv_timer_s;
struct uv_async_s;

namespace strata {

class Connection;

class Listener;

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
  // Stops accepting, writes (and syncs) the turn's log bytes and replies, and ends the loop;
  // Run returns and the engine is closed cleanly. SIGTERM, SIGINT and SHUTDOWN.
  void Shutdown(const char* reason);
  // Re-reads the run-time settings after CONFIG SET.
  void ApplyConfig();

  // The engine and the data.
  DB& db() { return *db_; }
  types::Keyspace& keyspace() { return keyspace_; }
  types::WatchedKeys& watched_keys() { return watched_; }
  // The parts.
  Listener& listener() { return *listener_; }
  ClientRegistry& clients() { return *clients_; }
  Dispatcher& dispatcher() { return dispatcher_; }
  BlockedClients& blocked() { return *blocked_; }
  ColdReads& cold_reads() { return cold_reads_; }
  Monitors& monitors() { return monitors_; }
  PubSub& pubsub() { return pubsub_; }
  Tracking& tracking() { return tracking_; }
  Checkpoints& checkpoints() { return checkpoints_; }
  // What commands read and change.
  Config& config() { return config_; }
  const CommandTable& commands() const { return commands_; }
  ServerStats& stats() { return stats_; }
  CursorTable& cursors() { return cursors_; }
  SlowLog& slowlog() { return slowlog_; }
  LatencyMonitor& latency() { return latency_; }
  // Scripts (server/script_run.h): the engine, set once before Run, and the script running.
  void set_script_host(std::unique_ptr<ScriptHost> host) { script_host_ = std::move(host); }
  ScriptHost* script_host() { return script_host_.get(); }
  ScriptRun& script_run() { return script_run_; }
  // From a script past busy-reply-threshold: reads every other client and the listening
  // sockets without blocking, and runs what came (answered -BUSY but for allow-busy
  // commands). The first call writes the log bytes of the turn so far and sends the replies
  // that waited for them, the running client's excepted (busy_serve.cc).
  void ServeWhileBusy();
  // maxmemory: evicts (types/eviction.h) for at most maxmemory-eviction-tenacity's time, as
  // Redis does before each command, and commits. false: still over the limit and nothing can
  // be evicted (commands flagged denyoom are then refused).
  bool MakeRoom();
  // After a command that staged writes, over maxmemory: evicts into the same batch (one log
  // record and one commit for the command and its victims), so the next command finds the
  // data set within the limit. Returns the keys evicted, to count once the batch commits.
  uint64_t EvictIntoBatch();
  // The last MakeRoom's answer was false: scripts' denyoom commands are refused (Redis's
  // pre_command_oom_state).
  bool oom() const { return oom_; }
  int64_t start_time_ms() const { return start_time_ms_; }
  const std::string& run_id() const { return run_id_; }

  // For connections.
  // A client's connection is gone: forget it everywhere (blocked, watching, monitoring).
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
  static void OnBeforeSleep(uv_prepare_s* handle);
  static void OnSignal(uv_signal_s* handle, int signum);
  static void OnCron(uv_timer_s* handle);
  static void OnEngineWakeup(uv_async_s* handle);

  void BeforeSleep();
  void ActiveExpire();
  // Evicts (stages the victims' deletes) for at most budget_ns; *evicted counts them.
  types::Evictor::Outcome StageEvictions(int64_t budget_ns, uint64_t* evicted);
  types::Evictor::Outcome Evict(int64_t budget_ns);  // StageEvictions, then commits them
  int64_t EvictionBudgetNs() const;                  // maxmemory-eviction-tenacity's time
  bool OverMaxmemory() const;

  struct LoopHandles;  // the loop, the before-sleep, cron and signal handles (server.cc)
  std::unique_ptr<LoopHandles> uv_;  // first: the parts' handles live on its loop

  Config config_;
  std::unique_ptr<DB> db_;
  types::Keyspace keyspace_;
  types::Evictor evictor_{keyspace_};
  types::WatchedKeys watched_;
  CommandTable commands_;
  ServerStats stats_;
  CursorTable cursors_;
  SlowLog slowlog_;
  LatencyMonitor latency_;
  int64_t start_time_ms_;
  int64_t now_ms_;
  std::string run_id_;
  std::unique_ptr<char[]> read_buffer_;
  bool wal_error_logged_ = false;  // writes are being refused (logged once)
  bool oom_ = false;

  std::unique_ptr<ClientRegistry> clients_;
  std::unique_ptr<Listener> listener_;
  Dispatcher dispatcher_;
  std::unique_ptr<BlockedClients> blocked_;
  ColdReads cold_reads_;
  Monitors monitors_;
  PubSub pubsub_;
  Tracking tracking_;
  Checkpoints checkpoints_;
  std::unique_ptr<ScriptHost> script_host_;
  ScriptRun script_run_;
};

}  // namespace strata
