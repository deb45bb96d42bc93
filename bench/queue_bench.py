#!/usr/bin/env python3
"""Queues that must not rot: push N items, pop them all from the other end, and compare
the pop rate of the first and the last 100,000 pops (a store that leaves tombstones in
front of the live items slows down as the queue drains). Lists: LPUSH then RPOP. Sorted
sets: ZADD then ZPOPMIN. Talks RESP over a plain socket, pipelining 1,000 commands.

  bench/queue_bench.py PORT [N] [DATA_DIR]
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from resp_client import Client  # noqa: E402


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def drain(c, name, push, pop, n, batch=1000, window=100000):
    start = time.time()
    for base in range(0, n, batch):
        c.run([push(i) for i in range(base, min(n, base + batch))])
    push_rate = n / (time.time() - start)
    rates, t0, done = [], time.time(), 0
    while done < n:
        k = min(batch, n - done)
        replies = c.run([pop() for _ in range(k)])
        assert all(r is not None for r in replies), "popped nothing before the end"
        done += k
        if done % window == 0:
            now = time.time()
            rates.append(window / (now - t0))
            t0 = now
    print("%-8s pushes %9.0f/s   pops: first 100k %9.0f/s   last 100k %9.0f/s   "
          "last/first %.2f" % (name, push_rate, rates[0], rates[-1], rates[-1] / rates[0]))


def main():
    port = int(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000000
    data_dir = sys.argv[3] if len(sys.argv) > 3 else None
    c = Client(port)
    drain(c, "list", lambda i: ("LPUSH", "queue", "item:%d" % i), lambda: ("RPOP", "queue"), n)
    drain(c, "zset", lambda i: ("ZADD", "zqueue", i, "item:%d" % i), lambda: ("ZPOPMIN", "zqueue"), n)
    assert c.run([("EXISTS", "queue", "zqueue")])[0] == b"0"
    if data_dir:
        before = dir_bytes(data_dir)
        c.run([("DEBUG", "COMPACT")])
        print("on-disk bytes with both queues empty: %d before a full compaction, %d after"
              % (before, dir_bytes(data_dir)))


if __name__ == "__main__":
    main()
