// What the process holds in memory and where it goes: read once for INFO memory, INFO
// clients and MEMORY STATS/DOCTOR, by Redis's names where they mean the same.
#pragma once

#include <cstdint>

#include "server/command.h"

namespace strata {

struct MemoryFigures {
  uint64_t allocated = 0;  // what mimalloc has committed (used_memory)
  uint64_t peak = 0;
  uint64_t rss = 0;     // from the kernel
  uint64_t system = 0;  // physical memory of the machine
  uint64_t memtables = 0, block_cache = 0;
  uint64_t dataset = 0;  // the keys' bytes (Keyspace::dataset_bytes), what maxmemory bounds
  uint64_t clients = 0;  // every client's buffers (tot-mem)
  uint64_t max_input = 0, max_output = 0;  // the largest client input and output buffers
};

MemoryFigures MeasureMemory(CommandContext& ctx);

// a / b, 0 when b is 0.
inline double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

}  // namespace strata
