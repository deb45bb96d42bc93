// SHA-256 (FIPS 180-4), for ACL LIST, which shows a password as Redis does: '#' and the hex
// digest.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// The digest of data as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace strata
