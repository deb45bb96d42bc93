// List: a metadata key plus one engine key per item, indexed by position:
//
//   'S' | ns | version | index: 8 (EncodeListIndex)  ->  item
//
// Invariants, kept here and nowhere else:
//   - the items are exactly the indexes [head, tail) of the metadata, and size == tail - head;
//     pushes and pops are point writes at either end (head-1, tail), so a list used as a queue
//     never walks the tombstones its pops left behind;
//   - a list with no item does not exist (the last pop deletes the key);
//   - every operation that writes an item writes the metadata too (what WATCH and blocked
//     clients see).
//
// Positions are Redis's: 0 is the head, negative counts from the tail. Loop thread only;
// Results as types/hash.h describes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "types/collection_ops.h"

namespace strata::types {

class List {
 public:
  // Pushes values one by one at the head (left) or tail; only_existing: nothing happens to a
  // missing key (LPUSHX, RPUSHX). Returns the new length (0 for a missing key left alone).
  static Result<uint64_t> Push(const OpArgs& op, std::string_view key, bool left,
                               std::span<const std::string_view> values, bool only_existing);
  // Pops up to count items from one end; nullopt when the key is missing.
  static Result<std::optional<std::vector<std::string>>> Pop(const OpArgs& op,
                                                             std::string_view key, bool left,
                                                             uint64_t count);
  // LMOVE: pops from src's one end and pushes at dst's; nullopt when src is missing. dst's
  // type is checked before anything moves.
  static Result<std::optional<std::string>> Move(const OpArgs& op, std::string_view src,
                                                 std::string_view dst, bool from_left,
                                                 bool to_left);
  static Result<uint64_t> Len(const OpArgs& op, std::string_view key);
  // The items at positions [start, stop] (Redis's clamping; LRANGE).
  static Result<std::vector<std::string>> Range(const OpArgs& op, std::string_view key,
                                                int64_t start, int64_t stop);
  // The item at a position; nullopt when the key is missing or the position is outside.
  static Result<std::optional<std::string>> Index(const OpArgs& op, std::string_view key,
                                                  int64_t index);
  // LSET. kNoSuchKey, kIndexOutOfRange.
  static Status Set(const OpArgs& op, std::string_view key, int64_t index,
                    std::string_view value);
  // LREM: removes up to |count| items equal to value (all when 0), from the tail when
  // count < 0. Returns how many were removed.
  static Result<uint64_t> RemoveValue(const OpArgs& op, std::string_view key, int64_t count,
                                      std::string_view value);
  // LTRIM: keeps the items at positions [start, stop].
  static Status Trim(const OpArgs& op, std::string_view key, int64_t start, int64_t stop);
  // LINSERT: the new length; -1 when pivot is not there, 0 when the key is missing.
  static Result<int64_t> Insert(const OpArgs& op, std::string_view key, bool after,
                                std::string_view pivot, std::string_view value);
  // LPOS: the positions of items equal to value, skipping the first |rank|-1 matches (from the
  // tail when rank < 0), at most `want` of them, looking at no more than maxlen items (0: all).
  static Result<std::vector<int64_t>> Positions(const OpArgs& op, std::string_view key,
                                                std::string_view value, int64_t rank,
                                                uint64_t want, uint64_t maxlen);
};

}  // namespace strata::types
