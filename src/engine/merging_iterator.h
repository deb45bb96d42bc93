// MergingIterator: one ordered view over several internal iterators (memtables, level-0
// tables, deeper levels), kept in a binary heap. Entries that compare equal cannot occur:
// every entry has its own seqno.
#pragma once

#include <memory>
#include <vector>

#include "engine/dbformat.h"

namespace strata {

std::unique_ptr<InternalIterator> NewMergingIterator(
    std::vector<std::unique_ptr<InternalIterator>> children);

}  // namespace strata
