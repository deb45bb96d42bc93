// What INFO's Stats section counts, Redis's "instantaneous" rates and the per-command latency
// histograms of INFO latencystats. Loop thread only.
#pragma once

#include <array>
#include <bit>
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

// Latencies in microseconds, counted in log-linear buckets: exact below 8 us, then 8 buckets
// per power of two (within 12.5%), as Redis's HdrHistogram reports them to about 2 digits.
class LatencyHistogram {
 public:
  void Record(uint64_t us) {
    buckets_[Bucket(us)]++;
    count_++;
  }
  uint64_t count() const { return count_; }
  void Reset() {
    buckets_.fill(0);
    count_ = 0;
  }
  // The value at or below which `percent` of the samples lie (the bucket's upper bound).
  double Percentile(double percent) const {
    if (count_ == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(percent / 100.0 * static_cast<double>(count_) + 0.5);
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
      seen += buckets_[i];
      if (seen >= rank) return static_cast<double>(UpperBound(i));
    }
    return static_cast<double>(UpperBound(buckets_.size() - 1));
  }

 private:
  static constexpr size_t kSub = 8, kOctaves = 40;
  static size_t Bucket(uint64_t v) {
    if (v < kSub) return static_cast<size_t>(v);
    int octave = std::bit_width(v) - 1;  // >= 3
    size_t sub = static_cast<size_t>((v >> (octave - 3)) & (kSub - 1));
    size_t i = static_cast<size_t>(octave - 2) * kSub + sub;
    return i < kSub * kOctaves ? i : kSub * kOctaves - 1;
  }
  static uint64_t UpperBound(size_t i) {
    if (i < kSub) return i;
    int octave = static_cast<int>(i / kSub) + 2;
    uint64_t sub = i % kSub;
    return ((kSub + sub + 1) << (octave - 3)) - 1;
  }

  std::array<uint32_t, kSub * kOctaves> buckets_{};
  uint64_t count_ = 0;
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
  uint64_t evicted_keys = 0;
  uint64_t total_reads_processed = 0;   // socket reads that brought input
  uint64_t total_writes_processed = 0;  // socket writes of replies
  // Sampled by the cron (Server::OnCron) every 100 ms.
  InstantaneousMetric ops_per_sec, input_bytes_per_sec, output_bytes_per_sec;
};

}  // namespace strata
