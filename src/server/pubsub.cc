#include "server/pubsub.h"

#include <fmt/format.h>

#include <algorithm>

#include "server/client_registry.h"
#include "server/config.h"
#include "server/connection.h"
#include "util/glob.h"

namespace strata {
namespace {

using types::Notice;

// A message as an array (RESP2) of bulk strings; the RESP3 push differs in its first byte.
void Encode(std::string* out, std::initializer_list<std::string_view> parts) {
  out->clear();
  ReplyBuilder b(out);
  b.ArrayHeader(parts.size());
  for (std::string_view p : parts) b.Bulk(p);
}

// The confirmation of a (un)subscription: kind, name (or null), the client's count.
void Confirm(ReplyBuilder& reply, std::string_view what, const std::string_view* name,
             size_t count) {
  reply.PushHeader(3);
  reply.Bulk(what);
  if (name != nullptr) {
    reply.Bulk(*name);
  } else {
    reply.Null();
  }
  reply.Integer(static_cast<long long>(count));
}

std::set<std::string, std::less<>>& OwnSet(ClientState& c, PubSub::Kind kind) {
  switch (kind) {
    case PubSub::Kind::kChannel:
      return c.subs.channels;
    case PubSub::Kind::kPattern:
      return c.subs.patterns;
    case PubSub::Kind::kShard:
      break;
  }
  return c.subs.shard_channels;
}

// The count a confirmation carries: Redis counts shard subscriptions apart from the others.
size_t ConfirmCount(const ClientState& c, PubSub::Kind kind) {
  return kind == PubSub::Kind::kShard ? c.subs.shard_channels.size()
                                      : c.subs.channels.size() + c.subs.patterns.size();
}

}  // namespace

uint32_t NotifyClassesOf(std::string_view letters) {
  using namespace types;  // NOLINT: the kNotify* bits
  static constexpr std::pair<char, uint32_t> kLetters[] = {
      {'K', kNotifyKeyspace},
      {'E', kNotifyKeyevent},
      {'g', kNotifyGeneric},
      {'$', kNotifyString},
      {'l', kNotifyList},
      {'s', kNotifySet},
      {'h', kNotifyHash},
      {'z', kNotifyZSet},
      {'x', kNotifyExpired},
      {'e', kNotifyEvicted},
      {'t', kNotifyStream},
      {'m', kNotifyKeyMiss},
      {'d', kNotifyModule},
      {'n', kNotifyNew},
      // "A" is every class but m and n, as in Redis 7.0.
      {'A', kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash | kNotifyZSet |
                kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule},
  };
  uint32_t out = 0;
  for (char ch : letters) {
    for (auto [letter, bits] : kLetters) {
      if (letter == ch) out |= bits;
    }
  }
  return (out & (kNotifyKeyspace | kNotifyKeyevent)) ? out : 0;
}

PubSub::PubSub(ClientRegistry* clients, const Config* config)
    : clients_(clients), config_(config) {}

PubSub::Subscribers& PubSub::map(Kind kind) {
  return kind == Kind::kChannel ? channels_ : kind == Kind::kPattern ? patterns_ : shard_;
}
const PubSub::Subscribers& PubSub::map(Kind kind) const {
  return kind == Kind::kChannel ? channels_ : kind == Kind::kPattern ? patterns_ : shard_;
}

static std::string_view SubscribeWord(PubSub::Kind kind, bool subscribe) {
  switch (kind) {
    case PubSub::Kind::kChannel:
      return subscribe ? "subscribe" : "unsubscribe";
    case PubSub::Kind::kPattern:
      return subscribe ? "psubscribe" : "punsubscribe";
    case PubSub::Kind::kShard:
      break;
  }
  return subscribe ? "ssubscribe" : "sunsubscribe";
}

void PubSub::Subscribe(ClientState& client, ReplyBuilder& reply, Kind kind,
                       std::span<const std::string_view> names) {
  Connection* c = clients_->Find(client.id);
  auto& own = OwnSet(client, kind);
  for (std::string_view name : names) {
    if (c != nullptr && own.emplace(name).second) map(kind)[std::string(name)].push_back(c);
    Confirm(reply, SubscribeWord(kind, true), &name, ConfirmCount(client, kind));
  }
}

void PubSub::Unsubscribe(ClientState& client, ReplyBuilder& reply, Kind kind,
                         std::span<const std::string_view> names) {
  Connection* c = clients_->Find(client.id);
  auto& own = OwnSet(client, kind);
  auto count = [&] { return ConfirmCount(client, kind); };
  auto drop = [&](std::string_view name) {
    auto it = own.find(name);
    if (it == own.end()) return;
    Subscribers& m = map(kind);
    auto sit = m.find(name);
    if (sit != m.end()) {
      std::erase(sit->second, c);
      if (sit->second.empty()) m.erase(sit);
    }
    own.erase(it);
  };
  if (names.empty()) {
    if (own.empty()) return Confirm(reply, SubscribeWord(kind, false), nullptr, count());
    std::vector<std::string> all(own.begin(), own.end());
    for (const std::string& name : all) {
      drop(name);
      std::string_view n = name;
      Confirm(reply, SubscribeWord(kind, false), &n, count());
    }
    return;
  }
  for (std::string_view name : names) {
    drop(name);
    Confirm(reply, SubscribeWord(kind, false), &name, count());
  }
}

void PubSub::RemoveClient(ClientState& client) {
  if (client.subs.count() == 0) return;
  Connection* c = clients_->Find(client.id);
  for (Kind kind : {Kind::kChannel, Kind::kPattern, Kind::kShard}) {
    Subscribers& m = map(kind);
    for (const std::string& name : OwnSet(client, kind)) {
      auto it = m.find(name);
      if (it == m.end()) continue;
      std::erase(it->second, c);
      if (it->second.empty()) m.erase(it);
    }
    OwnSet(client, kind).clear();
  }
  std::erase(doomed_, c);
}

size_t PubSub::Receivers(Kind kind, std::string_view channel) const {
  const Subscribers& m = map(kind);
  auto it = m.find(channel);
  size_t n = it == m.end() ? 0 : it->second.size();
  if (kind == Kind::kChannel) {
    for (const auto& [pattern, subs] : patterns_) {
      if (GlobMatch(pattern, channel)) n += subs.size();
    }
  }
  return n;
}

Notice PubSub::Message(Kind kind, std::string_view channel, std::string_view message) {
  return Notice{kind == Kind::kShard ? Notice::Kind::kShardMessage : Notice::Kind::kMessage, 0,
                std::string(channel), std::string(message)};
}

std::vector<std::string_view> PubSub::Channels(Kind kind, std::string_view pattern) const {
  std::vector<std::string_view> out;
  for (const auto& [name, subs] : map(kind)) {
    if (pattern.empty() || GlobMatch(pattern, name)) out.push_back(name);
  }
  return out;
}

size_t PubSub::NumSub(Kind kind, std::string_view channel) const {
  const Subscribers& m = map(kind);
  auto it = m.find(channel);
  return it == m.end() ? 0 : it->second.size();
}

void PubSub::Send(Connection* c, const std::string& resp2, std::string* resp3) {
  std::string_view bytes = resp2;
  if (c->state().resp == 3) {
    if (resp3->empty()) *resp3 = '>' + resp2.substr(1);
    bytes = *resp3;
  }
  if (c->Push(bytes) && std::find(doomed_.begin(), doomed_.end(), c) == doomed_.end()) {
    doomed_.push_back(c);
  }
}

size_t PubSub::Deliver(Kind kind, std::string_view channel, std::string_view message) {
  size_t n = 0;
  const Subscribers& m = map(kind);
  auto it = m.find(channel);
  if (it != m.end()) {
    Encode(&buf2_, {kind == Kind::kShard ? "smessage" : "message", channel, message});
    buf3_.clear();
    for (Connection* c : it->second) Send(c, buf2_, &buf3_);
    n += it->second.size();
  }
  if (kind == Kind::kChannel) {
    for (const auto& [pattern, subs] : patterns_) {
      if (!GlobMatch(pattern, channel)) continue;
      Encode(&buf2_, {"pmessage", pattern, channel, message});
      buf3_.clear();
      for (Connection* c : subs) Send(c, buf2_, &buf3_);
      n += subs.size();
    }
  }
  // Closing forgets the connection (RemoveClient), so not while the lists are walked.
  std::vector<Connection*> doomed;
  doomed.swap(doomed_);
  for (Connection* c : doomed) c->Close();
  return n;
}

void PubSub::KeyEvent(const Notice& n) {
  uint32_t classes = config_->notify_classes;
  if (classes & types::kNotifyKeyspace) {
    Deliver(Kind::kChannel, fmt::format("__keyspace@{}__:{}", n.db, n.value), n.name);
  }
  if (classes & types::kNotifyKeyevent) {
    Deliver(Kind::kChannel, fmt::format("__keyevent@{}__:{}", n.db, n.name), n.value);
  }
}

void PubSub::OnNotices(std::span<const Notice> notices) {
  for (const Notice& n : notices) {
    switch (n.kind) {
      case Notice::Kind::kKeyEvent:
        KeyEvent(n);
        break;
      case Notice::Kind::kMessage:
        Deliver(Kind::kChannel, n.name, n.value);
        break;
      case Notice::Kind::kShardMessage:
        Deliver(Kind::kShard, n.name, n.value);
        break;
    }
  }
}

}  // namespace strata
