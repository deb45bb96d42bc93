// Set: a metadata key plus one engine key per member (types/collection.h):
//
//   'S' | ns | version | member  ->  empty
//
// Invariants, kept here and nowhere else:
//   - the metadata's size is the number of member keys under the set's version;
//   - a set with no member does not exist (the last SREM or SPOP deletes the key);
//   - every operation that adds or removes a member writes the metadata too (what WATCH and
//     blocked clients see);
//   - SPOP's pop gaps (types/pop_gaps.h) only ever cover ranges with no live member: an add
//     clears the gap that holds the new member.
//
// Loop thread only; Results as types/hash.h describes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/collection_ops.h"

namespace strata::types {

class Set {
 public:
  // Adds members; returns how many were new.
  static Result<uint64_t> Add(const OpArgs& op, std::string_view key,
                              std::span<const std::string_view> members);
  // Removes members; returns how many were there.
  static Result<uint64_t> Remove(const OpArgs& op, std::string_view key,
                                 std::span<const std::string_view> members);
  // For each of members, whether it is in the set (SISMEMBER, SMISMEMBER).
  static Result<std::vector<bool>> Contains(const OpArgs& op, std::string_view key,
                                            std::span<const std::string_view> members);
  static Result<uint64_t> Card(const OpArgs& op, std::string_view key);
  // Every member, in order.
  static Result<std::vector<std::string>> Members(const OpArgs& op, std::string_view key);
  // Removes and returns up to count random members.
  static Result<std::vector<std::string>> Pop(const OpArgs& op, std::string_view key,
                                              uint64_t count);
  // Up to count random members, distinct unless allow_repeats (SRANDMEMBER).
  static Result<std::vector<std::string>> RandomMembers(const OpArgs& op, std::string_view key,
                                                        uint64_t count, bool allow_repeats);
  // SMOVE: whether member was in src (and is now in dst). A missing src answers false before
  // dst's type is checked, as Redis.
  static Result<bool> Move(const OpArgs& op, std::string_view src, std::string_view dst,
                           std::string_view member);

  enum class Algebra { kUnion, kInter, kDiff };
  // The members of the union, intersection or difference (of the first with the rest) of the
  // sets at keys, in order; limit > 0 stops after that many (SINTERCARD).
  static Result<std::vector<std::string>> Combine(const OpArgs& op,
                                                  std::span<const std::string_view> keys,
                                                  Algebra algebra, uint64_t limit = 0);
  // Replaces whatever dst holds with a set of members (deleted when there is none).
  static Status Store(const OpArgs& op, std::string_view dst,
                      std::span<const std::string> members);
};

}  // namespace strata::types
