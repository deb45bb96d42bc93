// DBIter: turns an internal iterator (every version, tombstones) into the user's view at one
// seqno: the newest visible version of each key, deleted keys skipped, bounds respected.
#pragma once

#include <memory>
#include <string>

#include "engine/dbformat.h"
#include "strata/iterator.h"

namespace strata {

// lower/upper: empty means unbounded; the bytes are copied. pin is kept alive as long as the
// iterator (the Version whose files it reads).
std::unique_ptr<Iterator> NewDBIterator(std::unique_ptr<InternalIterator> internal,
                                        SequenceNumber seq, std::string_view lower,
                                        std::string_view upper,
                                        std::shared_ptr<const void> pin = nullptr);

}  // namespace strata
