// SkipList: the memtable's ordered index of internal entries.
//
// Invariants:
//  - A node is one arena allocation: header, tower of `height` next pointers, then the user
//    key bytes and the value bytes. Nodes are never moved or freed before the arena is.
//  - Entries are ordered by CompareInternal(user_key, trailer); no two are equal (every write
//    has its own seqno).
//  - Only the loop thread inserts, so there are no atomics. A sealed list is read-only and
//    may be read by any thread that received it through a synchronising hand-off.
//  - splice_ brackets the last inserted key at every level (prev < key < next, adjacent);
//    an insert starts from the lowest level whose splice still brackets the new key, which
//    makes near-sequential inserts O(1) instead of O(log n).
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/arena.h"

namespace strata {

class SkipList {
 public:
  static constexpr int kMaxHeight = 12;
  static constexpr unsigned kBranching = 4;

  struct Node {
    uint32_t key_size;
    uint32_t value_size;
    uint64_t trailer;
    uint32_t height;
    Node* next[1];  // really `height` entries, followed by key and value bytes

    const char* key_data() const { return reinterpret_cast<const char*>(&next[height]); }
    std::string_view user_key() const { return {key_data(), key_size}; }
    std::string_view value() const { return {key_data() + key_size, value_size}; }
  };

  explicit SkipList(Arena* arena);
  SkipList(const SkipList&) = delete;
  SkipList& operator=(const SkipList&) = delete;

  // Inserts an entry and returns its node. REQUIRES: no entry compares equal to it.
  const Node* Insert(std::string_view user_key, uint64_t trailer, std::string_view value);

  // First node >= (user_key, trailer), or nullptr.
  const Node* FindGreaterOrEqual(std::string_view user_key, uint64_t trailer) const;
  // Last node < (user_key, trailer), or nullptr.
  const Node* FindLessThan(std::string_view user_key, uint64_t trailer) const;
  const Node* First() const { return head_->next[0]; }
  const Node* Last() const;

  size_t size() const { return size_; }

 private:
  Node* NewNode(std::string_view user_key, uint64_t trailer, std::string_view value, int height);
  int RandomHeight();
  // True when node sorts before (user_key, trailer); the head sorts before everything.
  bool Before(const Node* node, std::string_view user_key, uint64_t trailer) const {
    return node == head_ || CompareNode(node, user_key, trailer) < 0;
  }
  static int CompareNode(const Node* node, std::string_view user_key, uint64_t trailer);

  Arena* const arena_;
  Node* const head_;
  int max_height_ = 1;
  size_t size_ = 0;
  uint64_t rnd_ = 0x2545f4914f6cdd1dull;
  Node* splice_prev_[kMaxHeight];
  Node* splice_next_[kMaxHeight];
};

}  // namespace strata
