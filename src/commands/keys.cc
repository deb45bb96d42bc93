// Keyspace commands: DEL UNLINK EXISTS TYPE RENAME RENAMENX COPY MOVE TOUCH RANDOMKEY KEYS
// SCAN SWAPDB OBJECT DUMP RESTORE.
#include <charconv>
#include <random>
#include <unordered_set>

#include "commands/registry.h"
#include "commands/util.h"
#include "commands/scan.h"
#include "commands/util.h"
#include "util/glob.h"
#include "server/log.h"
#include "types/rdb.h"

namespace strata {
namespace {

using types::Meta;
using types::Type;

void CmdDel(CommandContext& ctx) {
  types::Keyspace& ks = ctx.server.keyspace();
  long long deleted = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    Meta meta;
    bool found;
    if (!LookupOrReply(ctx, ctx.args[i], &meta, &found)) return;
    if (!found) continue;  // absent, or expired (left to expiry: it is already gone)
    auto r = ks.DeleteKey(ctx.client.db, ctx.args[i]);
    if (!OkOrReply(ctx, r)) return;
    Notify(ctx, kNotifyGeneric, "del", ctx.args[i]);
    deleted++;
  }
  ctx.reply.Integer(deleted);
}

void CmdExists(CommandContext& ctx) {
  long long count = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {  // repeats count each time, as in Redis
    Meta meta;
    bool found;
    if (!LookupOrReply(ctx, ctx.args[i], &meta, &found)) return;
    count += found ? 1 : 0;
  }
  ctx.reply.Integer(count);
}

void CmdType(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[1], &meta, &found)) return;
  ctx.reply.SimpleString(found ? types::TypeName(meta.type) : "none");
}

// Stages a copy of a value (type, expiry, payload as in meta, elements of a collection)
// under dst_key in dst_db.
bool CopyValueOrReply(CommandContext& ctx, const Meta& meta, int dst_db,
                      std::string_view dst_key) {
  if (types::IsCollection(meta.type)) {
    return OkOrReply(ctx, types::CopyCollection(ctx.server.keyspace(), meta, ctx.client.db,
                                                dst_db, dst_key));
  }
  std::string payload(meta.payload);  // the keyspace's read buffer is reused by Put
  return OkOrReply(ctx, ctx.server.keyspace().PutKey(dst_db, dst_key, meta.type, meta.expire_ms,
                                                     payload, meta.element_bytes));
}

// RENAME: the metadata moves, the elements stay where they are (same namespace, version).
bool MoveMetadataOrReply(CommandContext& ctx, const Meta& meta, std::string_view dst_key) {
  std::string payload(meta.payload);
  return OkOrReply(ctx, ctx.server.keyspace().PutKey(ctx.client.db, dst_key, meta.type,
                                                     meta.expire_ms, payload, meta.element_bytes));
}

void Rename(CommandContext& ctx, bool nx) {
  std::string_view src = ctx.args[1], dst = ctx.args[2];
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, src, &meta, &found)) return;
  if (!found) return ErrorReply(ctx, errors::kNoSuchKey);
  if (src == dst) return nx ? ctx.reply.Integer(0) : ctx.reply.Ok();
  Meta src_meta = meta;
  std::string payload(meta.payload);
  src_meta.payload = payload;
  if (nx) {
    Meta dst_meta;
    bool dst_found;
    if (!LookupOrReply(ctx, dst, &dst_meta, &dst_found)) return;
    if (dst_found) return ctx.reply.Integer(0);
  }
  if (!MoveMetadataOrReply(ctx, src_meta, dst)) return;
  if (!OkOrReply(ctx, ctx.server.keyspace().DeleteKey(ctx.client.db, src,
                                                  /*drop_elements=*/false))) {
    return;
  }
  Notify(ctx, kNotifyGeneric, "rename_from", src);
  Notify(ctx, kNotifyGeneric, "rename_to", dst);
  if (nx) return ctx.reply.Integer(1);
  ctx.reply.Ok();
}

void CmdRename(CommandContext& ctx) { Rename(ctx, false); }
void CmdRenamenx(CommandContext& ctx) { Rename(ctx, true); }

void CmdCopy(CommandContext& ctx) {
  int dst_db = ctx.client.db;
  bool replace = false;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    if (EqualsNoCase(ctx.args[j], "REPLACE")) {
      replace = true;
    } else if (EqualsNoCase(ctx.args[j], "DB") && j + 1 < ctx.args.size()) {
      if (!DbIndexOrReply(ctx, ctx.args[++j], &dst_db)) return;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  std::string_view src = ctx.args[1], dst = ctx.args[2];
  if (dst_db == ctx.client.db && src == dst) return ErrorReply(ctx, errors::kSameObject);
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, src, &meta, &found)) return;
  if (!found) return ctx.reply.Integer(0);
  std::string payload(meta.payload);
  Meta src_meta = meta;
  src_meta.payload = payload;
  auto dst_found = ctx.server.keyspace().LookupKey(dst_db, dst, ctx.now_ms, &meta);
  if (!OkOrReply(ctx, dst_found)) return;
  if (*dst_found && !replace) return ctx.reply.Integer(0);
  if (!CopyValueOrReply(ctx, src_meta, dst_db, dst)) return;
  ctx.server.keyspace().Notify(kNotifyGeneric, "copy_to", dst_db, dst);
  ctx.reply.Integer(1);
}

void CmdMove(CommandContext& ctx) {
  int dst_db;
  if (!DbIndexOrReply(ctx, ctx.args[2], &dst_db)) return;
  if (dst_db == ctx.client.db) return ErrorReply(ctx, errors::kSameObject);
  std::string_view key = ctx.args[1];
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, key, &meta, &found)) return;
  if (!found) return ctx.reply.Integer(0);
  std::string payload(meta.payload);
  Meta src_meta = meta;
  src_meta.payload = payload;
  auto dst_found = ctx.server.keyspace().LookupKey(dst_db, key, ctx.now_ms, &meta);
  if (!OkOrReply(ctx, dst_found)) return;
  if (*dst_found) return ctx.reply.Integer(0);
  if (!CopyValueOrReply(ctx, src_meta, dst_db, key)) return;
  ctx.server.keyspace().Notify(0, {}, dst_db, key);  // its "new" first, as in Redis
  if (!OkOrReply(ctx, ctx.server.keyspace().DeleteKey(ctx.client.db, key))) return;
  Notify(ctx, kNotifyGeneric, "move_from", key);
  ctx.server.keyspace().Notify(kNotifyGeneric, "move_to", dst_db, key);
  ctx.reply.Integer(1);
}

void CmdTouch(CommandContext& ctx) { CmdExists(ctx); }

void CmdSwapdb(CommandContext& ctx) {
  long long a, b;
  if (!ParseLongLong(ctx.args[1], &a)) return ErrorReply(ctx, errors::kInvalidFirstDb);
  if (!ParseLongLong(ctx.args[2], &b)) return ErrorReply(ctx, errors::kInvalidSecondDb);
  types::Keyspace& ks = ctx.server.keyspace();
  if (a < 0 || a >= ks.databases() || b < 0 || b >= ks.databases()) {
    return ErrorReply(ctx, errors::kDbIndexOutOfRange);
  }
  if (a != b) ks.SwapDb(static_cast<int>(a), static_cast<int>(b));
  ctx.reply.Ok();
}

// ---- Iteration: KEYS, SCAN, RANDOMKEY ------------------------------------------------------

// The literal start of a glob pattern: every matching key begins with it, so the scan can
// seek straight there.
std::string_view LiteralPrefix(std::string_view pattern) {
  size_t n = pattern.find_first_of("*?[\\");
  return pattern.substr(0, n == std::string_view::npos ? pattern.size() : n);
}

// The metadata range of the client's database narrowed to keys starting with prefix.
std::pair<std::string, std::string> KeyRange(CommandContext& ctx, std::string_view prefix) {
  std::string lower = types::MetaPrefix(ctx.server.keyspace().ns(ctx.client.db));
  lower.append(prefix);
  std::string upper = PrefixSuccessor(lower);
  return {std::move(lower), std::move(upper)};
}

// Decodes the metadata under a metadata iterator; metadata that does not decode is corruption,
// reported to the client (and logged), never skipped.
bool DecodeMetaOrReply(CommandContext& ctx, const Iterator& it, Meta* meta) {
  if (types::DecodeMeta(it.value(), meta)) return true;
  std::string what = "undecodable metadata for key '" + std::string(types::UserKey(it.key())) +
                     "' in db " + std::to_string(ctx.client.db);
  Log(LogLevel::kWarning, "{}", what);
  return OkOrReply(ctx, Status::Corruption(what));
}

void CmdKeys(CommandContext& ctx) {
  std::string_view pattern = ctx.args[1];
  auto [lower, upper] = KeyRange(ctx, LiteralPrefix(pattern));
  auto it = ctx.server.keyspace().NewIterator(std::move(lower), std::move(upper));
  std::vector<std::string> keys;
  bool match_all = pattern == "*";
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    Meta meta;
    if (!DecodeMetaOrReply(ctx, *it, &meta)) return;
    if (meta.expired(ctx.now_ms)) continue;
    std::string_view key = types::UserKey(it->key());
    if (match_all || GlobMatch(pattern, key)) keys.emplace_back(key);
  }
  if (!OkOrReply(ctx, it->status())) return;
  ctx.reply.ArrayHeader(keys.size());
  for (const auto& k : keys) ctx.reply.Bulk(k);
}

void CmdScan(CommandContext& ctx) {
  ScanArgs args;
  if (!ScanArgsOrReply(ctx, 1, /*allow_type=*/true, &args)) return;
  auto [lower, upper] = KeyRange(ctx, LiteralPrefix(args.pattern));
  std::string prefix = types::MetaPrefix(ctx.server.keyspace().ns(ctx.client.db));
  auto it = ctx.server.keyspace().NewIterator(lower, upper);
  if (args.after) {
    std::string target = prefix + *args.after;
    it->Seek(target);
    if (it->Valid() && it->key() == target) it->Next();
  } else {
    it->SeekToFirst();
  }
  std::vector<std::string> keys;
  std::string last;
  for (uint64_t examined = 0; it->Valid() && examined < args.count; it->Next(), ++examined) {
    std::string_view key = types::UserKey(it->key());
    last.assign(key);
    Meta meta;
    if (!DecodeMetaOrReply(ctx, *it, &meta)) return;
    if (meta.expired(ctx.now_ms) || !args.Matches(key)) continue;
    if (!args.type.empty() && !EqualsNoCase(args.type, types::TypeName(meta.type))) continue;
    keys.emplace_back(key);
  }
  if (!OkOrReply(ctx, it->status())) return;
  ReplyScanPage(ctx, it->Valid(), last, keys);
}

// Uniform up to types::kUniformPickLimit keys (a random rank, read in order; an expired key
// is drawn again), by random seeks beyond.
void CmdRandomkey(CommandContext& ctx) {
  types::Keyspace& ks = ctx.server.keyspace();
  const uint64_t keys = ks.counts(ctx.client.db).keys;
  if (keys == 0) return ctx.reply.Null();
  auto [lower, upper] = KeyRange(ctx, "");
  auto it = ks.NewIterator(lower, upper);
  if (keys <= types::kUniformPickLimit) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      uint64_t rank = types::RandomRanks(keys, 1, true)[0];
      it->SeekToFirst();
      for (uint64_t i = 0; i < rank && it->Valid(); ++i) it->Next();
      if (!it->Valid()) break;  // fewer keys than counted: expired ones already gone
      Meta meta;
      if (!DecodeMetaOrReply(ctx, *it, &meta)) return;
      if (!meta.expired(ctx.now_ms)) return ctx.reply.Bulk(types::UserKey(it->key()));
    }
    if (!OkOrReply(ctx, it->status())) return;
  }
  it->SeekToFirst();
  if (!it->Valid()) return OkOrReply(ctx, it->status()) ? ctx.reply.Null() : void();
  std::string first(types::UserKey(it->key()));
  it->SeekToLast();
  std::string last(types::UserKey(it->key()));
  for (int attempt = 0; attempt < 100; ++attempt) {
    it->Seek(lower + types::RandomBetween(first, last));
    if (!it->Valid()) it->SeekToFirst();
    if (!it->Valid()) break;
    Meta meta;
    if (!DecodeMetaOrReply(ctx, *it, &meta)) return;
    if (!meta.expired(ctx.now_ms)) {
      return ctx.reply.Bulk(types::UserKey(it->key()));
    }
  }
  if (!OkOrReply(ctx, it->status())) return;
  ctx.reply.Null();  // only expired keys left
}

// ---- OBJECT ------------------------------------------------------------------------------

bool LookupObjectOrReply(CommandContext& ctx, Meta* meta) {
  bool found;
  if (!LookupOrReply(ctx, ctx.args[2], meta, &found)) return false;
  if (!found) ctx.reply.Null();
  return found;
}

void CmdObjectEncoding(CommandContext& ctx) {
  Meta meta;
  if (!LookupObjectOrReply(ctx, &meta)) return;
  auto name = types::EncodingOf(Op(ctx), ctx.args[2], meta, EncodingLimitsOf(ctx));
  if (!OkOrReply(ctx, name)) return;
  ctx.reply.Bulk(*name);
}

void CmdObjectRefcount(CommandContext& ctx) {
  Meta meta;
  if (!LookupObjectOrReply(ctx, &meta)) return;
  long long v;
  // Redis shares the integers 0..9999 (refcount INT_MAX); anything else has one owner.
  bool shared = meta.type == Type::kString && ParseLongLong(meta.payload, &v) && v >= 0 &&
                v < 10000;
  ctx.reply.Integer(shared ? 2147483647 : 1);
}

bool LfuPolicy(CommandContext& ctx) {
  return ctx.server.config().maxmemory_policy.find("lfu") != std::string::npos;
}

// Access times and counters are types/key_access.h's: kept for every key a command used.
void CmdObjectIdletime(CommandContext& ctx) {
  Meta meta;
  if (!LookupObjectOrReply(ctx, &meta)) return;
  if (LfuPolicy(ctx)) return ErrorReply(ctx, errors::kNoLruPolicy);
  const types::Keyspace& ks = ctx.server.keyspace();
  ctx.reply.Integer(ks.access().IdleSeconds(ks.ns(ctx.client.db), ctx.args[2], ctx.now_ms));
}

void CmdObjectFreq(CommandContext& ctx) {
  Meta meta;
  if (!LookupObjectOrReply(ctx, &meta)) return;
  if (!LfuPolicy(ctx)) return ErrorReply(ctx, errors::kNoLfuPolicy);
  const types::Keyspace& ks = ctx.server.keyspace();
  ctx.reply.Integer(ks.access().Frequency(ks.ns(ctx.client.db), ctx.args[2], ctx.now_ms));
}

void CmdObjectHelp(CommandContext& ctx) {
  static constexpr std::string_view kHelp[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kHelp);
}

// ---- DUMP, RESTORE -------------------------------------------------------------------------

void CmdDump(CommandContext& ctx) {
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, ctx.args[1], &meta, &found)) return;
  if (!found) return ctx.reply.Null();
  if (meta.type == Type::kString) return ctx.reply.Bulk(types::DumpString(meta.payload));
  auto value = types::ReadForDump(ctx.server.keyspace(), meta, ctx.client.db);
  if (!OkOrReply(ctx, value)) return;
  ctx.reply.Bulk(types::Dump(*value));
}

void CmdRestore(CommandContext& ctx) {
  bool replace = false, absttl = false;
  bool idle_seen = false, freq_seen = false;
  for (size_t j = 4; j < ctx.args.size(); ++j) {
    std::string_view opt = ctx.args[j];
    bool has_next = j + 1 < ctx.args.size();
    long long v;
    if (EqualsNoCase(opt, "REPLACE")) {
      replace = true;
    } else if (EqualsNoCase(opt, "ABSTTL")) {
      absttl = true;
    } else if (EqualsNoCase(opt, "IDLETIME") && has_next && !freq_seen) {
      if (!IntegerOrReply(ctx, ctx.args[++j], &v)) return;
      if (v < 0) return ErrorReply(ctx, errors::kInvalidIdletime);
      idle_seen = true;
    } else if (EqualsNoCase(opt, "FREQ") && has_next && !idle_seen) {
      if (!IntegerOrReply(ctx, ctx.args[++j], &v)) return;
      if (v < 0 || v > 255) return ErrorReply(ctx, errors::kInvalidFreq);
      freq_seen = true;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  long long ttl;
  if (!IntegerOrReply(ctx, ctx.args[2], &ttl)) return;
  if (ttl < 0) return ErrorReply(ctx, errors::kInvalidTtl);
  std::string_view key = ctx.args[1];
  Meta meta;
  bool found;
  if (!LookupOrReply(ctx, key, &meta, &found)) return;
  if (found && !replace) return ErrorReply(ctx, errors::kBusyKey);
  types::RdbValue value;
  switch (types::ParseDump(ctx.args[3], &value)) {
    case types::RestoreError::kNone: break;
    case types::RestoreError::kVersionOrChecksum: return ErrorReply(ctx, errors::kBadDumpPayload);
    case types::RestoreError::kBadFormat: return ErrorReply(ctx, errors::kBadDataFormat);
  }
  types::Keyspace& ks = ctx.server.keyspace();
  int64_t expire_ms = 0;
  if (ttl > 0) {
    expire_ms = absttl ? ttl : ttl + ctx.now_ms;
    if (expire_ms <= ctx.now_ms) {  // already expired: the key is not created
      if (found && !OkOrReply(ctx, ks.DeleteKey(ctx.client.db, key))) return;
      return ctx.reply.Ok();
    }
  }
  if (value.type != Type::kString) {
    if (!OkOrReply(ctx, types::WriteRestored(ks, ctx.client.db, key, value, expire_ms))) return;
  } else if (!OkOrReply(ctx, ks.PutKey(ctx.client.db, key, Type::kString, expire_ms, value.str))) {
    return;
  }
  Notify(ctx, kNotifyGeneric, "restore", key);
  ctx.reply.Ok();
}

}  // namespace

std::vector<CommandSpec> KeyCommands() {
  constexpr auto row = CommandRow;
  const uint32_t kR = kCmdReadOnly;
  const uint32_t kW = kCmdWrite;
  CommandSpec object{.name = "object", .arity = -2, .group = "generic"};
  object.subcommands = {
      row("encoding", CmdObjectEncoding, 3, kR | kCmdNoTouch, 2, 2, 1),
      row("freq", CmdObjectFreq, 3, kR | kCmdNoTouch, 2, 2, 1),
      row("idletime", CmdObjectIdletime, 3, kR | kCmdNoTouch, 2, 2, 1),
      row("refcount", CmdObjectRefcount, 3, kR | kCmdNoTouch, 2, 2, 1),
      row("help", CmdObjectHelp, 2, kCmdLoading | kCmdStale, 0, 0, 0),
  };
  return {
      row("del", CmdDel, -2, kW, 1, -1, 1),
      row("unlink", CmdDel, -2, kW | kCmdFast, 1, -1, 1),
      row("exists", CmdExists, -2, kR | kCmdFast | kCmdNoTouch, 1, -1, 1),
      row("type", CmdType, 2, kR | kCmdFast | kCmdNoTouch, 1, 1, 1),
      row("rename", CmdRename, 3, kW, 1, 2, 1),
      row("renamenx", CmdRenamenx, 3, kW | kCmdFast, 1, 2, 1),
      row("copy", CmdCopy, -3, kW | kCmdDenyOom, 1, 2, 1),
      row("move", CmdMove, 3, kW | kCmdFast, 1, 1, 1),
      row("touch", CmdTouch, -2, kR | kCmdFast, 1, -1, 1),
      row("randomkey", CmdRandomkey, 1, kR, 0, 0, 0),
      row("keys", CmdKeys, 2, kR, 0, 0, 0),
      row("scan", CmdScan, -2, kR, 0, 0, 0),
      row("swapdb", CmdSwapdb, 3, kW | kCmdFast, 0, 0, 0),
      row("dump", CmdDump, 2, kR, 1, 1, 1),
      row("restore", CmdRestore, -4, kW | kCmdDenyOom, 1, 1, 1),
      std::move(object),
  };
}

}  // namespace strata
