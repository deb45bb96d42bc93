// Logging in Redis's line format: "pid:M 24 Nov 2026 21:18:36.123 * message".
// Loop thread, or any thread: each line is one write.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace strata {

enum class LogLevel { kDebug = 0, kVerbose, kNotice, kWarning };

// Parses "debug", "verbose", "notice", "warning"; false when unknown.
bool ParseLogLevel(std::string_view name, LogLevel* level);
std::string_view LogLevelName(LogLevel level);

void SetLogLevel(LogLevel level);
// Empty path logs to standard output. Returns an error text, empty on success.
std::string SetLogFile(const std::string& path);
bool LogEnabled(LogLevel level);
void LogLine(LogLevel level, std::string_view message);

template <typename... Args>
void Log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (LogEnabled(level)) LogLine(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace strata
