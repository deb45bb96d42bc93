// Small text helpers shared by the server and the commands.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata {

bool EqualsNoCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
// Splits s at sep, dropping empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);

// Redis's string2ll: an optional '-', then digits without leading zeros ("0" alone is fine),
// no spaces or '+', within the range of long long.
bool ParseLongLong(std::string_view s, long long* out);

// Redis's string2ld: what strtold accepts, whole, no leading space, not NaN, not overflowing.
bool ParseLongDouble(std::string_view s, long double* out);
// Redis's string2d: strtod's syntax (inf, -inf accepted), whole, no leading space, not NaN.
bool ParseDouble(std::string_view s, double* out);

// Redis's "human" long double form (INCRBYFLOAT): 17 decimals, trailing zeros cut.
std::string FormatLongDouble(long double v);

}  // namespace strata
