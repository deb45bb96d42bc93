#include "types/object_info.h"

#include "util/text.h"

namespace strata::types {

Result<std::string_view> EncodingOf(const OpArgs& op, std::string_view key, const Meta& meta,
                                    const EncodingLimits& limits) {
  long long n;
  switch (meta.type) {
    case Type::kString:
      if (meta.payload.size() <= 20 && ParseLongLong(meta.payload, &n))
        return std::string_view("int");
      return std::string_view(meta.payload.size() <= 44 ? "embstr" : "raw");
    case Type::kList:
      return std::string_view("quicklist");
    case Type::kStream:
      return std::string_view("stream");
    default:
      break;
  }
  auto c = LoadCollection(op, key, meta.type);
  if (!c.ok()) return c.status();
  const uint64_t size = c->meta.size;
  bool small = true;
  ElementFn check;  // false (stop) at the first element too big for the small encoding
  std::string_view small_name, big_name;
  if (meta.type == Type::kHash) {
    small_name = "listpack", big_name = "hashtable";
    small = size <= static_cast<uint64_t>(limits.hash_entries);
    check = [&](std::string_view field, std::string_view value) {
      auto max = static_cast<size_t>(limits.hash_value);
      return small = field.size() <= max && value.size() <= max;
    };
  } else if (meta.type == Type::kSet) {
    small_name = "intset", big_name = "hashtable";
    small = size <= static_cast<uint64_t>(limits.set_intset_entries);
    check = [&](std::string_view member, std::string_view) {
      return small = member.size() <= 20 && ParseLongLong(member, &n);
    };
  } else {
    small_name = "listpack", big_name = "skiplist";
    small = size <= static_cast<uint64_t>(limits.zset_entries);
    check = [&](std::string_view member, std::string_view) {
      return small = member.size() <= static_cast<size_t>(limits.zset_value);
    };
  }
  if (small) {
    Status s = ForEachElement(op.ks, *c, kSubkeyTag, check);
    if (!s.ok()) return s;
  }
  return small ? small_name : big_name;
}

Result<uint64_t> StoredBytes(const OpArgs& op, std::string_view key, const Meta& meta,
                             uint64_t samples) {
  // The metadata key: tag, namespace, the key; its value: type, expiry, payload.
  uint64_t bytes = 1 + 4 + key.size() + 1 + 8 + meta.payload.size();
  if (!IsCollection(meta.type)) return bytes;
  auto c = LoadCollection(op, key, meta.type);
  if (!c.ok()) return c.status();
  uint64_t seen = 0, sum = 0;
  Status s = ForEachElement(op.ks, *c, kSubkeyTag, [&](std::string_view sub, std::string_view v) {
    sum += kSubkeyPrefixSize + sub.size() + v.size();
    // A sorted set's member also has a score-index key: prefix, score, member.
    if (meta.type == Type::kZSet) sum += kSubkeyPrefixSize + 8 + sub.size();
    return ++seen < samples || samples == 0;
  });
  if (!s.ok()) return s;
  if (seen == 0) return bytes;
  return bytes + static_cast<uint64_t>(static_cast<double>(sum) / seen * c->meta.size);
}

}  // namespace strata::types
