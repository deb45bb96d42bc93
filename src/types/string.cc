#include "types/string.h"

#include <charconv>
#include <climits>
#include <cmath>

#include "util/text.h"

namespace strata::types {
namespace {

// Looks key up; a key of another type is kWrongType unless any_type.
Result<bool> Lookup(const OpArgs& op, std::string_view key, Meta* meta, bool any_type = false) {
  auto found = op.ks.LookupKey(op.db, key, op.now_ms, meta);
  if (found.ok() && *found && !any_type && meta->type != Type::kString) {
    return Rejected(TypeError::kWrongType);
  }
  return found;
}

Status CheckLength(uint64_t length) {
  return length <= kMaxStringSize ? Status::OK() : Rejected(TypeError::kStringTooLong);
}

}  // namespace

Status String::Put(const OpArgs& op, std::string_view key, std::string_view value,
                   int64_t expire_ms) {
  if (expire_ms != 0 && expire_ms <= op.now_ms) return op.ks.DeleteKey(op.db, key).status();
  return op.ks.PutKey(op.db, key, Type::kString, expire_ms, value);
}

Result<std::optional<std::string_view>> String::Get(const OpArgs& op, std::string_view key) {
  Meta meta;
  auto found = Lookup(op, key, &meta);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<std::string_view>();
  return std::optional(meta.payload);
}

Result<String::SetResult> String::Set(const OpArgs& op, std::string_view key,
                                      std::string_view value, const SetOptions& options) {
  SetResult result;
  bool found = false;
  int64_t expire_ms = options.expire_ms;
  if (options.when != SetOptions::When::kAlways || options.get || options.keep_ttl) {
    Meta meta;
    auto r = Lookup(op, key, &meta, !options.get);
    if (!r.ok()) return r.status();
    found = *r;
    if (found && options.get) result.old.emplace(meta.payload);
    if (found && options.keep_ttl) expire_ms = meta.expire_ms;
  }
  result.applied = options.when == SetOptions::When::kAlways ||
                   (options.when == SetOptions::When::kIfMissing) != found;
  if (result.applied) {
    Status s = Put(op, key, value, expire_ms);
    if (!s.ok()) return s;
  }
  return result;
}

Result<bool> String::PutAllIfNoneExists(const OpArgs& op,
                                        std::span<const std::string_view> pairs) {
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    Meta meta;
    auto found = Lookup(op, pairs[i], &meta, true);
    if (!found.ok()) return found.status();
    if (*found) return false;
  }
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    Status s = Put(op, pairs[i], pairs[i + 1]);
    if (!s.ok()) return s;
  }
  return true;
}

Result<std::optional<std::string>> String::Take(const OpArgs& op, std::string_view key) {
  Meta meta;
  auto found = Lookup(op, key, &meta);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<std::string>();
  std::string old(meta.payload);
  auto deleted = op.ks.DeleteKey(op.db, key);
  if (!deleted.ok()) return deleted.status();
  return std::optional(std::move(old));
}

Result<std::optional<std::string>> String::GetAndExpire(const OpArgs& op, std::string_view key,
                                                        std::optional<int64_t> expire_ms) {
  Meta meta;
  auto found = Lookup(op, key, &meta);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<std::string>();
  std::string value(meta.payload);
  if (expire_ms && (*expire_ms != 0 || meta.expire_ms != 0)) {
    Status s = Put(op, key, value, *expire_ms);
    if (!s.ok()) return s;
  }
  return std::optional(std::move(value));
}

Result<uint64_t> String::Append(const OpArgs& op, std::string_view key, std::string_view tail) {
  Meta meta;
  auto found = Lookup(op, key, &meta);
  if (!found.ok()) return found.status();
  std::string_view old = *found ? meta.payload : std::string_view();
  Status s = CheckLength(old.size() + tail.size());
  if (!s.ok()) return s;
  std::string value;
  value.reserve(old.size() + tail.size());
  value.append(old).append(tail);
  s = Put(op, key, value, *found ? meta.expire_ms : 0);
  if (!s.ok()) return s;
  return value.size();
}

Result<uint64_t> String::Len(const OpArgs& op, std::string_view key) {
  auto value = Get(op, key);
  if (!value.ok()) return value.status();
  return *value ? (*value)->size() : 0;
}

Result<std::string> String::Range(const OpArgs& op, std::string_view key, int64_t start,
                                  int64_t end) {
  auto value = Get(op, key);
  if (!value.ok()) return value.status();
  if (!*value || (start < 0 && end < 0 && start > end)) return std::string();
  auto len = static_cast<int64_t>((*value)->size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len == 0 || start > end) return std::string();
  return std::string((*value)->substr(static_cast<size_t>(start),
                                      static_cast<size_t>(end - start + 1)));
}

Result<uint64_t> String::SetRange(const OpArgs& op, std::string_view key, uint64_t offset,
                                  std::string_view piece) {
  Meta meta;
  auto found = Lookup(op, key, &meta);
  if (!found.ok()) return found.status();
  std::string_view old = *found ? meta.payload : std::string_view();
  if (piece.empty()) return old.size();
  Status s = CheckLength(offset + piece.size());
  if (!s.ok()) return s;
  std::string value(old);
  if (value.size() < offset + piece.size()) value.resize(offset + piece.size(), '\0');
  value.replace(static_cast<size_t>(offset), piece.size(), piece);
  s = Put(op, key, value, *found ? meta.expire_ms : 0);
  if (!s.ok()) return s;
  return value.size();
}

Result<int64_t> String::IncrBy(const OpArgs& op, std::string_view key, int64_t delta) {
  Meta meta;
  auto found = Lookup(op, key, &meta);
  if (!found.ok()) return found.status();
  long long value = 0;
  if (*found && !ParseLongLong(meta.payload, &value)) return Rejected(TypeError::kNotInteger);
  if ((delta < 0 && value < 0 && delta < LLONG_MIN - value) ||
      (delta > 0 && value > 0 && delta > LLONG_MAX - value)) {
    return Rejected(TypeError::kOverflow);
  }
  value += delta;
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof(buf), value).ptr;
  Status s = Put(op, key, std::string_view(buf, end - buf), *found ? meta.expire_ms : 0);
  if (!s.ok()) return s;
  return static_cast<int64_t>(value);
}

Result<std::string> String::IncrByFloat(const OpArgs& op, std::string_view key,
                                        long double delta) {
  Meta meta;
  auto found = Lookup(op, key, &meta);
  if (!found.ok()) return found.status();
  long double value = 0;
  if (*found && !ParseLongDouble(meta.payload, &value)) return Rejected(TypeError::kNotFloat);
  value += delta;
  if (std::isnan(value) || std::isinf(value)) return Rejected(TypeError::kNanOrInfinity);
  std::string text = FormatLongDouble(value);
  Status s = Put(op, key, text, *found ? meta.expire_ms : 0);
  if (!s.ok()) return s;
  return text;
}

}  // namespace strata::types
