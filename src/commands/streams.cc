// Streams: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XREAD XSETID XINFO (STREAM HELP; GROUPS and
// CONSUMERS are stream_groups.cc's).
//
// The stream itself — entries as ordered keys, the metadata's IDs — is types/stream.h.
#include "commands/streams.h"

#include "commands/blocking.h"
#include "commands/registry.h"
#include "commands/util.h"
#include "types/stream.h"

namespace strata {
namespace {

using types::Stream;
using types::StreamEntry;
using types::StreamId;
using types::StreamTrim;

}  // namespace

bool StreamIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                     StreamId* id) {
  if (Stream::ParseId(arg, missing_seq, id)) return true;
  ErrorReply(ctx, errors::kStreamInvalidId);
  return false;
}

void ReplyEntry(ReplyBuilder& r, const StreamEntry& e) {
  r.ArrayHeader(2);
  r.Bulk(e.id.ToString());
  r.ArrayHeader(e.fields.size());
  for (const std::string& f : e.fields) r.Bulk(f);
}

bool RangeBoundOrReply(CommandContext& ctx, std::string_view arg, bool start, StreamId* id) {
  if (arg == "-") return *id = StreamId{}, true;
  if (arg == "+") return *id = Stream::kMaxId, true;
  bool exclusive = arg.starts_with("(");
  if (exclusive) arg.remove_prefix(1);
  if (!StreamIdOrReply(ctx, arg, start ? 0 : UINT64_MAX, id)) return false;
  if (!exclusive) return true;
  if (start) {
    if (*id == Stream::kMaxId) return ErrorReply(ctx, errors::kStreamInvalidStart), false;
    *id = id->seq == UINT64_MAX ? StreamId{id->ms + 1, 0} : StreamId{id->ms, id->seq + 1};
  } else {
    if (*id == StreamId{}) return ErrorReply(ctx, errors::kStreamInvalidEnd), false;
    *id = id->seq == 0 ? StreamId{id->ms - 1, UINT64_MAX} : StreamId{id->ms, id->seq - 1};
  }
  return true;
}

namespace {

// XADD's and XTRIM's options from args[*i] on: NOMKSTREAM (XADD only), MAXLEN|MINID [=|~]
// threshold, LIMIT count. Leaves *i at the first argument that is none of them.
bool TrimOptionsOrReply(CommandContext& ctx, bool xadd, size_t* i, StreamTrim* trim,
                        bool* nomkstream) {
  bool approx = false, limit_given = false;
  long long limit = 0;
  const size_t argc = ctx.args.size();
  for (; *i < argc; ++*i) {
    std::string_view a = ctx.args[*i];
    bool more = *i + 1 < argc;
    if (xadd && EqualsNoCase(a, "nomkstream")) {
      *nomkstream = true;
    } else if ((EqualsNoCase(a, "maxlen") || EqualsNoCase(a, "minid")) && more) {
      bool maxlen = EqualsNoCase(a, "maxlen");
      ++*i;
      if ((ctx.args[*i] == "=" || ctx.args[*i] == "~") && *i + 1 < argc) {
        approx = ctx.args[*i] == "~";
        ++*i;
      }
      if (maxlen) {
        long long n;
        if (!IntegerOrReply(ctx, ctx.args[*i], &n)) return false;
        if (n < 0) return ErrorReply(ctx, errors::kStreamMaxlenNegative), false;
        trim->kind = StreamTrim::Kind::kMaxLen;
        trim->maxlen = static_cast<uint64_t>(n);
      } else {
        if (!StreamIdOrReply(ctx, ctx.args[*i], 0, &trim->minid)) return false;
        trim->kind = StreamTrim::Kind::kMinId;
      }
    } else if (EqualsNoCase(a, "limit") && more) {
      if (!IntegerOrReply(ctx, ctx.args[++*i], &limit)) return false;
      if (limit < 0) return ErrorReply(ctx, errors::kStreamLimitNegative), false;
      limit_given = true;
    } else {
      break;
    }
  }
  if (limit_given) {
    if (trim->kind == StreamTrim::Kind::kNone) {
      return ErrorReply(ctx, errors::kStreamLimitWithoutStrategy), false;
    }
    if (!approx) return ErrorReply(ctx, errors::kStreamLimitWithoutTilde), false;
    trim->limit = static_cast<uint64_t>(limit);
  }
  // "~" lets Redis keep more than asked (whole nodes); Strata trims exactly, within LIMIT.
  return true;
}

void ReplyEntries(ReplyBuilder& r, const std::vector<StreamEntry>& entries) {
  r.ArrayHeader(entries.size());
  for (const StreamEntry& e : entries) ReplyEntry(r, e);
}

void CmdXadd(CommandContext& ctx) {
  size_t i = 2;
  StreamTrim trim;
  bool nomkstream = false;
  if (!TrimOptionsOrReply(ctx, true, &i, &trim, &nomkstream)) return;
  size_t fields = ctx.args.size() - i - 1;
  if (i >= ctx.args.size() || fields < 2 || fields % 2 != 0) {
    return ErrorReply(ctx, errors::WrongArity("xadd"));
  }
  types::StreamIdSpec spec;
  std::string_view id = ctx.args[i];
  if (id == "*") {
    spec.kind = types::StreamIdSpec::Kind::kAuto;
  } else if (id.ends_with("-*")) {
    spec.kind = types::StreamIdSpec::Kind::kAutoSeq;
    if (!StreamIdOrReply(ctx, id.substr(0, id.size() - 2), 0, &spec.id)) return;
  } else {
    spec.kind = types::StreamIdSpec::Kind::kExplicit;
    if (!StreamIdOrReply(ctx, id, 0, &spec.id)) return;
  }
  types::StreamAddError error;
  uint64_t trimmed = 0;
  auto added = Stream::Add(Op(ctx), ctx.args[1], spec, ctx.args.subspan(i + 1), !nomkstream, trim,
                           &error, &trimmed);
  if (!OkOrReply(ctx, added)) return;
  switch (error) {
    case types::StreamAddError::kNone:
      break;
    case types::StreamAddError::kIdZero:
      return ErrorReply(ctx, errors::kStreamIdZero);
    case types::StreamAddError::kIdTooSmall:
      return ErrorReply(ctx, errors::kStreamIdTooSmall);
    case types::StreamAddError::kExhausted:
      return ErrorReply(ctx, errors::kStreamExhausted);
    case types::StreamAddError::kSeqExhausted:
      return ErrorReply(ctx, errors::kStreamSeqExhausted);
  }
  if (!added->has_value()) return ctx.reply.Null();  // NOMKSTREAM and no stream
  Notify(ctx, kNotifyStream, "xadd", ctx.args[1]);
  if (trimmed > 0) Notify(ctx, kNotifyStream, "xtrim", ctx.args[1]);
  ctx.reply.Bulk((*added)->ToString());
}

void Range(CommandContext& ctx, bool reverse) {
  StreamId from, to;
  if (!RangeBoundOrReply(ctx, ctx.args[reverse ? 3 : 2], true, &from) ||
      !RangeBoundOrReply(ctx, ctx.args[reverse ? 2 : 3], false, &to)) {
    return;
  }
  uint64_t count = 0;
  if (ctx.args.size() > 4) {
    long long n;
    if (ctx.args.size() != 6 || !EqualsNoCase(ctx.args[4], "count")) {
      return ErrorReply(ctx, errors::kSyntax);
    }
    if (!IntegerOrReply(ctx, ctx.args[5], &n)) return;
    if (n <= 0) {
      // COUNT 0 (or less) asks for nothing: a nil array, as Redis 7.0 answers it.
      auto c = Stream::Load(Op(ctx), ctx.args[1]);
      if (!OkOrReply(ctx, c)) return;
      return c->found ? ctx.reply.NullArray() : ctx.reply.ArrayHeader(0);
    }
    count = static_cast<uint64_t>(n);
  }
  auto entries = Stream::Range(Op(ctx), ctx.args[1], from, to, count, reverse);
  if (!OkOrReply(ctx, entries)) return;
  ReplyEntries(ctx.reply, *entries);
}

void CmdXrange(CommandContext& ctx) { Range(ctx, false); }
void CmdXrevrange(CommandContext& ctx) { Range(ctx, true); }

void CmdXlen(CommandContext& ctx) {
  auto c = Stream::Load(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, c)) return;
  ctx.reply.Integer(static_cast<long long>(c->meta.size));
}

void CmdXdel(CommandContext& ctx) {
  std::vector<StreamId> ids(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    if (!StreamIdOrReply(ctx, ctx.args[i], 0, &ids[i - 2])) return;
  }
  auto deleted = Stream::Delete(Op(ctx), ctx.args[1], ids);
  if (!OkOrReply(ctx, deleted)) return;
  if (*deleted > 0) Notify(ctx, kNotifyStream, "xdel", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*deleted));
}

void CmdXtrim(CommandContext& ctx) {
  size_t i = 2;
  StreamTrim trim;
  bool unused;
  if (!TrimOptionsOrReply(ctx, false, &i, &trim, &unused)) return;
  if (i != ctx.args.size() || trim.kind == StreamTrim::Kind::kNone) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  auto removed = Stream::Trim(Op(ctx), ctx.args[1], trim);
  if (!OkOrReply(ctx, removed)) return;
  if (*removed > 0) Notify(ctx, kNotifyStream, "xtrim", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(*removed));
}

void CmdXread(CommandContext& ctx) {
  ReadArgs a;
  if (!ReadArgsOrReply(ctx, false, &a)) return;
  size_t n = a.streams;
  auto keys = ctx.args.subspan(a.first_key, n);
  auto id_args = ctx.args.subspan(a.first_key + n, n);
  std::vector<StreamId> after(n);
  for (size_t k = 0; k < n; ++k) {
    if (id_args[k] == "$") {
      auto c = Stream::Load(Op(ctx), keys[k]);
      if (!OkOrReply(ctx, c)) return;
      after[k] = c->meta.last_id;
    } else if (id_args[k] == ">") {
      return ErrorReply(ctx, errors::kXreadGreater);
    } else if (!StreamIdOrReply(ctx, id_args[k], 0, &after[k])) {
      return;
    }
  }
  std::vector<size_t> found;
  std::vector<std::vector<StreamEntry>> entries(n);
  for (size_t k = 0; k < n; ++k) {
    if (after[k] == Stream::kMaxId) continue;
    StreamId from = after[k].seq == UINT64_MAX ? StreamId{after[k].ms + 1, 0}
                                               : StreamId{after[k].ms, after[k].seq + 1};
    auto got = Stream::Range(Op(ctx), keys[k], from, Stream::kMaxId, a.count, false);
    if (!OkOrReply(ctx, got)) return;
    if (got->empty()) continue;
    entries[k] = std::move(*got);
    found.push_back(k);
  }
  if (!found.empty()) {
    return ReplyStreams(ctx, a, found, [&](size_t k) { ReplyEntries(ctx.reply, entries[k]); });
  }
  if (a.block_ms < 0 || ctx.client.tx.executing) return ctx.reply.NullArray();
  bool first_wait = !ctx.client.block.active;
  WaitOrReplyNil(ctx, std::vector<std::string>(keys.begin(), keys.end()), types::Type::kStream,
                 a.block_ms);
  if (first_wait && ctx.client.block.active) {
    // Run again as XREAD ... <the IDs now>: "$" means the last ID when the wait began.
    std::vector<std::string>& args = ctx.client.block.args;
    for (size_t k = 0; k < n; ++k) args[a.first_key + n + k] = after[k].ToString();
  }
}

void CmdXsetid(CommandContext& ctx) {
  StreamId last;
  if (!StreamIdOrReply(ctx, ctx.args[2], 0, &last)) return;
  std::optional<uint64_t> entries_added;
  std::optional<StreamId> max_deleted;
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    std::string_view a = ctx.args[i];
    if (EqualsNoCase(a, "entriesadded") && i + 1 < ctx.args.size()) {
      long long n;
      if (!IntegerOrReply(ctx, ctx.args[++i], &n)) return;
      if (n < 0) return ErrorReply(ctx, errors::kXsetidEntriesAddedNegative);
      entries_added = static_cast<uint64_t>(n);
    } else if (EqualsNoCase(a, "maxdeletedid") && i + 1 < ctx.args.size()) {
      StreamId id;
      if (!StreamIdOrReply(ctx, ctx.args[++i], 0, &id)) return;
      max_deleted = id;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  auto c = Stream::Load(Op(ctx), ctx.args[1]);
  if (!OkOrReply(ctx, c)) return;
  if (!c->found) return ErrorReply(ctx, errors::kNoSuchKey);
  if (!OkOrReply(ctx, Stream::SetId(Op(ctx), &*c, ctx.args[1], last, entries_added, max_deleted))) {
    return;
  }
  Notify(ctx, kNotifyStream, "xsetid", ctx.args[1]);
  ctx.reply.Ok();
}

void CmdXinfoStream(CommandContext& ctx) {
  bool full = false;
  long long count = 10;
  if (ctx.args.size() > 3) {
    if (!EqualsNoCase(ctx.args[3], "full")) {
      return ErrorReply(ctx, errors::UnknownSubcommandOrArity("stream", "XINFO"));
    }
    full = true;
    if (ctx.args.size() == 6 && EqualsNoCase(ctx.args[4], "count")) {
      if (!IntegerOrReply(ctx, ctx.args[5], &count)) return;
      if (count < 0) count = 0;
    } else if (ctx.args.size() != 4) {
      return ErrorReply(ctx, errors::UnknownSubcommandOrArity("stream", "XINFO"));
    }
  }
  auto c = Stream::Load(Op(ctx), ctx.args[2]);
  if (!OkOrReply(ctx, c)) return;
  if (!c->found) return ErrorReply(ctx, errors::kNoSuchKey);
  const types::CollectionMeta& m = c->meta;
  ReplyBuilder& r = ctx.reply;
  r.MapHeader(full ? 9 : 10);
  r.Bulk("length");
  r.Integer(static_cast<long long>(m.size));
  // Redis's radix tree holds nodes of up to 100 entries; these figures say what it would.
  uint64_t nodes = (m.size + 99) / 100;
  r.Bulk("radix-tree-keys");
  r.Integer(static_cast<long long>(nodes));
  r.Bulk("radix-tree-nodes");
  r.Integer(static_cast<long long>(nodes + 1));
  r.Bulk("last-generated-id");
  r.Bulk(m.last_id.ToString());
  r.Bulk("max-deleted-entry-id");
  r.Bulk(m.max_deleted.ToString());
  r.Bulk("entries-added");
  r.Integer(static_cast<long long>(m.entries_added));
  r.Bulk("recorded-first-entry-id");
  r.Bulk(m.first_id.ToString());
  if (full) {
    auto entries = Stream::Range(Op(ctx), *c, StreamId{}, Stream::kMaxId,
                                 static_cast<uint64_t>(count), false);
    if (!OkOrReply(ctx, entries)) return;
    r.Bulk("entries");
    ReplyEntries(r, *entries);
    r.Bulk("groups");
    ReplyGroupsFull(ctx, *c, ctx.args[2], static_cast<uint64_t>(count));
    return;
  }
  r.Bulk("groups");
  r.Integer(static_cast<long long>(m.groups));
  auto ends = Stream::Ends(Op(ctx), *c);
  if (!OkOrReply(ctx, ends)) return;
  for (size_t e = 0; e < 2; ++e) {
    r.Bulk(e == 0 ? "first-entry" : "last-entry");
    if (ends->empty()) {
      r.Null();
    } else {
      ReplyEntry(r, (*ends)[e]);
    }
  }
}

void CmdXinfoHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

bool ReadArgsOrReply(CommandContext& ctx, bool group, ReadArgs* a) {
  size_t i = 1;
  const size_t argc = ctx.args.size();
  bool grouped = false;
  for (; i < argc; ++i) {
    std::string_view arg = ctx.args[i];
    if (EqualsNoCase(arg, "count") && i + 1 < argc) {
      long long count;
      if (!IntegerOrReply(ctx, ctx.args[++i], &count)) return false;
      a->count = count < 0 ? 0 : static_cast<uint64_t>(count);
    } else if (EqualsNoCase(arg, "block") && i + 1 < argc) {
      long long ms;
      if (!ParseLongLong(ctx.args[++i], &ms))
        return ErrorReply(ctx, errors::kTimeoutNotInteger), false;
      if (ms < 0) return ErrorReply(ctx, errors::kTimeoutNegative), false;
      if (ctx.client.script) return ErrorReply(ctx, errors::BlockFromScript(ctx.args[0])), false;
      a->block_ms = ms;
    } else if (group && EqualsNoCase(arg, "group") && i + 2 < argc) {
      a->group = ctx.args[i + 1];
      a->consumer = ctx.args[i + 2];
      grouped = true;
      i += 2;
    } else if (group && EqualsNoCase(arg, "noack")) {
      a->noack = true;
    } else if (EqualsNoCase(arg, "streams")) {
      break;
    } else {
      return ErrorReply(ctx, errors::kSyntax), false;
    }
  }
  size_t rest = i < argc ? argc - i - 1 : 0;
  if (rest == 0) return ErrorReply(ctx, errors::kSyntax), false;
  if (rest % 2 != 0) return ErrorReply(ctx, errors::kXreadUnbalanced), false;
  if (group && !grouped) return ErrorReply(ctx, errors::kXreadgroupMissingGroup), false;
  a->first_key = i + 1;
  a->streams = rest / 2;
  return true;
}

void ReplyStreams(CommandContext& ctx, const ReadArgs& a, std::span<const size_t> keys,
                  const std::function<void(size_t)>& entries) {
  ReplyBuilder& r = ctx.reply;
  if (r.resp() == 3) {
    r.MapHeader(keys.size());
  } else {
    r.ArrayHeader(keys.size());
  }
  for (size_t k : keys) {
    if (r.resp() != 3) r.ArrayHeader(2);
    r.Bulk(ctx.args[a.first_key + k]);
    entries(k);
  }
}

std::vector<CommandSpec> StreamCommands() {
  constexpr auto row = CommandRow;
  CommandSpec xinfo{
      .name = "xinfo",
      .arity = -2,
      .subcommands = {
          {.name = "help", .handler = CmdXinfoHelp, .arity = 2, .flags = kCmdLoading | kCmdStale},
          {.name = "stream",
           .handler = CmdXinfoStream,
           .arity = -3,
           .flags = kCmdReadOnly,
           .first_key = 2,
           .last_key = 2,
           .step = 1},
      }};
  for (CommandSpec& sub : StreamGroupInfoSubcommands()) xinfo.subcommands.push_back(std::move(sub));
  return {
      row("xadd", CmdXadd, -5, kCmdWrite | kCmdDenyOom | kCmdFast),
      row("xrange", CmdXrange, -4, kCmdReadOnly),
      row("xrevrange", CmdXrevrange, -4, kCmdReadOnly),
      row("xlen", CmdXlen, 2, kCmdReadOnly | kCmdFast),
      row("xdel", CmdXdel, -3, kCmdWrite | kCmdFast),
      row("xtrim", CmdXtrim, -4, kCmdWrite),
      {.name = "xread", .handler = CmdXread, .arity = -4, .flags = kCmdReadOnly | kCmdBlocking},
      row("xsetid", CmdXsetid, -3, kCmdWrite | kCmdDenyOom | kCmdFast),
      std::move(xinfo),
  };
}

}  // namespace strata
