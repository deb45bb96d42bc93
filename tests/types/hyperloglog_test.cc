#include "types/hyperloglog.h"

#include <doctest/doctest.h>

#include <random>

namespace strata::types {

TEST_SUITE("hyperloglog") {
  TEST_CASE("PFSELFTEST's checks pass: the dense packing and the estimator's error") {
    CHECK(HyperLogLog::SelfTest() == "");
  }

  TEST_CASE("registers survive both representations; a bad code is corrupt, never served") {
    std::mt19937 rng(3);
    for (int round = 0; round < 50; ++round) {
      HyperLogLog::Registers regs{};
      int filled = static_cast<int>(rng() % 400);
      int top = round % 2 ? 32 : 63;  // sparse can hold up to 32
      for (int i = 0; i < filled; ++i) regs[rng() % HyperLogLog::kRegisters] = 1 + rng() % top;
      for (bool dense : {false, true}) {
        std::string v;
        HyperLogLog::Store(&v, regs, dense, 3000);
        HyperLogLog::Registers back{};
        REQUIRE(HyperLogLog::Read(v, &back) == HyperLogLog::Parse::kOk);
        CHECK(back == regs);
        bool is_dense;
        std::optional<uint64_t> cached;
        REQUIRE(HyperLogLog::Check(v, &is_dense, &cached) == HyperLogLog::Parse::kOk);
        CHECK(!cached);  // a stored change leaves the count stale
        // Sparse unless asked for dense, a register above 32, or too long a code.
        if (!dense && top == 32 && v.size() < 3000) CHECK_FALSE(is_dense);
        if (dense) CHECK(v.size() == 16 + 12288);
      }
    }
    std::string empty;
    HyperLogLog::Store(&empty, {}, false, 3000);
    CHECK(empty.substr(16) == "\x7f\xff");  // XZERO of all 16,384 registers
    HyperLogLog::Registers regs;
    std::string short_code = empty.substr(0, 16) + "\x7f\xfe";  // 16,383 registers
    CHECK(HyperLogLog::Read(short_code, &regs) == HyperLogLog::Parse::kCorrupt);
    CHECK(HyperLogLog::Read(empty + "\x80", &regs) == HyperLogLog::Parse::kCorrupt);
    CHECK(HyperLogLog::Read(empty.substr(0, 17), &regs) == HyperLogLog::Parse::kCorrupt);
    CHECK(HyperLogLog::Read("HYLL", &regs) == HyperLogLog::Parse::kNotHll);
    CHECK(HyperLogLog::Read("HYLx" + empty.substr(4), &regs) == HyperLogLog::Parse::kNotHll);
  }

  TEST_CASE("PFADD changes a register only upwards, and counts close to the truth") {
    std::string v;
    bool changed;
    std::vector<std::string> items;
    for (int i = 0; i < 50000; ++i) items.push_back("item:" + std::to_string(i));
    std::vector<std::string_view> views(items.begin(), items.end());
    REQUIRE(HyperLogLog::Add(&v, views, 3000, &changed) == HyperLogLog::Parse::kOk);
    CHECK(changed);
    std::string before = v;
    REQUIRE(HyperLogLog::Add(&v, views, 3000, &changed) == HyperLogLog::Parse::kOk);
    CHECK_FALSE(changed);
    CHECK(v == before);
    HyperLogLog::Registers regs;
    REQUIRE(HyperLogLog::Read(v, &regs) == HyperLogLog::Parse::kOk);
    double n = static_cast<double>(HyperLogLog::Count(regs));
    CHECK(n > 50000 * 0.95);
    CHECK(n < 50000 * 1.05);
  }
}

}  // namespace strata::types
