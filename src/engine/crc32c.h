// CRC32C (Castagnoli), as used by every checksum in Strata's files.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::crc32c {

// The crc32c of data[0, n) continuing from init_crc (the crc of what came before).
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

// A crc stored next to the data it covers is masked, so that the crc of a string that
// contains embedded crcs is not degenerate (LevelDB's reasoning).
constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace strata::crc32c
