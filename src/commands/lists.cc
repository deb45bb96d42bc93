// List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LREM LTRIM
// LINSERT LPOS LMOVE RPOPLPUSH LMPOP, and the blocking BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP
// (commands/blocking.cc waits; these run the pop once it can succeed).
//
// Items are engine keys indexed by position: [head, tail) in the metadata. Pushes and pops
// are point writes at either end, so a list used as a queue never iterates over the
// tombstones its pops left behind.
#include <climits>

#include "commands/collection_util.h"
#include "commands/lists.h"
#include "commands/registry.h"

namespace strata {
namespace {

using types::Type;

bool LoadListOrReply(CommandContext& ctx, std::string_view key, Collection* l) {
  return LoadCollectionOrReply(ctx, key, Type::kList, l);
}

std::string ItemKey(CommandContext& ctx, const Collection& l, uint64_t index) {
  return ElementKey(ctx, l, types::EncodeListIndex(index));
}

bool ReadItemOrReply(CommandContext& ctx, const Collection& l, uint64_t index,
                     std::string* value) {
  auto r = ctx.server.keyspace().Read(ItemKey(ctx, l, index), value);
  if (!OkOrReply(ctx, r)) return false;
  if (!*r) return OkOrReply(ctx, Status::Corruption("list item missing"));
  return true;
}

void PushItem(CommandContext& ctx, Collection* l, bool left, std::string_view value) {
  EnsureVersion(ctx, l);
  uint64_t index = left ? --l->meta.head : l->meta.tail++;
  ctx.server.keyspace().Write(ItemKey(ctx, *l, index), value);
  l->meta.size++;
}

// Pops up to n items from one end into *out.
bool PopItemsOrReply(CommandContext& ctx, Collection* l, bool left, uint64_t n,
                     std::vector<std::string>* out) {
  for (uint64_t i = 0; i < n && l->meta.size > 0; ++i) {
    uint64_t index = left ? l->meta.head : l->meta.tail - 1;
    std::string value;
    if (!ReadItemOrReply(ctx, *l, index, &value)) return false;
    ctx.server.keyspace().Erase(ItemKey(ctx, *l, index));
    left ? l->meta.head++ : l->meta.tail--;
    l->meta.size--;
    out->push_back(std::move(value));
  }
  return true;
}

void Push(CommandContext& ctx, bool left, bool only_existing) {
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  if (only_existing && !l.found) return ctx.reply.Integer(0);
  for (size_t i = 2; i < ctx.args.size(); ++i) PushItem(ctx, &l, left, ctx.args[i]);
  if (!SaveCollectionOrReply(ctx, ctx.args[1], Type::kList, l)) return;
  ctx.reply.Integer(static_cast<long long>(l.meta.size));
}

void CmdLpush(CommandContext& ctx) { Push(ctx, true, false); }
void CmdRpush(CommandContext& ctx) { Push(ctx, false, false); }
void CmdLpushx(CommandContext& ctx) { Push(ctx, true, true); }
void CmdRpushx(CommandContext& ctx) { Push(ctx, false, true); }

void Pop(CommandContext& ctx, bool left) {
  long long count = -1;
  if (ctx.args.size() > 3) return ErrorReply(ctx, errors::WrongArity(left ? "lpop" : "rpop"));
  if (ctx.args.size() == 3) {
    if (!ParseLongLong(ctx.args[2], &count) || count < 0) {
      return ErrorReply(ctx, errors::kMustBePositive);
    }
  }
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  if (!l.found) return count < 0 ? ctx.reply.Null() : ctx.reply.NullArray();
  std::vector<std::string> items;
  if (!PopItemsOrReply(ctx, &l, left, count < 0 ? 1 : static_cast<uint64_t>(count), &items) ||
      !SaveCollectionOrReply(ctx, ctx.args[1], Type::kList, l)) {
    return;
  }
  if (count < 0) return ctx.reply.Bulk(items[0]);
  ctx.reply.ArrayHeader(items.size());
  for (const auto& v : items) ctx.reply.Bulk(v);
}

void CmdLpop(CommandContext& ctx) { Pop(ctx, true); }
void CmdRpop(CommandContext& ctx) { Pop(ctx, false); }

void CmdLlen(CommandContext& ctx) {
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  ctx.reply.Integer(static_cast<long long>(l.meta.size));
}

// Clamps a Redis [start, stop] range to [0, size); false when it is empty.
bool ClampRange(long long size, long long* start, long long* stop) {
  if (*start < 0) *start += size;
  if (*stop < 0) *stop += size;
  if (*start < 0) *start = 0;
  if (*start > *stop || *start >= size) return false;
  if (*stop >= size) *stop = size - 1;
  return true;
}

// Reads the items at positions [from, to) into *out.
bool ReadItemsOrReply(CommandContext& ctx, const Collection& l, uint64_t from, uint64_t to,
                      std::vector<std::string>* out) {
  if (from >= to) return true;
  return ForEachElementOrReply(
      ctx, l, types::kSubkeyTag,
      [&](std::string_view, std::string_view value) {
        out->emplace_back(value);
        return true;
      },
      false, types::EncodeListIndex(l.meta.head + from), types::EncodeListIndex(l.meta.head + to));
}

void CmdLrange(CommandContext& ctx) {
  long long start, stop;
  if (!IntegerOrReply(ctx, ctx.args[2], &start) || !IntegerOrReply(ctx, ctx.args[3], &stop)) {
    return;
  }
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  std::vector<std::string> items;
  if (ClampRange(static_cast<long long>(l.meta.size), &start, &stop) &&
      !ReadItemsOrReply(ctx, l, start, stop + 1, &items)) {
    return;
  }
  ctx.reply.ArrayHeader(items.size());
  for (const auto& v : items) ctx.reply.Bulk(v);
}

// A Redis index (negative from the end) as a position; false when out of range.
bool Position(const Collection& l, long long index, uint64_t* pos) {
  auto size = static_cast<long long>(l.meta.size);
  if (index < 0) index += size;
  if (index < 0 || index >= size) return false;
  *pos = static_cast<uint64_t>(index);
  return true;
}

void CmdLindex(CommandContext& ctx) {
  Collection l;
  long long index;  // Redis looks the key up first
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  if (!l.found) return ctx.reply.Null();
  if (!IntegerOrReply(ctx, ctx.args[2], &index)) return;
  uint64_t pos;
  if (!Position(l, index, &pos)) return ctx.reply.Null();
  std::string value;
  if (!ReadItemOrReply(ctx, l, l.meta.head + pos, &value)) return;
  ctx.reply.Bulk(value);
}

void CmdLset(CommandContext& ctx) {
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  if (!l.found) return ErrorReply(ctx, errors::kNoSuchKey);
  long long index;
  if (!IntegerOrReply(ctx, ctx.args[2], &index)) return;
  uint64_t pos;
  if (!Position(l, index, &pos)) return ErrorReply(ctx, errors::kIndexOutOfRange);
  ctx.server.keyspace().Write(ItemKey(ctx, l, l.meta.head + pos), ctx.args[3]);
  ctx.reply.Ok();
}

// Rewrites positions [from, size) with items (the list shrinks or grows to fit).
void RewriteTail(CommandContext& ctx, Collection* l, uint64_t from,
                 const std::vector<std::string>& items) {
  uint64_t old_tail = l->meta.tail;
  for (size_t i = 0; i < items.size(); ++i) {
    ctx.server.keyspace().Write(ItemKey(ctx, *l, l->meta.head + from + i), items[i]);
  }
  l->meta.tail = l->meta.head + from + items.size();
  for (uint64_t index = l->meta.tail; index < old_tail; ++index) {
    ctx.server.keyspace().Erase(ItemKey(ctx, *l, index));
  }
  l->meta.size = l->meta.tail - l->meta.head;
}

void CmdLrem(CommandContext& ctx) {
  long long count;
  if (!IntegerOrReply(ctx, ctx.args[2], &count)) return;
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  std::vector<std::string> items;
  if (!ReadItemsOrReply(ctx, l, 0, l.meta.size, &items)) return;
  std::vector<bool> remove(items.size(), false);
  long long removed = 0;
  long long limit = count == 0 ? LLONG_MAX : std::llabs(count);
  for (size_t k = 0; k < items.size() && removed < limit; ++k) {
    size_t i = count < 0 ? items.size() - 1 - k : k;
    if (items[i] == ctx.args[3]) {
      remove[i] = true;
      ++removed;
    }
  }
  if (removed == 0) return ctx.reply.Integer(0);
  size_t first = 0;
  while (!remove[first]) ++first;
  std::vector<std::string> kept;
  for (size_t i = first; i < items.size(); ++i) {
    if (!remove[i]) kept.push_back(std::move(items[i]));
  }
  RewriteTail(ctx, &l, first, kept);
  if (!SaveCollectionOrReply(ctx, ctx.args[1], Type::kList, l)) return;
  ctx.reply.Integer(removed);
}

void CmdLtrim(CommandContext& ctx) {
  long long start, stop;
  if (!IntegerOrReply(ctx, ctx.args[2], &start) || !IntegerOrReply(ctx, ctx.args[3], &stop)) {
    return;
  }
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  if (!l.found) return ctx.reply.Ok();
  uint64_t keep_from = 0, keep_to = 0;  // positions kept: [keep_from, keep_to)
  if (ClampRange(static_cast<long long>(l.meta.size), &start, &stop)) {
    keep_from = static_cast<uint64_t>(start);
    keep_to = static_cast<uint64_t>(stop) + 1;
  }
  for (uint64_t p = 0; p < keep_from; ++p) {
    ctx.server.keyspace().Erase(ItemKey(ctx, l, l.meta.head + p));
  }
  for (uint64_t p = keep_to; p < l.meta.size; ++p) {
    ctx.server.keyspace().Erase(ItemKey(ctx, l, l.meta.head + p));
  }
  uint64_t head = l.meta.head;
  l.meta.head = head + keep_from;
  l.meta.tail = head + std::max(keep_from, keep_to);
  l.meta.size = l.meta.tail - l.meta.head;
  if (!SaveCollectionOrReply(ctx, ctx.args[1], Type::kList, l)) return;
  ctx.reply.Ok();
}

void CmdLinsert(CommandContext& ctx) {
  bool after;
  if (EqualsNoCase(ctx.args[2], "AFTER")) {
    after = true;
  } else if (EqualsNoCase(ctx.args[2], "BEFORE")) {
    after = false;
  } else {
    return ErrorReply(ctx, errors::kSyntax);
  }
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  if (!l.found) return ctx.reply.Integer(0);
  std::vector<std::string> items;
  if (!ReadItemsOrReply(ctx, l, 0, l.meta.size, &items)) return;
  size_t pivot = 0;
  while (pivot < items.size() && items[pivot] != ctx.args[3]) ++pivot;
  if (pivot == items.size()) return ctx.reply.Integer(-1);
  size_t at = pivot + (after ? 1 : 0);  // the new item's position
  if (at < items.size() / 2) {
    // Shift the shorter front part one place towards the head.
    l.meta.head--;
    for (size_t i = 0; i < at; ++i) {
      ctx.server.keyspace().Write(ItemKey(ctx, l, l.meta.head + i), items[i]);
    }
    ctx.server.keyspace().Write(ItemKey(ctx, l, l.meta.head + at), ctx.args[4]);
    l.meta.size++;
  } else {
    std::vector<std::string> rest;
    rest.push_back(std::string(ctx.args[4]));
    for (size_t i = at; i < items.size(); ++i) rest.push_back(std::move(items[i]));
    RewriteTail(ctx, &l, at, rest);
  }
  if (!SaveCollectionOrReply(ctx, ctx.args[1], Type::kList, l)) return;
  ctx.reply.Integer(static_cast<long long>(l.meta.size));
}

void CmdLpos(CommandContext& ctx) {
  long long rank = 1, count = -1, maxlen = 0;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    std::string_view opt = ctx.args[j];
    if (j + 1 >= ctx.args.size()) return ErrorReply(ctx, errors::kSyntax);
    long long v;
    bool is_int = ParseLongLong(ctx.args[++j], &v);
    if (EqualsNoCase(opt, "RANK")) {
      if (!is_int) return ErrorReply(ctx, errors::kNotInteger);
      if (v == 0) return ErrorReply(ctx, errors::kLposRankZero);
      if (v == LLONG_MIN) return ErrorReply(ctx, errors::kLposRankRange);
      rank = v;
    } else if (EqualsNoCase(opt, "COUNT")) {
      if (!is_int || v < 0) return ErrorReply(ctx, errors::kLposCountNegative);
      count = v;
    } else if (EqualsNoCase(opt, "MAXLEN")) {
      if (!is_int || v < 0) return ErrorReply(ctx, errors::kLposMaxlenNegative);
      maxlen = v;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  Collection l;
  if (!LoadListOrReply(ctx, ctx.args[1], &l)) return;
  std::vector<long long> matches;
  long long want = count < 0 ? 1 : (count == 0 ? LLONG_MAX : count);
  long long skip = std::llabs(rank) - 1, scanned = 0;
  auto size = static_cast<long long>(l.meta.size);
  if (!ForEachElementOrReply(
          ctx, l, types::kSubkeyTag,
          [&](std::string_view suffix, std::string_view value) {
            if (maxlen != 0 && scanned >= maxlen) return false;
            ++scanned;
            if (value != ctx.args[2]) return true;
            if (skip > 0) {
              --skip;
              return true;
            }
            matches.push_back(
                static_cast<long long>(types::DecodeListIndex(suffix) - l.meta.head));
            return static_cast<long long>(matches.size()) < want;
          },
          rank < 0)) {
    return;
  }
  (void)size;
  if (count < 0) {
    if (matches.empty()) return ctx.reply.Null();
    return ctx.reply.Integer(matches[0]);
  }
  ctx.reply.ArrayHeader(matches.size());
  for (long long m : matches) ctx.reply.Integer(m);
}

bool ParseSide(std::string_view arg, bool* left) {
  if (EqualsNoCase(arg, "LEFT")) {
    *left = true;
  } else if (EqualsNoCase(arg, "RIGHT")) {
    *left = false;
  } else {
    return false;
  }
  return true;
}

void CmdLmove(CommandContext& ctx) {
  bool from_left, to_left;
  if (!ParseSide(ctx.args[3], &from_left) || !ParseSide(ctx.args[4], &to_left)) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  if (!ListMove(ctx, ctx.args[1], ctx.args[2], from_left, to_left)) ctx.reply.Null();
}

void CmdRpoplpush(CommandContext& ctx) {
  if (!ListMove(ctx, ctx.args[1], ctx.args[2], false, true)) ctx.reply.Null();
}

void CmdLmpop(CommandContext& ctx) {
  if (!ListMultiPop(ctx, 1)) ctx.reply.NullArray();
}

}  // namespace

bool ListMove(CommandContext& ctx, std::string_view src, std::string_view dst, bool from_left,
              bool to_left) {
  Collection from;
  if (!LoadListOrReply(ctx, src, &from)) return true;
  if (!from.found) return false;
  // The destination must be a list (or missing) before anything moves.
  Collection to;
  if (src != dst && !LoadListOrReply(ctx, dst, &to)) return true;
  std::vector<std::string> items;
  if (!PopItemsOrReply(ctx, &from, from_left, 1, &items)) return true;
  if (src == dst) {
    PushItem(ctx, &from, to_left, items[0]);
    if (!SaveCollectionOrReply(ctx, src, Type::kList, from)) return true;
  } else {
    PushItem(ctx, &to, to_left, items[0]);
    if (!SaveCollectionOrReply(ctx, src, Type::kList, from) ||
        !SaveCollectionOrReply(ctx, dst, Type::kList, to)) {
      return true;
    }
  }
  ctx.reply.Bulk(items[0]);
  return true;
}

bool ListMultiPop(CommandContext& ctx, size_t numkeys_at) {
  long long numkeys;
  if (!IntegerOrReply(ctx, ctx.args[numkeys_at], &numkeys)) return true;
  if (numkeys <= 0) {
    ErrorReply(ctx, errors::kNumkeysPositive);
    return true;
  }
  if (numkeys > static_cast<long long>(ctx.args.size() - numkeys_at - 1)) {
    ErrorReply(ctx, errors::kNumkeysTooMany);
    return true;
  }
  size_t side_at = numkeys_at + 1 + static_cast<size_t>(numkeys);
  bool left;
  if (side_at >= ctx.args.size() || !ParseSide(ctx.args[side_at], &left)) {
    ErrorReply(ctx, errors::kSyntax);
    return true;
  }
  long long count = 1;
  size_t j = side_at + 1;
  if (j < ctx.args.size()) {
    if (!EqualsNoCase(ctx.args[j], "COUNT") || j + 2 != ctx.args.size()) {
      ErrorReply(ctx, errors::kSyntax);
      return true;
    }
    if (!ParseLongLong(ctx.args[j + 1], &count) || count <= 0) {
      ErrorReply(ctx, errors::kCountPositive);
      return true;
    }
  }
  for (size_t k = numkeys_at + 1; k < side_at; ++k) {
    Collection l;
    if (!LoadListOrReply(ctx, ctx.args[k], &l)) return true;
    if (!l.found) continue;
    std::vector<std::string> items;
    if (!PopItemsOrReply(ctx, &l, left, static_cast<uint64_t>(count), &items) ||
        !SaveCollectionOrReply(ctx, ctx.args[k], Type::kList, l)) {
      return true;
    }
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.args[k]);
    ctx.reply.ArrayHeader(items.size());
    for (const auto& v : items) ctx.reply.Bulk(v);
    return true;
  }
  return false;
}

bool ListPopFirst(CommandContext& ctx, std::span<const std::string_view> keys, bool left) {
  for (std::string_view key : keys) {
    Collection l;
    if (!LoadListOrReply(ctx, key, &l)) return true;
    if (!l.found) continue;
    std::vector<std::string> items;
    if (!PopItemsOrReply(ctx, &l, left, 1, &items) ||
        !SaveCollectionOrReply(ctx, key, Type::kList, l)) {
      return true;
    }
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(key);
    ctx.reply.Bulk(items[0]);
    return true;
  }
  return false;
}

std::vector<CommandSpec> ListCommands() {
  auto row = [](const char* name, CommandHandler h, int arity, uint32_t flags, int first = 1,
                int last = 1, int step = 1) {
    return CommandSpec{.name = name, .handler = h, .arity = arity, .flags = flags,
                       .first_key = first, .last_key = last, .step = step, .group = "list"};
  };
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  return {
      row("lpush", CmdLpush, -3, kW | kCmdFast),
      row("rpush", CmdRpush, -3, kW | kCmdFast),
      row("lpushx", CmdLpushx, -3, kW | kCmdFast),
      row("rpushx", CmdRpushx, -3, kW | kCmdFast),
      row("lpop", CmdLpop, -2, kCmdWrite | kCmdFast),
      row("rpop", CmdRpop, -2, kCmdWrite | kCmdFast),
      row("llen", CmdLlen, 2, kR | kCmdFast),
      row("lrange", CmdLrange, 4, kR),
      row("lindex", CmdLindex, 3, kR),
      row("lset", CmdLset, 4, kW),
      row("lrem", CmdLrem, 4, kCmdWrite),
      row("ltrim", CmdLtrim, 4, kCmdWrite),
      row("linsert", CmdLinsert, 5, kW),
      row("lpos", CmdLpos, -3, kR),
      row("lmove", CmdLmove, 5, kW, 1, 2, 1),
      row("rpoplpush", CmdRpoplpush, 3, kW, 1, 2, 1),
      row("lmpop", CmdLmpop, -4, kCmdWrite, 0, 0, 0),
  };
}

}  // namespace strata
