// Background jobs: flush (a sealed memtable becomes one level-0 SST) and compaction (SSTs of
// level n, and the overlapping ones of level n+1, are merged into new files of level n+1).
// Both run on a worker thread and read only immutable things; their results are installed by
// the loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/memtable.h"
#include "engine/table_builder.h"
#include "engine/table_cache.h"
#include "engine/version_set.h"

namespace strata {

// Decides whether a compaction drops an entry: true drops it. Called on worker threads.
using CompactionFilter = std::function<bool(std::string_view key, std::string_view value)>;

struct JobResult {
  Status status;
  std::vector<FileMeta> outputs;
  uint64_t bytes_read = 0, bytes_written = 0;
  uint64_t dropped = 0;  // entries not carried into the outputs
};

struct CompactionSpec {
  // Input files by level. Level-0 files may overlap each other; a deeper level's do not.
  std::vector<std::pair<int, Version::Files>> inputs;
  int output_level = 1;
  bool bottommost = false;  // no level below the output overlaps the key range
  std::vector<SequenceNumber> snapshots;  // ascending
  uint64_t first_file_number = 0;  // outputs are numbered from here
  uint64_t max_outputs = 0;        // numbers reserved for outputs
  uint64_t target_file_size = 0;
  bool rewrite = false;  // requested for a key range: run the filter even over a lone file

  uint64_t InputBytes() const;
  size_t InputFiles() const;
};

// Writes every entry of mem into one table. An empty memtable gives no output.
JobResult RunFlush(const MemTable& mem, uint64_t file_number, Env* env, const std::string& dir,
                   const TableOptions& options);

JobResult RunCompaction(const CompactionSpec& spec, TableCache* cache, Env* env,
                        const std::string& dir, const TableOptions& options,
                        const CompactionFilter& filter);

}  // namespace strata
