// ColdReads: commands whose data is not in memory, served without stalling the loop.
//
// The dispatcher runs every command with the keyspace's reads in cache-only mode. When one
// needs a block that is not in memory (types/keyspace.h, ReadOptions::cache_only), its work is
// undone and the client parked here, as a blocked client is: its later pipelined commands
// wait, everyone else is served. The engine's read threads fetch the keys (DB::Prefetch), many
// clients' reads in flight at once; when they are in, the command runs again — reading on the
// loop if something was evicted meanwhile, so it runs at most twice — and the client's input
// goes on. A client that disconnects while parked is forgotten. Loop thread only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command.h"

namespace strata {

class Server;

class ColdReads {
 public:
  explicit ColdReads(Server* server) : server_(server) {}

  // client's command (args) needs keys (engine keys) that are not in memory.
  void Park(ClientState& client, std::span<const std::string_view> args,
            std::vector<std::string> keys);
  // Runs the commands whose reads are done (from the loop's wake-up, never inside the
  // engine's calls: a command commits).
  void RunReady();

  size_t parked() const { return parked_; }
  uint64_t parked_total() const { return parked_total_; }

 private:
  Server* const server_;
  std::vector<uint64_t> ready_;  // clients whose reads are done, in the order they finished
  size_t parked_ = 0;
  uint64_t parked_total_ = 0;
};

}  // namespace strata
