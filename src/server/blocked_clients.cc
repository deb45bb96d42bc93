#include "server/blocked_clients.h"

#include <uv.h>

#include <algorithm>

#include "server/client_registry.h"
#include "server/connection.h"
#include "server/dispatcher.h"
#include "server/errors.h"
#include "server/server.h"

namespace strata {

BlockedClients::BlockedClients(Server* server, uv_loop_s* loop)
    : server_(server), timer_(std::make_unique<uv_timer_t>()) {
  uv_timer_init(loop, timer_.get());
  timer_->data = this;
}

// The timer handle is closed by Server::~Server's walk over the loop's handles.
BlockedClients::~BlockedClients() = default;

void BlockedClients::Block(CommandContext& ctx, std::vector<std::string> keys,
                           types::Type waits_for, int64_t timeout_ms) {
  BlockState& b = ctx.client.block;
  b.waiting = true;
  if (b.active) return;  // a retry that found nothing: keep its place in the queues
  b.active = true;
  b.db = ctx.client.db;
  b.waits_for = waits_for;
  b.args.assign(ctx.args.begin(), ctx.args.end());
  // A timeout too far away to add to the clock is as good as none (WAIT takes any integer).
  b.deadline_ms = timeout_ms == 0 || timeout_ms > INT64_MAX - ctx.now_ms ? 0 : ctx.now_ms + timeout_ms;
  for (const std::string& key : keys) {
    auto& queue = waiting_[types::DbKey{b.db, key}];
    if (std::find(queue.begin(), queue.end(), ctx.client.id) == queue.end()) {
      queue.push_back(ctx.client.id);
    }
  }
  b.keys = std::move(keys);
  if (count_++ == 0) uv_timer_start(timer_.get(), OnTimer, 10, 10);
}

void BlockedClients::Unblock(ClientState& client) {
  BlockState& b = client.block;
  if (!b.active) return;
  for (const std::string& key : b.keys) {
    auto it = waiting_.find(types::DbKey{b.db, key});
    if (it == waiting_.end()) continue;
    std::erase(it->second, client.id);
    if (it->second.empty()) waiting_.erase(it);
  }
  b = BlockState();
  if (--count_ == 0) {
    uv_timer_stop(timer_.get());
    ready_.clear();
  }
}

void BlockedClients::KeysOfInterest(int db, std::vector<std::string>* out) const {
  for (const auto& [k, ids] : waiting_) {
    if (k.db == db) out->push_back(k.key);
  }
}

void BlockedClients::OnCommit(std::span<const types::KeyChange> changes) {
  // What a key holds when the commit is done decides (so the last change of each key, read
  // from the end): a key pushed and then deleted or made a string in one transaction wakes
  // nobody.
  std::vector<const types::DbKey*> seen;
  std::vector<std::pair<types::DbKey, types::Type>> ready;  // last written first
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    if (waiting_.count(it->key) == 0) continue;
    if (std::any_of(seen.begin(), seen.end(), [&](const auto* k) { return *k == it->key; })) {
      continue;
    }
    seen.push_back(&it->key);
    if (it->kind != types::KeyChange::Kind::kWritten) {
      // A deleted stream wakes its XREADGROUP readers, whose group is gone with it (they get
      // -NOGROUP, as in Redis); an XREAD run again finds nothing and waits on.
      ready.emplace_back(it->key, types::Type::kStream);
      continue;
    }
    if (it->type != types::Type::kList && it->type != types::Type::kZSet &&
        it->type != types::Type::kStream) {
      continue;
    }
    ready.emplace_back(it->key, it->type);
  }
  for (auto r = ready.rbegin(); r != ready.rend(); ++r) {
    if (std::find(ready_.begin(), ready_.end(), *r) == ready_.end()) ready_.push_back(*r);
  }
}

void BlockedClients::ServeReady() {
  if (serving_) return;  // the outer call picks up keys made ready meanwhile
  serving_ = true;
  while (!ready_.empty()) {
    std::vector<std::pair<types::DbKey, types::Type>> ready;
    ready.swap(ready_);
    for (const auto& [key, type] : ready) {
      auto it = waiting_.find(key);
      if (it == waiting_.end()) continue;
      std::vector<uint64_t> queue = it->second;  // first come, first served
      for (uint64_t id : queue) {
        Connection* c = server_->clients().Find(id);
        if (c == nullptr || !c->state().block.active) continue;
        if (c->state().block.waits_for != type) continue;
        ClientState& st = c->state();
        std::vector<std::string> args = st.block.args;
        std::vector<std::string_view> views(args.begin(), args.end());
        st.block.waiting = false;
        server_->RefreshClock();
        server_->dispatcher().Execute(st, c->reply(), views);
        if (!st.block.waiting) {  // served (or failed): the reply is queued
          Unblock(st);
          c->Unblocked();
        }
      }
    }
  }
  serving_ = false;
}

void BlockedClients::OnTimer(uv_timer_t* handle) {
  auto* self = static_cast<BlockedClients*>(handle->data);
  int64_t now = self->server_->RefreshClock();
  std::vector<Connection*> expired;
  self->server_->clients().ForEachConnection([&](Connection* c) {
    const BlockState& b = c->state().block;
    if (b.active && b.deadline_ms != 0 && b.deadline_ms <= now) expired.push_back(c);
  });
  for (Connection* c : expired) {
    self->EndWait(c, false);
    c->Unblocked();
  }
}

bool BlockedClients::UnblockById(uint64_t id, bool error) {
  Connection* c = server_->clients().Find(id);
  if (c == nullptr || !c->state().block.active) return false;
  EndWait(c, error);
  // Its next commands run from the loop, not inside the CLIENT UNBLOCK that runs now.
  server_->clients().QueueFlush(c);
  server_->clients().AddHeldBack(c);
  return true;
}

void BlockedClients::EndWait(Connection* c, bool error) {
  bool zero = c->state().block.timeout_replies_zero;
  Unblock(c->state());
  c->reply().set_resp(c->state().resp);
  if (error) {
    server_->stats().CountError(errors::kUnblocked);
    c->reply().Error(errors::kUnblocked);
  } else if (zero) {
    c->reply().Integer(0);
  } else {
    c->reply().NullArray();  // Redis's reply to a blocking command that timed out
  }
}

}  // namespace strata
