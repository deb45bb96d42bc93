#include "engine/memory_reserve.h"

#include <mimalloc.h>

#include <algorithm>
#include <chrono>

#include "engine/arena.h"

namespace strata {

MemoryReserve::MemoryReserve() : thread_([this] { Loop(); }) {}

MemoryReserve::~MemoryReserve() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  for (const Request& r : requests_) mi_free(r.memory);
}

void* MemoryReserve::Take(size_t bytes, bool zeroed) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(requests_.begin(), requests_.end(), [&](const Request& r) {
      return r.bytes == bytes && r.zeroed == zeroed && r.memory != nullptr;
    });
    if (it != requests_.end()) {
      void* memory = it->memory;
      requests_.erase(it);
      return memory;
    }
  }
  return AllocateHugePageBacked(bytes, zeroed);
}

void MemoryReserve::Prepare(size_t bytes, bool zeroed) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Request& r : requests_) {
    if (r.bytes == bytes && r.zeroed == zeroed) return;
  }
  requests_.push_back(Request{bytes, zeroed, nullptr});
  cv_.notify_one();
}

void MemoryReserve::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    auto pending = [this] {
      return std::find_if(requests_.begin(), requests_.end(),
                          [](const Request& r) { return r.memory == nullptr; });
    };
    bool work = cv_.wait_for(lock, std::chrono::milliseconds(100),
                             [&] { return stop_ || pending() != requests_.end(); });
    if (stop_) return;
    // The memory this thread allocated comes back here when a flushed memtable is freed on
    // another thread; mimalloc returns it to the OS only when its owner collects.
    lock.unlock();
    mi_collect(/*force=*/true);
    lock.lock();
    if (!work) continue;
    Request wanted = *pending();
    lock.unlock();
    char* memory = static_cast<char*>(AllocateHugePageBacked(wanted.bytes, wanted.zeroed));
    // Writing a zero to every page faults it in (a whole huge page at its first byte) and
    // leaves zeroed memory zeroed.
    for (size_t at = 0; at < wanted.bytes; at += 4096) {
      static_cast<volatile char*>(memory)[at] = 0;
    }
    lock.lock();
    auto it = std::find_if(requests_.begin(), requests_.end(), [&](const Request& r) {
      return r.bytes == wanted.bytes && r.zeroed == wanted.zeroed && r.memory == nullptr;
    });
    if (it != requests_.end()) {
      it->memory = memory;
    } else {
      mi_free(memory);  // cannot happen: only Take removes requests, and only prepared ones
    }
  }
}

}  // namespace strata
