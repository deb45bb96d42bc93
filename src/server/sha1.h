// SHA-1 (FIPS 180-4), the name of a script: EVALSHA, SCRIPT LOAD and redis.sha1hex.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// The digest of data as 40 lower-case hex digits.
std::string Sha1Hex(std::string_view data);

}  // namespace strata
