#include "server/tracking.h"

#include <algorithm>

#include "server/client_registry.h"
#include "server/config.h"
#include "server/connection.h"

namespace strata {
namespace {

// An invalidation: a RESP3 push, or a RESP2 message on __redis__:invalidate; keys nullptr is
// the null invalidation (everything).
std::string Invalidation(bool push, const std::vector<std::string_view>* keys) {
  std::string out;
  ReplyBuilder b(&out);
  b.set_resp(push ? 3 : 2);
  b.PushHeader(push ? 2 : 3);
  if (!push) b.Bulk("message");
  b.Bulk(push ? "invalidate" : "__redis__:invalidate");
  if (keys == nullptr) {
    push ? b.Null() : b.NullArray();
    return out;
  }
  b.ArrayHeader(keys->size());
  for (std::string_view k : *keys) b.Bulk(k);
  return out;
}

}  // namespace

Tracking::Tracking(ClientRegistry* clients, const Config* config)
    : clients_(clients), config_(config) {}

void Tracking::Enable(ClientState& client, TrackingState mode) {
  Disable(client);
  mode.on = true;
  if (mode.bcast && mode.prefixes.empty()) mode.prefixes.emplace_back();  // every key
  std::sort(mode.prefixes.begin(), mode.prefixes.end());                  // as Redis lists them
  for (const std::string& p : mode.prefixes) {
    if (mode.bcast) prefixes_[p].insert(client.id);
  }
  client.tracking = std::move(mode);
  tracking_.insert(client.id);
}

void Tracking::Disable(ClientState& client) {
  TrackingState& t = client.tracking;
  if (!t.on) return;
  for (const std::string& p : t.prefixes) {
    auto it = prefixes_.find(p);
    if (it == prefixes_.end()) continue;
    it->second.erase(client.id);
    if (it->second.empty()) prefixes_.erase(it);
  }
  tracking_.erase(client.id);
  // Its entries in the key table go when their keys change (as in Redis).
  t = TrackingState{};
}

void Tracking::Remember(ClientState& client, const CommandSpec& cmd,
                        std::span<const std::string_view> args) {
  const TrackingState& t = client.tracking;
  if (!t.on || t.bcast || (t.optin && !t.caching_yes) || (t.optout && t.caching_no)) return;
  std::vector<std::pair<size_t, const KeySpec*>> positions;
  if (!KeyPositions(cmd, args, &positions)) return;
  for (const auto& [at, spec] : positions) {
    auto [it, added] = keys_.try_emplace(std::string(args[at]));
    if (it->second.insert(client.id).second) items_++;
  }
  // Over tracking-table-max-keys: drop other keys, telling their clients.
  auto limit = static_cast<size_t>(config_->tracking_table_max_keys);
  while (limit > 0 && keys_.size() > limit) {
    auto victim = keys_.begin();
    if (positions.size() == 1 && victim->first == args[positions[0].first]) ++victim;
    if (victim == keys_.end()) break;
    std::string key = victim->first;
    std::vector<std::string_view> one{key};
    for (uint64_t id : victim->second) Send(id, &one);
    Forget(key);
  }
}

void Tracking::Forget(std::string_view key) {
  auto it = keys_.find(std::string(key));
  if (it == keys_.end()) return;
  items_ -= it->second.size();
  keys_.erase(it);
}

void Tracking::InvalidateAll() {
  for (uint64_t id : std::vector<uint64_t>(tracking_.begin(), tracking_.end())) Send(id, nullptr);
  keys_.clear();
  items_ = 0;
}

void Tracking::OnCommit(std::span<const types::KeyChange> changes) {
  std::unordered_map<uint64_t, std::vector<std::string_view>> broadcast;
  for (const types::KeyChange& change : changes) {
    const std::string& key = change.key.key;
    // NOLOOP skips the writer's own changes; what eviction did in its batch is not one.
    bool own = change.kind != types::KeyChange::Kind::kEvicted;
    auto it = keys_.find(key);
    if (it != keys_.end()) {
      std::vector<std::string_view> one{key};
      for (uint64_t id : it->second) {
        if (!IsOwnChange(id, own)) Send(id, &one);
      }
      Forget(key);
    }
    for (const auto& [prefix, ids] : prefixes_) {
      if (!std::string_view(key).starts_with(prefix)) continue;
      for (uint64_t id : ids) {
        if (IsOwnChange(id, own)) continue;
        auto& keys = broadcast[id];
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
      }
    }
  }
  for (const auto& [id, keys] : broadcast) Send(id, &keys);
}

bool Tracking::IsOwnChange(uint64_t id, bool by_writer) const {
  if (!by_writer || id != writer_) return false;
  const Connection* c = clients_->Find(id);
  return c != nullptr && c->state().tracking.noloop;
}

void Tracking::Send(uint64_t id, const std::vector<std::string_view>* keys) {
  Connection* c = clients_->Find(id);
  if (c == nullptr || !c->state().tracking.on) return;
  TrackingState& t = c->state().tracking;
  Connection* target = c;
  if (t.redirect != 0) {
    target = clients_->Find(t.redirect);
    if (target == nullptr) {
      // The client learns that its invalidations have nowhere to go (RESP3 only).
      t.redirect_broken = true;
      if (c->state().resp == 3) {
        std::string msg;
        ReplyBuilder b(&msg);
        b.set_resp(3);
        b.PushHeader(2);
        b.Bulk("tracking-redir-broken");
        b.Integer(static_cast<long long>(t.redirect));
        c->Push(msg);
      }
      return;
    }
  }
  if (target->state().resp == 3) {
    target->Push(Invalidation(true, keys));
  } else if (target->state().subs.count() > 0) {
    target->Push(Invalidation(false, keys));
  }
}

}  // namespace strata
