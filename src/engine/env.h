// The fault-injecting Env of the tests (the Env itself is public: strata/env.h).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "strata/env.h"

namespace strata {

// An Env that fails on demand, for tests: the next appends fail with ENOSPC (after writing
// nothing), or every sync fails, until cleared.
class FaultInjectionEnv : public Env {
 public:
  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override;

  std::atomic<bool> fail_appends{false};
  std::atomic<bool> fail_syncs{false};

  // A power loss: copies what would survive of every file in dir into the directory to, that
  // is the synced prefix of each file this env opened (bytes present when it was opened
  // count as synced) and every other file whole.
  Status CopySyncedState(const std::string& dir, const std::string& to);

 private:
  friend class FaultyFile;
  std::mutex mu_;
  std::map<std::string, uint64_t> synced_;  // path -> synced bytes
};

}  // namespace strata
