// Arena: bump allocation from large blocks obtained from mimalloc, all freed together when
// the arena is destroyed. Used for memtable nodes: one allocation per entry.
//
// Loop thread only (a sealed memtable's arena is read, never written, by other threads).
#pragma once

#include <cstddef>
#include <vector>

namespace strata {

class MemoryReserve;

// Allocates `bytes` (a multiple of 2 MiB for huge pages to apply) aligned to 2 MiB from
// mimalloc and asks the kernel to back it with transparent huge pages. Free with mi_free.
void* AllocateHugePageBacked(size_t bytes, bool zeroed = false);

class Arena {
 public:
  // 2 MiB: one transparent huge page, so the random walks of the skiplist and hash index
  // cost no TLB misses (expensive under virtualisation: a nested page walk each).
  static constexpr size_t kBlockSize = 2u << 20;

  // Blocks come from reserve (faulted in ahead of time) when one is given.
  explicit Arena(MemoryReserve* reserve = nullptr);
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  // Returns bytes of uninitialised memory, 8-byte aligned, valid until the arena is destroyed.
  char* Allocate(size_t bytes) {
    bytes = (bytes + 7) & ~size_t{7};
    if (bytes <= remaining_) {
      char* result = ptr_;
      ptr_ += bytes;
      remaining_ -= bytes;
      return result;
    }
    return AllocateFallback(bytes);
  }

  // Bytes obtained from the allocator, less the unused tail of the current block.
  size_t MemoryUsage() const { return usage_ - remaining_; }

 private:
  char* AllocateFallback(size_t bytes);
  char* AllocateBlock(size_t bytes);

  MemoryReserve* const reserve_;
  char* ptr_ = nullptr;
  size_t remaining_ = 0;
  size_t usage_ = 0;
  std::vector<void*> blocks_;
};

}  // namespace strata
