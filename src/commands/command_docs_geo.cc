// The documentation rows of the geo commands, in the notation of command_docs.cc.
#include "commands/registry.h"

namespace strata {
namespace {

#define GEO_UNIT "unit<M|KM|FT|MI>"
#define GEO_RADIUS_OPTIONS \
  "[WITHCOORD] [WITHDIST] [WITHHASH] [count(COUNT=count#i [ANY])] [order<ASC|DESC>]"
#define GEO_SEARCH_ARGS                                                            \
  "from<FROMMEMBER=member|FROMLONLAT=longitude_latitude(longitude#d latitude#d)> " \
  "by<circle(BYRADIUS=radius#d " GEO_UNIT ")|box(BYBOX=width#d height#d " GEO_UNIT \
  ")> "                                                                            \
  "[order<ASC|DESC>] [count(COUNT=count#i [ANY])]"
constexpr const char* kRadiusComplexity =
    "O(N+log(M)), N the members in the cells searched and M the members of the set";

}  // namespace

const std::vector<CommandDoc>& GeoDocs() {
  static const std::vector<CommandDoc> docs = {
      {"geoadd", "geo", "3.2.0", "O(log(N)) for each item added",
       "Adds members to a sorted set at the score their position's geohash gives.",
       "key#k0 [condition<NX|XX>] [CH/change] "
       "longitude_latitude_member(longitude#d latitude#d member)...",
       "RW update", "", ""},
      {"geopos", "geo", "3.2.0", "O(N) for N members", "Returns the positions of members.",
       "key#k0 member...", "RO access", "", ""},
      {"geohash", "geo", "3.2.0", "O(log(N)) for each member",
       "Returns the standard geohash strings of members' positions.", "key#k0 member...",
       "RO access", "", ""},
      {"geodist", "geo", "3.2.0", "O(log(N))", "Returns the distance between two members.",
       "key#k0 member1 member2 [" GEO_UNIT "]", "RO access", "", ""},
      {"georadius", "geo", "3.2.0", kRadiusComplexity,
       "Returns or stores the members within a radius of a position.",
       "key#k0 longitude#d latitude#d radius#d " GEO_UNIT " " GEO_RADIUS_OPTIONS
       " [STORE=key#k1] [STOREDIST=key#k2]",
       "RO access;OW update@=STORE,6:0:1:0;OW update@=STOREDIST,6:0:1:0", "", "", "6.2.0",
       "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument"},
      {"georadius_ro", "geo", "3.2.10", kRadiusComplexity,
       "Returns the members within a radius of a position.",
       "key#k0 longitude#d latitude#d radius#d " GEO_UNIT " " GEO_RADIUS_OPTIONS, "RO access", "",
       "", "6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument"},
      {"georadiusbymember", "geo", "3.2.0", kRadiusComplexity,
       "Returns or stores the members within a radius of a member.",
       "key#k0 member radius#d " GEO_UNIT " " GEO_RADIUS_OPTIONS
       " [STORE=key#k1] [STOREDIST=key#k2]",
       "RO access;OW update@=STORE,5:0:1:0;OW update@=STOREDIST,5:0:1:0", "", "", "6.2.0",
       "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments"},
      {"georadiusbymember_ro", "geo", "3.2.10", kRadiusComplexity,
       "Returns the members within a radius of a member.",
       "key#k0 member radius#d " GEO_UNIT " " GEO_RADIUS_OPTIONS, "RO access", "", "", "6.2.0",
       "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments"},
      {"geosearch", "geo", "6.2.0", kRadiusComplexity,
       "Returns the members within a circle or a box around a member or a position.",
       "key#k0 " GEO_SEARCH_ARGS " [WITHCOORD] [WITHDIST] [WITHHASH]", "RO access", "", ""},
      {"geosearchstore", "geo", "6.2.0", kRadiusComplexity,
       "Stores the members within a circle or a box around a member or a position.",
       "destination#k0 source#k1 " GEO_SEARCH_ARGS " [STOREDIST]", "OW update@1;RO access@2", "",
       ""},
  };
  return docs;
}

}  // namespace strata
