// PubSub: channels, patterns and shard channels, who is subscribed to them, and the delivery
// of messages — PUBLISH's and SPUBLISH's, and the keyspace events of notify-keyspace-events
// ("__keyspace@<db>__:<key>" <event>, "__keyevent@<db>__:<event>" <key>).
//
// Both kinds reach PubSub as the change feed's notices (types/change_feed.h): staged in command
// order and delivered once the commit is durable, right after the reply of the command that
// made them. A subscriber gets "message"/"pmessage"/"smessage" arrays (RESP2) or pushes
// (RESP3), in publish order; one whose unsent output passes client-output-buffer-limit's
// pubsub class is closed, so a subscriber that never reads costs bounded memory. A closed
// connection is forgotten at once (Server::OnConnectionClosed). Loop thread only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command.h"
#include "types/change_feed.h"

namespace strata {

class ClientRegistry;
class Connection;
struct Config;

// notify-keyspace-events' letters (as CONFIG keeps them) as types::NotifyClass bits; 0 when
// neither K nor E is set, since then nothing is sent.
uint32_t NotifyClassesOf(std::string_view letters);

class PubSub : public types::ChangeFeed::Subscriber {
 public:
  enum class Kind { kChannel, kPattern, kShard };

  PubSub(ClientRegistry* clients, const Config* config);

  // (P|S)SUBSCRIBE: subscribes client to each name, replying a confirmation for each (with
  // the client's subscription count after it).
  void Subscribe(ClientState& client, ReplyBuilder& reply, Kind kind,
                 std::span<const std::string_view> names);
  // (P|S)UNSUBSCRIBE: from each name, or from every one of kind when names is empty (and a
  // single confirmation with a null name when there was none).
  void Unsubscribe(ClientState& client, ReplyBuilder& reply, Kind kind,
                   std::span<const std::string_view> names);
  // A closed or RESET connection: forgotten everywhere, without replies.
  void RemoveClient(ClientState& client);

  // The subscribers a message on channel reaches now (PUBLISH's reply): the channel's, and
  // every pattern's that matches (for kChannel); the shard channel's (kShard).
  size_t Receivers(Kind kind, std::string_view channel) const;
  // Stages a message (kChannel or kShard), delivered after the commit.
  static types::Notice Message(Kind kind, std::string_view channel, std::string_view message);

  // PUBSUB: active channels (kChannel or kShard) matching pattern (empty: all), a channel's
  // subscriber count, and how many there are.
  std::vector<std::string_view> Channels(Kind kind, std::string_view pattern) const;
  size_t NumSub(Kind kind, std::string_view channel) const;
  size_t channels() const { return channels_.size(); }
  size_t patterns() const { return patterns_.size(); }
  size_t shard_channels() const { return shard_.size(); }

  // Delivers a message now (also the invalidations of client-side caching); returns how many
  // subscribers got it.
  size_t Deliver(Kind kind, std::string_view channel, std::string_view message);

  // ChangeFeed::Subscriber: only notices.
  bool active() const override { return false; }
  void KeysOfInterest(int, std::vector<std::string>*) const override {}
  void OnCommit(std::span<const types::KeyChange>) override {}
  void OnNotices(std::span<const types::Notice> notices) override;

 private:
  struct NameHash {  // lets find() take a string_view
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Subscribers =
      std::unordered_map<std::string, std::vector<Connection*>, NameHash, std::equal_to<>>;
  Subscribers& map(Kind kind);
  const Subscribers& map(Kind kind) const;
  // Queues an encoded message to c (resp3: made from resp2 when first needed); c is doomed
  // when its output passed the limit.
  void Send(Connection* c, const std::string& resp2, std::string* resp3);
  void KeyEvent(const types::Notice& n);

  ClientRegistry* const clients_;
  const Config* const config_;
  Subscribers channels_, patterns_, shard_;
  std::vector<Connection*> doomed_;  // over the output limit: closed after the delivery
  std::string buf2_, buf3_;          // the message being delivered, RESP2 and RESP3
};

}  // namespace strata
