// Dispatcher: one command from a client, start to end, in this order — resolve the name (and
// subcommand) and check the arity, check AUTH, queue it inside MULTI, refuse writes while the
// engine refuses them (-MISCONF), call the handler (timed: INFO commandstats, the slow log,
// the latency monitor, MONITOR), commit its staged writes as one batch (a failed commit turns
// the reply into the error), wake the clients blocked on keys it filled. Error replies are
// counted (INFO errorstats) wherever they are made. Loop thread only.
#pragma once

#include <span>
#include <string_view>

#include "server/command.h"

namespace strata {

class Server;

class Dispatcher {
 public:
  explicit Dispatcher(Server* server) : server_(server) {}

  // Runs (or, inside MULTI, queues) one command for client, honouring CLIENT REPLY OFF/SKIP.
  void Execute(ClientState& client, ReplyBuilder& reply, std::span<const std::string_view> args);
  // Resolves args[0] (and a subcommand) to a command whose arity fits; nullptr after queueing
  // the error.
  const CommandSpec* Resolve(ReplyBuilder& reply, std::span<const std::string_view> args);
  // Runs a resolved command without committing, then accounts for it (Account).
  void Call(ClientState& client, ReplyBuilder& reply, const CommandSpec* cmd,
            std::span<const std::string_view> args);
  // Call in two halves, for EXEC, which accounts for its queue only once all of it ran: Run
  // returns the command's time in microseconds, or -1 when a cold read undid it.
  int64_t Run(ClientState& client, ReplyBuilder& reply, const CommandSpec* cmd,
              std::span<const std::string_view> args);
  // The command's calls and time, SLOWLOG, LATENCY and MONITOR.
  void Account(ClientState& client, const CommandSpec* cmd, std::span<const std::string_view> args,
               int64_t us);

 private:
  // Execute without CLIENT REPLY handling; returns the command run (nullptr: refused).
  const CommandSpec* Dispatch(ClientState& client, ReplyBuilder& reply,
                              std::span<const std::string_view> args);
  void Reject(ReplyBuilder& reply, std::string_view error);

  Server* const server_;
};

}  // namespace strata
