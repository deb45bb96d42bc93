// The documentation rows of the Pub/Sub commands, in the notation of command_docs.cc.
#include "commands/registry.h"

namespace strata {

const std::vector<CommandDoc>& PubSubDocs() {
  static const std::vector<CommandDoc> docs = {
      {"subscribe", "pubsub", "2.0.0", "O(N) for N channels",
       "Listens for messages published to channels.", "channel...", "", "", ""},
      {"unsubscribe", "pubsub", "2.0.0", "O(N) for N channels",
       "Stops listening to channels (to all of them when none is named).", "[channel...]", "", "",
       ""},
      {"psubscribe", "pubsub", "2.0.0", "O(N) for N patterns",
       "Listens for messages published to channels that match patterns.", "pattern(pattern#p)...",
       "", "", ""},
      {"punsubscribe", "pubsub", "2.0.0", "O(N+M)",
       "Stops listening to patterns (to all of them when none is named).", "[pattern#p...]", "", "",
       ""},
      {"ssubscribe", "pubsub", "7.0.0", "O(N) for N shard channels",
       "Listens for messages published to shard channels.", "shardchannel...", "not_key", "", ""},
      {"sunsubscribe", "pubsub", "7.0.0", "O(N) for N shard channels",
       "Stops listening to shard channels (to all of them when none is named).",
       "[shardchannel...]", "not_key", "", ""},
      {"publish", "pubsub", "2.0.0", "O(N+M), N subscribers and M patterns",
       "Posts a message to a channel; returns how many subscribers got it.", "channel message", "",
       "", ""},
      {"spublish", "pubsub", "7.0.0", "O(N) for N subscribers",
       "Posts a message to a shard channel; returns how many subscribers got it.",
       "shardchannel message", "not_key", "", ""},
      {"pubsub", "pubsub", "2.8.0", "Depends on subcommand.",
       "Container for the Pub/Sub introspection commands.", "", "", "", "-pubsub"},
      {"pubsub|channels", "pubsub", "2.8.0", "O(N) for N active channels",
       "Lists the channels with subscribers, or those matching a pattern.", "[pattern#p]", "", "",
       ""},
      {"pubsub|numsub", "pubsub", "2.8.0", "O(N) for N channels",
       "Returns each channel's subscriber count (patterns not counted).", "[channel...]", "", "",
       ""},
      {"pubsub|numpat", "pubsub", "2.8.0", "O(1)", "Returns how many patterns have subscribers.",
       "", "", "", ""},
      {"pubsub|shardchannels", "pubsub", "7.0.0", "O(N) for N active shard channels",
       "Lists the shard channels with subscribers, or those matching a pattern.", "[pattern#p]", "",
       "", ""},
      {"pubsub|shardnumsub", "pubsub", "7.0.0", "O(N) for N shard channels",
       "Returns each shard channel's subscriber count.", "[shardchannel...]", "", "", ""},
      {"pubsub|help", "pubsub", "6.2.0", "O(1)", "Shows what the PUBSUB subcommands do.", "", "",
       "", ""},
  };
  return docs;
}

}  // namespace strata
