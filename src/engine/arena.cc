#include "engine/arena.h"

#include <mimalloc.h>

#include <new>

namespace strata {

Arena::~Arena() {
  for (void* block : blocks_) mi_free(block);
}

char* Arena::AllocateFallback(size_t bytes) {
  if (bytes > kBlockSize / 4) {
    // A large entry gets a block of its own, so the current block's tail is not wasted.
    return AllocateBlock(bytes);
  }
  ptr_ = AllocateBlock(kBlockSize);
  remaining_ = kBlockSize;
  char* result = ptr_;
  ptr_ += bytes;
  remaining_ -= bytes;
  return result;
}

char* Arena::AllocateBlock(size_t bytes) {
  void* block = mi_malloc_aligned(bytes, 8);
  if (block == nullptr) throw std::bad_alloc();  // like operator new: out of memory is fatal
  blocks_.push_back(block);
  usage_ += bytes;
  return static_cast<char*>(block);
}

}  // namespace strata
