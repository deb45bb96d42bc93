#!/usr/bin/env python3
"""Geo searches side by side at random: the same points (clustered and spread, near the
poles' limits and the antimeridian too) on strata-server and redis-server, then random
GEOSEARCH and GEORADIUS queries (circles and boxes of every size, from positions and from
members, sorted or in the order the cells are read, COUNT and ANY), whose replies must be the
same, member for member and in the same order.

usage: geo_random.py STRATA_SERVER [QUERIES]   ends with `N passed, M failed`.
"""
import random
import sys

import redis  # Debian's python3-redis

from compare import both_servers


def points(rng):
    out = []
    for i in range(3000):
        kind = i % 4
        if kind == 0:    # a city-sized cluster
            lon, lat = 13.36 + rng.gauss(0, 0.2), 38.11 + rng.gauss(0, 0.2)
        elif kind == 1:  # anywhere
            lon, lat = rng.uniform(-180, 180), rng.uniform(-85, 85)
        elif kind == 2:  # near the antimeridian
            lon, lat = rng.choice([-1, 1]) * rng.uniform(175, 180), rng.uniform(-60, 60)
        else:            # near the latitude limits
            lon, lat = rng.uniform(-180, 180), rng.choice([-1, 1]) * rng.uniform(75, 85.05)
        out.append((round(lon, 6), round(lat, 6), f"p{i}"))
    return out


def query(rng, members):
    unit = rng.choice(["m", "km", "mi", "ft"])
    scale = {"m": 1, "km": 1000, "mi": 1609.34, "ft": 0.3048}[unit]
    meters = 10 ** rng.uniform(2, 7.2)
    size = f"{meters / scale:.3f}"
    if rng.random() < 0.5:
        origin = ["FROMMEMBER", rng.choice(members)]
    else:
        origin = ["FROMLONLAT", f"{rng.uniform(-180, 180):.5f}", f"{rng.uniform(-85, 85):.5f}"]
    if rng.random() < 0.3:
        origin = ["FROMLONLAT", f"{13.36 + rng.gauss(0, 0.3):.5f}", f"{38.11 + rng.gauss(0, 0.3):.5f}"]
    if rng.random() < 0.5:
        shape = ["BYRADIUS", size, unit]
    else:
        shape = ["BYBOX", size, f"{meters * rng.uniform(0.2, 3) / scale:.3f}", unit]
    opts = []
    r = rng.random()
    if r < 0.3:
        opts.append(rng.choice(["ASC", "DESC"]))
    if rng.random() < 0.3:
        opts += ["COUNT", str(rng.randint(1, 50))]
        if rng.random() < 0.3:
            opts.append("ANY")
    opts += rng.sample(["WITHDIST", "WITHCOORD", "WITHHASH"], rng.randint(0, 3))
    return ["GEOSEARCH", "g"] + origin + shape + opts


def main():
    strata = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    rng = random.Random(20261203)
    pts = points(rng)
    passed = failed = 0
    with both_servers(strata) as (sp, rp):
        s, r = redis.Redis(port=sp), redis.Redis(port=rp)
        for server in (s, r):  # the raw replies, not redis-py's parsing of them
            server.response_callbacks.pop("GEOSEARCH", None)
        for server in (s, r):
            pipe = server.pipeline(transaction=False)
            for lon, lat, m in pts:
                pipe.geoadd("g", [lon, lat, m])
            pipe.execute()
        members = [m for _, _, m in pts]
        for _ in range(n):
            q = query(rng, members)
            try:
                want = r.execute_command(*q)
            except redis.RedisError as e:
                want = f"error: {e}"
            try:
                got = s.execute_command(*q)
            except redis.RedisError as e:
                got = f"error: {e}"
            if got == want:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {' '.join(q)}\n  strata {str(got)[:300]}\n  redis  {str(want)[:300]}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
