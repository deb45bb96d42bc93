// Checkpoints: a consistent copy of the database as of one sequence number, in a new
// directory on the same file system, that DB::Open opens like any database.
//
//   NNNNNN.sst        hard links to the live tables (immutable, so sharing them is safe)
//   NNNNNN.log        hard links to sealed log segments; the active one copied up to its
//                     size at the checkpoint (bytes before that never change)
//   MANIFEST-NNNNNN   the live MANIFEST copied up to its size at the checkpoint
//   CURRENT           written last: a directory without it is not a checkpoint
//
// The plan is made on the loop thread at one instant (hard links, and open descriptors of
// the files to copy, so a file deleted meanwhile can still be read); copying can then run on
// any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/env.h"
#include "strata/status.h"

namespace strata {

class CheckpointPlan {
 public:
  CheckpointPlan() = default;
  CheckpointPlan(CheckpointPlan&& other) noexcept;
  CheckpointPlan& operator=(CheckpointPlan&&) = delete;
  ~CheckpointPlan();

  // Creates dir (which must not exist) and hard-links the given files into it.
  Status Begin(const std::string& dir, const std::vector<std::string>& link_paths);
  // A file copied into dir later, up to `size` bytes; opened now.
  Status CopyLater(const std::string& path, uint64_t size);
  // Copies, writes CURRENT (naming manifest_name) with env's WriteFileAtomically, syncs
  // everything. On failure the directory is removed.
  Status Finish(Env* env, const std::string& manifest_name);

 private:
  struct Copy {
    int fd;
    std::string name;
    uint64_t size;
  };
  std::string dir_;
  std::vector<Copy> copies_;
};

}  // namespace strata
