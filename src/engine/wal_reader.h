// WalReader: reads the records of one log segment held in memory, stopping at the first
// incomplete or damaged record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata {

class WalReader {
 public:
  explicit WalReader(std::string_view contents) : contents_(contents) {}

  // Sets *payload to the next record (pointing into contents) and returns true; returns false
  // at the end of the segment or at a bad record (then error() says why).
  bool ReadRecord(std::string_view* payload);

  // Offset just past the last good record: where a damaged segment is cut.
  uint64_t good_offset() const { return offset_; }
  // Empty after a clean end; otherwise what was wrong at good_offset().
  const std::string& error() const { return error_; }

 private:
  std::string_view contents_;
  uint64_t offset_ = 0;
  std::string error_;
};

}  // namespace strata
