// HyperLogLog: a string in Redis's own representation (hyperloglog.c), so a value moves
// between Redis and Strata with GET and SET (or DUMP and RESTORE) and counts the same:
//
//   "HYLL" | encoding: 1 (0 dense, 1 sparse) | 3 zero bytes | cached cardinality: 8 LE (top
//   bit of the last byte set: not valid) | registers
//
// 16,384 registers of 6 bits. Dense: packed, register i at bit 6i, low bits first (12,288
// bytes). Sparse, a run-length code: ZERO 00xxxxxx (1-64 zero registers), XZERO 01xxxxxx
// yyyyyyyy (1-16,384), VAL 1vvvvvxx (1-4 registers of value 1-32). Invariants, kept here and
// nowhere else:
//   - an element sets register (hash & 16383) to the run length of the rest of its
//     MurmurHash64A (seed 0xadc83b19), as Redis computes it, if that is larger;
//   - a sparse value is written in the shortest code for its registers (Redis's own writes
//     may split a run differently; both read either); it becomes dense when a register
//     exceeds 32 or the code would be longer than hll-sparse-max-bytes;
//   - the cached cardinality is invalidated by every change and set by PFCOUNT of one key;
//   - anything else is refused: not a HyperLogLog (bad header or size) or corrupt (a sparse
//     code that does not cover exactly 16,384 registers).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace strata::types {

class HyperLogLog {
 public:
  static constexpr int kRegisters = 16384;
  static constexpr size_t kHeaderSize = 16;
  using Registers = std::array<uint8_t, kRegisters>;

  enum class Parse { kOk, kNotHll, kCorrupt };
  // The header alone (what Redis checks before any command): kOk or kNotHll; *cached: the
  // cached count when it is valid.
  static Parse Check(std::string_view value, bool* dense, std::optional<uint64_t>* cached);
  // The registers (kCorrupt: a sparse code that does not cover them exactly).
  static Parse Read(std::string_view value, Registers* regs);

  // The register an element sets, and the run length it sets it to (if larger).
  static void Hash(std::string_view element, int* reg, uint8_t* count);
  // PFADD: adds the elements to *value (empty: a new key, which starts as an empty sparse
  // value). *changed: a register grew or the key is new; then the cached count is stale.
  static Parse Add(std::string* value, std::span<const std::string_view> elements,
                   size_t sparse_max_bytes, bool* changed);
  // Stores regs in *value (empty: a new key): sparse unless dense or the code outgrows
  // sparse_max_bytes or a register exceeds 32. The cached count is flagged stale unless
  // keep_cache (a change of representation alone).
  static void Store(std::string* value, const Registers& regs, bool dense, size_t sparse_max_bytes,
                    bool keep_cache = false);
  // PFCOUNT of one key caches its count in the header.
  static void SetCached(std::string* value, uint64_t count);

  // The estimated cardinality (Ertl's estimator, as Redis 7).
  static uint64_t Count(const Registers& regs);
  // PFDEBUG DECODE of a sparse value: "z:N", "Z:N", "v:value,len" separated by spaces.
  static std::string Decode(std::string_view value);
  // PFSELFTEST: an error description, or empty when the representation and the estimator
  // behave.
  static std::string SelfTest();
};

}  // namespace strata::types
