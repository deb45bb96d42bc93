// Hash: a metadata key plus one engine key per field (types/collection.h):
//
//   'S' | ns | version | field  ->  value
//
// Invariants, kept here and nowhere else:
//   - the metadata's size is the number of field keys under the hash's version;
//   - a hash with no field does not exist (the last HDEL deletes the key);
//   - every operation that writes a field writes the metadata too: that write is what tells
//     WATCH (and blocked clients, and later the change feed) that the key changed;
//   - a field's value is stored as the client sent it; HINCRBY and HINCRBYFLOAT store the
//     result as Redis prints it (decimal integer; long double in Redis's "human" form).
//
// Every operation takes the keyspace, database and clock of the command (OpArgs), stages its
// writes in the keyspace (committed by the server after the command) and returns a Result: an
// engine error, TypeError::kWrongType for a key of another type, or the answer. This file and
// commands/hashes.cc are the pattern a new family copies. Loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/collection_ops.h"

namespace strata::types {

class Hash {
 public:
  // Sets field/value pairs (pairs.size() is even); only_new keeps fields that exist (HSETNX).
  // Returns how many fields were new.
  static Result<uint64_t> Set(const OpArgs& op, std::string_view key,
                              std::span<const std::string_view> pairs, bool only_new);
  static Result<std::optional<std::string>> Get(const OpArgs& op, std::string_view key,
                                                std::string_view field);
  static Result<std::vector<std::optional<std::string>>> MGet(
      const OpArgs& op, std::string_view key, std::span<const std::string_view> fields);
  // Removes fields; returns how many existed.
  static Result<uint64_t> Delete(const OpArgs& op, std::string_view key,
                                 std::span<const std::string_view> fields);
  static Result<uint64_t> Len(const OpArgs& op, std::string_view key);
  // Every field and/or value in field order, flattened (HGETALL, HKEYS, HVALS).
  static Result<std::vector<std::string>> GetAll(const OpArgs& op, std::string_view key,
                                                 bool fields, bool values);
  // Adds delta to an integer field (a missing one counts as 0). kHashNotInteger, kOverflow.
  static Result<int64_t> IncrBy(const OpArgs& op, std::string_view key, std::string_view field,
                                int64_t delta);
  // Adds delta to a float field; returns the stored text. kHashNotFloat, kNanOrInfinity.
  static Result<std::string> IncrByFloat(const OpArgs& op, std::string_view key,
                                         std::string_view field, long double delta);
  // Up to count random (field, value) pairs, distinct unless allow_repeats (HRANDFIELD).
  static Result<std::vector<Element>> RandomFields(const OpArgs& op, std::string_view key,
                                                   uint64_t count, bool allow_repeats);
};

}  // namespace strata::types
