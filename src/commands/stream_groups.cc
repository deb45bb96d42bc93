// Stream consumer groups: XGROUP (CREATE SETID DESTROY CREATECONSUMER DELCONSUMER HELP),
// XREADGROUP XACK XPENDING XCLAIM XAUTOCLAIM, XINFO GROUPS and CONSUMERS.
//
// The groups themselves — cursors, pending entries, consumers — are types/stream_groups.h.
#include "types/stream_groups.h"

#include "commands/blocking.h"
#include "commands/registry.h"
#include "commands/streams.h"
#include "commands/util.h"

namespace strata {
namespace {

using types::GroupEntry;
using types::GroupError;
using types::Stream;
using types::StreamGroups;
using types::StreamId;

// "$" (the stream's last ID: nullopt) or an ID.
bool GroupIdOrReply(CommandContext& ctx, std::string_view arg, std::optional<StreamId>* id) {
  if (arg == "$") return *id = std::nullopt, true;
  StreamId v;
  if (!StreamIdOrReply(ctx, arg, 0, &v)) return false;
  *id = v;
  return true;
}

bool EntriesReadOrReply(CommandContext& ctx, std::string_view arg, int64_t* out) {
  long long n;
  if (!IntegerOrReply(ctx, arg, &n)) return false;
  if (n < -1) return ErrorReply(ctx, errors::kEntriesReadNegative), false;
  *out = n;
  return true;
}

// The reply of a group operation that found no key or no group, in XGROUP's words.
void XgroupError(CommandContext& ctx, GroupError e) {
  if (e == GroupError::kNoKey) return ErrorReply(ctx, errors::kXgroupNoKey);
  if (e == GroupError::kGroupExists) return ErrorReply(ctx, errors::kBusyGroup);
  ErrorReply(ctx, errors::NoGroupForKey(ctx.args[3], ctx.args[2]));
}

void ReplyGroupEntries(ReplyBuilder& r, const std::vector<GroupEntry>& entries, bool justid) {
  r.ArrayHeader(entries.size());
  for (const GroupEntry& g : entries) {
    if (justid) {
      r.Bulk(g.entry.id.ToString());
    } else if (g.deleted) {
      r.ArrayHeader(2);
      r.Bulk(g.entry.id.ToString());
      r.NullArray();
    } else {
      ReplyEntry(r, g.entry);
    }
  }
}

void CmdXgroupCreate(CommandContext& ctx) {
  std::optional<StreamId> id;
  if (!GroupIdOrReply(ctx, ctx.args[4], &id)) return;
  bool mkstream = false;
  int64_t entries_read = -1;
  for (size_t i = 5; i < ctx.args.size(); ++i) {
    if (EqualsNoCase(ctx.args[i], "mkstream")) {
      mkstream = true;
    } else if (EqualsNoCase(ctx.args[i], "entriesread") && i + 1 < ctx.args.size()) {
      if (!EntriesReadOrReply(ctx, ctx.args[++i], &entries_read)) return;
    } else {
      return ErrorReply(ctx, errors::UnknownSubcommandOrArity("create", "XGROUP"));
    }
  }
  auto r = StreamGroups::Create(Op(ctx), ctx.args[2], ctx.args[3], id, mkstream, entries_read);
  if (!OkOrReply(ctx, r)) return;
  if (*r != GroupError::kNone) return XgroupError(ctx, *r);
  Notify(ctx, kNotifyStream, "xgroup-create", ctx.args[2]);
  ctx.reply.Ok();
}

void CmdXgroupSetid(CommandContext& ctx) {
  std::optional<StreamId> id;
  if (!GroupIdOrReply(ctx, ctx.args[4], &id)) return;
  int64_t entries_read = -1;
  if (ctx.args.size() == 7 && EqualsNoCase(ctx.args[5], "entriesread")) {
    if (!EntriesReadOrReply(ctx, ctx.args[6], &entries_read)) return;
  } else if (ctx.args.size() != 5) {
    return ErrorReply(ctx, errors::UnknownSubcommandOrArity("setid", "XGROUP"));
  }
  auto r = StreamGroups::SetId(Op(ctx), ctx.args[2], ctx.args[3], id, entries_read);
  if (!OkOrReply(ctx, r)) return;
  if (*r != GroupError::kNone) return XgroupError(ctx, *r);
  Notify(ctx, kNotifyStream, "xgroup-setid", ctx.args[2]);
  ctx.reply.Ok();
}

// XGROUP's subcommands on a key that must exist.
bool StreamExistsOrReply(CommandContext& ctx) {
  auto c = Stream::Load(Op(ctx), ctx.args[2]);
  if (!OkOrReply(ctx, c)) return false;
  if (!c->found) return ErrorReply(ctx, errors::kXgroupNoKey), false;
  return true;
}

void CmdXgroupDestroy(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  auto r = StreamGroups::Destroy(Op(ctx), ctx.args[2], ctx.args[3]);
  if (!OkOrReply(ctx, r)) return;
  if (*r) Notify(ctx, kNotifyStream, "xgroup-destroy", ctx.args[2]);
  ctx.reply.Integer(*r ? 1 : 0);
}

void CmdXgroupCreateconsumer(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  GroupError e;
  auto r = StreamGroups::CreateConsumer(Op(ctx), ctx.args[2], ctx.args[3], ctx.args[4], &e);
  if (!OkOrReply(ctx, r)) return;
  if (e != GroupError::kNone) return XgroupError(ctx, e);
  if (*r) Notify(ctx, kNotifyStream, "xgroup-createconsumer", ctx.args[2]);
  ctx.reply.Integer(*r ? 1 : 0);
}

void CmdXgroupDelconsumer(CommandContext& ctx) {
  if (!StreamExistsOrReply(ctx)) return;
  GroupError e;
  auto r = StreamGroups::DeleteConsumer(Op(ctx), ctx.args[2], ctx.args[3], ctx.args[4], &e);
  if (!OkOrReply(ctx, r)) return;
  if (e != GroupError::kNone) return XgroupError(ctx, e);
  Notify(ctx, kNotifyStream, "xgroup-delconsumer", ctx.args[2]);
  ctx.reply.Integer(static_cast<long long>(*r));
}

void CmdXgroupHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

void CmdXreadgroup(CommandContext& ctx) {
  ReadArgs a;
  if (!ReadArgsOrReply(ctx, true, &a)) return;
  size_t n = a.streams;
  auto keys = ctx.args.subspan(a.first_key, n);
  auto id_args = ctx.args.subspan(a.first_key + n, n);
  std::vector<std::optional<StreamId>> after(n);
  bool only_new = true;
  for (size_t k = 0; k < n; ++k) {
    if (id_args[k] == "$") return ErrorReply(ctx, errors::kXreadgroupDollar);
    if (id_args[k] == ">") continue;
    StreamId id;
    if (!StreamIdOrReply(ctx, id_args[k], 0, &id)) return;
    after[k] = id;
    only_new = false;
  }
  std::vector<size_t> found;
  std::vector<std::vector<GroupEntry>> entries(n);
  for (size_t k = 0; k < n; ++k) {
    GroupError e;
    auto got =
        StreamGroups::Read(Op(ctx), keys[k], a.group, a.consumer, after[k], a.count, a.noack, &e);
    if (!OkOrReply(ctx, got)) return;
    if (e != GroupError::kNone) {
      // A reader that was waiting learns what went away while it waited.
      if (ctx.client.block.active) {
        return ErrorReply(ctx, e == GroupError::kNoKey ? errors::kStreamKeyGone
                                                       : errors::kStreamGroupGone);
      }
      return ErrorReply(
          ctx, errors::NoKeyOrGroup(keys[k], a.group) + " in XREADGROUP with GROUP option");
    }
    // The consumer's history is answered even when empty; new entries only when some came.
    if (got->empty() && !after[k]) continue;
    entries[k] = std::move(*got);
    found.push_back(k);
  }
  if (!found.empty()) {
    return ReplyStreams(ctx, a, found,
                        [&](size_t k) { ReplyGroupEntries(ctx.reply, entries[k], false); });
  }
  if (a.block_ms < 0 || !only_new || ctx.client.tx.executing) return ctx.reply.NullArray();
  WaitOrReplyNil(ctx, std::vector<std::string>(keys.begin(), keys.end()), types::Type::kStream,
                 a.block_ms);
}

void CmdXack(CommandContext& ctx) {
  std::vector<StreamId> ids(ctx.args.size() - 3);
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    if (!StreamIdOrReply(ctx, ctx.args[i], 0, &ids[i - 3])) return;
  }
  auto r = StreamGroups::Ack(Op(ctx), ctx.args[1], ctx.args[2], ids);
  if (!OkOrReply(ctx, r)) return;
  ctx.reply.Integer(static_cast<long long>(*r));
}

void CmdXpending(CommandContext& ctx) {
  std::string_view key = ctx.args[1], group = ctx.args[2];
  GroupError e;
  if (ctx.args.size() == 3) {
    auto s = StreamGroups::PendingSummary(Op(ctx), key, group, &e);
    if (!OkOrReply(ctx, s)) return;
    if (e != GroupError::kNone) return ErrorReply(ctx, errors::NoKeyOrGroup(key, group));
    ReplyBuilder& r = ctx.reply;
    r.ArrayHeader(4);
    r.Integer(static_cast<long long>(s->count));
    if (s->count == 0) {
      r.Null();
      r.Null();
      r.NullArray();
      return;
    }
    r.Bulk(s->first.ToString());
    r.Bulk(s->last.ToString());
    r.ArrayHeader(s->by_consumer.size());
    for (const auto& [name, n] : s->by_consumer) {
      r.ArrayHeader(2);
      r.Bulk(name);
      r.Bulk(std::to_string(n));
    }
    return;
  }
  StreamGroups::PendingQuery q;
  size_t i = 3;
  if (EqualsNoCase(ctx.args[i], "idle") && ctx.args.size() > 4) {
    long long idle;
    if (!IntegerOrReply(ctx, ctx.args[4], &idle)) return;
    q.min_idle_ms = idle;
    i = 5;
  }
  if (ctx.args.size() - i < 3 || ctx.args.size() - i > 4) return ErrorReply(ctx, errors::kSyntax);
  if (!RangeBoundOrReply(ctx, ctx.args[i], true, &q.from) ||
      !RangeBoundOrReply(ctx, ctx.args[i + 1], false, &q.to)) {
    return;
  }
  long long count;
  if (!IntegerOrReply(ctx, ctx.args[i + 2], &count)) return;
  q.count = count < 0 ? 0 : static_cast<uint64_t>(count);
  if (ctx.args.size() - i == 4) q.consumer = std::string(ctx.args[i + 3]);
  auto list = StreamGroups::Pending(Op(ctx), key, group, q, &e);
  if (!OkOrReply(ctx, list)) return;
  if (e != GroupError::kNone) return ErrorReply(ctx, errors::NoKeyOrGroup(key, group));
  ctx.reply.ArrayHeader(list->size());
  for (const types::PendingEntry& p : *list) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(p.id.ToString());
    ctx.reply.Bulk(p.consumer);
    ctx.reply.Integer(std::max<int64_t>(0, ctx.now_ms - p.delivery_ms));
    ctx.reply.Integer(static_cast<long long>(p.deliveries));
  }
}

void CmdXclaim(CommandContext& ctx) {
  StreamGroups::ClaimOptions opt;
  long long min_idle;
  if (!ParseLongLong(ctx.args[4], &min_idle)) return ErrorReply(ctx, errors::kXclaimMinIdle);
  opt.min_idle_ms = std::max<long long>(0, min_idle);
  std::vector<StreamId> ids;
  size_t i = 5;
  for (; i < ctx.args.size(); ++i) {
    StreamId id;
    if (!Stream::ParseId(ctx.args[i], 0, &id)) break;
    ids.push_back(id);
  }
  for (; i < ctx.args.size(); ++i) {
    std::string_view a = ctx.args[i];
    bool more = i + 1 < ctx.args.size();
    long long v;
    if (EqualsNoCase(a, "force")) {
      opt.force = true;
    } else if (EqualsNoCase(a, "justid")) {
      opt.justid = true;
    } else if (EqualsNoCase(a, "idle") && more) {
      if (!ParseLongLong(ctx.args[++i], &v)) return ErrorReply(ctx, errors::kXclaimIdle);
      opt.idle_ms = std::max<long long>(0, v);
    } else if (EqualsNoCase(a, "time") && more) {
      if (!ParseLongLong(ctx.args[++i], &v)) return ErrorReply(ctx, errors::kXclaimTime);
      opt.time_ms = v;
    } else if (EqualsNoCase(a, "retrycount") && more) {
      if (!IntegerOrReply(ctx, ctx.args[++i], &v)) return;
      opt.retry_count = static_cast<uint64_t>(std::max<long long>(0, v));
    } else if (EqualsNoCase(a, "lastid") && more) {
      StreamId id;
      if (!StreamIdOrReply(ctx, ctx.args[++i], 0, &id)) return;
      opt.last_id = id;
    } else {
      return ErrorReply(ctx, errors::XclaimOption(a));
    }
  }
  GroupError e;
  auto r = StreamGroups::Claim(Op(ctx), ctx.args[1], ctx.args[2], ctx.args[3], ids, opt, &e);
  if (!OkOrReply(ctx, r)) return;
  if (e != GroupError::kNone)
    return ErrorReply(ctx, errors::NoKeyOrGroup(ctx.args[1], ctx.args[2]));
  ReplyGroupEntries(ctx.reply, *r, opt.justid);
}

void CmdXautoclaim(CommandContext& ctx) {
  long long min_idle;
  if (!ParseLongLong(ctx.args[4], &min_idle)) return ErrorReply(ctx, errors::kXclaimMinIdle);
  StreamId start;
  if (!StreamIdOrReply(ctx, ctx.args[5], 0, &start)) return;
  long long count = 100;
  bool justid = false;
  for (size_t i = 6; i < ctx.args.size(); ++i) {
    if (EqualsNoCase(ctx.args[i], "count") && i + 1 < ctx.args.size()) {
      if (!ParseLongLong(ctx.args[++i], &count) || count < 1 || count > (1LL << 58)) {
        return ErrorReply(ctx, errors::kXautoclaimCount);
      }
    } else if (EqualsNoCase(ctx.args[i], "justid")) {
      justid = true;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  GroupError e;
  StreamId next;
  std::vector<StreamId> deleted;
  auto r = StreamGroups::AutoClaim(Op(ctx), ctx.args[1], ctx.args[2], ctx.args[3],
                                   std::max<long long>(0, min_idle), start,
                                   static_cast<uint64_t>(count), justid, &next, &deleted, &e);
  if (!OkOrReply(ctx, r)) return;
  if (e != GroupError::kNone)
    return ErrorReply(ctx, errors::NoKeyOrGroup(ctx.args[1], ctx.args[2]));
  ctx.reply.ArrayHeader(3);
  ctx.reply.Bulk(next.ToString());
  ReplyGroupEntries(ctx.reply, *r, justid);
  ctx.reply.ArrayHeader(deleted.size());
  for (StreamId id : deleted) ctx.reply.Bulk(id.ToString());
}

void CmdXinfoGroups(CommandContext& ctx) {
  auto c = Stream::Load(Op(ctx), ctx.args[2]);
  if (!OkOrReply(ctx, c)) return;
  if (!c->found) return ErrorReply(ctx, errors::kNoSuchKey);
  auto groups = StreamGroups::Groups(Op(ctx), *c);
  if (!OkOrReply(ctx, groups)) return;
  const types::CollectionMeta& m = c->meta;
  ctx.reply.ArrayHeader(groups->size());
  for (const types::StreamGroup& g : *groups) {
    ReplyBuilder& r = ctx.reply;
    r.MapHeader(6);
    r.Bulk("name");
    r.Bulk(g.name);
    r.Bulk("consumers");
    r.Integer(static_cast<long long>(g.consumers));
    r.Bulk("pending");
    r.Integer(static_cast<long long>(g.pending));
    r.Bulk("last-delivered-id");
    r.Bulk(g.last_delivered.ToString());
    r.Bulk("entries-read");
    if (g.entries_read >= 0) {
      r.Integer(g.entries_read);
    } else {
      r.Null();
    }
    r.Bulk("lag");
    if (std::optional<int64_t> lag = StreamGroups::Lag(m, g)) {
      r.Integer(*lag);
    } else {
      r.Null();
    }
  }
}

void CmdXinfoConsumers(CommandContext& ctx) {
  auto c = Stream::Load(Op(ctx), ctx.args[2]);
  if (!OkOrReply(ctx, c)) return;
  if (!c->found) return ErrorReply(ctx, errors::kNoSuchKey);
  GroupError e;
  auto consumers = StreamGroups::Consumers(Op(ctx), ctx.args[2], ctx.args[3], &e);
  if (!OkOrReply(ctx, consumers)) return;
  if (e != GroupError::kNone)
    return ErrorReply(ctx, errors::NoGroupForKey(ctx.args[3], ctx.args[2]));
  ctx.reply.ArrayHeader(consumers->size());
  for (const types::StreamConsumer& cs : *consumers) {
    ctx.reply.MapHeader(3);
    ctx.reply.Bulk("name");
    ctx.reply.Bulk(cs.name);
    ctx.reply.Bulk("pending");
    ctx.reply.Integer(static_cast<long long>(cs.pending));
    ctx.reply.Bulk("idle");
    ctx.reply.Integer(std::max<int64_t>(0, ctx.now_ms - cs.seen_ms));
  }
}

}  // namespace

void ReplyGroupsFull(CommandContext& ctx, const types::Collection& c, std::string_view key,
                     uint64_t count) {
  ReplyBuilder& r = ctx.reply;
  auto groups = StreamGroups::Groups(Op(ctx), c);
  if (!OkOrReply(ctx, groups)) return;
  uint64_t limit = count == 0 ? UINT64_MAX : count;
  r.ArrayHeader(groups->size());
  for (const types::StreamGroup& g : *groups) {
    GroupError e;
    StreamGroups::PendingQuery q;
    q.count = limit;
    auto pending = StreamGroups::Pending(Op(ctx), key, g.name, q, &e);
    auto consumers = StreamGroups::Consumers(Op(ctx), key, g.name, &e);
    if (!OkOrReply(ctx, pending) || !OkOrReply(ctx, consumers)) return;
    r.MapHeader(7);
    r.Bulk("name");
    r.Bulk(g.name);
    r.Bulk("last-delivered-id");
    r.Bulk(g.last_delivered.ToString());
    r.Bulk("entries-read");
    if (g.entries_read >= 0) {
      r.Integer(g.entries_read);
    } else {
      r.Null();
    }
    r.Bulk("lag");
    if (std::optional<int64_t> lag = StreamGroups::Lag(c.meta, g)) {
      r.Integer(*lag);
    } else {
      r.Null();
    }
    r.Bulk("pel-count");
    r.Integer(static_cast<long long>(g.pending));
    r.Bulk("pending");
    r.ArrayHeader(pending->size());
    for (const types::PendingEntry& p : *pending) {
      r.ArrayHeader(4);
      r.Bulk(p.id.ToString());
      r.Bulk(p.consumer);
      r.Integer(p.delivery_ms);
      r.Integer(static_cast<long long>(p.deliveries));
    }
    r.Bulk("consumers");
    r.ArrayHeader(consumers->size());
    for (const types::StreamConsumer& cs : *consumers) {
      StreamGroups::PendingQuery own;
      own.count = limit;
      own.consumer = cs.name;
      auto mine = StreamGroups::Pending(Op(ctx), key, g.name, own, &e);
      if (!OkOrReply(ctx, mine)) return;
      r.MapHeader(4);
      r.Bulk("name");
      r.Bulk(cs.name);
      r.Bulk("seen-time");
      r.Integer(cs.seen_ms);
      r.Bulk("pel-count");
      r.Integer(static_cast<long long>(cs.pending));
      r.Bulk("pending");
      r.ArrayHeader(mine->size());
      for (const types::PendingEntry& p : *mine) {
        r.ArrayHeader(3);
        r.Bulk(p.id.ToString());
        r.Integer(p.delivery_ms);
        r.Integer(static_cast<long long>(p.deliveries));
      }
    }
  }
}

std::vector<CommandSpec> StreamGroupCommands() {
  constexpr auto row = CommandRow;
  auto sub = [](const char* name, CommandHandler h, int arity, uint32_t flags) {
    return CommandSpec{.name = name,
                       .handler = h,
                       .arity = arity,
                       .flags = flags,
                       .first_key = 2,
                       .last_key = 2,
                       .step = 1};
  };
  return {
      {.name = "xgroup",
       .arity = -2,
       .subcommands =
           {
               sub("create", CmdXgroupCreate, -5, kCmdWrite | kCmdDenyOom),
               sub("setid", CmdXgroupSetid, -5, kCmdWrite),
               sub("destroy", CmdXgroupDestroy, 4, kCmdWrite),
               sub("createconsumer", CmdXgroupCreateconsumer, 5, kCmdWrite | kCmdDenyOom),
               sub("delconsumer", CmdXgroupDelconsumer, 5, kCmdWrite),
               {.name = "help",
                .handler = CmdXgroupHelp,
                .arity = 2,
                .flags = kCmdLoading | kCmdStale},
           }},
      {.name = "xreadgroup",
       .handler = CmdXreadgroup,
       .arity = -7,
       .flags = kCmdWrite | kCmdBlocking},
      row("xack", CmdXack, -4, kCmdWrite | kCmdFast),
      row("xpending", CmdXpending, -3, kCmdReadOnly),
      row("xclaim", CmdXclaim, -6, kCmdWrite | kCmdFast),
      row("xautoclaim", CmdXautoclaim, -6, kCmdWrite | kCmdFast),
  };
}

// XINFO's group subcommands join XINFO's row (streams.cc).
std::vector<CommandSpec> StreamGroupInfoSubcommands() {
  auto sub = [](const char* name, CommandHandler h, int arity) {
    return CommandSpec{.name = name,
                       .handler = h,
                       .arity = arity,
                       .flags = kCmdReadOnly,
                       .first_key = 2,
                       .last_key = 2,
                       .step = 1};
  };
  return {sub("groups", CmdXinfoGroups, 3), sub("consumers", CmdXinfoConsumers, 4)};
}

}  // namespace strata
