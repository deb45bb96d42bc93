// Checkpoints: SAVE and BGSAVE. Each makes a consistent copy of the database in a new
// directory under `dir` (DB::Checkpoint: hard links to the tables, a copied log tail), and
// SaveState is what INFO persistence and LASTSAVE report of them. Loop thread only.
#pragma once

#include <cstdint>
#include <string>

#include "strata/status.h"

namespace strata {

class DB;

struct SaveState {
  bool in_progress = false;
  bool last_ok = true;
  int64_t last_save_s = 0;       // unix time of the last successful checkpoint (or start)
  int64_t started_ms = 0;        // of the one in progress
  int64_t last_duration_s = -1;  // of the last BGSAVE
  uint64_t saves = 0;
  std::string last_dir;  // the last successful checkpoint
};

class Checkpoints {
 public:
  Checkpoints(DB* db, const std::string* dir, int64_t now_ms);

  const SaveState& state() const { return state_; }
  // A checkpoint in a new directory under dir: SAVE (background = false, done when it
  // returns) or BGSAVE (the copy runs on the engine's workers; state() follows it).
  Status Take(bool background);

 private:
  DB* const db_;
  const std::string* const dir_;  // the config's, which CONFIG SET dir may change
  SaveState state_;
};

}  // namespace strata
