// Connection: one client socket (TCP, or the unix socket). Reads, splits the input into commands, runs them through the
// server, and queues their replies; the server sends queued replies in BeforeSleep, after the
// turn's log bytes are written.
//
// Backpressure: when a client's unsent replies pass kMaxPendingOutput, the connection stops
// running its commands and stops reading its socket until the replies drain, so a client that
// pipelines without reading costs bounded memory. Likewise while the engine's background work
// falls behind (ClientRegistry::HoldBack): the connection pauses and the registry resumes it.
//
// Loop thread only. Owned by the loop: deleted in the close callback.
#pragma once

#include <uv.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/client_registry.h"
#include "server/command.h"
#include "server/reply.h"
#include "server/resp_parser.h"

namespace strata {

class Server;

class Connection {
 public:
  static constexpr size_t kMaxPendingOutput = 4u << 20;

  // unix_socket: the handle is a uv_pipe_t, else a uv_tcp_t; initialized on loop.
  Connection(Server* server, uint64_t id, uv_loop_t* loop, bool unix_socket);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&handle_); }
  uv_tcp_t* tcp() { return &handle_.tcp; }  // REQUIRES: not the unix socket
  bool unix_socket() const { return handle_.tcp.type == UV_NAMED_PIPE; }
  ClientState& state() { return state_; }
  const ClientState& state() const { return state_; }

  // Starts reading after the socket was accepted.
  void Start();
  // Sends queued replies (called by the server once per loop turn).
  void FlushOutput();
  // While a script is busy (Server::ServeWhileBusy): reads what the socket holds, without
  // waiting, into buf and runs it; closes the connection at EOF. Nothing while paused.
  void ReadNow(char* buf, size_t size);
  // Closes the socket; the object is deleted once libuv is done with it.
  void Close();
  // Sends one error line, best effort, and closes (maxclients, protected mode).
  void Refuse(std::string_view error);
  // Queues bytes someone else sent this client (a Pub/Sub message, an invalidation); true
  // when its output is now over its limit (OverOutputLimit), for the sender to close it.
  bool Push(std::string_view bytes);
  // client-output-buffer-limit (the pubsub class while subscribed, else normal): true when the
  // pending replies passed the hard limit, or stayed over the soft one for its seconds. Logs why.
  bool OverOutputLimit(int64_t now_ms);
  // Runs the commands that waited while the connection was held back, and reads again.
  void ResumeInput();
  // The blocked command was served or timed out: send its reply, go on with the input.
  void Unblocked();
  ReplyBuilder& reply() { return reply_; }

  size_t query_buffer_size() const { return query_.size(); }
  ClientBuffers buffers() const;
  size_t output_size() const { return out_.size() + sending_.size(); }

 private:
  friend class ClientRegistry;  // keeps the two flags below in step with its lists

  static void OnAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void OnWrite(uv_write_t* req, int status);

  void OnData(const char* data, size_t n);
  // Runs the complete commands in input; returns how many bytes were consumed.
  size_t Process(std::string_view input);
  bool OutputBlocked() const { return output_size() > kMaxPendingOutput; }
  // Called when everything handed to the socket has been sent.
  void AfterSend();
  void PauseInput();
  void ProtocolError(std::string_view text);

  Server* const server_;
  union Handle {  // libuv handles share their uv_stream_t prefix
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } handle_;
  uv_write_t write_req_;
  ClientState state_;
  RespParser parser_;
  std::vector<std::string_view> args_;
  std::string query_;    // unconsumed input: the start of an incomplete command
  std::string out_;      // replies queued this turn
  std::string sending_;  // replies handed to uv_write, until its callback
  ReplyBuilder reply_;
  bool writing_ = false;
  bool paused_ = false;
  bool closing_ = false;
  int64_t over_soft_since_ms_ = 0;  // 0: under the soft output limit
  bool stall_listed_ = false;       // in the registry's list of held-back connections
  bool flush_queued_ = false;       // in the registry's list of connections to flush
};

}  // namespace strata
