#include "types/hash.h"

#include <climits>
#include <cmath>

#include "util/text.h"

namespace strata::types {
namespace {

Result<Collection> Load(const OpArgs& op, std::string_view key) {
  return LoadCollection(op, key, Type::kHash);
}

// Stores one field's value, counting it when it is new. replaces: the old value's size
// (Keyspace::PutElement).
Status Store(const OpArgs& op, std::string_view key, Collection* h, std::string_view field,
             std::string_view value, int64_t replaces) {
  EnsureVersion(op.ks, h);
  op.ks.PutElement(ElementKey(op.ks, *h, field), value, replaces);
  if (replaces == kNewElement) h->meta.size++;
  return SaveCollection(op.ks, key, Type::kHash, *h);
}

// What storing over a field read as `old` replaces (Keyspace::PutElement).
int64_t Replaced(const std::optional<std::string>& old) {
  return old ? static_cast<int64_t>(old->size()) : kNewElement;
}

}  // namespace

Result<uint64_t> Hash::Set(const OpArgs& op, std::string_view key,
                           std::span<const std::string_view> pairs, bool only_new) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  EnsureVersion(op.ks, &*h);
  uint64_t added = 0;
  bool written = false;
  std::string old;
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    std::string element = ElementKey(op.ks, *h, pairs[i]);
    auto r = op.ks.GetElement(element, &old);
    if (!r.ok()) return r.status();
    if (*r && only_new) continue;
    if (!*r) ++added;
    op.ks.PutElement(element, pairs[i + 1], *r ? static_cast<int64_t>(old.size()) : kNewElement);
    written = true;
  }
  if (!written) return added;
  h->meta.size += added;
  Status s = SaveCollection(op.ks, key, Type::kHash, *h);
  if (!s.ok()) return s;
  return added;
}

Result<std::optional<std::string>> Hash::Get(const OpArgs& op, std::string_view key,
                                             std::string_view field) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  return ReadElement(op.ks, *h, field);
}

Result<std::vector<std::optional<std::string>>> Hash::MGet(
    const OpArgs& op, std::string_view key, std::span<const std::string_view> fields) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  std::vector<std::optional<std::string>> values;
  values.reserve(fields.size());
  for (auto field : fields) {
    auto v = ReadElement(op.ks, *h, field);
    if (!v.ok()) return v.status();
    values.push_back(std::move(*v));
  }
  return values;
}

Result<uint64_t> Hash::Delete(const OpArgs& op, std::string_view key,
                              std::span<const std::string_view> fields) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  uint64_t deleted = 0;
  std::string value;
  for (size_t i = 0; i < fields.size() && h->meta.version != 0; ++i) {
    std::string element = ElementKey(op.ks, *h, fields[i]);
    auto r = op.ks.GetElement(element, &value);
    if (!r.ok()) return r.status();
    if (!*r) continue;
    op.ks.DeleteElement(element, static_cast<int64_t>(value.size()));
    ++deleted;
  }
  if (deleted == 0) return deleted;
  h->meta.size -= deleted;
  Status s = SaveCollection(op.ks, key, Type::kHash, *h);
  if (!s.ok()) return s;
  return deleted;
}

Result<uint64_t> Hash::Len(const OpArgs& op, std::string_view key) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  return h->meta.size;
}

Result<std::vector<std::string>> Hash::GetAll(const OpArgs& op, std::string_view key,
                                              bool fields, bool values) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  std::vector<std::string> out;
  out.reserve(h->meta.size * ((fields ? 1 : 0) + (values ? 1 : 0)));
  Status s = ForEachElement(op.ks, *h, kSubkeyTag, [&](std::string_view f, std::string_view v) {
    if (fields) out.emplace_back(f);
    if (values) out.emplace_back(v);
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> Hash::IncrBy(const OpArgs& op, std::string_view key, std::string_view field,
                             int64_t delta) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  auto old = ReadElement(op.ks, *h, field);
  if (!old.ok()) return old.status();
  long long value = 0;
  if (*old && !ParseLongLong(**old, &value)) return Rejected(TypeError::kHashNotInteger);
  if ((delta < 0 && value < 0 && delta < LLONG_MIN - value) ||
      (delta > 0 && value > 0 && delta > LLONG_MAX - value)) {
    return Rejected(TypeError::kOverflow);
  }
  value += delta;
  Status s = Store(op, key, &*h, field, std::to_string(value), Replaced(*old));
  if (!s.ok()) return s;
  return static_cast<int64_t>(value);
}

Result<std::string> Hash::IncrByFloat(const OpArgs& op, std::string_view key,
                                      std::string_view field, long double delta) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  auto old = ReadElement(op.ks, *h, field);
  if (!old.ok()) return old.status();
  long double value = 0;
  if (*old && !ParseLongDouble(**old, &value)) return Rejected(TypeError::kHashNotFloat);
  value += delta;
  if (std::isnan(value) || std::isinf(value)) return Rejected(TypeError::kNanOrInfinity);
  std::string text = FormatLongDouble(value);
  Status s = Store(op, key, &*h, field, text, Replaced(*old));
  if (!s.ok()) return s;
  return text;
}

Result<std::vector<Element>> Hash::RandomFields(const OpArgs& op, std::string_view key,
                                                uint64_t count, bool allow_repeats) {
  auto h = Load(op, key);
  if (!h.ok()) return h.status();
  return RandomElements(op.ks, *h, count, allow_repeats);
}

}  // namespace strata::types
