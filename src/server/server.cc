#include "server/server.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>

#include "server/connection.h"
#include "server/errors.h"
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

std::string SockName(const uv_tcp_t* handle, bool peer) {
  sockaddr_storage ss{};
  int len = sizeof(ss);
  int rc = peer ? uv_tcp_getpeername(handle, reinterpret_cast<sockaddr*>(&ss), &len)
                : uv_tcp_getsockname(handle, reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) return "?:0";
  char ip[64] = "?";
  int port = 0;
  if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    uv_ip6_name(a, ip, sizeof(ip));
    port = ntohs(a->sin6_port);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    uv_ip4_name(a, ip, sizeof(ip));
    port = ntohs(a->sin_port);
  }
  return fmt::format("{}:{}", ip, port);
}

bool IsLoopback(std::string_view addr) {
  return addr.starts_with("127.") || addr.starts_with("::1:") || addr.starts_with("::ffff:127.");
}

// Passwords never reach the slow log: AUTH's arguments, HELLO's AUTH pair and CONFIG SET
// requirepass's value read "(redacted)", as in Redis.
std::vector<std::string_view> RedactSecrets(const CommandSpec* cmd,
                                            std::span<const std::string_view> args) {
  std::vector<std::string_view> out(args.begin(), args.end());
  constexpr std::string_view kRedacted = "(redacted)";
  if (cmd->full_name == "auth") {
    for (size_t i = 1; i < out.size(); ++i) out[i] = kRedacted;
  } else if (cmd->full_name == "hello") {
    for (size_t i = 2; i + 2 < out.size(); ++i) {
      if (EqualsNoCase(out[i], "auth")) out[i + 1] = out[i + 2] = kRedacted;
    }
  } else if (cmd->full_name == "config|set") {
    for (size_t i = 2; i + 1 < out.size(); i += 2) {
      if (EqualsNoCase(out[i], "requirepass")) out[i + 1] = kRedacted;
    }
  }
  return out;
}

// A string as redis-cli and MONITOR show it: quoted, with escapes for what is not printable.
std::string QuotedRepr(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (std::isprint(c)) {
          out += static_cast<char>(c);
        } else {
          out += fmt::format("\\x{:02x}", c);
        }
    }
  }
  return out + "\"";
}

}  // namespace

struct Server::LoopHandles {
  uv_loop_t loop;
  std::vector<std::unique_ptr<uv_tcp_t>> listeners;
  std::unique_ptr<uv_pipe_t> unix_listener;  // unixsocket
  uv_prepare_t before_sleep;
  uv_timer_t cron;
  uv_timer_t stall_timer;  // runs every 1 ms while connections are held back
  uv_timer_t block_timer;  // checks blocked clients' deadlines every 10 ms
  uv_signal_t sigterm, sigint;
};

uv_loop_t* Server::loop() { return &uv_->loop; }

Server::Server(Config config, std::unique_ptr<DB> db, CommandTable commands,
               std::shared_ptr<types::LiveNamespaces> live)
    : config_(std::move(config)),
      db_(std::move(db)),
      keyspace_(db_.get(), config_.databases, std::move(live)),
      commands_(std::move(commands)),
      start_time_ms_(NowMs()),
      now_ms_(start_time_ms_),
      run_id_(RandomRunId()),
      uv_(std::make_unique<LoopHandles>()),
      read_buffer_(new char[kReadBufferSize]) {
  save_.last_save_s = start_time_ms_ / 1000;
  uv_loop_init(&uv_->loop);
  uv_->loop.data = this;
}

Server::~Server() {
  // Close whatever is still open (connections, listeners, timers) and let libuv finish.
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

bool Server::ListenUnix() {
  const std::string& path = config_.unixsocket;
  unlink(path.c_str());  // a socket file left by an earlier run
  uv_->unix_listener = std::make_unique<uv_pipe_t>();
  uv_pipe_init(&uv_->loop, uv_->unix_listener.get(), 0);
  uv_->unix_listener->data = this;
  int rc = uv_pipe_bind(uv_->unix_listener.get(), path.c_str());
  if (rc == 0 && config_.unixsocketperm != 0 &&
      chmod(path.c_str(), static_cast<mode_t>(config_.unixsocketperm)) != 0) {
    rc = uv_translate_sys_error(errno);
  }
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(uv_->unix_listener.get()), config_.tcp_backlog,
                   OnConnection);
  }
  if (rc != 0) {
    Log(LogLevel::kWarning, "Failed opening Unix socket {}: {}", path, uv_strerror(rc));
    return false;
  }
  Log(LogLevel::kNotice, "Ready to accept connections unix on {}", path);
  return true;
}

bool Server::Listen() {
  if (!config_.unixsocket.empty() && !ListenUnix()) return false;
  for (const std::string& spec : config_.bind) {
    // "-addr" is optional: Redis skips it when the address is not available.
    bool optional = !spec.empty() && spec[0] == '-';
    std::string addr = optional ? spec.substr(1) : spec;
    sockaddr_storage ss{};
    int rc = addr.find(':') != std::string::npos
                 ? uv_ip6_addr(addr.c_str(), config_.port, reinterpret_cast<sockaddr_in6*>(&ss))
                 : uv_ip4_addr(addr.c_str(), config_.port, reinterpret_cast<sockaddr_in*>(&ss));
    auto listener = std::make_unique<uv_tcp_t>();
    if (rc == 0) {
      uv_tcp_init(&uv_->loop, listener.get());
      listener->data = this;
      rc = uv_tcp_bind(listener.get(), reinterpret_cast<sockaddr*>(&ss), 0);
      if (rc == 0) {
        rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener.get()), config_.tcp_backlog,
                       OnConnection);
      }
      if (rc != 0)
        uv_close(reinterpret_cast<uv_handle_t*>(listener.release()),
                 [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    }
    if (rc != 0) {
      Log(LogLevel::kWarning, "Could not create server TCP listening socket {}:{}: {}", addr,
          config_.port, uv_strerror(rc));
      if (optional) continue;
      return false;
    }
    uv_->listeners.push_back(std::move(listener));
  }
  return !uv_->listeners.empty() || uv_->unix_listener != nullptr;
}

int Server::Run() {
  if (Status s = keyspace_.Open(); !s.ok()) {
    Log(LogLevel::kWarning, "Fatal: can't load the keyspace: {}", s.ToString());
    return 1;
  }
  if (keyspace_.recounted()) {
    Log(LogLevel::kNotice, "Key counts were not current (unclean stop): counted the keys again");
  }
  if (!Listen()) return 1;
  uv_prepare_init(&uv_->loop, &uv_->before_sleep);
  uv_->before_sleep.data = this;
  uv_prepare_start(&uv_->before_sleep, OnBeforeSleep);
  uv_timer_init(&uv_->loop, &uv_->cron);
  uv_->cron.data = this;
  uv_timer_start(&uv_->cron, OnCron, 100, 100);
  uv_timer_init(&uv_->loop, &uv_->stall_timer);
  uv_->stall_timer.data = this;
  uv_timer_init(&uv_->loop, &uv_->block_timer);
  uv_->block_timer.data = this;
  uv_signal_init(&uv_->loop, &uv_->sigterm);
  uv_signal_init(&uv_->loop, &uv_->sigint);
  uv_->sigterm.data = uv_->sigint.data = this;
  uv_signal_start(&uv_->sigterm, OnSignal, SIGTERM);
  uv_signal_start(&uv_->sigint, OnSignal, SIGINT);
  ApplyConfig();
  Log(LogLevel::kNotice, "Ready to accept connections tcp on port {}", config_.port);
  uv_run(&uv_->loop, UV_RUN_DEFAULT);
  return 0;
}

void Server::ApplyConfig() {
  SetLogLevel(config_.loglevel);
  slowlog_.Trim(static_cast<size_t>(config_.slowlog_max_len));
  db_->SetWalSyncMode(config_.appendfsync);
}

void Server::OnConnection(uv_stream_t* listener, int status) {
  auto* server = static_cast<Server*>(listener->data);
  if (status < 0) {
    Log(LogLevel::kWarning, "Accepting client connection: {}", uv_strerror(status));
    return;
  }
  bool unix_socket = listener->type == UV_NAMED_PIPE;
  auto* c = new Connection(server, server->next_client_id_++, &server->uv_->loop, unix_socket);
  if (uv_accept(listener, c->stream()) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(c->stream()),
             [](uv_handle_t* h) { delete static_cast<Connection*>(h->data); });
    return;
  }
  const Config& config = server->config_;
  ClientState& st = c->state();
  st.unix_socket = unix_socket;
  if (unix_socket) {
    st.addr = st.laddr = config.unixsocket + ":0";  // as Redis shows unix-socket clients
  } else {
    uv_tcp_nodelay(c->tcp(), 1);
    if (config.tcp_keepalive > 0) uv_tcp_keepalive(c->tcp(), 1, config.tcp_keepalive);
    st.addr = SockName(c->tcp(), true);
    st.laddr = SockName(c->tcp(), false);
  }
  st.authenticated = config.requirepass.empty();
  uv_os_fd_t fd;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(c->stream()), &fd) == 0) st.fd = fd;
  server->stats_.total_connections_received++;
  server->clients_[st.id] = c;
  if (server->clients_.size() > static_cast<size_t>(server->config_.maxclients)) {
    server->stats_.rejected_connections++;
    c->Refuse(errors::kMaxClients);
    return;
  }
  // Protected mode: with no password, only clients on the loopback interface are served.
  if (config.protected_mode && config.requirepass.empty() && !unix_socket && !IsLoopback(st.addr)) {
    Log(LogLevel::kVerbose, "Refusing client {}: protected mode", st.addr);
    c->Refuse(errors::kProtectedMode);
    return;
  }
  c->Start();
}

bool Server::HoldBack(int ran) {
  switch (db_->GetWriteStall()) {
    case WriteStall::kNone:
      return false;
    case WriteStall::kSlowdown:
      return ran >= 16;
    case WriteStall::kStop:
      return true;
  }
  return false;
}

void Server::AddHeldBack(Connection* connection) {
  if (connection->stall_listed) return;
  connection->stall_listed = true;
  held_back_.push_back(connection);
  if (held_back_.size() == 1) uv_timer_start(&uv_->stall_timer, OnStallTimer, 1, 1);
}

void Server::OnStallTimer(uv_timer_t* handle) {
  auto* server = static_cast<Server*>(handle->data);
  server->db_->PollBackgroundWork();
  if (server->db_->GetWriteStall() == WriteStall::kStop) return;
  if (server->pause_until_ms_ > NowMs() && !server->pause_writes_only_) return;  // CLIENT PAUSE
  // Resume everyone; a connection that must wait again puts itself back on the list.
  std::vector<Connection*> waiting;
  waiting.swap(server->held_back_);
  uv_timer_stop(&server->uv_->stall_timer);
  for (Connection* c : waiting) c->stall_listed = false;
  for (Connection* c : waiting) {
    if (server->clients_.count(c->state().id) != 0) c->ResumeInput();
  }
}

void Server::OnConnectionClosed(Connection* connection) {
  ClientState& st = connection->state();
  if (st.monitor)
    monitors_.erase(std::remove(monitors_.begin(), monitors_.end(), st.id), monitors_.end());
  if (st.block.active) Unblock(st);
  for (const auto& w : st.tx.watched) keyspace_.Unwatch(w.db, w.key, &st.tx.watch_dirty);
  st.tx.watched.clear();
  clients_.erase(st.id);
  if (connection->stall_listed) {
    held_back_.erase(std::remove(held_back_.begin(), held_back_.end(), connection),
                     held_back_.end());
    connection->stall_listed = false;
  }
  if (connection->flush_queued) {
    pending_.erase(std::remove(pending_.begin(), pending_.end(), connection), pending_.end());
    connection->flush_queued = false;
  }
}

void Server::QueueFlush(Connection* connection) {
  if (connection->flush_queued) return;
  connection->flush_queued = true;
  pending_.push_back(connection);
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
    std::vector<Connection*> batch;
    batch.swap(pending_);
    for (Connection* c : batch) c->flush_queued = false;
    for (size_t i = 0; i < batch.size(); ++i) {
      // A connection closed by an earlier one's flush is no longer registered.
      if (clients_.count(batch[i]->state().id) == 0) continue;
      batch[i]->FlushOutput();
    }
  } while (!pending_.empty());
}

void Server::OnCron(uv_timer_t* handle) {
  // Also wakes the loop so that BeforeSleep retries a failed log write.
  auto* server = static_cast<Server*>(handle->data);
  server->db_->PollBackgroundWork();  // also retries a failed flush or compaction when due
  server->ActiveExpire();
  server->CloseIdleAndOverLimit();
}

void Server::CloseIdleAndOverLimit() {
  int64_t now = RefreshClock();
  std::vector<Connection*> doomed;
  for (const auto& [id, c] : clients_) {
    const ClientState& st = c->state();
    // Like Redis, a client blocked in BLPOP and friends is left to its own timeout.
    bool idle = config_.timeout > 0 && !st.block.active &&
                now - st.last_interaction_ms > static_cast<int64_t>(config_.timeout) * 1000;
    if (idle) Log(LogLevel::kVerbose, "Closing idle client id={} addr={}", id, st.addr);
    if (idle || c->OverOutputLimit(now)) doomed.push_back(c);
  }
  for (Connection* c : doomed) c->Close();
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
  stats_.expired_keys += *removed;
}

void Server::OnSignal(uv_signal_t* handle, int signum) {
  static_cast<Server*>(handle->data)
      ->Shutdown(signum == SIGTERM ? "Received SIGTERM scheduling shutdown..."
                                   : "Received SIGINT scheduling shutdown...");
}

void Server::Shutdown(const char* reason) {
  Log(LogLevel::kWarning, "{}", reason);
  for (auto& l : uv_->listeners) {
    uv_close(reinterpret_cast<uv_handle_t*>(l.release()),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
  }
  uv_->listeners.clear();
  if (uv_->unix_listener) {
    uv_close(reinterpret_cast<uv_handle_t*>(uv_->unix_listener.release()),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_pipe_t*>(h); });
    unlink(config_.unixsocket.c_str());
  }
  BeforeSleep();  // the turn's log bytes and replies
  Log(LogLevel::kNotice, "Syncing the write-ahead log and closing the engine");
  uv_stop(&uv_->loop);
}

Status Server::Checkpoint(bool background) {
  int64_t now = NowMs();
  time_t secs = static_cast<time_t>(now / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char name[64];
  std::snprintf(name, sizeof(name), "/checkpoint-%04d%02d%02d-%02d%02d%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(now % 1000));
  std::string dir = config_.dir + name;
  auto finished = [this, dir](Status s) {
    save_.in_progress = false;
    save_.last_ok = s.ok();
    save_.last_duration_s = (NowMs() - save_.started_ms) / 1000;
    if (s.ok()) {
      save_.last_save_s = NowMs() / 1000;
      save_.saves++;
      save_.last_dir = dir;
      Log(LogLevel::kNotice, "Checkpoint saved in {}", dir);
    } else {
      Log(LogLevel::kWarning, "Checkpoint in {} failed: {}", dir, s.ToString());
    }
  };
  save_.started_ms = now;
  save_.in_progress = background;
  Status s = db_->Checkpoint(dir, background ? std::function<void(Status)>(finished) : nullptr);
  if (!s.ok() || !background) finished(s);
  return s;
}

const CommandSpec* Server::Resolve(ReplyBuilder& reply, std::span<const std::string_view> args) {
  auto reject = [&](std::string_view error) -> const CommandSpec* {
    stats_.CountError(error);
    reply.Error(error);
    return nullptr;
  };
  const CommandSpec* cmd = commands_.Find(args[0]);
  if (cmd == nullptr) {
    return reject(errors::UnknownCommand(args[0], args.data() + 1, args.size() - 1));
  }
  if (!cmd->subcommands.empty() && (args.size() >= 2 || cmd->handler == nullptr)) {
    // A container (CLIENT, CONFIG): the subcommand names the handler. COMMAND alone runs.
    if (args.size() < 2) return reject(errors::WrongArity(cmd->full_name));
    const CommandSpec* sub = commands_.FindSubcommand(*cmd, args[1]);
    if (sub == nullptr) return reject(errors::UnknownSubcommand(args[1], cmd->name));
    cmd = sub;
  }
  if (!ArityOk(cmd->arity, args.size())) return reject(errors::WrongArity(cmd->full_name));
  return cmd;
}

void Server::Execute(ClientState& client, ReplyBuilder& reply,
                     std::span<const std::string_view> args) {
  if (!client.reply_off && !client.skip_next_reply) {
    Dispatch(client, reply, args);
    return;
  }
  // CLIENT REPLY OFF or SKIP: the reply is dropped (CLIENT REPLY itself answers or not).
  size_t mark = reply.size();
  const CommandSpec* cmd = Dispatch(client, reply, args);
  if (cmd != nullptr && cmd->full_name == "client|reply") return;
  reply.Truncate(mark);
  client.skip_next_reply = false;
}

const CommandSpec* Server::Dispatch(ClientState& client, ReplyBuilder& reply,
                                    std::span<const std::string_view> args) {
  stats_.total_commands_processed++;
  reply.set_resp(client.resp);
  const CommandSpec* cmd = Resolve(reply, args);
  TransactionState& tx = client.tx;
  if (cmd != nullptr && !client.authenticated && !(cmd->flags & kCmdNoAuth)) {
    stats_.CountError(errors::kNoAuth);
    reply.Error(errors::kNoAuth);
    cmd = nullptr;
  }
  if (cmd == nullptr) {
    if (tx.active) tx.aborted = true;  // EXEC will refuse the transaction
    return nullptr;
  }
  if (tx.active && !(cmd->flags & kCmdNoMulti)) {
    tx.queued.emplace_back(args.begin(), args.end());
    reply.SimpleString("QUEUED");
    return cmd;
  }
  if (cmd->flags & kCmdWrite) {
    Status bg = db_->BackgroundError();
    if (!bg.ok()) {
      std::string error = errors::WalWriteFailed(bg.ToString());
      stats_.CountError(error);
      reply.Error(error);
      return cmd;
    }
  }
  size_t mark = reply.size();
  Call(client, reply, cmd, args);
  if (!keyspace_.has_staged()) return cmd;
  // One batch (one log record) for the command, or for a whole EXEC. If it cannot be
  // written, nothing of it happened: the reply becomes the error.
  Status s = keyspace_.Commit();
  if (!s.ok()) {
    reply.Truncate(mark);
    std::string error =
        s.IsIOError() ? errors::WalWriteFailed(s.ToString()) : "ERR " + s.ToString();
    stats_.CountError(error);
    reply.Error(error);
    ready_keys_.clear();
    return cmd;
  }
  if (blocked_count_ > 0) {
    for (const auto& [db, key] : keyspace_.TakeReady()) SignalKeyReady(db, key);
    if (!ready_keys_.empty()) ServeReadyKeys();
  }
  return cmd;
}

// ---- Blocking commands ---------------------------------------------------------------

namespace {
std::string BlockKey(int db, std::string_view key) {
  std::string out = std::to_string(db);
  out.push_back('|');
  out.append(key);
  return out;
}
}  // namespace

void Server::Block(CommandContext& ctx, std::vector<std::string> keys, int64_t timeout_ms) {
  BlockState& b = ctx.client.block;
  b.waiting = true;
  if (b.active) return;  // a retry that found nothing: keep its place in the queues
  b.active = true;
  b.db = ctx.client.db;
  b.args.assign(ctx.args.begin(), ctx.args.end());
  b.deadline_ms = timeout_ms == 0 ? 0 : ctx.now_ms + timeout_ms;
  for (const std::string& key : keys) {
    auto& queue = blocking_keys_[BlockKey(b.db, key)];
    if (std::find(queue.begin(), queue.end(), ctx.client.id) == queue.end()) {
      queue.push_back(ctx.client.id);
    }
  }
  b.keys = std::move(keys);
  if (blocked_count_++ == 0) {
    uv_timer_start(&uv_->block_timer, OnBlockTimer, 10, 10);
    keyspace_.set_track_ready(true);
  }
}

void Server::Unblock(ClientState& client) {
  BlockState& b = client.block;
  if (!b.active) return;
  for (const std::string& key : b.keys) {
    auto it = blocking_keys_.find(BlockKey(b.db, key));
    if (it == blocking_keys_.end()) continue;
    auto& queue = it->second;
    queue.erase(std::remove(queue.begin(), queue.end(), client.id), queue.end());
    if (queue.empty()) blocking_keys_.erase(it);
  }
  b = BlockState();
  if (--blocked_count_ == 0) {
    uv_timer_stop(&uv_->block_timer);
    keyspace_.set_track_ready(false);
    keyspace_.TakeReady();
  }
}

void Server::SignalKeyReady(int db, std::string_view key) {
  if (blocking_keys_.empty()) return;
  std::string bk = BlockKey(db, key);
  if (blocking_keys_.count(bk) == 0) return;
  if (std::find(ready_keys_.begin(), ready_keys_.end(), bk) == ready_keys_.end()) {
    ready_keys_.push_back(std::move(bk));
  }
}

void Server::ServeReadyKeys() {
  if (serving_ready_) return;  // the outer call picks up keys signalled meanwhile
  serving_ready_ = true;
  while (!ready_keys_.empty()) {
    std::vector<std::string> ready;
    ready.swap(ready_keys_);
    for (const std::string& bk : ready) {
      auto it = blocking_keys_.find(bk);
      if (it == blocking_keys_.end()) continue;
      std::vector<uint64_t> waiting = it->second;  // first come, first served
      for (uint64_t id : waiting) {
        auto c = clients_.find(id);
        if (c == clients_.end() || !c->second->state().block.active) continue;
        Connection* conn = c->second;
        ClientState& st = conn->state();
        std::vector<std::string> args = st.block.args;
        std::vector<std::string_view> views(args.begin(), args.end());
        st.block.waiting = false;
        RefreshClock();
        Execute(st, conn->reply(), views);
        if (!st.block.waiting) {  // served (or failed): the reply is queued
          Unblock(st);
          conn->Unblocked();
        }
      }
    }
  }
  serving_ready_ = false;
}

void Server::OnBlockTimer(uv_timer_t* handle) {
  auto* server = static_cast<Server*>(handle->data);
  int64_t now = server->RefreshClock();
  std::vector<Connection*> expired;
  for (const auto& [id, c] : server->clients_) {
    const BlockState& b = c->state().block;
    if (b.active && b.deadline_ms != 0 && b.deadline_ms <= now) expired.push_back(c);
  }
  for (Connection* c : expired) {
    server->Unblock(c->state());
    c->reply().set_resp(c->state().resp);
    c->reply().NullArray();  // Redis's reply to a blocking command that timed out
    c->Unblocked();
  }
}

void Server::Call(ClientState& client, ReplyBuilder& reply, const CommandSpec* cmd,
                  std::span<const std::string_view> args) {
  client.last_command = cmd;
  CommandContext ctx{args, reply, client, *this, now_ms_};
  auto start = std::chrono::steady_clock::now();
  cmd->handler(ctx);
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count();
  cmd->calls++;
  cmd->usec += static_cast<uint64_t>(us);
  // A command that blocked is logged when it runs again and is served, as in Redis.
  int64_t threshold = config_.slowlog_log_slower_than;
  if (threshold >= 0 && us >= threshold && !client.block.waiting) {
    std::vector<std::string_view> shown = RedactSecrets(cmd, args);
    slowlog_.Add(shown, now_ms_ / 1000, us, client.addr, client.name,
                 static_cast<size_t>(config_.slowlog_max_len));
  }
  if (config_.latency_monitor_threshold > 0 && us / 1000 >= config_.latency_monitor_threshold) {
    latency_.Add((cmd->flags & kCmdFast) ? "fast-command" : "command", us / 1000, now_ms_ / 1000);
  }
  if (!monitors_.empty() && !(cmd->flags & kCmdAdmin)) FeedMonitors(client, cmd, args);
}

void Server::FeedMonitors(const ClientState& client, const CommandSpec* cmd,
                          std::span<const std::string_view> args) {
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  std::string line =
      fmt::format("{}.{:06} [{} {}]", us / 1'000'000, us % 1'000'000, client.db, client.addr);
  for (std::string_view a : RedactSecrets(cmd, args)) line += " " + QuotedRepr(a);
  for (uint64_t id : monitors_) {
    auto it = clients_.find(id);
    if (it == clients_.end()) continue;
    it->second->reply().SimpleString(line);
    QueueFlush(it->second);
  }
}

void Server::AddMonitor(ClientState& client) {
  client.monitor = true;
  monitors_.push_back(client.id);
}

size_t Server::KillClients(const std::function<bool(const ClientState&)>& match,
                           const ClientState& self, bool skip_me) {
  std::vector<Connection*> doomed;
  for (const auto& [id, c] : clients_) {
    if (skip_me && id == self.id) continue;
    if (match(c->state())) doomed.push_back(c);
  }
  for (Connection* c : doomed) {
    if (c->state().id == self.id) {
      c->state().close_after_reply = true;  // after this reply
    } else {
      c->Close();
    }
  }
  return doomed.size();
}

void Server::PauseClients(int64_t until_ms, bool writes_only) {
  // A second pause extends (never shortens) the first, and ALL wins over WRITE.
  pause_writes_only_ = pause_until_ms_ <= now_ms_ ? writes_only : pause_writes_only_ && writes_only;
  pause_until_ms_ = std::max(pause_until_ms_, until_ms);
}

bool Server::PausedFor(std::span<const std::string_view> args) {
  if (pause_until_ms_ == 0) return false;  // the usual case: no clock read per command
  if (pause_until_ms_ <= NowMs()) {
    pause_until_ms_ = 0;  // the pause is over
    return false;
  }
  if (!pause_writes_only_) return true;
  const CommandSpec* cmd = commands_.Find(args[0]);
  return cmd != nullptr && ((cmd->flags & kCmdWrite) || cmd->name == "exec");
}

void Server::ForEachClient(
    const std::function<void(const ClientState&, size_t, size_t)>& fn) const {
  std::vector<const Connection*> sorted;
  for (const auto& [id, c] : clients_) sorted.push_back(c);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->state().id < b->state().id; });
  for (const Connection* c : sorted) fn(c->state(), c->query_buffer_size(), c->output_size());
}

}  // namespace strata
