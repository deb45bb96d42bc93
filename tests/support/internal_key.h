// A model of internal keys for tests: std::map<IKey, value> orders entries exactly as the
// engine does (user key ascending, then trailer descending).
#pragma once

#include <cstdint>
#include <string>

#include "engine/dbformat.h"

namespace strata::testing {

struct IKey {
  std::string key;
  uint64_t trailer;
  bool operator<(const IKey& o) const { return CompareInternal(key, trailer, o.key, o.trailer) < 0; }
};

}  // namespace strata::testing
