// Geo on sorted sets, as Redis's geohash.c, geohash_helper.c and geo.c compute it, so that
// the same members give the same scores, distances and search results:
//   - a position's score is its 52-bit geohash: longitude in [-180, 180] and latitude in
//     [-85.05112878, 85.05112878] (the Web Mercator limits) each cut into 2^26 steps, the
//     latitude's bits in the even positions and the longitude's in the odd ones;
//   - a score decodes to the centre of its cell;
//   - distances are haversine on a sphere of radius 6,372,797.560856 m;
//   - a search covers the cell of a step fitted to the radius and its eight neighbours,
//     dropping the neighbours it provably does not need, and reads each as a score range.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace strata::types::geo {

constexpr double kLatMin = -85.05112878, kLatMax = 85.05112878;
constexpr double kLonMin = -180, kLonMax = 180;

struct Cell {
  uint64_t bits = 0;
  int step = 0;  // 0: none (a neighbour dropped)
};

// The score of a position (within the limits above).
uint64_t Encode(double lon, double lat);
// A score's position: false for a score that is no geohash.
bool Decode(double score, double* lon, double* lat);
// GEOHASH's 11 characters (standard geohash ranges, the last character 0).
std::string HashString(double lon, double lat);
// Meters between two positions.
double Distance(double lon1, double lat1, double lon2, double lat2);

// What a search looks for: within radius of the centre, or within a box width x height
// centred on it, all in meters.
struct Shape {
  double lon = 0, lat = 0;
  bool box = false;
  double radius = 0, width = 0, height = 0;
};
// Whether a position lies in the shape, and its distance from the centre.
bool Within(const Shape& s, double lon, double lat, double* distance);
// The cells to read, in Redis's order (the centre, N, S, E, W, NE, NW, SE, SW), dropped ones
// with step 0, and repeats (huge radiuses) dropped too.
std::array<Cell, 9> SearchCells(const Shape& s);
// A cell's scores: [*min, *max).
void ScoreRange(const Cell& c, uint64_t* min, uint64_t* max);

}  // namespace strata::types::geo
