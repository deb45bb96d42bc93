#include "commands/collection_util.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "commands/zsets.h"
#include "util/glob.h"

namespace strata {

bool LoadCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           Collection* c) {
  types::Meta meta;
  if (!LookupTypedOrReply(ctx, key, type, &meta, &c->found)) return false;
  c->meta = types::CollectionMeta();
  c->expire_ms = 0;
  if (!c->found) return true;
  c->expire_ms = meta.expire_ms;
  if (!types::DecodeCollection(meta.payload, type, &c->meta)) {
    return OkOrReply(ctx, Status::Corruption("undecodable collection metadata"));
  }
  return true;
}

void EnsureVersion(CommandContext& ctx, Collection* c) {
  if (c->meta.version == 0) c->meta.version = ctx.server.keyspace().NewVersion();
}

bool SaveCollectionOrReply(CommandContext& ctx, std::string_view key, types::Type type,
                           const Collection& c, int db) {
  types::Keyspace& ks = ctx.server.keyspace();
  if (db < 0) db = ctx.client.db;
  if (c.meta.size == 0) {
    return OkOrReply(ctx, ks.Delete(db, key, /*drop_elements=*/false));  // none left
  }
  std::string payload;
  types::EncodeCollection(&payload, type, c.meta);
  return OkOrReply(ctx, ks.Put(db, key, type, c.expire_ms, payload));
}

std::string ElementKey(CommandContext& ctx, const Collection& c, std::string_view rest, char tag,
                       int db) {
  std::string out;
  types::EncodeElementKey(&out, tag, ctx.server.keyspace().ns(db < 0 ? ctx.client.db : db),
                          c.meta.version, rest);
  return out;
}

bool ForEachElementOrReply(CommandContext& ctx, const Collection& c, char tag,
                           const std::function<bool(std::string_view, std::string_view)>& fn,
                           bool reverse, std::string_view from, std::string_view to) {
  if (c.meta.version == 0) return true;  // nothing written yet
  std::string prefix = ElementKey(ctx, c, {}, tag);
  std::string lower = prefix + std::string(from);
  std::string upper = to.empty() ? PrefixSuccessor(prefix) : prefix + std::string(to);
  auto it = ctx.server.keyspace().NewIterator(lower, upper);
  if (reverse) {
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      if (!fn(types::ElementSuffix(it->key()), it->value())) break;
    }
  } else {
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (!fn(types::ElementSuffix(it->key()), it->value())) break;
    }
  }
  return OkOrReply(ctx, it->status());
}

std::mt19937_64& Rng() {
  static std::mt19937_64 rng(std::random_device{}());
  return rng;
}

std::string RandomBetween(std::string_view first, std::string_view last) {
  std::string out;
  bool tied_first = true, tied_last = true;
  for (size_t i = 0; i < 16 && (tied_first || tied_last || out.size() < 4); ++i) {
    int lo = tied_first ? (i < first.size() ? static_cast<uint8_t>(first[i]) : 0) : 0;
    int hi = tied_last ? (i < last.size() ? static_cast<uint8_t>(last[i]) : 0) : 255;
    if (hi < lo) hi = lo;
    int b = lo + static_cast<int>(Rng()() % static_cast<uint64_t>(hi - lo + 1));
    out.push_back(static_cast<char>(b));
    tied_first = tied_first && b == lo;
    tied_last = tied_last && b == hi;
    if (tied_last && i >= last.size()) break;
  }
  return out;
}

bool RandomElementsOrReply(CommandContext& ctx, const Collection& c, uint64_t count,
                           bool allow_repeats,
                           const std::function<void(std::string_view, std::string_view)>& fn) {
  if (c.meta.version == 0 || count == 0) return true;
  std::string prefix = ElementKey(ctx, c, {});
  auto it = ctx.server.keyspace().NewIterator(prefix, PrefixSuccessor(prefix));
  if (!allow_repeats && count * 2 > c.meta.size) {
    // Most of the collection: read it all (the reply is that big anyway) and shuffle.
    std::vector<std::pair<std::string, std::string>> all;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      all.emplace_back(types::ElementSuffix(it->key()), it->value());
    }
    if (!OkOrReply(ctx, it->status())) return false;
    std::shuffle(all.begin(), all.end(), Rng());
    for (size_t i = 0; i < all.size() && i < count; ++i) fn(all[i].first, all[i].second);
    return true;
  }
  it->SeekToFirst();
  if (!it->Valid()) return OkOrReply(ctx, it->status());
  std::string first(types::ElementSuffix(it->key()));
  it->SeekToLast();
  std::string last(types::ElementSuffix(it->key()));
  std::set<std::string> picked;
  uint64_t done = 0;
  for (uint64_t attempt = 0; done < count && attempt < count * 16 + 64; ++attempt) {
    it->Seek(prefix + RandomBetween(first, last));
    if (!it->Valid()) it->SeekToFirst();
    if (!it->Valid()) break;
    std::string_view suffix = types::ElementSuffix(it->key());
    if (!allow_repeats && !picked.emplace(suffix).second) continue;
    fn(suffix, it->value());
    ++done;
  }
  // Skewed keys can make random seeks keep hitting the same few: fill up in order.
  for (it->SeekToFirst(); done < count && it->Valid(); it->Next()) {
    std::string_view suffix = types::ElementSuffix(it->key());
    if (!allow_repeats && !picked.emplace(suffix).second) continue;
    fn(suffix, it->value());
    ++done;
  }
  return OkOrReply(ctx, it->status());
}

void ScanCollection(CommandContext& ctx, types::Type type, char tag,
                    const std::function<size_t(std::string_view, std::string_view,
                                               std::vector<std::string>*)>& emit) {
  uint64_t cursor;
  std::string_view arg = ctx.args[2];
  auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), cursor);
  if (ec != std::errc() || p != arg.data() + arg.size()) {
    return ErrorReply(ctx, errors::kInvalidCursor);
  }
  std::string_view pattern;
  long long count = 10;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    bool has_next = j + 1 < ctx.args.size();
    if (EqualsNoCase(ctx.args[j], "COUNT") && has_next) {
      if (!IntegerOrReply(ctx, ctx.args[++j], &count)) return;
      if (count < 1) return ErrorReply(ctx, errors::kSyntax);
    } else if (EqualsNoCase(ctx.args[j], "MATCH") && has_next) {
      pattern = ctx.args[++j];
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  Collection c;
  if (!LoadCollectionOrReply(ctx, ctx.args[1], type, &c)) return;
  std::vector<std::string> items;
  uint64_t next = 0;
  if (c.found) {
    std::string resume;
    std::string prefix = ElementKey(ctx, c, {}, tag);
    auto it = ctx.server.keyspace().NewIterator(prefix, PrefixSuccessor(prefix));
    if (ctx.server.cursors().Find(cursor, &resume)) {
      it->Seek(prefix + resume);
      if (it->Valid() && types::ElementSuffix(it->key()) == resume) it->Next();
    } else {
      it->SeekToFirst();
    }
    std::string last;
    for (long long examined = 0; it->Valid() && examined < count; it->Next(), ++examined) {
      std::string_view suffix = types::ElementSuffix(it->key());
      last.assign(suffix);
      std::vector<std::string> out;
      emit(suffix, it->value(), &out);
      if (!pattern.empty() && pattern != "*" && !GlobMatch(pattern, out.front())) continue;
      for (auto& s : out) items.push_back(std::move(s));
    }
    if (!OkOrReply(ctx, it->status())) return;
    if (it->Valid()) next = ctx.server.cursors().Save(last);
  }
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(next));
  ctx.reply.ArrayHeader(items.size());
  for (const auto& s : items) ctx.reply.Bulk(s);
}

bool CopyCollectionOrReply(CommandContext& ctx, const types::Meta& meta, int dst_db,
                           std::string_view dst_key) {
  Collection src;
  src.found = true;
  src.expire_ms = meta.expire_ms;
  if (!types::DecodeCollection(meta.payload, meta.type, &src.meta)) {
    return OkOrReply(ctx, Status::Corruption("undecodable collection metadata"));
  }
  Collection dst = src;
  dst.meta.version = ctx.server.keyspace().NewVersion();
  for (char tag : {types::kSubkeyTag, types::kScoreTag}) {
    if (tag == types::kScoreTag && meta.type != types::Type::kZSet) break;
    std::vector<std::pair<std::string, std::string>> elements;
    if (!ForEachElementOrReply(ctx, src, tag, [&](std::string_view suffix, std::string_view v) {
          elements.emplace_back(suffix, v);
          return true;
        })) {
      return false;
    }
    for (const auto& [suffix, v] : elements) {
      ctx.server.keyspace().Write(ElementKey(ctx, dst, suffix, tag, dst_db), v);
    }
  }
  return SaveCollectionOrReply(ctx, dst_key, meta.type, dst, dst_db);
}

bool ReadForDumpOrReply(CommandContext& ctx, const types::Meta& meta, types::RdbValue* out) {
  Collection c;
  c.found = true;
  if (!types::DecodeCollection(meta.payload, meta.type, &c.meta)) {
    return OkOrReply(ctx, Status::Corruption("undecodable collection metadata"));
  }
  out->type = meta.type;
  out->elements.reserve(c.meta.size * (meta.type == types::Type::kHash ? 2 : 1));
  return ForEachElementOrReply(ctx, c, types::kSubkeyTag,
                               [&](std::string_view suffix, std::string_view value) {
                                 switch (meta.type) {
                                   case types::Type::kList:
                                     out->elements.emplace_back(value);
                                     break;
                                   case types::Type::kHash:
                                     out->elements.emplace_back(suffix);
                                     out->elements.emplace_back(value);
                                     break;
                                   case types::Type::kZSet:
                                     out->scores.push_back(types::DecodeScore(value));
                                     [[fallthrough]];
                                   default:
                                     out->elements.emplace_back(suffix);
                                 }
                                 return true;
                               });
}

bool WriteRestoredOrReply(CommandContext& ctx, std::string_view key, const types::RdbValue& v,
                          int64_t expire_ms) {
  types::Keyspace& ks = ctx.server.keyspace();
  Collection c;
  c.expire_ms = expire_ms;
  c.meta.version = ks.NewVersion();
  const auto& e = v.elements;
  switch (v.type) {
    case types::Type::kList:
      for (size_t i = 0; i < e.size(); ++i) {
        ks.Write(ElementKey(ctx, c, types::EncodeListIndex(c.meta.head + i)), e[i]);
      }
      c.meta.tail = c.meta.head + e.size();
      c.meta.size = e.size();
      break;
    case types::Type::kHash:
      for (size_t i = 0; i + 1 < e.size(); i += 2) ks.Write(ElementKey(ctx, c, e[i]), e[i + 1]);
      c.meta.size = e.size() / 2;
      break;
    case types::Type::kSet:
      for (const auto& m : e) ks.Write(ElementKey(ctx, c, m), "");
      c.meta.size = e.size();
      break;
    case types::Type::kZSet:
      for (size_t i = 0; i < e.size(); ++i) SetScore(ctx, &c, e[i], v.scores[i], nullptr);
      break;
    case types::Type::kString:
      break;
  }
  return SaveCollectionOrReply(ctx, key, v.type, c);
}

}  // namespace strata
