#include "server/server.h"

#include <sys/time.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>

#include "server/connection.h"
#include "server/errors.h"
#include "server/listener.h"
#include "server/log.h"

namespace strata {
namespace {

std::string RandomRunId() {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ getpid());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(40, '0');
  for (char& c : id) c = kHex[rng() & 15];
  return id;
}

}  // namespace

struct Server::LoopHandles {
  LoopHandles(Server* server) {
    uv_loop_init(&loop);
    loop.data = server;
  }
  uv_loop_t loop;
  uv_prepare_t before_sleep;
  uv_timer_t cron;
  uv_async_t engine_wakeup;  // a worker finished something: a prefetch, a flush, a compaction
  uv_signal_t sigterm, sigint;
};

uv_loop_t* Server::loop() { return &uv_->loop; }

Server::Server(Config config, std::unique_ptr<DB> db, CommandTable commands,
               std::shared_ptr<types::LiveNamespaces> live)
    : uv_(std::make_unique<LoopHandles>(this)),
      config_(std::move(config)),
      db_(std::move(db)),
      keyspace_(db_.get(), config_.databases, std::move(live)),
      commands_(std::move(commands)),
      start_time_ms_(NowMs()),
      now_ms_(start_time_ms_),
      run_id_(RandomRunId()),
      read_buffer_(new char[kReadBufferSize]),
      clients_(std::make_unique<ClientRegistry>(&uv_->loop, db_.get(), &commands_)),
      listener_(std::make_unique<Listener>(this, &uv_->loop)),
      dispatcher_(this),
      blocked_(std::make_unique<BlockedClients>(this, &uv_->loop)),
      cold_reads_(this),
      monitors_(clients_.get()),
      pubsub_(clients_.get(), &config_),
      tracking_(clients_.get(), &config_),
      checkpoints_(db_.get(), &config_.dir, start_time_ms_) {
  keyspace_.changes().Subscribe(&watched_);
  keyspace_.changes().Subscribe(blocked_.get());
  keyspace_.changes().Subscribe(&tracking_);
  keyspace_.changes().Subscribe(&pubsub_);
}

Server::~Server() {
  db_->SetWakeup(nullptr);  // no worker touches the loop's handles from here on
  // Close whatever is still open (connections, listeners, timers) and let libuv finish. A
  // connection's handle points at its Connection; every other handle at the server or a part.
  uv_walk(
      &uv_->loop,
      [](uv_handle_t* h, void*) {
        if (!uv_is_closing(h)) {
          bool stream = h->type == UV_TCP || h->type == UV_NAMED_PIPE;
          if (stream && h->data != nullptr && h->data != h->loop->data) {
            static_cast<Connection*>(h->data)->Close();
          } else {
            uv_close(h, nullptr);
          }
        }
      },
      nullptr);
  uv_run(&uv_->loop, UV_RUN_DEFAULT);
  uv_loop_close(&uv_->loop);
}

int64_t Server::NowMs() {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

int Server::Run() {
  if (Status s = keyspace_.Open(); !s.ok()) {
    Log(LogLevel::kWarning, "Fatal: can't load the keyspace: {}", s.ToString());
    return 1;
  }
  if (keyspace_.recounted()) {
    Log(LogLevel::kNotice, "Key counts were not current (unclean stop): counted the keys again");
  }
  if (script_host_ != nullptr) {
    if (Status s = script_host_->Open(); !s.ok()) {
      Log(LogLevel::kWarning, "Fatal: can't load the function libraries: {}", s.ToString());
      return 1;
    }
  }
  if (!listener_->Open()) return 1;
  uv_prepare_init(&uv_->loop, &uv_->before_sleep);
  uv_->before_sleep.data = this;
  uv_prepare_start(&uv_->before_sleep, OnBeforeSleep);
  uv_timer_init(&uv_->loop, &uv_->cron);
  uv_->cron.data = this;
  uv_timer_start(&uv_->cron, OnCron, 100, 100);
  uv_async_init(&uv_->loop, &uv_->engine_wakeup, OnEngineWakeup);
  uv_->engine_wakeup.data = this;
  db_->SetWakeup([async = &uv_->engine_wakeup] { uv_async_send(async); });
  uv_signal_init(&uv_->loop, &uv_->sigterm);
  uv_signal_init(&uv_->loop, &uv_->sigint);
  uv_->sigterm.data = uv_->sigint.data = this;
  uv_signal_start(&uv_->sigterm, OnSignal, SIGTERM);
  uv_signal_start(&uv_->sigint, OnSignal, SIGINT);
  ApplyConfig();
  // The instantaneous rates count from here (the cron samples them every 100 ms).
  int64_t now = RefreshClock();
  stats_.ops_per_sec.Sample(0, now);
  stats_.input_bytes_per_sec.Sample(0, now);
  stats_.output_bytes_per_sec.Sample(0, now);
  Log(LogLevel::kNotice, "Ready to accept connections tcp on port {}", config_.port);
  uv_run(&uv_->loop, UV_RUN_DEFAULT);
  return 0;
}

void Server::ApplyConfig() {
  SetLogLevel(config_.loglevel);
  slowlog_.Trim(static_cast<size_t>(config_.slowlog_max_len));
  db_->SetWalSyncMode(config_.appendfsync);
  keyspace_.access().SetLfu(config_.lfu_log_factor, config_.lfu_decay_time);
  keyspace_.access().SetCapacity(static_cast<size_t>(config_.maxmemory_tracked_keys));
  keyspace_.set_notify_classes(config_.notify_classes);
}

void Server::OnConnectionClosed(Connection* connection) {
  ClientState& st = connection->state();
  monitors_.Remove(st);
  pubsub_.RemoveClient(st);
  tracking_.Disable(st);
  blocked_->Unblock(st);
  watched_.UnwatchAll(st.id);
  clients_->Remove(connection);
}

void Server::OnBeforeSleep(uv_prepare_t* handle) {
  static_cast<Server*>(handle->data)->BeforeSleep();
}

void Server::BeforeSleep() {
  // Sending replies can resume a paused client, whose commands queue more replies (and log
  // bytes): repeat until nothing is left, each round writing the log before the replies.
  do {
    // The key counts ride in the turn's log bytes. While the engine refuses writes (a latched
    // error) they are not saved, and are counted again at the next start; the turn's log
    // bytes go out regardless.
    Status counts = keyspace_.SaveCounts();
    auto wal_start = std::chrono::steady_clock::now();
    Status s = db_->FlushWal();
    if (config_.latency_monitor_threshold > 0) {
      int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - wal_start)
                       .count();
      if (ms >= config_.latency_monitor_threshold) {
        latency_.Add(config_.appendfsync == WalSyncMode::kAlways ? "aof-fsync-always" : "aof-write",
                     ms, now_ms_ / 1000);
      }
    }
    if (!s.ok()) {
      if (config_.appendfsync == WalSyncMode::kAlways) {
        // Redis's rule: under appendfsync always, a write that cannot be made durable must
        // not be acknowledged, and there is no way to un-apply it. Exit without replying.
        Log(LogLevel::kWarning,
            "Can't recover from a write-ahead log error when appendfsync is 'always': {}. "
            "Exiting...",
            s.ToString());
        std::_Exit(1);
      }
      if (!wal_error_logged_) {
        Log(LogLevel::kWarning, "Error writing the write-ahead log: {}", s.ToString());
      }
    }
    // Refused writes (a log write error, or a flush or compaction that failed: the engine
    // logs those itself and retries them) are back once the engine is healthy again.
    bool refusing = !s.ok() || !counts.ok() || !db_->BackgroundError().ok();
    if (refusing) {
      wal_error_logged_ = true;
    } else if (wal_error_logged_) {
      Log(LogLevel::kWarning, "Write error resolved; accepting writes again");
      wal_error_logged_ = false;
    }
    clients_->FlushPending();
  } while (clients_->has_pending());
}

void Server::OnEngineWakeup(uv_async_t* handle) {
  auto* server = static_cast<Server*>(handle->data);
  server->db_->PollBackgroundWork();  // installs results, queues finished prefetches
  server->cold_reads_.RunReady();
}

void Server::OnCron(uv_timer_t* handle) {
  // Also wakes the loop so that BeforeSleep retries a failed log write.
  auto* server = static_cast<Server*>(handle->data);
  server->db_->PollBackgroundWork();  // also retries a failed flush or compaction when due
  server->cold_reads_.RunReady();
  server->cold_reads_.WatchMemoryPressure();
  server->ActiveExpire();
  // Over maxmemory (CONFIG SET lowered it, or writes outran the per-command eviction): evict
  // a slice per cron turn, never a stall.
  if (server->config_.maxmemory > 0) server->Evict(10'000'000);
  int64_t now = server->RefreshClock();
  server->clients_->CloseIdleAndOverLimit(now, server->config_.timeout);
  ServerStats& st = server->stats_;
  st.ops_per_sec.Sample(st.total_commands_processed, now);
  st.input_bytes_per_sec.Sample(st.total_net_input_bytes, now);
  st.output_bytes_per_sec.Sample(st.total_net_output_bytes, now);
}

void Server::ActiveExpire() {
  // Like Redis's slow expire cycle: at most 25% of the 100 ms cron period.
  constexpr int64_t kBudgetNs = 25'000'000;
  int64_t deadline = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count() +
                     kBudgetNs;
  auto removed = keyspace_.ExpireCycle(RefreshClock(), deadline);
  if (!removed.ok()) {
    Log(LogLevel::kWarning, "Active expiry stopped: {}", removed.status().ToString());
    return;
  }
  stats_.expired_keys += *removed + keyspace_.TakeLazyExpired();
  // A read that finds an expired key deletes it, unless the engine refuses writes.
  keyspace_.set_lazy_expire(db_->BackgroundError().ok());
}

types::Evictor::Outcome Server::StageEvictions(int64_t budget_ns, uint64_t* evicted) {
  types::EvictionLimits limits{.maxmemory = static_cast<uint64_t>(config_.maxmemory),
                               .samples = config_.maxmemory_samples};
  types::ParseEvictionPolicy(config_.maxmemory_policy, &limits.policy);  // validated by CONFIG
  int64_t deadline = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count() +
                     budget_ns;
  auto outcome = evictor_.Evict(limits, RefreshClock(), deadline, evicted);
  if (!outcome.ok()) {
    Log(LogLevel::kWarning, "Eviction stopped: {}", outcome.status().ToString());
    return types::Evictor::Outcome::kFailed;
  }
  return *outcome;
}

types::Evictor::Outcome Server::Evict(int64_t budget_ns) {
  uint64_t evicted = 0;
  auto outcome = StageEvictions(budget_ns, &evicted);
  Status s = keyspace_.Commit();
  if (!s.ok()) {
    keyspace_.Discard();
    Log(LogLevel::kWarning, "Eviction stopped: {}", s.ToString());
    return types::Evictor::Outcome::kFailed;
  }
  stats_.evicted_keys += evicted;
  return outcome;
}

int64_t Server::EvictionBudgetNs() const {
  // Redis's evictionTimeLimitUs: 50 us per step of tenacity up to 10, then 15% more a step;
  // 100 is no limit.
  int t = config_.maxmemory_eviction_tenacity;
  double us = t <= 10 ? 50.0 * t : 500.0 * std::pow(1.15, t - 10);
  return t >= 100 ? INT64_MAX / 2 : static_cast<int64_t>(us * 1000);
}

bool Server::MakeRoom() {
  oom_ = false;
  if (!OverMaxmemory()) return true;
  oom_ = Evict(EvictionBudgetNs()) == types::Evictor::Outcome::kFailed;
  return !oom_;
}

uint64_t Server::EvictIntoBatch() {
  if (!OverMaxmemory()) return 0;
  uint64_t evicted = 0;
  StageEvictions(EvictionBudgetNs(), &evicted);  // what it could not do, MakeRoom retries
  return evicted;
}

bool Server::OverMaxmemory() const {
  return config_.maxmemory > 0 &&
         keyspace_.dataset_bytes() > static_cast<uint64_t>(config_.maxmemory);
}

void Server::OnSignal(uv_signal_t* handle, int signum) {
  static_cast<Server*>(handle->data)
      ->Shutdown(signum == SIGTERM ? "Received SIGTERM scheduling shutdown..."
                                   : "Received SIGINT scheduling shutdown...");
}

void Server::Shutdown(const char* reason) {
  Log(LogLevel::kWarning, "{}", reason);
  listener_->Close();
  BeforeSleep();  // the turn's log bytes and replies
  Log(LogLevel::kNotice, "Syncing the write-ahead log and closing the engine");
  uv_stop(&uv_->loop);
}

}  // namespace strata
