// Server::ServeWhileBusy: the loop's work, done by hand while a script holds the loop (see
// server/script_run.h). libuv's loop cannot run from inside one of its own callbacks, so the
// sockets are polled here directly; what libuv would have read is read now, and libuv later
// finds the sockets drained.
#include <poll.h>

#include <vector>

#include "server/connection.h"
#include "server/listener.h"
#include "server/log.h"
#include "server/server.h"

namespace strata {

void Server::ServeWhileBusy() {
  ScriptRun& run = script_run_;
  if (!run.busy) {
    run.busy = true;
    Log(LogLevel::kWarning,
        "Slow script detected: still in execution after {} milliseconds. You can try killing "
        "the script using the {} command. Script name is: {}.",
        NowMs() - run.start_ms, run.function ? "FUNCTION KILL" : "SCRIPT KILL", run.name);
    // The replies of the commands that ran before the script, in this turn, wait for their
    // log bytes; the script's own writes are staged, not in them.
    if (db_->FlushWal().ok()) clients_->FlushPending(run.client_id);
  }
  RefreshClock();
  std::vector<pollfd> fds;
  std::vector<uint64_t> ids;
  clients_->ForEachConnection([&](Connection* c) {
    if (c->state().id == run.client_id || c->state().fd < 0) return;
    fds.push_back(pollfd{c->state().fd, POLLIN, 0});
    ids.push_back(c->state().id);
  });
  std::vector<int> listening = listener_->fds();
  for (int fd : listening) fds.push_back(pollfd{fd, POLLIN, 0});
  if (poll(fds.data(), fds.size(), 0) <= 0) return;
  static char buf[16 * 1024];
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    // An earlier client's command may have closed this one (CLIENT KILL is allow-busy).
    if (Connection* c = clients_->Find(ids[i])) c->ReadNow(buf, sizeof(buf));
  }
  for (size_t i = 0; i < listening.size(); ++i) {
    if (fds[ids.size() + i].revents & POLLIN) listener_->AcceptNow(listening[i]);
  }
  clients_->FlushPending(run.client_id);
}

}  // namespace strata
