#include "server/checkpoints.h"

#include <ctime>
#include <functional>

#include "server/log.h"
#include "server/server.h"
#include "strata/db.h"

namespace strata {

Checkpoints::Checkpoints(DB* db, const std::string* dir, int64_t now_ms) : db_(db), dir_(dir) {
  state_.last_save_s = now_ms / 1000;
}

Status Checkpoints::Take(bool background) {
  int64_t now = Server::NowMs();
  time_t secs = static_cast<time_t>(now / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char name[64];
  std::snprintf(name, sizeof(name), "/checkpoint-%04d%02d%02d-%02d%02d%02d.%03d",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(now % 1000));
  std::string dir = *dir_ + name;
  auto finished = [this, dir](Status s) {
    state_.in_progress = false;
    state_.last_ok = s.ok();
    state_.last_duration_s = (Server::NowMs() - state_.started_ms) / 1000;
    if (s.ok()) {
      state_.last_save_s = Server::NowMs() / 1000;
      state_.saves++;
      state_.last_dir = dir;
      Log(LogLevel::kNotice, "Checkpoint saved in {}", dir);
    } else {
      Log(LogLevel::kWarning, "Checkpoint in {} failed: {}", dir, s.ToString());
    }
  };
  state_.started_ms = now;
  state_.in_progress = background;
  Status s = db_->Checkpoint(dir, background ? std::function<void(Status)>(finished) : nullptr);
  if (!s.ok() || !background) finished(s);
  return s;
}

}  // namespace strata
