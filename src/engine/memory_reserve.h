// MemoryReserve: a thread that allocates and faults in the memtable's memory before the
// writer needs it.
//
// On this kind of VM each new 2 MiB transparent huge page costs ~5 ms to fault in (THP
// defrag is "madvise", so the kernel compacts memory synchronously for madvised regions),
// and calloc of reused memory must zero it (a 17 MiB hash index: ~20 ms). On the writer's
// thread either is a write pause. The active memtable takes its arena blocks and hash
// tables from here instead, already zeroed and faulted in; when nothing is ready it
// allocates on the spot, as without a reserve.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {

class MemoryReserve {
 public:
  MemoryReserve();
  ~MemoryReserve();  // frees what was prepared and not taken
  MemoryReserve(const MemoryReserve&) = delete;
  MemoryReserve& operator=(const MemoryReserve&) = delete;

  // bytes from AllocateHugePageBacked (zeroed when asked): prepared earlier, or allocated
  // now. Free with mi_free.
  void* Take(size_t bytes, bool zeroed);
  // Asks for bytes to be prepared for a later Take; nothing happens if they already are.
  void Prepare(size_t bytes, bool zeroed);

 private:
  struct Request {
    size_t bytes;
    bool zeroed;
    void* memory;  // nullptr until prepared
  };
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Request> requests_;  // guarded by mu_
  bool stop_ = false;              // guarded by mu_
  std::thread thread_;
};

}  // namespace strata
