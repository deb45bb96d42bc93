#include "server/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace strata {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kNotice};
std::mutex g_mu;
FILE* g_file = nullptr;  // nullptr: stdout

constexpr std::string_view kNames[] = {"debug", "verbose", "notice", "warning"};

}  // namespace

bool ParseLogLevel(std::string_view name, LogLevel* level) {
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (name == kNames[i]) {
      *level = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

std::string_view LogLevelName(LogLevel level) { return kNames[static_cast<int>(level)]; }

void SetLogLevel(LogLevel level) { g_level.store(level); }

std::string SetLogFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_mu);
  FILE* f = nullptr;
  if (!path.empty()) {
    f = std::fopen(path.c_str(), "a");
    if (f == nullptr) return "Can't open the log file: " + path;
  }
  if (g_file != nullptr) std::fclose(g_file);
  g_file = f;
  return {};
}

bool LogEnabled(LogLevel level) { return level >= g_level.load(std::memory_order_relaxed); }

void LogLine(LogLevel level, std::string_view message) {
  static constexpr char kMarks[] = {'.', '-', '*', '#'};
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  struct tm tm;
  localtime_r(&tv.tv_sec, &tm);
  char when[64];
  size_t n = std::strftime(when, sizeof(when), "%d %b %Y %H:%M:%S", &tm);
  std::string line = fmt::format("{}:M {}.{:03d} {} {}\n", getpid(), std::string_view(when, n),
                                 static_cast<int>(tv.tv_usec / 1000),
                                 kMarks[static_cast<int>(level)], message);
  std::lock_guard<std::mutex> lock(g_mu);
  FILE* out = g_file != nullptr ? g_file : stdout;
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

}  // namespace strata
