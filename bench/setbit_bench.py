#!/usr/bin/env python3
"""SETBIT at random offsets into a large bitmap, Strata and redis-server side by side (issue
17: strings that stay cheap to change when they are large): SETBIT/s and log bytes per
SETBIT (Strata's wal_bytes_written, Redis's aof_current_size), 200 SETBITs pipelined 20 at a
time into a 1 MB and a 16 MB bitmap.

  bench/setbit_bench.py STRATA_PORT REDIS_PORT
"""
import random, sys, time
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts'))
from resp_client import Client
def info(c, field):
    text = c.run([["INFO"]])[0].decode()
    for line in text.split("\r\n"):
        if line.startswith(field + ":"): return int(line.split(":")[1])
    return 0
for bits in (8 << 20, 128 << 20):
    for port, field in ((int(sys.argv[1]), "wal_bytes_written"), (int(sys.argv[2]), "aof_current_size")):
        c = Client(port)
        c.run([["DEL", "bm"], ["SETBIT", "bm", bits - 1, 1]])
        time.sleep(0.5)
        rng = random.Random(1)
        n = 200
        w0 = info(c, field); t = time.time()
        for _ in range(n // 20):
            c.run([["SETBIT", "bm", rng.randrange(bits), 1] for _ in range(20)])
        dt = time.time() - t; w1 = info(c, field)
        print(f"{bits // 8 >> 20} MB bitmap, {'strata' if field == 'wal_bytes_written' else 'redis '}: {n / dt:10.0f} SETBIT/s, log bytes per SETBIT {(w1 - w0) / n:12.0f}")
