#include "server/connection.h"

#include <sys/socket.h>

#include <cerrno>

#include "server/errors.h"
#include "server/log.h"
#include "server/server.h"

namespace strata {

Connection::Connection(Server* server, uint64_t id, uv_loop_t* loop, bool unix_socket)
    : server_(server), parser_(&server->config().proto_max_bulk_len), reply_(&out_) {
  if (unix_socket) {
    uv_pipe_init(loop, &handle_.pipe, 0);
  } else {
    uv_tcp_init(loop, &handle_.tcp);
  }
  state_.id = id;
  stream()->data = this;
  write_req_.data = this;
}

void Connection::Start() {
  state_.created_ms = Server::NowMs();
  state_.last_interaction_ms = state_.created_ms;
  uv_read_start(stream(), OnAlloc, OnRead);
}

void Connection::OnAlloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
  // One buffer for all connections: each read is consumed before the next one starts.
  auto* c = static_cast<Connection*>(handle->data);
  *buf = uv_buf_init(c->server_->read_buffer(), Server::kReadBufferSize);
}

void Connection::OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* c = static_cast<Connection*>(stream->data);
  if (nread < 0) {
    c->Close();  // EOF or a socket error
    return;
  }
  if (nread > 0) c->OnData(buf->base, static_cast<size_t>(nread));
}

void Connection::ReadNow(char* buf, size_t size) {
  if (paused_ || closing_ || state_.close_after_reply || state_.fd < 0) return;
  ssize_t n = recv(state_.fd, buf, size, MSG_DONTWAIT);
  if (n > 0) {
    OnData(buf, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    Close();
  }
}

void Connection::OnData(const char* data, size_t n) {
  server_->stats().total_net_input_bytes += n;
  server_->stats().total_reads_processed++;
  state_.last_interaction_ms = server_->RefreshClock();
  // Fast path: with nothing pending, parse straight from the read buffer.
  bool from_query = !query_.empty();
  if (from_query) query_.append(data, n);
  std::string_view input = from_query ? std::string_view(query_) : std::string_view(data, n);
  size_t consumed = Process(input);
  if (closing_) return;
  if (from_query) {
    query_.erase(0, consumed);
  } else {
    query_.assign(input.substr(consumed));
  }
  if (static_cast<int64_t>(query_.size()) > server_->config().client_query_buffer_limit) {
    Log(LogLevel::kWarning, "Closing client id={} that reached max query buffer length ({} bytes)",
        state_.id, query_.size());
    ProtocolError(errors::kQueryBufferLimit);
  }
}

size_t Connection::Process(std::string_view input) {
  size_t pos = 0;
  for (int ran = 0; pos < input.size() && !closing_ && !state_.close_after_reply &&
                    !OutputBlocked() && !state_.block.active && !state_.park.active;
       ++ran) {
    if (server_->clients().HoldBack(ran)) {
      PauseInput();
      server_->clients().AddHeldBack(this);
      break;
    }
    size_t start = pos;
    RespParser::Status s = parser_.Parse(input, &pos, &args_);
    if (s == RespParser::Status::kNeedMore) break;
    if (s == RespParser::Status::kError) {
      ProtocolError(parser_.error());
      break;
    }
    if (!args_.empty() && server_->clients().PausedFor(args_)) {
      pos = start;  // parsed again when CLIENT PAUSE ends
      PauseInput();
      server_->clients().AddHeldBack(this);
      break;
    }
    if (!args_.empty()) server_->dispatcher().Execute(state_, reply_, args_);
    args_.clear();  // views into input consumed now (CLIENT LIST's argv-mem)
    // BLPOP and friends, and a command waiting for cold reads: the rest of the input waits
    // (the socket is still read, so a client that leaves is noticed).
    if (state_.block.active || state_.park.active) break;
  }
  if (closing_) return pos;
  if (OverOutputLimit(server_->cached_now_ms())) {
    Close();
    return pos;
  }
  if (OutputBlocked() && !state_.close_after_reply) PauseInput();
  if (!out_.empty()) server_->clients().QueueFlush(this);
  return pos;
}

void Connection::ProtocolError(std::string_view text) {
  Log(LogLevel::kVerbose, "Protocol error ({}) from client id={} addr={}", text, state_.id,
      state_.addr);
  reply_.Error(text);
  state_.close_after_reply = true;
  query_.clear();
  uv_read_stop(stream());
  server_->clients().QueueFlush(this);
}

void Connection::PauseInput() {
  if (paused_) return;
  paused_ = true;
  uv_read_stop(stream());
}

void Connection::ResumeInput() {
  paused_ = false;
  if (!query_.empty()) {
    size_t consumed = Process(query_);
    if (closing_) return;
    query_.erase(0, consumed);
  }
  if (!paused_ && !state_.close_after_reply) {
    uv_read_start(stream(), OnAlloc, OnRead);
  }
}

void Connection::FlushOutput() {
  if (closing_ || writing_) return;
  if (!out_.empty()) {
    uv_stream_t* s = stream();
    uv_buf_t buf = uv_buf_init(out_.data(), static_cast<unsigned>(out_.size()));
    int n = uv_try_write(s, &buf, 1);
    server_->stats().total_writes_processed++;
    if (n == UV_EAGAIN) n = 0;
    if (n < 0) {
      Close();
      return;
    }
    server_->stats().total_net_output_bytes += static_cast<uint64_t>(n);
    if (static_cast<size_t>(n) < out_.size()) {
      // The socket is full: hand the rest to libuv and wait for its callback.
      sending_.swap(out_);
      out_.clear();
      buf = uv_buf_init(sending_.data() + n, static_cast<unsigned>(sending_.size() - n));
      server_->stats().total_net_output_bytes += sending_.size() - n;
      writing_ = true;
      uv_write(&write_req_, s, &buf, 1, OnWrite);
      return;
    }
    out_.clear();
    if (out_.capacity() > (1u << 20)) out_.shrink_to_fit();
  }
  AfterSend();
}

void Connection::OnWrite(uv_write_t* req, int status) {
  auto* c = static_cast<Connection*>(req->data);
  c->writing_ = false;
  c->sending_.clear();
  if (c->sending_.capacity() > (1u << 20)) c->sending_.shrink_to_fit();
  if (status < 0) {
    c->Close();
    return;
  }
  c->AfterSend();
}

void Connection::AfterSend() {
  // Replies queued meanwhile go out with the next BeforeSleep, after their log bytes.
  if (!out_.empty()) {
    server_->clients().QueueFlush(this);
  } else if (state_.close_after_reply) {
    Close();
  } else if (paused_ && !OutputBlocked()) {
    ResumeInput();
  }
}

void Connection::Unblocked() {
  server_->clients().QueueFlush(this);
  if (!query_.empty() && !closing_) {  // commands sent while it waited
    size_t consumed = Process(query_);
    if (closing_) return;
    query_.erase(0, consumed);
  }
}

void Connection::Refuse(std::string_view error) {
  std::string msg = "-" + std::string(error) + "\r\n";
  uv_buf_t buf = uv_buf_init(msg.data(), static_cast<unsigned>(msg.size()));
  uv_try_write(stream(), &buf, 1);
  Close();
}

bool Connection::Push(std::string_view bytes) {
  out_.append(bytes);
  server_->clients().QueueFlush(this);
  return OverOutputLimit(server_->cached_now_ms());
}

bool Connection::OverOutputLimit(int64_t now_ms) {
  const Config::OutputLimit& limit =
      server_->config().output_limits[state_.subs.count() > 0 ? 2 : 0];
  auto size = static_cast<int64_t>(output_size());
  bool hard = limit.hard > 0 && size >= limit.hard;
  bool soft = limit.soft > 0 && size >= limit.soft;
  if (!soft) {
    over_soft_since_ms_ = 0;
  } else if (over_soft_since_ms_ == 0) {
    over_soft_since_ms_ = now_ms;
  }
  bool soft_expired = soft && now_ms - over_soft_since_ms_ >= limit.soft_seconds * 1000;
  if (!hard && !soft_expired) return false;
  Log(LogLevel::kWarning,
      "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits "
      "({} bytes pending).",
      state_.id, state_.addr, size);
  return true;
}

void Connection::Close() {
  if (closing_) return;
  closing_ = true;
  server_->OnConnectionClosed(this);
  uv_close(reinterpret_cast<uv_handle_t*>(stream()),
           [](uv_handle_t* h) { delete static_cast<Connection*>(h->data); });
}

ClientBuffers Connection::buffers() const {
  ClientBuffers b;
  b.qbuf = query_.size();
  b.qbuf_free = query_.capacity() - query_.size();
  for (std::string_view a : args_) b.argv_mem += a.size();
  for (const auto& command : state_.tx.queued) {
    for (const std::string& a : command) b.multi_mem += a.capacity() + sizeof(a);
  }
  b.obl = out_.size();
  b.oll = sending_.empty() ? 0 : 1;
  b.omem = sending_.size();
  b.tot_mem = query_.capacity() + b.argv_mem + b.multi_mem + out_.capacity() + sending_.capacity() +
              sizeof(*this);
  return b;
}

}  // namespace strata
