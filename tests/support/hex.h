// Test data written as hex digits ("0a00ff" -> three bytes).
#pragma once

#include <string>
#include <string_view>

namespace strata::testing {

inline std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

}  // namespace strata::testing
