// What tests may ask of the engine beyond the public DB: kept here, so that include/strata/
// carries no test hooks.
#pragma once

#include "engine/db_impl.h"
#include "strata/db.h"

namespace strata::testing {

// Seals the memtable and waits until it is flushed and no compaction is pending or running.
// REQUIRES: db came from DB::Open.
inline Status FlushAndCompact(DB* db) {
  return static_cast<DBImpl*>(db)->FlushAndWaitForBackgroundWork();
}

}  // namespace strata::testing
