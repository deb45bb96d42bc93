// Versions reported by INFO, HELLO and --version.
#pragma once

namespace strata {

inline constexpr const char* kStrataVersion = "0.1.0";
// The Redis version Strata answers as: client libraries key features off it.
inline constexpr const char* kRedisCompatVersion = "7.2.0";

}  // namespace strata
