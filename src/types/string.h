// String: the value is the metadata key's payload (types/encoding.h):
//
//   'M' | ns | key  ->  type string | expire_ms | value
//
// Invariants, kept here and nowhere else:
//   - a value is at most kMaxStringSize (512 MB, Redis's proto-max-bulk-len) long;
//   - a write whose expiry time has already passed deletes the key instead (SET ... PXAT in
//     the past, as Redis);
//   - APPEND, SETRANGE, INCR* keep the key's time to live; SET and friends replace it unless
//     asked to keep it;
//   - INCR* store the result as Redis prints it (decimal integer; long double in Redis's
//     "human" form), so that GET returns what INCR replied.
//
// Values come back as views into the keyspace's buffers, valid until the next call on the
// keyspace (GET replies without a copy). Loop thread only; Results as types/hash.h describes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "types/collection_ops.h"

namespace strata::types {

class String {
 public:
  // nullopt when the key is missing. kWrongType for another type.
  static Result<std::optional<std::string_view>> Get(const OpArgs& op, std::string_view key);

  struct SetOptions {
    enum class When { kAlways, kIfMissing, kIfExists } when = When::kAlways;  // NX, XX
    bool keep_ttl = false;  // KEEPTTL
    bool get = false;       // GET: return the old value (kWrongType when it is no string)
    int64_t expire_ms = 0;  // absolute; 0: none
  };
  struct SetResult {
    bool applied = false;
    std::optional<std::string> old;  // with get: the value before
  };
  static Result<SetResult> Set(const OpArgs& op, std::string_view key, std::string_view value,
                               const SetOptions& options);
  // Stages value under key whatever it held, with no time to live (MSET, GETSET's write).
  static Status Put(const OpArgs& op, std::string_view key, std::string_view value,
                    int64_t expire_ms = 0);
  // MSETNX: sets every pair (key, value, key, value ...) unless one of the keys exists.
  static Result<bool> PutAllIfNoneExists(const OpArgs& op,
                                         std::span<const std::string_view> pairs);
  // GETDEL: the value, and the key is gone.
  static Result<std::optional<std::string>> Take(const OpArgs& op, std::string_view key);
  // GETEX: the value; a new absolute expiry time when expire_ms is set (0: PERSIST).
  static Result<std::optional<std::string>> GetAndExpire(const OpArgs& op, std::string_view key,
                                                         std::optional<int64_t> expire_ms);
  // Returns the new length.
  static Result<uint64_t> Append(const OpArgs& op, std::string_view key, std::string_view tail);
  static Result<uint64_t> Len(const OpArgs& op, std::string_view key);
  // GETRANGE: the bytes [start, end] with Redis's clamping of negative and large indexes.
  static Result<std::string> Range(const OpArgs& op, std::string_view key, int64_t start,
                                   int64_t end);
  // SETRANGE (offset >= 0): the new length; a missing key with an empty piece stays missing.
  static Result<uint64_t> SetRange(const OpArgs& op, std::string_view key, uint64_t offset,
                                   std::string_view piece);
  // kNotInteger, kOverflow.
  static Result<int64_t> IncrBy(const OpArgs& op, std::string_view key, int64_t delta);
  // Returns the stored text. kNotFloat, kNanOrInfinity.
  static Result<std::string> IncrByFloat(const OpArgs& op, std::string_view key,
                                         long double delta);
};

}  // namespace strata::types
