#include "server/listener.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "server/client_registry.h"
#include "server/connection.h"
#include "server/errors.h"
#include "server/log.h"
#include "server/server.h"

namespace strata {
namespace {

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

template <typename Handle>
void CloseAndDelete(Handle* h) {
  uv_close(reinterpret_cast<uv_handle_t*>(h),
           [](uv_handle_t* closed) { delete reinterpret_cast<Handle*>(closed); });
}

}  // namespace

Listener::Listener(Server* server, uv_loop_s* loop) : server_(server), loop_(loop) {}

// Handles still open were closed by Server::~Server's walk over the loop, before this runs.
Listener::~Listener() = default;

bool Listener::OpenUnix() {
  const Config& config = server_->config();
  const std::string& path = config.unixsocket;
  unlink(path.c_str());  // a socket file left by an earlier run
  unix_ = std::make_unique<uv_pipe_t>();
  uv_pipe_init(loop_, unix_.get(), 0);
  unix_->data = server_;  // as every handle but a connection's (see Server::~Server)
  int rc = uv_pipe_bind(unix_.get(), path.c_str());
  if (rc == 0 && config.unixsocketperm != 0 &&
      chmod(path.c_str(), static_cast<mode_t>(config.unixsocketperm)) != 0) {
    rc = uv_translate_sys_error(errno);
  }
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(unix_.get()), config.tcp_backlog,
                   OnConnection);
  }
  if (rc != 0) {
    Log(LogLevel::kWarning, "Failed opening Unix socket {}: {}", path, uv_strerror(rc));
    return false;
  }
  Log(LogLevel::kNotice, "Ready to accept connections unix on {}", path);
  return true;
}

// Opens a listening TCP socket for every `bind` address of config on its port, into *out;
// false (after logging why) when one that is not optional cannot be opened.
bool Listener::OpenTcp(const Config& config, std::vector<std::unique_ptr<uv_tcp_t>>* out) {
  for (const std::string& spec : config.bind) {
    // "-addr" is optional: Redis skips it when the address is not available.
    bool optional = !spec.empty() && spec[0] == '-';
    std::string addr = optional ? spec.substr(1) : spec;
    sockaddr_storage ss{};
    int rc = addr.find(':') != std::string::npos
                 ? uv_ip6_addr(addr.c_str(), config.port, reinterpret_cast<sockaddr_in6*>(&ss))
                 : uv_ip4_addr(addr.c_str(), config.port, reinterpret_cast<sockaddr_in*>(&ss));
    auto listener = std::make_unique<uv_tcp_t>();
    if (rc == 0) {
      uv_tcp_init(loop_, listener.get());
      listener->data = server_;
      rc = uv_tcp_bind(listener.get(), reinterpret_cast<sockaddr*>(&ss), 0);
      if (rc == 0) {
        rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener.get()), config.tcp_backlog,
                       OnConnection);
      }
      if (rc != 0) CloseAndDelete(listener.release());
    }
    if (rc != 0) {
      Log(LogLevel::kWarning, "Could not create server TCP listening socket {}:{}: {}", addr,
          config.port, uv_strerror(rc));
      if (optional) continue;
      return false;
    }
    out->push_back(std::move(listener));
  }
  return true;
}

bool Listener::Open() {
  const Config& config = server_->config();
  if (!config.unixsocket.empty() && !OpenUnix()) return false;
  if (!OpenTcp(config, &tcp_)) return false;
  return !tcp_.empty() || unix_ != nullptr;
}

bool Listener::Rebind(const Config& config) {
  std::vector<std::unique_ptr<uv_tcp_t>> opened;
  if (!OpenTcp(config, &opened) || (opened.empty() && unix_ == nullptr)) {
    for (auto& l : opened) CloseAndDelete(l.release());
    return false;
  }
  for (auto& l : tcp_) CloseAndDelete(l.release());
  tcp_ = std::move(opened);
  Log(LogLevel::kNotice, "Listening again, on port {}", config.port);
  return true;
}

void Listener::Close() {
  for (auto& l : tcp_) CloseAndDelete(l.release());
  tcp_.clear();
  if (unix_) {
    CloseAndDelete(unix_.release());
    unlink(server_->config().unixsocket.c_str());
  }
}

void Listener::OnConnection(uv_stream_t* listener, int status) {
  if (status < 0) {
    Log(LogLevel::kWarning, "Accepting client connection: {}", uv_strerror(status));
    return;
  }
  static_cast<Server*>(listener->data)->listener().Accept(listener);
}

void Listener::Accept(uv_stream_t* listener) {
  bool unix_socket = listener->type == UV_NAMED_PIPE;
  ClientRegistry& clients = server_->clients();
  auto* c = new Connection(server_, clients.NextId(), loop_, unix_socket);
  if (uv_accept(listener, c->stream()) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(c->stream()),
             [](uv_handle_t* h) { delete static_cast<Connection*>(h->data); });
    return;
  }
  Adopt(c, unix_socket);
}

std::vector<int> Listener::fds() const {
  std::vector<int> out;
  uv_os_fd_t fd;
  for (const auto& l : tcp_) {
    if (uv_fileno(reinterpret_cast<const uv_handle_t*>(l.get()), &fd) == 0) out.push_back(fd);
  }
  if (unix_ && uv_fileno(reinterpret_cast<const uv_handle_t*>(unix_.get()), &fd) == 0) {
    out.push_back(fd);
  }
  return out;
}

void Listener::AcceptNow(int listen_fd) {
  uv_os_fd_t ufd;
  bool unix_socket = unix_ &&
                     uv_fileno(reinterpret_cast<const uv_handle_t*>(unix_.get()), &ufd) == 0 &&
                     ufd == listen_fd;
  for (;;) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    auto* c = new Connection(server_, server_->clients().NextId(), loop_, unix_socket);
    int rc = unix_socket ? uv_pipe_open(reinterpret_cast<uv_pipe_t*>(c->stream()), fd)
                         : uv_tcp_open(c->tcp(), fd);
    if (rc != 0) {
      ::close(fd);
      uv_close(reinterpret_cast<uv_handle_t*>(c->stream()),
               [](uv_handle_t* h) { delete static_cast<Connection*>(h->data); });
      continue;
    }
    Adopt(c, unix_socket);
  }
}

void Listener::Adopt(Connection* c, bool unix_socket) {
  ClientRegistry& clients = server_->clients();
  const Config& config = server_->config();
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
  server_->stats().total_connections_received++;
  clients.Add(c);
  if (clients.size() > static_cast<size_t>(config.maxclients)) {
    server_->stats().rejected_connections++;
    c->Refuse(errors::kMaxClients);
    return;
  }
  // Protected mode: with no password, only clients on the loopback interface are served.
  if (config.protected_mode && config.requirepass.empty() && !unix_socket &&
      !IsLoopback(st.addr)) {
    Log(LogLevel::kVerbose, "Refusing client {}: protected mode", st.addr);
    c->Refuse(errors::kProtectedMode);
    return;
  }
  c->Start();
}

}  // namespace strata
