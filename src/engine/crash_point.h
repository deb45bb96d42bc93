// Crash points for crash-consistency tests: when the environment variable STRATA_CRASH_AT
// names a point, the process exits abruptly (_exit, no cleanup) on reaching it. The points sit
// at background-job boundaries only, never on the per-write path.
//
//   sst-before-manifest        a flushed or compacted SST is synced, its edit not recorded
//   mid-manifest-record        half of a MANIFEST record is written
//   manifest-before-wal-delete a flush is recorded, the WAL segment it covered still exists
//   mid-compaction             a compaction has written one output file of several
#pragma once

#include <string_view>

namespace strata {

// Exit code of a process stopped at a crash point.
constexpr int kCrashPointExitCode = 86;

// True when STRATA_CRASH_AT names point.
bool CrashPointArmed(std::string_view point);
// Exits the process if point is armed.
void CrashPoint(std::string_view point);

}  // namespace strata
