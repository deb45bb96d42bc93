// The slow log (SLOWLOG GET/LEN/RESET): commands that ran for at least
// slowlog-log-slower-than microseconds, newest first, at most slowlog-max-len of them.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t time_s = 0;  // unix time the command started
  int64_t duration_us = 0;
  std::vector<std::string> args;  // shortened as Redis shortens them
  std::string addr, name;         // the client's
};

class SlowLog {
 public:
  // Keeps at most 32 arguments of at most 128 bytes each, saying how much was left out.
  void Add(std::span<const std::string_view> args, int64_t time_s, int64_t duration_us,
           const std::string& addr, const std::string& name, size_t max_len);
  void Trim(size_t max_len);
  void Reset() { entries_.clear(); }
  const std::deque<SlowLogEntry>& entries() const { return entries_; }  // newest first

 private:
  std::deque<SlowLogEntry> entries_;
  uint64_t next_id_ = 0;
};

}  // namespace strata
