#include "engine/arena.h"

#include <mimalloc.h>

#include <sys/mman.h>

#include <new>

#include "engine/memory_reserve.h"

namespace strata {

void* AllocateHugePageBacked(size_t bytes, bool zeroed) {
  constexpr size_t kHugePage = 2u << 20;
  size_t align = bytes >= kHugePage ? kHugePage : 8;
  void* p = zeroed ? mi_zalloc_aligned(bytes, align) : mi_malloc_aligned(bytes, align);
  if (p == nullptr) throw std::bad_alloc();  // like operator new: out of memory is fatal
  if (bytes >= kHugePage) ::madvise(p, bytes & ~(kHugePage - 1), MADV_HUGEPAGE);
  return p;
}

Arena::Arena(MemoryReserve* reserve) : reserve_(reserve) {
  if (reserve_ != nullptr) reserve_->Prepare(kBlockSize, /*zeroed=*/false);
}

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
  void* block;
  if (reserve_ != nullptr && bytes == kBlockSize) {
    block = reserve_->Take(bytes, /*zeroed=*/false);
    reserve_->Prepare(bytes, /*zeroed=*/false);  // the next one
  } else {
    block = AllocateHugePageBacked(bytes);
  }
  blocks_.push_back(block);
  usage_ += bytes;
  return static_cast<char*>(block);
}

}  // namespace strata
