#include "types/geohash.h"

#include <algorithm>
#include <cmath>

namespace strata::types::geo {
namespace {

constexpr int kStepMax = 26;
constexpr double kEarthRadius = 6372797.560856;
constexpr double kMercatorMax = 20037726.37;
constexpr double kDegToRad = M_PI / 180.0;

struct Range {
  double min, max;
};
constexpr Range kLon{kLonMin, kLonMax}, kLat{kLatMin, kLatMax};

double Rad(double d) { return d * kDegToRad; }
double Deg(double r) { return r / kDegToRad; }

// The latitude's bits in the even positions, the longitude's in the odd ones.
uint64_t Interleave(uint32_t lat, uint32_t lon) {
  uint64_t out = 0;
  for (int i = 0; i < 32; ++i) {
    out |= static_cast<uint64_t>((lat >> i) & 1) << (2 * i);
    out |= static_cast<uint64_t>((lon >> i) & 1) << (2 * i + 1);
  }
  return out;
}

void Deinterleave(uint64_t bits, uint32_t* lat, uint32_t* lon) {
  *lat = *lon = 0;
  for (int i = 0; i < 32; ++i) {
    *lat |= static_cast<uint32_t>((bits >> (2 * i)) & 1) << i;
    *lon |= static_cast<uint32_t>((bits >> (2 * i + 1)) & 1) << i;
  }
}

Cell EncodeIn(Range lon_r, Range lat_r, double lon, double lat, int step) {
  double lat_offset = (lat - lat_r.min) / (lat_r.max - lat_r.min);
  double lon_offset = (lon - lon_r.min) / (lon_r.max - lon_r.min);
  lat_offset *= static_cast<double>(uint64_t{1} << step);
  lon_offset *= static_cast<double>(uint64_t{1} << step);
  return {Interleave(static_cast<uint32_t>(lat_offset), static_cast<uint32_t>(lon_offset)), step};
}

struct Area {
  Range lon, lat;
};

Area DecodeArea(Cell c) {
  uint32_t ilat, ilon;
  Deinterleave(c.bits, &ilat, &ilon);
  double cells = static_cast<double>(uint64_t{1} << c.step);
  double lat_scale = kLat.max - kLat.min, lon_scale = kLon.max - kLon.min;
  return {{kLon.min + (ilon * 1.0 / cells) * lon_scale,
           kLon.min + ((ilon + 1.0) * 1.0 / cells) * lon_scale},
          {kLat.min + (ilat * 1.0 / cells) * lat_scale,
           kLat.min + ((ilat + 1.0) * 1.0 / cells) * lat_scale}};
}

// One cell east or west (the odd bits, d: +1 or -1).
Cell MoveX(Cell c, int d) {
  uint64_t x = c.bits & 0xaaaaaaaaaaaaaaaaull, y = c.bits & 0x5555555555555555ull;
  uint64_t zz = 0x5555555555555555ull >> (64 - c.step * 2);
  if (d > 0) {
    x = x + (zz + 1);
  } else {
    x = x | zz;
    x = x - (zz + 1);
  }
  x &= 0xaaaaaaaaaaaaaaaaull >> (64 - c.step * 2);
  return {x | y, c.step};
}

// One cell north or south (the even bits).
Cell MoveY(Cell c, int d) {
  uint64_t x = c.bits & 0xaaaaaaaaaaaaaaaaull, y = c.bits & 0x5555555555555555ull;
  uint64_t zz = 0xaaaaaaaaaaaaaaaaull >> (64 - c.step * 2);
  if (d > 0) {
    y = y + (zz + 1);
  } else {
    y = y | zz;
    y = y - (zz + 1);
  }
  y &= 0x5555555555555555ull >> (64 - c.step * 2);
  return {x | y, c.step};
}

// The cell, then N, S, E, W, NE, NW, SE, SW.
std::array<Cell, 9> WithNeighbours(Cell c) {
  return {c,
          MoveY(c, 1),
          MoveY(c, -1),
          MoveX(c, 1),
          MoveX(c, -1),
          MoveY(MoveX(c, 1), 1),
          MoveY(MoveX(c, -1), 1),
          MoveY(MoveX(c, 1), -1),
          MoveY(MoveX(c, -1), -1)};
}

int StepsForRadius(double meters, double lat) {
  if (meters == 0) return 26;
  int step = 1;
  while (meters < kMercatorMax) {
    meters *= 2;
    step++;
  }
  step -= 2;  // so that the radius is inside in most cases
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  return std::clamp(step, 1, 26);
}

double LatDistance(double lat1, double lat2) {
  return kEarthRadius * std::fabs(Rad(lat2) - Rad(lat1));
}

}  // namespace

uint64_t Encode(double lon, double lat) {
  return EncodeIn(kLon, kLat, lon, lat, kStepMax).bits;  // step 26: 52 bits
}

bool Decode(double score, double* lon, double* lat) {
  if (std::isnan(score)) return false;
  auto bits = score <= 0 ? 0 : score >= 0x1p64 ? UINT64_MAX : static_cast<uint64_t>(score);
  Area a = DecodeArea({bits, kStepMax});
  *lon = std::clamp((a.lon.min + a.lon.max) / 2, kLonMin, kLonMax);
  *lat = std::clamp((a.lat.min + a.lat.max) / 2, kLatMin, kLatMax);
  return true;
}

std::string HashString(double lon, double lat) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  uint64_t bits = EncodeIn({-180, 180}, {-90, 90}, lon, lat, kStepMax).bits;
  std::string out;
  for (int i = 0; i < 11; ++i) {
    // 52 bits make ten characters and two bits; Redis has always written 11, the last 0.
    int idx = i == 10 ? 0 : static_cast<int>((bits >> (52 - (i + 1) * 5)) & 0x1f);
    out.push_back(kAlphabet[idx]);
  }
  return out;
}

double Distance(double lon1, double lat1, double lon2, double lat2) {
  double v = std::sin((Rad(lon2) - Rad(lon1)) / 2);
  if (v == 0.0) return LatDistance(lat1, lat2);  // the same meridian
  double u = std::sin((Rad(lat2) - Rad(lat1)) / 2);
  double a = u * u + std::cos(Rad(lat1)) * std::cos(Rad(lat2)) * v * v;
  return 2.0 * kEarthRadius * std::asin(std::sqrt(a));
}

bool Within(const Shape& s, double lon, double lat, double* distance) {
  if (!s.box) {
    *distance = Distance(s.lon, s.lat, lon, lat);
    return *distance <= s.radius;
  }
  // The latitude's distance is cheaper: it goes first.
  if (LatDistance(lat, s.lat) > s.height / 2) return false;
  if (Distance(lon, lat, s.lon, lat) > s.width / 2) return false;
  *distance = Distance(s.lon, s.lat, lon, lat);
  return true;
}

std::array<Cell, 9> SearchCells(const Shape& s) {
  // The shape's bounding box.
  double height = s.box ? s.height / 2 : s.radius, width = s.box ? s.width / 2 : s.radius;
  double lat_delta = Deg(height / kEarthRadius);
  double lon_delta_top = Deg(width / kEarthRadius / std::cos(Rad(s.lat + lat_delta)));
  double lon_delta_bottom = Deg(width / kEarthRadius / std::cos(Rad(s.lat - lat_delta)));
  bool south = s.lat < 0;  // the box is widest at the edge nearer the equator
  double min_lon = s.lon - (south ? lon_delta_bottom : lon_delta_top);
  double max_lon = s.lon + (south ? lon_delta_bottom : lon_delta_top);
  double min_lat = s.lat - lat_delta, max_lat = s.lat + lat_delta;

  double radius = s.box ? std::sqrt(width * width + height * height) : s.radius;
  int steps = StepsForRadius(radius, s.lat);
  std::array<Cell, 9> cells = WithNeighbours(EncodeIn(kLon, kLat, s.lon, s.lat, steps));
  // Near a cell's edge the step may be too fine for the neighbours to cover the shape.
  Area n = DecodeArea(cells[1]), so = DecodeArea(cells[2]), e = DecodeArea(cells[3]),
       w = DecodeArea(cells[4]);
  bool coarser =
      n.lat.max < max_lat || so.lat.min > min_lat || e.lon.max < max_lon || w.lon.min > min_lon;
  if (steps > 1 && coarser) {
    steps--;
    cells = WithNeighbours(EncodeIn(kLon, kLat, s.lon, s.lat, steps));
  }
  Area area = DecodeArea(cells[0]);
  // Neighbours the shape cannot reach.
  if (steps >= 2) {
    auto drop = [&](std::initializer_list<int> which) {
      for (int i : which) cells[i] = Cell{};
    };
    if (area.lat.min < min_lat) drop({2, 8, 7});  // S, SW, SE
    if (area.lat.max > max_lat) drop({1, 5, 6});  // N, NE, NW
    if (area.lon.min < min_lon) drop({4, 8, 6});  // W, SW, NW
    if (area.lon.max > max_lon) drop({3, 7, 5});  // E, SE, NE
  }
  // With huge radiuses neighbours repeat; Redis skips one equal to the last cell it read
  // (after the first: the centre is never compared).
  int last = 0;
  for (int i = 0; i < 9; ++i) {
    if (cells[i].step == 0) continue;
    if (last != 0 && cells[i].bits == cells[last].bits && cells[i].step == cells[last].step) {
      cells[i] = Cell{};
      continue;
    }
    last = i;
  }
  return cells;
}

void ScoreRange(const Cell& c, uint64_t* min, uint64_t* max) {
  *min = c.bits << (52 - c.step * 2);
  *max = (c.bits + 1) << (52 - c.step * 2);
}

}  // namespace strata::types::geo
