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

}  // namespace strata::types
