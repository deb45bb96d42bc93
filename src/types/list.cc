#include "types/list.h"

#include <algorithm>
#include <climits>

namespace strata::types {
namespace {

Result<Collection> Load(const OpArgs& op, std::string_view key) {
  return LoadCollection(op, key, Type::kList);
}

Status Save(const OpArgs& op, std::string_view key, Collection& l) {
  return SaveCollection(op.ks, key, Type::kList, l);
}

std::string ItemKey(Keyspace& ks, const Collection& l, uint64_t index) {
  return ElementKey(ks, l, EncodeListIndex(index));
}

Result<std::string> ReadItem(Keyspace& ks, const Collection& l, uint64_t index) {
  std::string value;
  auto r = ks.GetElement(ItemKey(ks, l, index), &value);
  if (!r.ok()) return r.status();
  if (!*r) return Status::Corruption("list item missing");
  return value;
}

void PushItem(Keyspace& ks, Collection* l, bool left, std::string_view value) {
  EnsureVersion(ks, l);
  uint64_t index = left ? --l->meta.head : l->meta.tail++;
  ks.PutElement(ItemKey(ks, *l, index), value, kNewElement);
  l->meta.size++;
}

// Pops up to n items from one end into *out. The caller saves.
Status PopItems(Keyspace& ks, Collection* l, bool left, uint64_t n,
                std::vector<std::string>* out) {
  for (uint64_t i = 0; i < n && l->meta.size > 0; ++i) {
    uint64_t index = left ? l->meta.head : l->meta.tail - 1;
    auto value = ReadItem(ks, *l, index);
    if (!value.ok()) return value.status();
    ks.DeleteElement(ItemKey(ks, *l, index), static_cast<int64_t>(value->size()));
    left ? l->meta.head++ : l->meta.tail--;
    l->meta.size--;
    out->push_back(std::move(*value));
  }
  return Status::OK();
}

// Clamps a Redis [start, stop] range to [0, size); false when it is empty.
bool ClampRange(int64_t size, int64_t* start, int64_t* stop) {
  if (*start < 0) *start += size;
  if (*stop < 0) *stop += size;
  if (*start < 0) *start = 0;
  if (*start > *stop || *start >= size) return false;
  if (*stop >= size) *stop = size - 1;
  return true;
}

// A Redis index (negative from the end) as a position; false when out of range.
bool Position(const Collection& l, int64_t index, uint64_t* pos) {
  auto size = static_cast<int64_t>(l.meta.size);
  if (index < 0) index += size;
  if (index < 0 || index >= size) return false;
  *pos = static_cast<uint64_t>(index);
  return true;
}

// The items at positions [from, to).
Result<std::vector<std::string>> ReadItems(Keyspace& ks, const Collection& l, uint64_t from,
                                           uint64_t to) {
  std::vector<std::string> out;
  if (from >= to) return out;
  out.reserve(to - from);
  Status s = ForEachElement(
      ks, l, kSubkeyTag,
      [&](std::string_view, std::string_view value) {
        out.emplace_back(value);
        return true;
      },
      false, EncodeListIndex(l.meta.head + from), EncodeListIndex(l.meta.head + to));
  if (!s.ok()) return s;
  return out;
}

// The sizes of items[from, size), for a rewrite of those positions.
std::vector<int64_t> SizesFrom(const std::vector<std::string>& items, size_t from) {
  std::vector<int64_t> sizes;
  for (size_t i = from; i < items.size(); ++i)
    sizes.push_back(static_cast<int64_t>(items[i].size()));
  return sizes;
}

// Rewrites positions [from, size) with items (the list shrinks or grows to fit); old: the
// sizes of the items there now (SizesFrom).
void RewriteTail(Keyspace& ks, Collection* l, uint64_t from, const std::vector<std::string>& items,
                 const std::vector<int64_t>& old) {
  uint64_t old_tail = l->meta.tail;
  for (size_t i = 0; i < items.size(); ++i) {
    ks.PutElement(ItemKey(ks, *l, l->meta.head + from + i), items[i],
                  i < old.size() ? old[i] : kNewElement);
  }
  l->meta.tail = l->meta.head + from + items.size();
  for (uint64_t index = l->meta.tail; index < old_tail; ++index) {
    ks.DeleteElement(ItemKey(ks, *l, index), old[index - l->meta.head - from]);
  }
  l->meta.size = l->meta.tail - l->meta.head;
}

}  // namespace

Result<uint64_t> List::Push(const OpArgs& op, std::string_view key, bool left,
                            std::span<const std::string_view> values, bool only_existing) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  if (only_existing && !l->found) return uint64_t{0};
  for (auto v : values) PushItem(op.ks, &*l, left, v);
  Status s = Save(op, key, *l);
  if (!s.ok()) return s;
  return l->meta.size;
}

Result<std::optional<std::vector<std::string>>> List::Pop(const OpArgs& op,
                                                          std::string_view key, bool left,
                                                          uint64_t count) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  if (!l->found) return std::optional<std::vector<std::string>>();
  std::vector<std::string> items;
  Status s = PopItems(op.ks, &*l, left, count, &items);
  if (s.ok()) s = Save(op, key, *l);
  if (!s.ok()) return s;
  return std::optional(std::move(items));
}

Result<std::optional<std::string>> List::Move(const OpArgs& op, std::string_view src,
                                              std::string_view dst, bool from_left,
                                              bool to_left) {
  auto from = Load(op, src);
  if (!from.ok()) return from.status();
  if (!from->found) return std::optional<std::string>();
  Result<Collection> to = Collection{};
  if (src != dst) to = Load(op, dst);  // a destination of another type: nothing moves
  if (!to.ok()) return to.status();
  std::vector<std::string> items;
  Status s = PopItems(op.ks, &*from, from_left, 1, &items);
  if (!s.ok()) return s;
  Collection* target = src == dst ? &*from : &*to;
  PushItem(op.ks, target, to_left, items[0]);
  s = Save(op, src, *from);
  if (s.ok() && src != dst) s = Save(op, dst, *to);
  if (!s.ok()) return s;
  return std::optional(std::move(items[0]));
}

Result<uint64_t> List::Len(const OpArgs& op, std::string_view key) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  return l->meta.size;
}

Result<std::vector<std::string>> List::Range(const OpArgs& op, std::string_view key,
                                             int64_t start, int64_t stop) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  if (!ClampRange(static_cast<int64_t>(l->meta.size), &start, &stop)) {
    return std::vector<std::string>();
  }
  return ReadItems(op.ks, *l, static_cast<uint64_t>(start), static_cast<uint64_t>(stop) + 1);
}

Result<std::optional<std::string>> List::Index(const OpArgs& op, std::string_view key,
                                               int64_t index) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  uint64_t pos;
  if (!Position(*l, index, &pos)) return std::optional<std::string>();
  auto value = ReadItem(op.ks, *l, l->meta.head + pos);
  if (!value.ok()) return value.status();
  return std::optional(std::move(*value));
}

Status List::Set(const OpArgs& op, std::string_view key, int64_t index, std::string_view value) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  if (!l->found) return Rejected(TypeError::kNoSuchKey);
  uint64_t pos;
  if (!Position(*l, index, &pos)) return Rejected(TypeError::kIndexOutOfRange);
  op.ks.PutElement(ItemKey(op.ks, *l, l->meta.head + pos), value, kUnknownElement);
  return Save(op, key, *l);
}

Result<uint64_t> List::RemoveValue(const OpArgs& op, std::string_view key, int64_t count,
                                   std::string_view value) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  auto items = ReadItems(op.ks, *l, 0, l->meta.size);
  if (!items.ok()) return items.status();
  std::vector<bool> remove(items->size(), false);
  uint64_t removed = 0;
  uint64_t limit = count == 0   ? UINT64_MAX
                   : count < 0 ? static_cast<uint64_t>(-(count + 1)) + 1
                               : static_cast<uint64_t>(count);
  for (size_t k = 0; k < items->size() && removed < limit; ++k) {
    size_t i = count < 0 ? items->size() - 1 - k : k;
    if ((*items)[i] == value) {
      remove[i] = true;
      ++removed;
    }
  }
  if (removed == 0) return removed;
  size_t first = 0;
  while (!remove[first]) ++first;
  std::vector<int64_t> old = SizesFrom(*items, first);
  std::vector<std::string> kept;
  for (size_t i = first; i < items->size(); ++i) {
    if (!remove[i]) kept.push_back(std::move((*items)[i]));
  }
  RewriteTail(op.ks, &*l, first, kept, old);
  Status s = Save(op, key, *l);
  if (!s.ok()) return s;
  return removed;
}

Status List::Trim(const OpArgs& op, std::string_view key, int64_t start, int64_t stop) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  if (!l->found) return Status::OK();
  uint64_t keep_from = 0, keep_to = 0;  // positions kept: [keep_from, keep_to)
  if (ClampRange(static_cast<int64_t>(l->meta.size), &start, &stop)) {
    keep_from = static_cast<uint64_t>(start);
    keep_to = static_cast<uint64_t>(stop) + 1;
  }
  uint64_t head = l->meta.head;
  // The trimmed items are not read: they count as the list's average item.
  for (uint64_t p = 0; p < keep_from; ++p) {
    op.ks.DeleteElement(ItemKey(op.ks, *l, head + p), kUnknownElement);
  }
  for (uint64_t p = keep_to; p < l->meta.size; ++p) {
    op.ks.DeleteElement(ItemKey(op.ks, *l, head + p), kUnknownElement);
  }
  l->meta.head = head + keep_from;
  l->meta.tail = head + std::max(keep_from, keep_to);
  l->meta.size = l->meta.tail - l->meta.head;
  return Save(op, key, *l);
}

Result<int64_t> List::Insert(const OpArgs& op, std::string_view key, bool after,
                             std::string_view pivot, std::string_view value) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  if (!l->found) return int64_t{0};
  auto items = ReadItems(op.ks, *l, 0, l->meta.size);
  if (!items.ok()) return items.status();
  size_t at = 0;
  while (at < items->size() && (*items)[at] != pivot) ++at;
  if (at == items->size()) return int64_t{-1};
  if (after) ++at;  // the new item's position
  if (at < items->size() / 2) {
    // Shift the shorter front part one place towards the head.
    l->meta.head--;
    // Position head + i now holds what head + i + 1 held (item i - 1); head is new.
    auto was = [&](size_t i) {
      return i == 0 ? kNewElement : static_cast<int64_t>((*items)[i - 1].size());
    };
    for (size_t i = 0; i < at; ++i) {
      op.ks.PutElement(ItemKey(op.ks, *l, l->meta.head + i), (*items)[i], was(i));
    }
    op.ks.PutElement(ItemKey(op.ks, *l, l->meta.head + at), value, was(at));
    l->meta.size++;
  } else {
    std::vector<int64_t> old = SizesFrom(*items, at);
    std::vector<std::string> rest;
    rest.reserve(items->size() - at + 1);
    rest.emplace_back(value);
    for (size_t i = at; i < items->size(); ++i) rest.push_back(std::move((*items)[i]));
    RewriteTail(op.ks, &*l, at, rest, old);
  }
  Status s = Save(op, key, *l);
  if (!s.ok()) return s;
  return static_cast<int64_t>(l->meta.size);
}

Result<std::vector<int64_t>> List::Positions(const OpArgs& op, std::string_view key,
                                             std::string_view value, int64_t rank,
                                             uint64_t want, uint64_t maxlen) {
  auto l = Load(op, key);
  if (!l.ok()) return l.status();
  std::vector<int64_t> matches;
  uint64_t skip = static_cast<uint64_t>(rank < 0 ? -(rank + 1) : rank - 1), scanned = 0;
  Status s = ForEachElement(
      op.ks, *l, kSubkeyTag,
      [&](std::string_view suffix, std::string_view item) {
        if (maxlen != 0 && scanned >= maxlen) return false;
        ++scanned;
        if (item != value) return true;
        if (skip > 0) {
          --skip;
          return true;
        }
        matches.push_back(static_cast<int64_t>(DecodeListIndex(suffix) - l->meta.head));
        return matches.size() < want;
      },
      rank < 0);
  if (!s.ok()) return s;
  return matches;
}

}  // namespace strata::types
