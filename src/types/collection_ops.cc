#include "types/collection_ops.h"

#include <algorithm>
#include <set>

#include "types/stream_groups.h"
#include "types/zset.h"

namespace strata::types {
namespace {

Status BadMetadata() { return Status::Corruption("undecodable collection metadata"); }

Result<Collection> FromMeta(const Meta& meta, int db) {
  Collection c;
  c.db = db;
  c.found = true;
  c.expire_ms = meta.expire_ms;
  if (!DecodeCollection(meta.payload, meta.type, &c.meta)) return BadMetadata();
  c.element_bytes = meta.element_bytes;
  c.saved_size = c.meta.size;
  return c;
}

}  // namespace

Result<Collection> LoadCollection(const OpArgs& op, std::string_view key, Type type) {
  Meta meta;
  auto found = op.ks.LookupKey(op.db, key, op.now_ms, &meta);
  if (!found.ok()) return found.status();
  if (!*found) {
    Collection c;
    c.db = op.db;
    return c;
  }
  if (meta.type != type) return Rejected(TypeError::kWrongType);
  return FromMeta(meta, op.db);
}

void EnsureVersion(Keyspace& ks, Collection* c) {
  if (c->meta.version == 0) c->meta.version = ks.NewVersion();
}

Status SaveCollection(Keyspace& ks, std::string_view key, Type type, Collection& c) {
  ElementBytesChange change = ks.TakeElementBytes(c.meta.version);
  uint64_t average = c.saved_size == 0 ? 0 : c.element_bytes / c.saved_size;
  auto bytes = static_cast<int64_t>(c.element_bytes) + change.delta -
               static_cast<int64_t>(change.unknown * average);
  c.element_bytes = c.meta.size == 0 ? 0 : static_cast<uint64_t>(std::max<int64_t>(bytes, 0));
  c.saved_size = c.meta.size;
  if (c.meta.size == 0 && !ExistsEmpty(type)) {
    auto deleted = ks.DeleteKey(c.db, key, /*drop_elements=*/false);  // none left
    if (deleted.ok() && *deleted) ks.NoteEmptied(c.db, key);
    return deleted.status();
  }
  std::string payload;
  EncodeCollection(&payload, type, c.meta);
  return ks.PutKey(c.db, key, type, c.expire_ms, payload, c.element_bytes);
}

std::string ElementKey(const Keyspace& ks, const Collection& c, std::string_view rest, char tag) {
  std::string out;
  EncodeElementKey(&out, tag, ks.ns(c.db), c.meta.version, rest);
  return out;
}

Result<std::optional<std::string>> ReadElement(Keyspace& ks, const Collection& c,
                                               std::string_view rest, char tag) {
  if (c.meta.version == 0) return std::optional<std::string>();  // nothing written yet
  if (tag == kSubkeyTag) {
    const auto* dead = ks.DeadRange(c.meta.version);
    if (dead && rest >= dead->first && rest < dead->second) return std::optional<std::string>();
  }
  std::string value;
  auto r = ks.GetElement(ElementKey(ks, c, rest, tag), &value);
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

Status ForEachElement(Keyspace& ks, const Collection& c, char tag, const ElementFn& fn,
                      bool reverse, std::string_view from, std::string_view to) {
  if (c.meta.version == 0) return Status::OK();  // nothing written yet
  std::string prefix = ElementKey(ks, c, {}, tag);
  std::string lower = prefix + std::string(from);
  std::string upper = to.empty() ? PrefixSuccessor(prefix) : prefix + std::string(to);
  auto it = ks.NewIterator(lower, upper);
  // A dead range (Keyspace::DropElementRange) is skipped with one seek: its keys may still
  // be stored, not yet compacted away.
  const auto* dead = tag == kSubkeyTag ? ks.DeadRange(c.meta.version) : nullptr;
  auto in_dead = [&](std::string_view suffix) {
    return dead && suffix >= dead->first && suffix < dead->second;
  };
  if (reverse) {
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      if (in_dead(ElementSuffix(it->key()))) {
        it->SeekForPrev(prefix + dead->first);
        while (it->Valid() && in_dead(ElementSuffix(it->key()))) it->Prev();
        if (!it->Valid()) break;
      }
      if (!fn(ElementSuffix(it->key()), it->value())) break;
    }
  } else {
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (in_dead(ElementSuffix(it->key()))) {
        it->Seek(prefix + dead->second);
        if (!it->Valid()) break;
      }
      if (!fn(ElementSuffix(it->key()), it->value())) break;
    }
  }
  return it->status();
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

std::vector<uint64_t> RandomRanks(uint64_t n, uint64_t count, bool allow_repeats) {
  std::vector<uint64_t> ranks;
  ranks.reserve(count);
  if (allow_repeats) {
    std::uniform_int_distribution<uint64_t> pick(0, n - 1);
    for (uint64_t i = 0; i < count; ++i) ranks.push_back(pick(Rng()));
  } else {
    std::set<uint64_t> chosen;
    for (uint64_t j = n - count; j < n; ++j) {
      uint64_t t = std::uniform_int_distribution<uint64_t>(0, j)(Rng());
      chosen.insert(chosen.count(t) ? j : t);
    }
    ranks.assign(chosen.begin(), chosen.end());
  }
  std::sort(ranks.begin(), ranks.end());
  return ranks;
}

Result<std::vector<Element>> RandomElements(Keyspace& ks, const Collection& c, uint64_t count,
                                            bool allow_repeats) {
  std::vector<Element> out;
  if (c.meta.version == 0 || count == 0) return out;
  std::string prefix = ElementKey(ks, c, {});
  auto it = ks.NewIterator(prefix, PrefixSuccessor(prefix));
  if (!allow_repeats && count * 2 > c.meta.size) {
    // Most of the collection: read it all (the reply is that big anyway) and shuffle.
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace_back(ElementSuffix(it->key()), it->value());
    }
    if (!it->status().ok()) return it->status();
    std::shuffle(out.begin(), out.end(), Rng());
    if (out.size() > count) out.resize(count);
    return out;
  }
  if (c.meta.size <= kUniformPickLimit) {
    std::vector<uint64_t> ranks = RandomRanks(
        c.meta.size, allow_repeats ? count : std::min(count, c.meta.size), allow_repeats);
    size_t next = 0;
    it->SeekToFirst();
    for (uint64_t rank = 0; it->Valid() && next < ranks.size(); it->Next(), ++rank) {
      while (next < ranks.size() && ranks[next] == rank) {
        out.emplace_back(ElementSuffix(it->key()), it->value());
        ++next;
      }
    }
    if (!it->status().ok()) return it->status();
    std::shuffle(out.begin(), out.end(), Rng());
    return out;
  }
  it->SeekToFirst();
  if (!it->Valid()) {
    if (!it->status().ok()) return it->status();
    return out;
  }
  std::string first(ElementSuffix(it->key()));
  it->SeekToLast();
  std::string last(ElementSuffix(it->key()));
  std::set<std::string> picked;
  for (uint64_t attempt = 0; out.size() < count && attempt < count * 16 + 64; ++attempt) {
    it->Seek(prefix + RandomBetween(first, last));
    if (!it->Valid()) it->SeekToFirst();
    if (!it->Valid()) break;
    std::string_view suffix = ElementSuffix(it->key());
    if (!allow_repeats && !picked.emplace(suffix).second) continue;
    out.emplace_back(suffix, it->value());
  }
  // Skewed keys can make random seeks keep hitting the same few: fill up in order.
  for (it->SeekToFirst(); out.size() < count && it->Valid(); it->Next()) {
    std::string_view suffix = ElementSuffix(it->key());
    if (!allow_repeats && !picked.emplace(suffix).second) continue;
    out.emplace_back(suffix, it->value());
  }
  if (!it->status().ok()) return it->status();
  return out;
}

Result<ElementPage> ScanElements(const OpArgs& op, std::string_view key, Type type,
                                 const std::optional<std::string>& after, uint64_t count) {
  auto c = LoadCollection(op, key, type);
  if (!c.ok()) return c.status();
  ElementPage page;
  if (!c->found) return page;
  std::string prefix = ElementKey(op.ks, *c, {});
  auto it = op.ks.NewIterator(prefix, PrefixSuccessor(prefix));
  if (after) {
    it->Seek(prefix + *after);
    if (it->Valid() && ElementSuffix(it->key()) == *after) it->Next();
  } else {
    it->SeekToFirst();
  }
  for (; it->Valid() && page.elements.size() < count; it->Next()) {
    page.elements.emplace_back(ElementSuffix(it->key()), it->value());
  }
  if (!it->status().ok()) return it->status();
  page.more = it->Valid();
  return page;
}

Status CopyCollection(Keyspace& ks, const Meta& meta, int src_db, int dst_db,
                      std::string_view dst_key) {
  auto src = FromMeta(meta, src_db);
  if (!src.ok()) return src.status();
  Collection dst = *src;
  dst.db = dst_db;
  dst.meta.version = ks.NewVersion();
  for (char tag : {kSubkeyTag, kScoreTag}) {
    if (tag == kScoreTag && meta.type != Type::kZSet) break;
    std::vector<Element> elements;
    Status s = ForEachElement(ks, *src, tag, [&](std::string_view suffix, std::string_view v) {
      elements.emplace_back(suffix, v);
      return true;
    });
    if (!s.ok()) return s;
    // The same elements: the copy's element bytes are the source's.
    for (const auto& [suffix, v] : elements) {
      ks.PutElement(ElementKey(ks, dst, suffix, tag), v, kUncounted);
    }
  }
  return SaveCollection(ks, dst_key, meta.type, dst);
}

Result<RdbValue> ReadForDump(Keyspace& ks, const Meta& meta, int db) {
  auto c = FromMeta(meta, db);
  if (!c.ok()) return c.status();
  RdbValue out;
  out.type = meta.type;
  if (meta.type == Type::kStream) {
    auto stream = ReadStreamValue(OpArgs{ks, db, 0}, *c);
    if (!stream.ok()) return stream.status();
    out.stream = std::move(*stream);
    return out;
  }
  out.elements.reserve(c->meta.size * (meta.type == Type::kHash ? 2 : 1));
  Status s = ForEachElement(ks, *c, kSubkeyTag, [&](std::string_view suffix, std::string_view v) {
    switch (meta.type) {
      case Type::kList:
        out.elements.emplace_back(v);
        break;
      case Type::kHash:
        out.elements.emplace_back(suffix);
        out.elements.emplace_back(v);
        break;
      case Type::kZSet:
        out.scores.push_back(DecodeScore(v));
        [[fallthrough]];
      default:
        out.elements.emplace_back(suffix);
    }
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

Status WriteRestored(Keyspace& ks, int db, std::string_view key, const RdbValue& v,
                     int64_t expire_ms) {
  if (v.type == Type::kStream) return WriteStreamValue(OpArgs{ks, db, 0}, key, v.stream, expire_ms);
  Collection c;
  c.db = db;
  c.expire_ms = expire_ms;
  c.meta.version = ks.NewVersion();
  const auto& e = v.elements;
  switch (v.type) {
    case Type::kList:
      for (size_t i = 0; i < e.size(); ++i) {
        ks.PutElement(ElementKey(ks, c, EncodeListIndex(c.meta.head + i)), e[i], kNewElement);
      }
      c.meta.tail = c.meta.head + e.size();
      c.meta.size = e.size();
      break;
    case Type::kHash:
      for (size_t i = 0; i + 1 < e.size(); i += 2) {
        ks.PutElement(ElementKey(ks, c, e[i]), e[i + 1], kNewElement);
      }
      c.meta.size = e.size() / 2;
      break;
    case Type::kSet:
      for (const auto& m : e) ks.PutElement(ElementKey(ks, c, m), "", kNewElement);
      c.meta.size = e.size();
      break;
    case Type::kZSet:
      for (size_t i = 0; i < e.size(); ++i) Zset::SetScore(ks, &c, e[i], v.scores[i], nullptr);
      break;
    case Type::kString:  // not a collection: the caller's
    case Type::kStream:  // above
      break;
  }
  return SaveCollection(ks, key, v.type, c);
}

}  // namespace strata::types
