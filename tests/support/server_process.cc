#include "support/server_process.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef STRATA_SERVER_PATH
#error "STRATA_SERVER_PATH must name the strata-server binary"
#endif

namespace strata::testing {

std::string Render(const redisReply* r) {
  if (r == nullptr) return "(disconnected)";
  switch (r->type) {
    case REDIS_REPLY_STATUS:
      return std::string(r->str, r->len);
    case REDIS_REPLY_ERROR:
      return "(error) " + std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return "(integer) " + std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_STRING:
      return "\"" + std::string(r->str, r->len) + "\"";
    case REDIS_REPLY_ARRAY: {
      std::string out = "[";
      for (size_t i = 0; i < r->elements; ++i) {
        if (i) out += ", ";
        out += Render(r->element[i]);
      }
      return out + "]";
    }
  }
  return "(unknown)";
}

void CheckSteps(Client& c, const std::vector<Step>& steps) {
  for (const Step& step : steps) {
    std::string command;
    for (const auto& a : step.args) command += (command.empty() ? "" : " ") + a;
    CHECK_MESSAGE(c.Run(step.args) == step.expect, command);
  }
}

Client::Client(int port) {
  struct timeval tv = {10, 0};
  ctx_ = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (ctx_ != nullptr && ctx_->err == 0) redisSetTimeout(ctx_, tv);
}

Client::~Client() {
  if (ctx_ != nullptr) redisFree(ctx_);
}

void Client::Append(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data());
}

std::string Client::Read() {
  void* reply = nullptr;
  if (ctx_ == nullptr || redisGetReply(ctx_, &reply) != REDIS_OK) return "(disconnected)";
  std::string out = Render(static_cast<redisReply*>(reply));
  freeReplyObject(reply);
  return out;
}

std::string Client::Run(const std::vector<std::string>& args) {
  if (!connected()) return "(disconnected)";
  Append(args);
  return Read();
}

bool Client::RunBulk(const std::vector<std::string>& args, std::string* out) {
  if (!connected()) return false;
  Append(args);
  void* reply = nullptr;
  if (redisGetReply(ctx_, &reply) != REDIS_OK) return false;
  auto* r = static_cast<redisReply*>(reply);
  bool ok = r->type == REDIS_REPLY_STRING;
  if (ok) out->assign(r->str, r->len);
  freeReplyObject(reply);
  return ok;
}

bool Client::RunArray(const std::vector<std::string>& args, std::vector<std::string>* out) {
  if (!connected()) return false;
  Append(args);
  void* reply = nullptr;
  if (redisGetReply(ctx_, &reply) != REDIS_OK) return false;
  auto* r = static_cast<redisReply*>(reply);
  bool ok = r->type == REDIS_REPLY_ARRAY;
  for (size_t i = 0; ok && i < r->elements; ++i) {
    ok = r->element[i]->type == REDIS_REPLY_STRING;
    if (ok) out->emplace_back(r->element[i]->str, r->element[i]->len);
  }
  freeReplyObject(reply);
  return ok;
}

RawClient::RawClient(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

void RawClient::SendCommand(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  Send(out);
}

void RawClient::Send(const std::string& bytes) {
  size_t off = 0;
  while (fd_ >= 0 && off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

std::string RawClient::Read(size_t expected, int timeout_ms) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (fd_ >= 0 && out.size() < expected) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, left) <= 0) break;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, std::min(sizeof(buf), expected - out.size()), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

bool RawClient::ClosedByPeer(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) > 0) {
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return true;  // EOF or reset
    }
  }
  return false;
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

ServerProcess::ServerProcess(std::vector<std::string> args, std::string dir)
    : args_(std::move(args)),
      dir_(dir.empty() ? scratch_.file("data") : std::move(dir)),
      log_path_(scratch_.file("server.log")),
      port_(FreePort()) {
  Start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Terminate();
}

void ServerProcess::Start() {
  std::vector<std::string> argv = {STRATA_SERVER_PATH};
  // A config file comes first; the harness's options override it.
  bool file = !args_.empty() && args_[0].rfind("--", 0) != 0;
  if (file) argv.push_back(args_[0]);
  for (const std::string& a :
       {std::string("--port"), std::to_string(port_), std::string("--dir"), dir_}) {
    argv.push_back(a);
  }
  argv.insert(argv.end(), args_.begin() + (file ? 1 : 0), args_.end());
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  // Ready when it answers PING.
  for (int i = 0; i < 500; ++i) {
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("strata-server exited at start-up:\n" + Log());
    }
    Client c(port_);
    std::string pong = c.connected() ? c.Run({"PING"}) : "";
    if (pong == "PONG" || pong.starts_with("(error) NOAUTH")) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("strata-server did not answer PING:\n" + Log());
}

int ServerProcess::Wait() {
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::Kill() {
  ::kill(pid_, SIGKILL);
  Wait();
}

int ServerProcess::Terminate() {
  ::kill(pid_, SIGTERM);
  return Wait();
}

void ServerProcess::Restart() {
  if (pid_ > 0) Terminate();
  Start();
}

std::string ServerProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int RunServerToExit(const std::vector<std::string>& args, std::string* output) {
  TempDir scratch;
  std::string cmd = std::string(STRATA_SERVER_PATH);
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " > " + scratch.file("out") + " 2>&1";
  int status = std::system(cmd.c_str());
  std::ifstream in(scratch.file("out"));
  std::stringstream ss;
  ss << in.rdbuf();
  *output = ss.str();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace strata::testing
