// GETs with Zipf-distributed keys, which Debian's redis-benchmark cannot draw: `clients`
// connections, one request in flight each (like redis-benchmark -P 1), for `seconds`.
//
//   zipf_get PORT RANGE CLIENTS SECONDS [THETA] [SET_BYTES WARMUP_GETS GETS]
//
// With SET_BYTES, a cache's workload: a GET that misses is followed by a SET of the key (a
// value of SET_BYTES). Then the first WARMUP_GETS GETs (over all clients) are not counted and
// the next GETS are (SECONDS only caps the run): every server compared sees the same key
// sequence per client for as long, whatever its speed, so hit ratios compare exactly.
// Keys are key:<12 digits> (redis-benchmark's names) over [0, RANGE). Ranks follow
// Zipf(THETA, default 0.99) and are scattered over the range by a hash (YCSB's scrambled
// Zipfian), so the hot keys are not neighbours in one block. Prints one line: GETs/s, hit
// rate, and p50/p99/p99.9 latency in milliseconds.
#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

// Gray et al.'s Zipfian generator ("Quickly generating billion-record synthetic databases").
class Zipf {
 public:
  Zipf(uint64_t n, double theta) : n_(n), theta_(theta) {
    for (uint64_t i = 1; i <= n; ++i) zeta_n_ += 1.0 / std::pow(static_cast<double>(i), theta);
    double zeta2 = 1.0 + 1.0 / std::pow(2.0, theta);
    alpha_ = 1.0 / (1.0 - theta);
    eta_ = (1.0 - std::pow(2.0 / static_cast<double>(n), 1.0 - theta)) / (1.0 - zeta2 / zeta_n_);
  }
  uint64_t Next(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    double uz = u * zeta_n_;
    if (uz < 1.0) return 0;
    if (uz < 1.0 + std::pow(0.5, theta_)) return 1;
    return static_cast<uint64_t>(static_cast<double>(n_) *
                                 std::pow(eta_ * u - eta_ + 1.0, alpha_)) %
           n_;
  }

 private:
  uint64_t n_;
  double theta_, zeta_n_ = 0, alpha_ = 0, eta_ = 0;
};

uint64_t Scramble(uint64_t rank) {  // FNV-1a over the rank's bytes
  uint64_t h = 14695981039346656037ull;
  for (int i = 0; i < 8; ++i) {
    h ^= (rank >> (8 * i)) & 0xff;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(
        stderr,
        "usage: zipf_get PORT RANGE CLIENTS SECONDS [THETA] [SET_BYTES WARMUP_GETS GETS [SEED]]\n");
    return 2;
  }
  int port = std::atoi(argv[1]);
  uint64_t range = std::strtoull(argv[2], nullptr, 10);
  int clients = std::atoi(argv[3]);
  double seconds = std::atof(argv[4]);
  double theta = argc > 5 ? std::atof(argv[5]) : 0.99;
  size_t set_bytes = argc > 6 ? std::strtoull(argv[6], nullptr, 10) : 0;
  uint64_t warmup_gets = argc > 7 ? std::strtoull(argv[7], nullptr, 10) / clients : 0;
  uint64_t counted_gets = argc > 8 ? std::strtoull(argv[8], nullptr, 10) / clients : UINT64_MAX;
  uint64_t seed = argc > 9 ? std::strtoull(argv[9], nullptr, 10) : 0;  // another key sequence
  const std::string value(set_bytes, 'v');
  const Zipf zipf(range, theta);
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::vector<double> spent(clients);  // seconds each client spent on counted GETs
  std::vector<uint64_t> sets(clients);
  std::vector<std::vector<float>> latencies(clients);
  std::vector<uint64_t> hits(clients);
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      redisContext* ctx = redisConnect("127.0.0.1", port);
      if (ctx == nullptr || ctx->err) {
        failed = true;
        return;
      }
      std::mt19937_64 rng(seed * 1000003 + c + 1);
      char key[32];
      std::chrono::steady_clock::time_point counted_from;
      for (uint64_t n = 0; n < warmup_gets + counted_gets; ++n) {
        if (n == warmup_gets) counted_from = std::chrono::steady_clock::now();
        if (std::chrono::steady_clock::now() >= end) break;
        std::snprintf(key, sizeof(key), "key:%012llu",
                      static_cast<unsigned long long>(Scramble(zipf.Next(rng)) % range));
        auto start = std::chrono::steady_clock::now();
        auto* reply = static_cast<redisReply*>(redisCommand(ctx, "GET %s", key));
        auto took = std::chrono::steady_clock::now() - start;
        if (reply == nullptr) {
          failed = true;
          break;
        }
        bool hit = reply->type == REDIS_REPLY_STRING;
        freeReplyObject(reply);
        if (!hit && set_bytes > 0) {
          reply = static_cast<redisReply*>(
              redisCommand(ctx, "SET %s %b", key, value.data(), value.size()));
          if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
            failed = true;
            break;
          }
          freeReplyObject(reply);
        }
        if (n < warmup_gets) continue;
        spent[c] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - counted_from).count();
        hits[c] += hit;
        sets[c] += !hit && set_bytes > 0;
        latencies[c].push_back(std::chrono::duration<float, std::milli>(took).count());
      }
      redisFree(ctx);
    });
  }
  for (auto& t : threads) t.join();
  if (failed) {
    std::fprintf(stderr, "zipf_get: a connection failed\n");
    return 1;
  }
  std::vector<float> all;
  uint64_t hit = 0, set = 0;
  double longest = 0;  // the counted phase's length: the slowest client's
  for (int c = 0; c < clients; ++c) {
    longest = std::max(longest, spent[c]);
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    hit += hits[c];
    set += sets[c];
  }
  std::sort(all.begin(), all.end());
  double elapsed = longest > 0 ? longest : seconds;
  auto pct = [&](double p) {
    return all.empty() ? 0.0f : all[std::min(all.size() - 1, static_cast<size_t>(all.size() * p))];
  };
  std::printf("gets %zu per_s %.0f hit %.4f p50 %.3f p99 %.3f p99.9 %.3f requests_per_s %.0f\n",
              all.size(), static_cast<double>(all.size()) / elapsed,
              all.empty() ? 0.0 : static_cast<double>(hit) / static_cast<double>(all.size()),
              pct(0.5), pct(0.99), pct(0.999), static_cast<double>(all.size() + set) / elapsed);
  return 0;
}
