#include "server/client_registry.h"

#include <uv.h>

#include <algorithm>

#include "server/connection.h"
#include "server/log.h"
#include "server/server.h"
#include "strata/db.h"

namespace strata {

ClientRegistry::ClientRegistry(uv_loop_s* loop, DB* db, const CommandTable* commands)
    : db_(db), commands_(commands), stall_timer_(std::make_unique<uv_timer_t>()) {
  uv_timer_init(loop, stall_timer_.get());
  stall_timer_->data = this;
}

// The timer handle is closed by the server's loop teardown (Server::~Server walks every
// handle) before this object goes.
ClientRegistry::~ClientRegistry() = default;

void ClientRegistry::Add(Connection* c) { clients_[c->state().id] = c; }

void ClientRegistry::Remove(Connection* c) {
  clients_.erase(c->state().id);
  if (c->stall_listed_) {
    held_back_.erase(std::remove(held_back_.begin(), held_back_.end(), c), held_back_.end());
    c->stall_listed_ = false;
  }
  if (c->flush_queued_) {
    pending_.erase(std::remove(pending_.begin(), pending_.end(), c), pending_.end());
    c->flush_queued_ = false;
  }
  // Closed while FlushPending walks its batch (an earlier connection's send closed it).
  std::replace(flushing_.begin(), flushing_.end(), c, static_cast<Connection*>(nullptr));
}

Connection* ClientRegistry::Find(uint64_t id) const {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

void ClientRegistry::ForEach(
    const std::function<void(const ClientState&, const ClientBuffers&)>& fn) const {
  std::vector<const Connection*> sorted;
  sorted.reserve(clients_.size());
  for (const auto& [id, c] : clients_) sorted.push_back(c);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->state().id < b->state().id; });
  for (const Connection* c : sorted) fn(c->state(), c->buffers());
}

void ClientRegistry::ForEachConnection(const std::function<void(Connection*)>& fn) const {
  for (const auto& [id, c] : clients_) fn(c);
}

void ClientRegistry::QueueFlush(Connection* c) {
  if (c->flush_queued_) return;
  c->flush_queued_ = true;
  pending_.push_back(c);
}

void ClientRegistry::FlushPending(uint64_t except) {
  // The batch's buffer is kept from turn to turn (a nested call gets a fresh one).
  std::vector<Connection*> nested;
  std::vector<Connection*>& batch = flushing_.empty() ? flushing_ : nested;
  batch.swap(pending_);
  for (Connection* c : batch) c->flush_queued_ = false;
  // Newest first, as Redis walks its clients_pending_write list: a publisher is queued after
  // the subscribers its PUBLISH reached, and hears back before their writes go out, so its
  // next commands are on their way meanwhile.
  for (size_t i = batch.size(); i-- > 0;) {
    Connection* c = batch[i];
    if (c == nullptr) continue;  // closed by an earlier one's send (Remove)
    if (except != 0 && c->state().id == except) {
      QueueFlush(c);
      continue;
    }
    c->FlushOutput();
  }
  batch.clear();
}

bool ClientRegistry::HoldBack(int ran) const {
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

void ClientRegistry::AddHeldBack(Connection* c) {
  if (c->stall_listed_) return;
  c->stall_listed_ = true;
  held_back_.push_back(c);
  if (held_back_.size() == 1) uv_timer_start(stall_timer_.get(), OnStallTimer, 1, 1);
}

void ClientRegistry::OnStallTimer(uv_timer_t* handle) {
  auto* self = static_cast<ClientRegistry*>(handle->data);
  self->db_->PollBackgroundWork();
  if (self->db_->GetWriteStall() == WriteStall::kStop) return;
  if (!self->pause_writes_only_ && self->pause_until_ms_ > Server::NowMs()) {
    return;  // CLIENT PAUSE ALL still holds everyone
  }
  // Resume everyone; a connection that must wait again puts itself back on the list.
  std::vector<Connection*> waiting;
  waiting.swap(self->held_back_);
  uv_timer_stop(self->stall_timer_.get());
  for (Connection* c : waiting) c->stall_listed_ = false;
  for (Connection* c : waiting) {
    if (self->clients_.count(c->state().id) != 0) c->ResumeInput();
  }
}

void ClientRegistry::Pause(int64_t until_ms, bool writes_only, int64_t now_ms) {
  // ALL wins over WRITE.
  pause_writes_only_ = pause_until_ms_ <= now_ms ? writes_only : pause_writes_only_ && writes_only;
  pause_until_ms_ = std::max(pause_until_ms_, until_ms);
}

bool ClientRegistry::PausedFor(std::span<const std::string_view> args) {
  if (pause_until_ms_ == 0) return false;  // the usual case: no clock read per command
  if (pause_until_ms_ <= Server::NowMs()) {
    pause_until_ms_ = 0;  // the pause is over
    return false;
  }
  if (!pause_writes_only_) return true;
  const CommandSpec* cmd = commands_->Find(args[0]);
  return cmd != nullptr && ((cmd->flags & kCmdWrite) || cmd->name == "exec");
}

size_t ClientRegistry::Kill(const std::function<bool(const ClientState&)>& match,
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

void ClientRegistry::CloseIdleAndOverLimit(int64_t now_ms, int timeout_s) {
  std::vector<Connection*> doomed;
  for (const auto& [id, c] : clients_) {
    const ClientState& st = c->state();
    // Like Redis, a client blocked in BLPOP and friends is left to its own timeout.
    bool idle = timeout_s > 0 && !st.block.active &&
                now_ms - st.last_interaction_ms > static_cast<int64_t>(timeout_s) * 1000;
    if (idle) Log(LogLevel::kVerbose, "Closing idle client id={} addr={}", id, st.addr);
    if (idle || c->OverOutputLimit(now_ms)) doomed.push_back(c);
  }
  for (Connection* c : doomed) c->Close();
}

}  // namespace strata
