#include "server/cold_reads.h"

#include <sys/resource.h>

#include <algorithm>

#include "server/client_registry.h"
#include "server/connection.h"
#include "server/dispatcher.h"
#include "server/server.h"

namespace strata {

void ColdReads::Park(ClientState& client, std::span<const std::string_view> args,
                     std::vector<std::string> keys) {
  client.park.active = true;
  client.park.args.assign(args.begin(), args.end());
  parked_++;
  parked_total_++;
  uint64_t id = client.id;
  server_->db().Prefetch(std::move(keys), [this, id] { ready_.push_back(id); });
}

void ColdReads::RunReady() {
  while (!ready_.empty()) {
    std::vector<uint64_t> ready;
    ready.swap(ready_);
    for (uint64_t id : ready) {
      parked_--;
      Connection* c = server_->clients().Find(id);
      if (c == nullptr) continue;  // gone while its reads ran
      ClientState& st = c->state();
      std::vector<std::string> args = std::move(st.park.args);
      std::vector<std::string_view> views(args.begin(), args.end());
      st.park = ParkState{.retry = true};
      server_->RefreshClock();
      server_->dispatcher().Execute(st, c->reply(), views);
      st.park.retry = false;
      c->Unblocked();  // sends the reply, goes on with the input
    }
  }
}

void ColdReads::WatchMemoryPressure() {
  struct rusage usage;
  getrusage(RUSAGE_THREAD, &usage);
  uint64_t faults = static_cast<uint64_t>(usage.ru_majflt);
  uint64_t evicted = server_->db().GetStats().mapped_blocks_evicted;
  bool pressure = faults > major_faults_ || evicted > evicted_;
  major_faults_ = faults;
  evicted_ = evicted;
  quiet_ticks_ = pressure ? 0 : std::min(quiet_ticks_ + 1, kPressureTicks);
  server_->keyspace().set_check_resident(checking_residency());
}

}  // namespace strata
