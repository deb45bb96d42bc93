// An iterator over the engine's keys in [lower, upper) as they will be once the writes
// staged in the keyspace (not yet committed) are applied: staged puts appear, staged
// deletions hide the engine's entry. Lets a command (or a transaction) read what it wrote.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "strata/db.h"

namespace strata::types {

// Staged writes by engine key: a value, or nullopt for a deletion.
using Overlay = std::map<std::string, std::optional<std::string>, std::less<>>;

// overlay must outlive the iterator and not change while it is used. Empty bounds mean
// unbounded.
std::unique_ptr<Iterator> NewStagedIterator(DB* db, const Overlay* overlay, std::string lower,
                                            std::string upper);

}  // namespace strata::types
