// Pub/Sub: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB. The channels and
// the delivery are server/pubsub.h; a published message is staged with the command's other
// notices and delivered after its reply (and after the commit of a MULTI/EXEC or script).
#include "commands/registry.h"
#include "commands/util.h"

namespace strata {
namespace {

using Kind = PubSub::Kind;

template <Kind kind>
void CmdSubscribe(CommandContext& ctx) {
  ctx.server.pubsub().Subscribe(ctx.client, ctx.reply, kind, ctx.args.subspan(1));
}

template <Kind kind>
void CmdUnsubscribe(CommandContext& ctx) {
  ctx.server.pubsub().Unsubscribe(ctx.client, ctx.reply, kind, ctx.args.subspan(1));
}

template <Kind kind>
void CmdPublish(CommandContext& ctx) {
  PubSub& pubsub = ctx.server.pubsub();
  types::Keyspace& keyspace = ctx.server.keyspace();
  const ClientState& c = ctx.client;
  // A plain PUBLISH (not in a transaction or script, nothing staged before it, from a client
  // that is not itself subscribed) delivers at once: the same as after its reply, since
  // every reply and message of the turn is sent after it, and it saves the staging.
  if (!c.tx.executing && !c.script && c.subs.count() == 0 && !keyspace.has_staged()) {
    return ctx.reply.Integer(
        static_cast<long long>(pubsub.Deliver(kind, ctx.args[1], ctx.args[2])));
  }
  size_t receivers = pubsub.Receivers(kind, ctx.args[1]);
  // Nobody to deliver to: nothing to stage (PUBLISH to no one costs a lookup).
  if (receivers > 0) keyspace.changes().Stage(PubSub::Message(kind, ctx.args[1], ctx.args[2]));
  ctx.reply.Integer(static_cast<long long>(receivers));
}

template <Kind kind>
void CmdPubsubChannels(CommandContext& ctx) {
  std::string_view pattern = ctx.args.size() > 2 ? ctx.args[2] : "";
  std::vector<std::string_view> names = ctx.server.pubsub().Channels(kind, pattern);
  ctx.reply.ArrayHeader(names.size());
  for (std::string_view n : names) ctx.reply.Bulk(n);
}

template <Kind kind>
void CmdPubsubNumsub(CommandContext& ctx) {
  ctx.reply.MapHeader(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    ctx.reply.Bulk(ctx.args[i]);
    ctx.reply.Integer(static_cast<long long>(ctx.server.pubsub().NumSub(kind, ctx.args[i])));
  }
}

void CmdPubsubNumpat(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<long long>(ctx.server.pubsub().patterns()));
}

void CmdPubsubHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: "
      "'*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> PubSubCommands() {
  const uint32_t kSub = kCmdPubSub | kCmdNoScript | kCmdLoading | kCmdStale | kCmdSubscribed;
  const uint32_t kPub = kCmdPubSub | kCmdLoading | kCmdStale | kCmdFast;
  const uint32_t kInfo = kCmdPubSub | kCmdLoading | kCmdStale;
  auto sub = [](const char* name, CommandHandler h, int arity, uint32_t flags) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = flags};
  };
  return {
      sub("subscribe", CmdSubscribe<Kind::kChannel>, -2, kSub),
      sub("unsubscribe", CmdUnsubscribe<Kind::kChannel>, -1, kSub),
      sub("psubscribe", CmdSubscribe<Kind::kPattern>, -2, kSub),
      sub("punsubscribe", CmdUnsubscribe<Kind::kPattern>, -1, kSub),
      {.name = "ssubscribe",
       .handler = CmdSubscribe<Kind::kShard>,
       .arity = -2,
       .flags = kSub,
       .first_key = 1,
       .last_key = -1,
       .step = 1},
      {.name = "sunsubscribe",
       .handler = CmdUnsubscribe<Kind::kShard>,
       .arity = -1,
       .flags = kSub,
       .first_key = 1,
       .last_key = -1,
       .step = 1},
      sub("publish", CmdPublish<Kind::kChannel>, 3, kPub),
      {.name = "spublish",
       .handler = CmdPublish<Kind::kShard>,
       .arity = 3,
       .flags = kPub,
       .first_key = 1,
       .last_key = 1,
       .step = 1},
      {.name = "pubsub",
       .arity = -2,
       .subcommands = {sub("channels", CmdPubsubChannels<Kind::kChannel>, -2, kInfo),
                       sub("numsub", CmdPubsubNumsub<Kind::kChannel>, -2, kInfo),
                       sub("numpat", CmdPubsubNumpat, 2, kInfo),
                       sub("shardchannels", CmdPubsubChannels<Kind::kShard>, -2, kInfo),
                       sub("shardnumsub", CmdPubsubNumsub<Kind::kShard>, -2, kInfo),
                       sub("help", CmdPubsubHelp, 2, kCmdLoading | kCmdStale)}},
  };
}

}  // namespace strata
