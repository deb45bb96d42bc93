// Listener: the server's sockets (`bind` addresses on `port`, and `unixsocket`), and what
// happens to a client that connects — a Connection registered with its addresses, or refused
// with Redis's error (maxclients, protected mode). Loop thread only.
#pragma once

#include <memory>
#include <vector>

struct uv_loop_s;
struct uv_stream_s;
struct uv_tcp_s;
struct uv_pipe_s;

namespace strata {

class Connection;
class Server;
struct Config;

class Listener {
 public:
  Listener(Server* server, uv_loop_s* loop);
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener();

  // Opens every configured socket; false (after logging why) when one that is not optional
  // cannot be opened, or none could.
  bool Open();
  // CONFIG SET port/bind: opens the TCP sockets config asks for, then closes the old ones.
  // False, with the old ones still open, when a new one cannot be opened.
  bool Rebind(const Config& config);
  // Stops accepting (SHUTDOWN, signals); removes the unix socket file.
  void Close();
  // A client connected to listener.
  void Accept(uv_stream_s* listener);
  // While a script is busy (Server::ServeWhileBusy), when the loop does not run: the
  // listening sockets' descriptors, and accepting the clients waiting on one of them.
  std::vector<int> fds() const;
  void AcceptNow(int fd);

 private:
  static void OnConnection(uv_stream_s* listener, int status);
  bool OpenUnix();
  bool OpenTcp(const Config& config, std::vector<std::unique_ptr<uv_tcp_s>>* out);
  // Registers an accepted connection and starts it, or refuses it (maxclients, protected
  // mode).
  void Adopt(Connection* c, bool unix_socket);

  Server* const server_;
  uv_loop_s* const loop_;
  std::vector<std::unique_ptr<uv_tcp_s>> tcp_;
  std::unique_ptr<uv_pipe_s> unix_;
};

}  // namespace strata
