// Geo commands on sorted sets (types/geohash.h): GEOADD GEOPOS GEODIST GEOHASH GEOSEARCH
// GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and their _RO forms, parsed and answered as
// Redis 7.0's geo.c does.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "commands/registry.h"
#include "commands/util.h"
#include "types/geohash.h"
#include "types/zset.h"
#include "util/text.h"

namespace strata {
namespace {

namespace geo = types::geo;
using types::Zset;

bool DoubleOrReply(CommandContext& ctx, std::string_view arg, double* out,
                   std::string_view error = errors::kNotFloat) {
  if (ParseDouble(arg, out)) return true;
  return ErrorReply(ctx, error), false;
}

bool LonLatOrReply(CommandContext& ctx, size_t at, double* lon, double* lat) {
  if (!DoubleOrReply(ctx, ctx.args[at], lon) || !DoubleOrReply(ctx, ctx.args[at + 1], lat)) {
    return false;
  }
  if (*lon < geo::kLonMin || *lon > geo::kLonMax || *lat < geo::kLatMin || *lat > geo::kLatMax) {
    return ErrorReply(ctx, errors::GeoInvalidLonLat(*lon, *lat)), false;
  }
  return true;
}

bool UnitOrReply(CommandContext& ctx, std::string_view unit, double* to_meters) {
  if (EqualsNoCase(unit, "m")) return *to_meters = 1, true;
  if (EqualsNoCase(unit, "km")) return *to_meters = 1000, true;
  if (EqualsNoCase(unit, "ft")) return *to_meters = 0.3048, true;
  if (EqualsNoCase(unit, "mi")) return *to_meters = 1609.34, true;
  return ErrorReply(ctx, errors::kGeoUnit), false;
}

void ReplyDistance(CommandContext& ctx, double d) {
  char buf[128];
  int n = std::snprintf(buf, sizeof(buf), "%.4f", d);
  ctx.reply.Bulk(std::string_view(buf, static_cast<size_t>(n)));
}

void ReplyCoordinate(CommandContext& ctx, double v) { ctx.reply.DoubleText(FormatLongDouble(v)); }

// The position of each member (nullopt: missing); false (replied) for another type.
bool PositionsOrReply(CommandContext& ctx, std::span<const std::string_view> members,
                      std::vector<std::optional<std::pair<double, double>>>* out) {
  auto scores = Zset::Scores(Op(ctx), ctx.args[1], members);
  if (!OkOrReply(ctx, scores)) return false;
  for (const auto& s : *scores) {
    double lon, lat;
    if (s && geo::Decode(*s, &lon, &lat)) {
      out->emplace_back(std::make_pair(lon, lat));
    } else {
      out->emplace_back(std::nullopt);
    }
  }
  return true;
}

void CmdGeoadd(CommandContext& ctx) {
  Zset::AddFlags flags;
  bool ch = false;
  size_t at = 2;
  for (; at < ctx.args.size(); ++at) {
    std::string_view a = ctx.args[at];
    if (EqualsNoCase(a, "NX")) {
      flags.nx = true;
    } else if (EqualsNoCase(a, "XX")) {
      flags.xx = true;
    } else if (EqualsNoCase(a, "CH")) {
      ch = true;
    } else {
      break;
    }
  }
  size_t rest = ctx.args.size() - at;
  if (rest % 3 != 0 || rest == 0 || (flags.nx && flags.xx)) return ErrorReply(ctx, errors::kSyntax);
  std::vector<double> scores;
  std::vector<std::string_view> members;
  for (size_t i = at; i < ctx.args.size(); i += 3) {
    double lon, lat;
    if (!LonLatOrReply(ctx, i, &lon, &lat)) return;
    scores.push_back(static_cast<double>(geo::Encode(lon, lat)));
    members.push_back(ctx.args[i + 2]);
  }
  auto r = Zset::Add(Op(ctx), ctx.args[1], flags, scores, members);
  if (!OkOrReply(ctx, r)) return;
  if (r->added + r->changed > 0) Notify(ctx, kNotifyZSet, "zadd", ctx.args[1]);
  ctx.reply.Integer(static_cast<long long>(ch ? r->added + r->changed : r->added));
}

void CmdGeopos(CommandContext& ctx) {
  std::vector<std::optional<std::pair<double, double>>> pos;
  if (!PositionsOrReply(ctx, ctx.args.subspan(2), &pos)) return;
  ctx.reply.ArrayHeader(pos.size());
  for (const auto& p : pos) {
    if (!p) {
      ctx.reply.NullArray();
      continue;
    }
    ctx.reply.ArrayHeader(2);
    ReplyCoordinate(ctx, p->first);
    ReplyCoordinate(ctx, p->second);
  }
}

void CmdGeohash(CommandContext& ctx) {
  std::vector<std::optional<std::pair<double, double>>> pos;
  if (!PositionsOrReply(ctx, ctx.args.subspan(2), &pos)) return;
  ctx.reply.ArrayHeader(pos.size());
  for (const auto& p : pos) {
    if (p) {
      ctx.reply.Bulk(geo::HashString(p->first, p->second));
    } else {
      ctx.reply.Null();
    }
  }
}

void CmdGeodist(CommandContext& ctx) {
  double to_meters = 1;
  if (ctx.args.size() == 5) {
    if (!UnitOrReply(ctx, ctx.args[4], &to_meters)) return;
  } else if (ctx.args.size() > 5) {
    return ErrorReply(ctx, errors::kSyntax);
  }
  std::vector<std::optional<std::pair<double, double>>> pos;
  if (!PositionsOrReply(ctx, ctx.args.subspan(2, 2), &pos)) return;
  if (!pos[0] || !pos[1]) return ctx.reply.Null();
  ReplyDistance(
      ctx, geo::Distance(pos[0]->first, pos[0]->second, pos[1]->first, pos[1]->second) / to_meters);
}

// The kinds of search: GEORADIUS (a position), GEORADIUSBYMEMBER, GEOSEARCH(STORE).
enum class Search { kRadius, kRadiusByMember, kSearch, kSearchStore };

struct Found {
  std::string member;
  double dist = 0, score = 0, lon = 0, lat = 0;
};

void GeoSearch(CommandContext& ctx, Search kind, bool no_store) {
  size_t src = kind == Search::kSearchStore ? 2 : 1;
  std::string_view key = ctx.args[src];
  types::Meta meta;
  bool exists;
  if (!LookupOrReply(ctx, key, &meta, &exists)) return;
  if (exists && meta.type != types::Type::kZSet) return ErrorReply(ctx, errors::kWrongType);
  auto member_position = [&](std::string_view member, geo::Shape* s) {
    auto score = Zset::Scores(Op(ctx), key, {&member, 1});
    if (!OkOrReply(ctx, score)) return false;
    if (!(*score)[0] || !geo::Decode(*(*score)[0], &s->lon, &s->lat)) {
      return ErrorReply(ctx, errors::kGeoMember), false;
    }
    return true;
  };
  geo::Shape shape;
  double to_meters = 1;
  auto distance_or_reply = [&](size_t at, double* radius) {
    if (!DoubleOrReply(ctx, ctx.args[at], radius, errors::kGeoRadiusNotNumber)) return false;
    if (*radius < 0) return ErrorReply(ctx, errors::kGeoRadiusNegative), false;
    return UnitOrReply(ctx, ctx.args[at + 1], &to_meters);
  };
  size_t base;
  std::optional<std::string_view> store;
  if (kind == Search::kRadius) {
    base = 6;
    if (!LonLatOrReply(ctx, 2, &shape.lon, &shape.lat)) return;
    if (!distance_or_reply(4, &shape.radius)) return;
  } else if (kind == Search::kRadiusByMember) {
    base = 5;
    if (exists) {
      if (!member_position(ctx.args[2], &shape)) return;
      if (!distance_or_reply(3, &shape.radius)) return;
    }
  } else {
    base = kind == Search::kSearchStore ? 3 : 2;
    if (kind == Search::kSearchStore) store = ctx.args[1];
  }
  bool withdist = false, withhash = false, withcoord = false, any = false, storedist = false;
  bool from_member = false, from_lonlat = false, by_radius = false, by_box = false;
  int sort = 0;  // 1 ASC, -1 DESC
  long long count = 0;
  const bool search = kind == Search::kSearch || kind == Search::kSearchStore;
  for (size_t i = base; i < ctx.args.size(); ++i) {
    std::string_view a = ctx.args[i];
    size_t left = ctx.args.size() - i - 1;
    if (EqualsNoCase(a, "WITHDIST")) {
      withdist = true;
    } else if (EqualsNoCase(a, "WITHHASH")) {
      withhash = true;
    } else if (EqualsNoCase(a, "WITHCOORD")) {
      withcoord = true;
    } else if (EqualsNoCase(a, "ANY")) {
      any = true;
    } else if (EqualsNoCase(a, "ASC")) {
      sort = 1;
    } else if (EqualsNoCase(a, "DESC")) {
      sort = -1;
    } else if (EqualsNoCase(a, "COUNT") && left >= 1) {
      if (!IntegerOrReply(ctx, ctx.args[++i], &count)) return;
      if (count <= 0) return ErrorReply(ctx, errors::kGeoCount);
    } else if ((EqualsNoCase(a, "STORE") || EqualsNoCase(a, "STOREDIST")) && left >= 1 &&
               !no_store && !search) {
      store = ctx.args[++i];
      storedist = EqualsNoCase(a, "STOREDIST");
    } else if (EqualsNoCase(a, "STOREDIST") && kind == Search::kSearchStore) {
      storedist = true;
    } else if (EqualsNoCase(a, "FROMMEMBER") && left >= 1 && search && !from_lonlat) {
      if (exists && !member_position(ctx.args[i + 1], &shape)) return;
      from_member = true;
      ++i;
    } else if (EqualsNoCase(a, "FROMLONLAT") && left >= 2 && search && !from_member) {
      if (!LonLatOrReply(ctx, i + 1, &shape.lon, &shape.lat)) return;
      from_lonlat = true;
      i += 2;
    } else if (EqualsNoCase(a, "BYRADIUS") && left >= 2 && search && !by_box) {
      if (!distance_or_reply(i + 1, &shape.radius)) return;
      shape.box = false;
      by_radius = true;
      i += 2;
    } else if (EqualsNoCase(a, "BYBOX") && left >= 3 && search && !by_radius) {
      if (!DoubleOrReply(ctx, ctx.args[i + 1], &shape.width, errors::kGeoWidthNotNumber) ||
          !DoubleOrReply(ctx, ctx.args[i + 2], &shape.height, errors::kGeoHeightNotNumber)) {
        return;
      }
      if (shape.width < 0 || shape.height < 0) return ErrorReply(ctx, errors::kGeoBoxNegative);
      if (!UnitOrReply(ctx, ctx.args[i + 3], &to_meters)) return;
      shape.box = true;
      by_box = true;
      i += 3;
    } else {
      return ErrorReply(ctx, errors::kSyntax);
    }
  }
  if (store && (withdist || withhash || withcoord)) {
    return ErrorReply(ctx, errors::GeoStoreWith(kind == Search::kSearchStore));
  }
  std::string_view name = ctx.args[0];  // as the client spelled it, as Redis quotes it
  if (search && !(from_member || from_lonlat)) return ErrorReply(ctx, errors::GeoNoFrom(name));
  if (search && !(by_radius || by_box)) return ErrorReply(ctx, errors::GeoNoBy(name));
  if (any && count == 0) return ErrorReply(ctx, errors::kGeoAnyWithoutCount);
  types::Keyspace& ks = ctx.server.keyspace();
  if (!exists) {
    if (!store) return ctx.reply.ArrayHeader(0);
    auto deleted = ks.DeleteKey(ctx.client.db, *store);
    if (!OkOrReply(ctx, deleted)) return;
    if (*deleted) Notify(ctx, kNotifyGeneric, "del", *store);
    return ctx.reply.Integer(0);
  }
  if (count != 0 && sort == 0 && !any) sort = 1;  // the nearest N
  shape.radius *= to_meters, shape.width *= to_meters, shape.height *= to_meters;
  // The cells around the centre, each a range of scores.
  std::vector<Found> found;
  for (const geo::Cell& cell : geo::SearchCells(shape)) {
    if (cell.step == 0) continue;
    if (any && static_cast<long long>(found.size()) >= count) break;
    uint64_t min, max;
    geo::ScoreRange(cell, &min, &max);
    Zset::Range range;
    range.kind = Zset::Range::kScore;
    range.min = {static_cast<double>(min), false};
    range.max = {static_cast<double>(max), true};
    auto members = Zset::InRange(Op(ctx), key, range);
    if (!OkOrReply(ctx, members)) return;
    for (auto& m : *members) {
      Found f;
      if (!geo::Decode(m.score, &f.lon, &f.lat) || !geo::Within(shape, f.lon, f.lat, &f.dist)) {
        continue;
      }
      f.member = std::move(m.member);
      f.score = m.score;
      found.push_back(std::move(f));
      if (any && static_cast<long long>(found.size()) >= count) break;
    }
  }
  if (sort != 0) {
    std::stable_sort(found.begin(), found.end(), [&](const Found& a, const Found& b) {
      return sort > 0 ? a.dist < b.dist : a.dist > b.dist;
    });
  }
  if (count != 0 && static_cast<long long>(found.size()) > count) {
    found.resize(static_cast<size_t>(count));
  }
  if (!store) {
    size_t options = withdist + withhash + withcoord;
    ctx.reply.ArrayHeader(found.size());
    for (const Found& f : found) {
      if (options) ctx.reply.ArrayHeader(options + 1);
      ctx.reply.Bulk(f.member);
      if (withdist) ReplyDistance(ctx, f.dist / to_meters);
      if (withhash) ctx.reply.Integer(static_cast<long long>(f.score));
      if (withcoord) {
        ctx.reply.ArrayHeader(2);
        ReplyCoordinate(ctx, f.lon);
        ReplyCoordinate(ctx, f.lat);
      }
    }
    return;
  }
  std::vector<types::Scored> items;
  for (Found& f : found) {
    items.push_back({std::move(f.member), storedist ? f.dist / to_meters : f.score});
  }
  // (An empty result deletes the destination, and the keyspace sends its "del".)
  if (!OkOrReply(ctx, Zset::Store(Op(ctx), *store, items))) return;
  if (!items.empty()) {
    Notify(ctx, kNotifyZSet, search ? "geosearchstore" : "georadiusstore", *store);
  }
  ctx.reply.Integer(static_cast<long long>(items.size()));
}

void CmdGeoradius(CommandContext& ctx) { GeoSearch(ctx, Search::kRadius, false); }
void CmdGeoradiusRo(CommandContext& ctx) { GeoSearch(ctx, Search::kRadius, true); }
void CmdGeoradiusbymember(CommandContext& ctx) { GeoSearch(ctx, Search::kRadiusByMember, false); }
void CmdGeoradiusbymemberRo(CommandContext& ctx) { GeoSearch(ctx, Search::kRadiusByMember, true); }
void CmdGeosearch(CommandContext& ctx) { GeoSearch(ctx, Search::kSearch, true); }
void CmdGeosearchstore(CommandContext& ctx) { GeoSearch(ctx, Search::kSearchStore, false); }

}  // namespace

std::vector<CommandSpec> GeoCommands() {
  const uint32_t kW = kCmdWrite | kCmdDenyOom;
  const uint32_t kR = kCmdReadOnly;
  constexpr auto row = CommandRow;
  return {
      row("geoadd", CmdGeoadd, -5, kW, 1, 1, 1),
      row("geopos", CmdGeopos, -2, kR, 1, 1, 1),
      row("geohash", CmdGeohash, -2, kR, 1, 1, 1),
      row("geodist", CmdGeodist, -4, kR, 1, 1, 1),
      row("georadius", CmdGeoradius, -6, kW, 1, 1, 1),
      row("georadius_ro", CmdGeoradiusRo, -6, kR, 1, 1, 1),
      row("georadiusbymember", CmdGeoradiusbymember, -5, kW, 1, 1, 1),
      row("georadiusbymember_ro", CmdGeoradiusbymemberRo, -5, kR, 1, 1, 1),
      row("geosearch", CmdGeosearch, -7, kR, 1, 1, 1),
      row("geosearchstore", CmdGeosearchstore, -8, kW, 1, 2, 1),
  };
}

}  // namespace strata
