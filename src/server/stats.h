// What INFO's Stats section counts, and Redis's "instantaneous" rates. Loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace strata {

// A rate per second averaged over the last 16 samples of a running total, as Redis's
// trackInstantaneousMetric (instantaneous_ops_per_sec, instantaneous_input_kbps ...).
class InstantaneousMetric {
 public:
  void Sample(uint64_t total, int64_t now_ms) {
    if (last_ms_ != 0 && now_ms > last_ms_) {
      samples_[next_] = static_cast<double>(total - last_total_) * 1000.0 /
                        static_cast<double>(now_ms - last_ms_);
      next_ = (next_ + 1) % kSamples;
    }
    last_total_ = total;
    last_ms_ = now_ms;
  }
  double PerSecond() const {
    double sum = 0;
    for (double s : samples_) sum += s;
    return sum / kSamples;
  }

 private:
  static constexpr int kSamples = 16;
  uint64_t last_total_ = 0;
  int64_t last_ms_ = 0;
  double samples_[kSamples] = {};
  int next_ = 0;
};

struct ServerStats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t total_error_replies = 0;
  std::map<std::string, uint64_t, std::less<>> error_prefixes;  // INFO errorstats

  // Counts an error reply by its first word ("ERR", "WRONGTYPE", ...), as errorstats does.
  void CountError(std::string_view text) {
    total_error_replies++;
    std::string_view prefix = text.substr(0, text.find(' '));
    auto it = error_prefixes.find(prefix);
    if (it == error_prefixes.end()) it = error_prefixes.emplace(std::string(prefix), 0).first;
    it->second++;
  }
  uint64_t expired_keys = 0;
  uint64_t total_reads_processed = 0;   // socket reads that brought input
  uint64_t total_writes_processed = 0;  // socket writes of replies
  // Sampled by the cron (Server::OnCron) every 100 ms.
  InstantaneousMetric ops_per_sec, input_bytes_per_sec, output_bytes_per_sec;
};

}  // namespace strata
