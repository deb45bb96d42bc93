#include "engine/bloom.h"

#include "strata/coding.h"
#include "engine/hash.h"

namespace strata {
namespace {

constexpr int kProbes = 6;
constexpr uint32_t kLineBits = 512;

uint32_t LineOf(uint64_t h, uint32_t num_lines) {
  // Lemire's fast range reduction of the low 32 bits.
  return static_cast<uint32_t>((static_cast<uint64_t>(static_cast<uint32_t>(h)) * num_lines) >>
                               32);
}

// Calls fn(bit index within the line) for each probe of hash h.
template <typename Fn>
void ForEachProbe(uint64_t h, int probes, Fn&& fn) {
  uint32_t a = static_cast<uint32_t>(h >> 32);
  uint32_t delta = (a >> 17) | (a << 15) | 1;
  for (int i = 0; i < probes; ++i) {
    fn(a % kLineBits);
    a += delta;
  }
}

}  // namespace

void BloomBuilder::AddKey(std::string_view user_key) {
  if (!hashes_.empty() && user_key == last_key_) return;
  last_key_.assign(user_key);
  hashes_.push_back(HashBytes(user_key));
}

std::string BloomBuilder::Finish() {
  uint64_t bits = static_cast<uint64_t>(hashes_.size()) * bits_per_key_;
  uint32_t num_lines = static_cast<uint32_t>((bits + kLineBits - 1) / kLineBits);
  if (num_lines == 0) num_lines = 1;
  std::string filter(static_cast<size_t>(num_lines) * 64, '\0');
  for (uint64_t h : hashes_) {
    char* line = filter.data() + static_cast<size_t>(LineOf(h, num_lines)) * 64;
    ForEachProbe(h, kProbes, [&](uint32_t bit) { line[bit / 8] |= static_cast<char>(1 << (bit % 8)); });
  }
  filter.push_back(static_cast<char>(kProbes));
  PutFixed32(&filter, num_lines);
  hashes_.clear();
  last_key_.clear();
  return filter;
}

void BloomPrefetch(std::string_view filter, std::string_view user_key) {
  if (filter.size() < 5) return;
  uint32_t num_lines = DecodeFixed32(filter.data() + filter.size() - 4);
  if (num_lines == 0 || static_cast<uint64_t>(num_lines) * 64 + 5 != filter.size()) return;
  __builtin_prefetch(filter.data() + static_cast<size_t>(LineOf(HashBytes(user_key), num_lines)) * 64);
}

bool BloomMayContain(std::string_view filter, std::string_view user_key) {
  if (filter.size() < 5) return true;
  uint32_t num_lines = DecodeFixed32(filter.data() + filter.size() - 4);
  int probes = static_cast<unsigned char>(filter[filter.size() - 5]);
  if (num_lines == 0 || static_cast<uint64_t>(num_lines) * 64 + 5 != filter.size()) return true;
  uint64_t h = HashBytes(user_key);
  const char* line = filter.data() + static_cast<size_t>(LineOf(h, num_lines)) * 64;
  bool all = true;
  ForEachProbe(h, probes, [&](uint32_t bit) {
    if ((line[bit / 8] & (1 << (bit % 8))) == 0) all = false;
  });
  return all;
}

}  // namespace strata
