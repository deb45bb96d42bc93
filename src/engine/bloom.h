// A cache-line-local bloom filter over the user keys of one table (RocksDB's "fast local
// bloom" idea): a key's hash picks one 64-byte line and all of its probes fall in that line,
// so a lookup costs one cache miss however many probes it makes.
//
//   filter := line[num_lines] (64 bytes each) | num_probes: 1 | num_lines: fixed32
//
// At 10 bits per key and 6 probes the false-positive rate is about 1%.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class BloomBuilder {
 public:
  explicit BloomBuilder(int bits_per_key = 10) : bits_per_key_(bits_per_key) {}

  // Versions of one key arrive together; a repeat of the previous key is ignored.
  void AddKey(std::string_view user_key);
  // The filter bytes; the builder is empty afterwards.
  std::string Finish();
  size_t keys() const { return hashes_.size(); }

 private:
  int bits_per_key_;
  std::vector<uint64_t> hashes_;
  std::string last_key_;
};

// False only when key was certainly not added. An empty or malformed filter says true
// (a filter can only save work, never hide data).
bool BloomMayContain(std::string_view filter, std::string_view user_key);
// Starts loading the line BloomMayContain(filter, user_key) will read, so the caller can do
// other work while it arrives.
void BloomPrefetch(std::string_view filter, std::string_view user_key);

}  // namespace strata
