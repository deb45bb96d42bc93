#include "server/latency.h"

#include <vector>

namespace strata {

void LatencyMonitor::Add(std::string_view event, int64_t ms, int64_t now_s) {
  constexpr size_t kHistory = 160;
  auto it = events_.find(event);
  if (it == events_.end()) it = events_.emplace(std::string(event), Event{}).first;
  Event& e = it->second;
  if (ms > e.max_ms) e.max_ms = ms;
  if (!e.history.empty() && e.history.back().time_s == now_s) {
    if (ms > e.history.back().ms) e.history.back().ms = ms;
    return;
  }
  e.history.push_back(Sample{now_s, ms});
  if (e.history.size() > kHistory) e.history.pop_front();
}

size_t LatencyMonitor::Reset(const std::vector<std::string_view>& events) {
  if (events.empty()) {
    size_t n = events_.size();
    events_.clear();
    return n;
  }
  size_t n = 0;
  for (std::string_view name : events) {
    auto it = events_.find(name);
    if (it != events_.end()) {
      events_.erase(it);
      ++n;
    }
  }
  return n;
}

}  // namespace strata
