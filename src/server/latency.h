// The latency monitor (LATENCY LATEST/HISTORY/RESET): events that took at least
// latency-monitor-threshold milliseconds, per event name: the latest, the worst, and a
// history of up to 160 samples (one per second: the worst of that second).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class LatencyMonitor {
 public:
  struct Sample {
    int64_t time_s;
    int64_t ms;
  };
  struct Event {
    std::deque<Sample> history;  // oldest first
    int64_t max_ms = 0;
  };

  // Records one occurrence (the caller checked the threshold).
  void Add(std::string_view event, int64_t ms, int64_t now_s);
  // Forgets the named events (all when none are named); returns how many were known.
  size_t Reset(const std::vector<std::string_view>& events);
  const std::map<std::string, Event, std::less<>>& events() const { return events_; }

 private:
  std::map<std::string, Event, std::less<>> events_;
};

}  // namespace strata
