// Hash commands: HSET HSETNX HMSET HGET HMGET HDEL HEXISTS HLEN HSTRLEN HGETALL HKEYS HVALS
// HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN. One engine key per field (types/collection.h).
#include <charconv>
#include <climits>
#include <cmath>

#include "commands/collection_util.h"
#include "commands/registry.h"

namespace strata {
namespace {

using types::Type;

bool LoadHashOrReply(CommandContext& ctx, Collection* h) {
  return LoadCollectionOrReply(ctx, ctx.args[1], Type::kHash, h);
}

// Reads one field; *found says whether it exists.
bool ReadFieldOrReply(CommandContext& ctx, const Collection& h, std::string_view field,
                      std::string* value, bool* found) {
  *found = false;
  if (h.meta.version == 0) return true;  // a new hash: nothing written yet
  auto r = ctx.server.keyspace().Read(ElementKey(ctx, h, field), value);
  if (!OkOrReply(ctx, r)) return false;
  *found = *r;
  return true;
}

// Sets fields from args[first..] (field value pairs); returns how many were new.
bool SetFieldsOrReply(CommandContext& ctx, Collection* h, size_t first, bool only_new,
                      long long* added) {
  EnsureVersion(ctx, h);
  *added = 0;
  for (size_t i = first; i + 1 < ctx.args.size(); i += 2) {
    std::string key = ElementKey(ctx, *h, ctx.args[i]);
    std::string old;
    auto r = ctx.server.keyspace().Read(key, &old);
    if (!OkOrReply(ctx, r)) return false;
    if (*r && only_new) continue;
    if (!*r) ++*added;
    ctx.server.keyspace().Write(key, ctx.args[i + 1]);
  }
  h->meta.size += static_cast<uint64_t>(*added);
  return true;
}

void Hset(CommandContext& ctx, bool hmset) {
  if (ctx.args.size() % 2 != 0) {
    return ErrorReply(ctx, errors::WrongArity(hmset ? "hmset" : "hset"));
  }
  Collection h;
  long long added;
  if (!LoadHashOrReply(ctx, &h) || !SetFieldsOrReply(ctx, &h, 2, false, &added)) return;
  if (!SaveCollectionOrReply(ctx, ctx.args[1], Type::kHash, h)) return;
  if (hmset) return ctx.reply.Ok();
  ctx.reply.Integer(added);
}

void CmdHset(CommandContext& ctx) { Hset(ctx, false); }
void CmdHmset(CommandContext& ctx) { Hset(ctx, true); }

void CmdHsetnx(CommandContext& ctx) {
  Collection h;
  long long added;
  if (!LoadHashOrReply(ctx, &h) || !SetFieldsOrReply(ctx, &h, 2, true, &added)) return;
  if (added > 0 && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kHash, h)) return;
  ctx.reply.Integer(added);
}

void CmdHget(CommandContext& ctx) {
  Collection h;
  std::string value;
  bool found;
  if (!LoadHashOrReply(ctx, &h) || !ReadFieldOrReply(ctx, h, ctx.args[2], &value, &found)) {
    return;
  }
  if (!found) return ctx.reply.Null();
  ctx.reply.Bulk(value);
}

void CmdHmget(CommandContext& ctx) {
  Collection h;
  if (!LoadHashOrReply(ctx, &h)) return;
  std::vector<std::optional<std::string>> values;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    std::string value;
    bool found;
    if (!ReadFieldOrReply(ctx, h, ctx.args[i], &value, &found)) return;
    values.push_back(found ? std::optional<std::string>(std::move(value)) : std::nullopt);
  }
  ctx.reply.ArrayHeader(values.size());
  for (const auto& v : values) v ? ctx.reply.Bulk(*v) : ctx.reply.Null();
}

void CmdHdel(CommandContext& ctx) {
  Collection h;
  if (!LoadHashOrReply(ctx, &h)) return;
  long long deleted = 0;
  for (size_t i = 2; i < ctx.args.size() && h.meta.version != 0; ++i) {
    std::string key = ElementKey(ctx, h, ctx.args[i]);
    std::string value;
    auto r = ctx.server.keyspace().Read(key, &value);
    if (!OkOrReply(ctx, r)) return;
    if (!*r) continue;
    ctx.server.keyspace().Erase(key);
    ++deleted;
  }
  h.meta.size -= static_cast<uint64_t>(deleted);
  if (deleted > 0 && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kHash, h)) return;
  ctx.reply.Integer(deleted);
}

void CmdHexists(CommandContext& ctx) {
  Collection h;
  std::string value;
  bool found;
  if (!LoadHashOrReply(ctx, &h) || !ReadFieldOrReply(ctx, h, ctx.args[2], &value, &found)) {
    return;
  }
  ctx.reply.Integer(found ? 1 : 0);
}

void CmdHlen(CommandContext& ctx) {
  Collection h;
  if (!LoadHashOrReply(ctx, &h)) return;
  ctx.reply.Integer(static_cast<long long>(h.meta.size));
}

void CmdHstrlen(CommandContext& ctx) {
  Collection h;
  std::string value;
  bool found;
  if (!LoadHashOrReply(ctx, &h) || !ReadFieldOrReply(ctx, h, ctx.args[2], &value, &found)) {
    return;
  }
  ctx.reply.Integer(static_cast<long long>(value.size()));
}

// HGETALL, HKEYS, HVALS.
void ReplyAll(CommandContext& ctx, bool fields, bool values) {
  Collection h;
  if (!LoadHashOrReply(ctx, &h)) return;
  std::vector<std::string> out;
  if (!ForEachElementOrReply(ctx, h, types::kSubkeyTag,
                             [&](std::string_view field, std::string_view value) {
                               if (fields) out.emplace_back(field);
                               if (values) out.emplace_back(value);
                               return true;
                             })) {
    return;
  }
  if (fields && values) {
    ctx.reply.MapHeader(out.size() / 2);
  } else {
    ctx.reply.ArrayHeader(out.size());
  }
  for (const auto& s : out) ctx.reply.Bulk(s);
}

void CmdHgetall(CommandContext& ctx) { ReplyAll(ctx, true, true); }
void CmdHkeys(CommandContext& ctx) { ReplyAll(ctx, true, false); }
void CmdHvals(CommandContext& ctx) { ReplyAll(ctx, false, true); }

void CmdHincrby(CommandContext& ctx) {
  long long delta;
  if (!IntegerOrReply(ctx, ctx.args[3], &delta)) return;
  Collection h;
  std::string old;
  bool found;
  if (!LoadHashOrReply(ctx, &h) || !ReadFieldOrReply(ctx, h, ctx.args[2], &old, &found)) return;
  long long value = 0;
  if (found && !ParseLongLong(old, &value)) return ErrorReply(ctx, errors::kHashNotInteger);
  if ((delta < 0 && value < 0 && delta < LLONG_MIN - value) ||
      (delta > 0 && value > 0 && delta > LLONG_MAX - value)) {
    return ErrorReply(ctx, errors::kOverflow);
  }
  value += delta;
  EnsureVersion(ctx, &h);
  ctx.server.keyspace().Write(ElementKey(ctx, h, ctx.args[2]), std::to_string(value));
  if (!found) h.meta.size++;
  if (!found && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kHash, h)) return;
  ctx.reply.Integer(value);
}

void CmdHincrbyfloat(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.args[3], &delta)) return ErrorReply(ctx, errors::kNotFloat);
  if (std::isinf(delta)) return ErrorReply(ctx, errors::kValueNanOrInfinity);
  Collection h;
  std::string old;
  bool found;
  if (!LoadHashOrReply(ctx, &h) || !ReadFieldOrReply(ctx, h, ctx.args[2], &old, &found)) return;
  long double value = 0;
  if (found && !ParseLongDouble(old, &value)) return ErrorReply(ctx, errors::kHashNotFloat);
  value += delta;
  if (std::isnan(value) || std::isinf(value)) return ErrorReply(ctx, errors::kNanOrInfinity);
  std::string text = FormatLongDouble(value);
  EnsureVersion(ctx, &h);
  ctx.server.keyspace().Write(ElementKey(ctx, h, ctx.args[2]), text);
  if (!found) h.meta.size++;
  if (!found && !SaveCollectionOrReply(ctx, ctx.args[1], Type::kHash, h)) return;
  ctx.reply.Bulk(text);
}

void CmdHrandfield(CommandContext& ctx) {
  Collection h;
  if (ctx.args.size() == 2) {
    if (!LoadHashOrReply(ctx, &h)) return;
    if (!h.found) return ctx.reply.Null();
    std::string field;
    if (!RandomElementsOrReply(ctx, h, 1, true,
                               [&](std::string_view f, std::string_view) { field.assign(f); })) {
      return;
    }
    return ctx.reply.Bulk(field);
  }
  long long count;
  if (!IntegerOrReply(ctx, ctx.args[2], &count)) return;
  bool with_values = false;
  if (ctx.args.size() == 4 && EqualsNoCase(ctx.args[3], "WITHVALUES")) {
    with_values = true;
  } else if (ctx.args.size() > 3) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) {
    return ErrorReply(ctx, errors::kValueOutOfRange);
  }
  if (!LoadHashOrReply(ctx, &h)) return;
  std::vector<std::pair<std::string, std::string>> picked;
  uint64_t n = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  if (!RandomElementsOrReply(ctx, h, n, count < 0, [&](std::string_view f, std::string_view v) {
        picked.emplace_back(f, v);
      })) {
    return;
  }
  bool pairs = with_values && ctx.reply.resp() == 3;
  ctx.reply.ArrayHeader(with_values && !pairs ? picked.size() * 2 : picked.size());
  for (const auto& [f, v] : picked) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(f);
    if (with_values) ctx.reply.Bulk(v);
  }
}

void CmdHscan(CommandContext& ctx) {
  ScanCollection(ctx, Type::kHash, types::kSubkeyTag,
                 [](std::string_view field, std::string_view value, std::vector<std::string>* out) {
                   out->emplace_back(field);
                   out->emplace_back(value);
                   return 2;
                 });
}

}  // namespace

std::vector<CommandSpec> HashCommands() {
  auto row = [](const char* name, CommandHandler h, int arity, uint32_t flags) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = flags,
                       .first_key = 1, .last_key = 1, .step = 1, .group = "hash"};
  };
  const uint32_t kW = kCmdWrite | kCmdDenyOom | kCmdFast;
  const uint32_t kR = kCmdReadOnly | kCmdFast;
  return {
      row("hset", CmdHset, -4, kW),
      row("hsetnx", CmdHsetnx, 4, kW),
      row("hmset", CmdHmset, -4, kW),
      row("hget", CmdHget, 3, kR),
      row("hmget", CmdHmget, -3, kR),
      row("hdel", CmdHdel, -3, kCmdWrite | kCmdFast),
      row("hexists", CmdHexists, 3, kR),
      row("hlen", CmdHlen, 2, kR),
      row("hstrlen", CmdHstrlen, 3, kR),
      row("hgetall", CmdHgetall, 2, kCmdReadOnly),
      row("hkeys", CmdHkeys, 2, kCmdReadOnly),
      row("hvals", CmdHvals, 2, kCmdReadOnly),
      row("hincrby", CmdHincrby, 4, kW),
      row("hincrbyfloat", CmdHincrbyfloat, 4, kW),
      row("hrandfield", CmdHrandfield, -2, kCmdReadOnly),
      row("hscan", CmdHscan, -3, kCmdReadOnly),
  };
}

}  // namespace strata
