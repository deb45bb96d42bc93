// End-to-end test support: starts the real strata-server binary on a free port with its own
// data directory, and talks RESP to it with hiredis (or raw bytes, for protocol tests).
#pragma once

#include <hiredis/hiredis.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace strata::testing {

// A reply rendered like redis-cli renders it: OK, (error) ERR ..., (integer) 5, "bulk",
// (nil), and arrays as [a, b].
std::string Render(const redisReply* reply);

class Client;

// One command and the reply it must get, rendered as by Render.
struct Step {
  std::vector<std::string> args;
  std::string expect;
};

// Runs the steps in order on c, checking each reply (a failure names the command).
void CheckSteps(Client& c, const std::vector<Step>& steps);

class Client {
 public:
  explicit Client(int port);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  bool connected() const { return ctx_ != nullptr && ctx_->err == 0; }
  // Sends one command and renders its reply; "(disconnected)" when the connection is gone.
  std::string Run(const std::vector<std::string>& args);
  // Pipelining: queue without waiting, then read the replies in order.
  void Append(const std::vector<std::string>& args);
  std::string Read();
  // Runs a command whose reply is a bulk string (DUMP) and gives its bytes as they are; false
  // for any other reply.
  bool RunBulk(const std::vector<std::string>& args, std::string* out);
  // Runs a command whose reply is an array of bulk strings; appends them to *out. False for
  // any other reply.
  bool RunArray(const std::vector<std::string>& args, std::vector<std::string>* out);

 private:
  redisContext* ctx_ = nullptr;
};

// A plain TCP connection for bytes that hiredis would not send or could not parse.
class RawClient {
 public:
  explicit RawClient(int port);
  ~RawClient();
  void Send(const std::string& bytes);
  // Sends one command as a RESP array, without waiting for its reply.
  void SendCommand(const std::vector<std::string>& args);
  // Reads until `expected` bytes have arrived, the peer closes, or timeout_ms passes.
  std::string Read(size_t expected, int timeout_ms = 3000);
  // True when the server has closed the connection (reads EOF within timeout_ms).
  bool ClosedByPeer(int timeout_ms = 3000);

 private:
  int fd_ = -1;
};

class ServerProcess {
 public:
  // Starts strata-server with `args` (e.g. {"--appendfsync", "always"}, or a config file
  // first); the port, dir and log file are chosen by the harness. dir: reuse an existing
  // data directory.
  explicit ServerProcess(std::vector<std::string> args = {}, std::string dir = "");
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  std::unique_ptr<Client> Connect() const { return std::make_unique<Client>(port_); }

  // SIGKILL: no chance to flush anything.
  void Kill();
  // SIGTERM and wait; returns the exit status.
  int Terminate();
  // Waits for the server to exit by itself (SHUTDOWN); returns the exit status.
  int WaitForExit() { return Wait(); }
  // Starts again on the same port and directory.
  void Restart();
  std::string Log() const;

 private:
  void Start();
  int Wait();

  TempDir scratch_;
  std::vector<std::string> args_;
  std::string dir_;
  std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// Runs strata-server to completion with args (for start-up errors); returns its exit code
// and fills *output with what it printed.
int RunServerToExit(const std::vector<std::string>& args, std::string* output);

int FreePort();

// Polls until check() holds or deadline_ms passes; returns whether it held.
template <typename Check>
bool Eventually(Check check, int deadline_ms = 5000) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  while (std::chrono::steady_clock::now() < until) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return check();
}

}  // namespace strata::testing
