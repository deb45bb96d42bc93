#!/usr/bin/python3
"""Cost of uniform random picks, Strata vs redis-server side by side (alternated, medians):
SRANDMEMBER on sets of 1,000 / 10,000 / 20,000 members (the last past the 16,384 bound, so
sampled by random seeks), and draining a 10,000-member set with pipelined SPOPs.

usage: bench/random_picks.py STRATA_PORT REDIS_PORT [rounds]"""
import statistics
import sys
import time

import redis

ports = {"strata": int(sys.argv[1]), "redis-server": int(sys.argv[2])}
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
picks, drains = {}, {}
for rnd in range(rounds):
    for name, port in ports.items():
        r = redis.Redis(port=port)
        for n in (1000, 10000, 20000):
            key = f"bench:pick:{n}"
            if rnd == 0:
                r.delete(key)
                for i in range(0, n, 1000):
                    r.sadd(key, *[f"m{j}" for j in range(i, min(n, i + 1000))])
            t = time.perf_counter()
            for _ in range(1000):
                r.srandmember(key)
            picks.setdefault((name, n), []).append((time.perf_counter() - t) / 1000 * 1e6)
        r.delete("bench:drain")
        for i in range(0, 10000, 1000):
            r.sadd("bench:drain", *[f"m{j}" for j in range(i, i + 1000)])
        t = time.perf_counter()
        while True:
            p = r.pipeline(transaction=False)
            for _ in range(100):
                p.spop("bench:drain")
            if p.execute()[-1] is None:
                break
        drains.setdefault(name, []).append(time.perf_counter() - t)
print("| | " + " | ".join(ports) + " |")
print("|---|" + "---|" * len(ports))
for n in (1000, 10000, 20000):
    cells = [f"{statistics.median(picks[(name, n)]):.0f} us" for name in ports]
    print(f"| SRANDMEMBER, {n:,} members (one call, round trip) | " + " | ".join(cells) + " |")
cells = [f"{statistics.median(drains[name]):.3f} s" for name in ports]
print("| SPOP until empty, 10,000 members, pipelined by 100 | " + " | ".join(cells) + " |")
