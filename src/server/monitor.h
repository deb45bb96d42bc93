// What MONITOR clients and the slow log see of the commands the server runs: every command
// but the admin ones, as "<time> [<db> <addr>] "arg" ...", with secrets redacted.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command.h"

namespace strata {

class ClientRegistry;

// Passwords never reach the slow log or a monitor: AUTH's arguments, HELLO's AUTH pair and
// CONFIG SET requirepass's value read "(redacted)", as in Redis.
std::vector<std::string_view> RedactSecrets(const CommandSpec* cmd,
                                            std::span<const std::string_view> args);
// A string as redis-cli and MONITOR show it: quoted, with escapes for what is not printable.
std::string QuotedRepr(std::string_view s);

class Monitors {
 public:
  explicit Monitors(ClientRegistry* clients) : clients_(clients) {}

  bool empty() const { return ids_.empty(); }
  void Add(ClientState& client);
  void Remove(const ClientState& client);
  // Queues the line for cmd (run by client) to every monitor.
  void Feed(const ClientState& client, const CommandSpec* cmd,
            std::span<const std::string_view> args);

 private:
  ClientRegistry* const clients_;
  std::vector<uint64_t> ids_;
};

}  // namespace strata
