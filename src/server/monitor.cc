#include "server/monitor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "server/client_registry.h"
#include "server/connection.h"
#include "util/text.h"

namespace strata {

std::vector<std::string_view> RedactSecrets(const CommandSpec* cmd,
                                            std::span<const std::string_view> args) {
  std::vector<std::string_view> out(args.begin(), args.end());
  constexpr std::string_view kRedacted = "(redacted)";
  if (cmd->full_name == "auth") {
    for (size_t i = 1; i < out.size(); ++i) out[i] = kRedacted;
  } else if (cmd->full_name == "hello") {
    for (size_t i = 2; i + 2 < out.size(); ++i) {
      if (EqualsNoCase(out[i], "auth")) out[i + 1] = out[i + 2] = kRedacted;
    }
  } else if (cmd->full_name == "config|set") {
    for (size_t i = 2; i + 1 < out.size(); i += 2) {
      if (EqualsNoCase(out[i], "requirepass")) out[i + 1] = kRedacted;
    }
  }
  return out;
}

std::string QuotedRepr(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (std::isprint(c)) {
          out += static_cast<char>(c);
        } else {
          out += fmt::format("\\x{:02x}", c);
        }
    }
  }
  return out + "\"";
}

void Monitors::Add(ClientState& client) {
  client.monitor = true;
  ids_.push_back(client.id);
}

void Monitors::Remove(const ClientState& client) {
  if (client.monitor) ids_.erase(std::remove(ids_.begin(), ids_.end(), client.id), ids_.end());
}

void Monitors::Feed(const ClientState& client, const CommandSpec* cmd,
                    std::span<const std::string_view> args) {
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  std::string line =
      fmt::format("{}.{:06} [{} {}]", us / 1'000'000, us % 1'000'000, client.db, client.addr);
  for (std::string_view a : RedactSecrets(cmd, args)) line += " " + QuotedRepr(a);
  for (uint64_t id : ids_) {
    Connection* c = clients_->Find(id);
    if (c == nullptr) continue;
    c->reply().SimpleString(line);
    clients_->QueueFlush(c);
  }
}

}  // namespace strata
