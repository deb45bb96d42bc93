#include "server/slowlog.h"

#include <fmt/format.h>

namespace strata {

void SlowLog::Add(std::span<const std::string_view> args, int64_t time_s, int64_t duration_us,
                  const std::string& addr, const std::string& name, size_t max_len) {
  constexpr size_t kMaxArgs = 32, kMaxArgLen = 128;
  SlowLogEntry e{
      .id = next_id_++, .time_s = time_s, .duration_us = duration_us, .addr = addr, .name = name};
  size_t kept = std::min(args.size(), kMaxArgs);
  for (size_t i = 0; i < kept; ++i) {
    if (kept < args.size() && i == kept - 1) {
      e.args.push_back(fmt::format("... ({} more arguments)", args.size() - kept + 1));
    } else if (args[i].size() > kMaxArgLen) {
      e.args.push_back(fmt::format("{}... ({} more bytes)", args[i].substr(0, kMaxArgLen),
                                   args[i].size() - kMaxArgLen));
    } else {
      e.args.emplace_back(args[i]);
    }
  }
  entries_.push_front(std::move(e));
  Trim(max_len);
}

void SlowLog::Trim(size_t max_len) {
  while (entries_.size() > max_len) entries_.pop_back();
}

}  // namespace strata
