#include "engine/skiplist.h"

#include <cstring>

#include "engine/dbformat.h"

namespace strata {

SkipList::SkipList(Arena* arena) : arena_(arena), head_(NewNode({}, 0, {}, kMaxHeight)) {
  for (int i = 0; i < kMaxHeight; ++i) {
    head_->next[i] = nullptr;
    splice_prev_[i] = head_;
    splice_next_[i] = nullptr;
  }
}

SkipList::Node* SkipList::NewNode(std::string_view user_key, uint64_t trailer,
                                  std::string_view value, int height) {
  size_t bytes = offsetof(Node, next) + sizeof(Node*) * height + user_key.size() + value.size();
  char* mem = arena_->Allocate(bytes);
  Node* node = reinterpret_cast<Node*>(mem);
  node->key_size = static_cast<uint32_t>(user_key.size());
  node->value_size = static_cast<uint32_t>(value.size());
  node->trailer = trailer;
  node->height = static_cast<uint32_t>(height);
  char* data = const_cast<char*>(node->key_data());
  if (!user_key.empty()) std::memcpy(data, user_key.data(), user_key.size());
  if (!value.empty()) std::memcpy(data + user_key.size(), value.data(), value.size());
  return node;
}

int SkipList::RandomHeight() {
  // xorshift64*: two random bits per level give branching factor 4.
  rnd_ ^= rnd_ >> 12;
  rnd_ ^= rnd_ << 25;
  rnd_ ^= rnd_ >> 27;
  uint64_t r = rnd_ * 0x2545f4914f6cdd1dull;
  int height = 1;
  while (height < kMaxHeight && (r & (kBranching - 1)) == 0) {
    ++height;
    r >>= 2;
  }
  return height;
}

int SkipList::CompareNode(const Node* node, std::string_view user_key, uint64_t trailer) {
  return CompareInternal(node->user_key(), node->trailer, user_key, trailer);
}

const SkipList::Node* SkipList::Insert(std::string_view user_key, uint64_t trailer,
                                       std::string_view value) {
  // Lowest level at which the splice of the previous insert still brackets the new key.
  // Levels at and above max_height_ are (head, nullptr) and bracket everything.
  int level = 0;
  while (level < max_height_ &&
         !(Before(splice_prev_[level], user_key, trailer) &&
           (splice_next_[level] == nullptr ||
            CompareNode(splice_next_[level], user_key, trailer) > 0))) {
    ++level;
  }
  // Recompute the splice below that level, starting from its bracket.
  for (int i = level - 1; i >= 0; --i) {
    Node* x = splice_prev_[i + 1];
    Node* next = x->next[i];
    while (next != nullptr && CompareNode(next, user_key, trailer) < 0) {
      if (next->next[i] != nullptr) __builtin_prefetch(next->next[i]);
      x = next;
      next = x->next[i];
    }
    splice_prev_[i] = x;
    splice_next_[i] = next;
  }

  int height = RandomHeight();
  if (height > max_height_) max_height_ = height;  // splice is (head, nullptr) up there
  Node* node = NewNode(user_key, trailer, value, height);
  for (int i = 0; i < height; ++i) {
    node->next[i] = splice_next_[i];
    splice_prev_[i]->next[i] = node;
    splice_prev_[i] = node;
  }
  ++size_;
  return node;
}

const SkipList::Node* SkipList::FindGreaterOrEqual(std::string_view user_key,
                                                   uint64_t trailer) const {
  const Node* x = head_;
  int level = max_height_ - 1;
  const Node* last_bigger = nullptr;  // skip re-comparing a node already known to be bigger
  while (true) {
    const Node* next = x->next[level];
    if (next != nullptr && next != last_bigger) {
      if (next->next[level] != nullptr) __builtin_prefetch(next->next[level]);
      if (CompareNode(next, user_key, trailer) < 0) {
        x = next;
        continue;
      }
    }
    if (level == 0) return next;
    last_bigger = next;
    --level;
  }
}

const SkipList::Node* SkipList::FindLessThan(std::string_view user_key, uint64_t trailer) const {
  const Node* x = head_;
  int level = max_height_ - 1;
  while (true) {
    const Node* next = x->next[level];
    if (next != nullptr && CompareNode(next, user_key, trailer) < 0) {
      x = next;
      continue;
    }
    if (level == 0) return x == head_ ? nullptr : x;
    --level;
  }
}

const SkipList::Node* SkipList::Last() const {
  const Node* x = head_;
  for (int level = max_height_ - 1; level >= 0; --level) {
    while (x->next[level] != nullptr) x = x->next[level];
  }
  return x == head_ ? nullptr : x;
}

}  // namespace strata
