#include "engine/arena.h"

#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <vector>

namespace strata {

TEST_SUITE("arena") {
  TEST_CASE("allocations are aligned, disjoint and keep their bytes") {
    Arena arena;
    std::mt19937 rng(301);
    std::vector<std::pair<char*, size_t>> blocks;
    for (int i = 0; i < 20000; ++i) {
      size_t n = rng() % 3 == 0 ? 1 + rng() % 8000 : 1 + rng() % 100;
      if (i % 5000 == 0) n = Arena::kBlockSize;  // a block of its own
      char* p = arena.Allocate(n);
      CHECK(reinterpret_cast<uintptr_t>(p) % 8 == 0);
      std::memset(p, i & 0xff, n);
      blocks.emplace_back(p, n);
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
      auto [p, n] = blocks[i];
      for (size_t j = 0; j < n; j += 97) REQUIRE(static_cast<unsigned char>(p[j]) == (i & 0xff));
    }
    CHECK(arena.MemoryUsage() >= 4 * Arena::kBlockSize);
  }

  TEST_CASE("memory usage counts the bytes handed out, rounded to alignment") {
    Arena arena;
    CHECK(arena.MemoryUsage() == 0);
    arena.Allocate(13);
    CHECK(arena.MemoryUsage() == 16);
    for (int i = 0; i < 1000; ++i) arena.Allocate(16);
    CHECK(arena.MemoryUsage() == 16 + 16000);
  }
}

}  // namespace strata
