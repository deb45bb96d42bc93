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

  // From the cron: under memory pressure, mapped blocks read before may have been evicted,
  // and a read of one would fault on the loop. Pressure is a major fault taken by the loop
  // since the last tick, or a block found evicted; while it lasts (and 10 s after) reads
  // check residency (Keyspace::set_check_resident), a mincore call per mapped block.
  void WatchMemoryPressure();

  size_t parked() const { return parked_; }
  bool checking_residency() const { return quiet_ticks_ < kPressureTicks; }
  uint64_t parked_total() const { return parked_total_; }

 private:
  Server* const server_;
  std::vector<uint64_t> ready_;  // clients whose reads are done, in the order they finished
  static constexpr int kPressureTicks = 100;  // 10 s of 100 ms cron ticks
  int quiet_ticks_ = kPressureTicks;
  uint64_t major_faults_ = 0, evicted_ = 0;  // as of the last tick
  size_t parked_ = 0;
  uint64_t parked_total_ = 0;
};

}  // namespace strata
