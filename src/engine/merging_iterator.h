// MergingIterator: one ordered view over several internal iterators (the active and sealed
// memtables). Children are few, so the smallest/largest child is found by a linear scan.
#pragma once

#include <memory>
#include <vector>

#include "engine/dbformat.h"

namespace strata {

std::unique_ptr<InternalIterator> NewMergingIterator(
    std::vector<std::unique_ptr<InternalIterator>> children);

}  // namespace strata
