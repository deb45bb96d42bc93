#!/usr/bin/env python3
"""Keys moved between redis-server and strata-server with DUMP and RESTORE, both ways: each
case builds a key with the same commands on both servers, then redis-server's payload is
restored into Strata and Strata's into redis-server, and each copy must read back as its
original does (every command a user would read it with; for streams XINFO STREAM FULL, with
its groups, pending entries and consumers, and XRANGE).

usage: dump_restore.py STRATA_SERVER   ends with `N passed, M failed`.
"""
import sys

import redis  # Debian's python3-redis

from compare import both_servers


def stream_view(r, key):
    full = r.execute_command("XINFO", "STREAM", key, "FULL", "COUNT", "0")
    # radix-tree-keys and -nodes count the nodes of Redis's tree, which depend on how it was
    # built; Strata reports what a tree of 100-entry nodes would have (README).
    for field in (b"radix-tree-keys", b"radix-tree-nodes"):
        i = full.index(field)
        del full[i:i + 2]
    return [full, r.xrange(key), r.xrevrange(key, count=3), r.xlen(key), r.type(key)]


VIEWS = {
    "string": lambda r, k: [r.get(k), r.strlen(k)],
    "list": lambda r, k: [r.lrange(k, 0, -1)],
    "set": lambda r, k: [sorted(r.smembers(k)), r.scard(k)],
    "hash": lambda r, k: [sorted(r.hgetall(k).items())],
    "zset": lambda r, k: [r.zrange(k, 0, -1, withscores=True)],
    "stream": stream_view,
    # A HyperLogLog is a string: moved, it must count the same and take more elements.
    "hll": lambda r, k: [r.pfcount(k), r.execute_command("PFDEBUG", "ENCODING", k),
                         r.pfadd(k, "one-more"), r.pfcount(k), r.get(k)],
}


def stream_with_groups(r):
    for i in range(1, 301):
        if i % 7 == 0:
            r.xadd("k", {"other": "x" * (i % 90), "n": i}, id=f"{i}-{i % 3}")
        else:
            r.xadd("k", {"n": i, "v": -i * 1000, "text": "y" * i}, id=f"{i}-{i % 3}")
    r.xdel("k", "2-2", "50-2", "300-0")
    r.xgroup_create("k", "workers", "0")
    r.xgroup_create("k", "7", "$")
    r.xgroup_create("k", "idle", "100-0", entries_read=99)
    r.xreadgroup("workers", "alice", {"k": ">"}, count=10)
    r.xreadgroup("workers", "bob", {"k": ">"}, count=25)
    r.xreadgroup("workers", "42", {"k": ">"}, count=2)
    r.xack("workers", "workers", "3-0")  # no such stream: nothing
    r.xack("k", "workers", "3-0", "4-1", "20-2")
    r.xclaim("k", "workers", "alice", 0, ["15-0", "16-1"], retrycount=5)
    r.xgroup_createconsumer("k", "workers", "carol")


CASES = [
    ("string: an int-encoded number", "string", lambda r: r.set("k", "12345")),
    ("string: a long compressible text", "string", lambda r: r.set("k", "abc" * 5000)),
    ("list: small (a listpack)", "list", lambda r: r.rpush("k", "a", "1", "-7", "")),
    ("list: large (a quicklist)", "list", lambda r: r.rpush("k", *[f"item{i}" * (i % 9 + 1)
                                                                  for i in range(3000)])),
    ("set: integers (an intset)", "set", lambda r: r.sadd("k", *range(-50, 50))),
    ("set: strings", "set", lambda r: r.sadd("k", *[f"m{i}" for i in range(1000)])),
    ("hash: small (a listpack)", "hash", lambda r: r.hset("k", mapping={"f": "v", "n": 1})),
    ("hash: large", "hash", lambda r: r.hset("k", mapping={f"f{i}": "v" * i for i in range(600)})),
    ("zset: small (a listpack)", "zset", lambda r: r.zadd("k", {"a": 1.5, "b": -2, "c": 1e10})),
    ("zset: large (a skiplist)", "zset", lambda r: r.zadd("k", {f"m{i}": i / 7 for i in range(500)})),
    ("hyperloglog: sparse", "hll", lambda r: r.pfadd("k", *range(100))),
    ("hyperloglog: dense", "hll", lambda r: [r.pfadd("k", *range(i, i + 1000))
                                              for i in range(0, 20000, 1000)]),
    ("stream: one entry", "stream", lambda r: r.xadd("k", {"f": "v"}, id="5-1")),
    ("stream: emptied, with a group", "stream",
     lambda r: (r.xadd("k", {"f": "v"}, id="5-1"), r.xdel("k", "5-1"),
                r.xgroup_create("k", "g", "$"))),
    ("stream: many nodes, big values, changing fields", "stream",
     lambda r: [r.xadd("k", {"a": i, "b": "z" * (i * 37 % 5000)}, id=f"{i * 1000}-0")
                if i % 5 else r.xadd("k", {"c": -i, "a": 2 ** 40 + i}, id=f"{i * 1000}-0")
                for i in range(1, 400)]),
    ("stream: groups, pending entries, claims, deletes", "stream", stream_with_groups),
]


def main():
    strata = sys.argv[1]
    passed = failed = 0
    # sanitize-dump-payload: redis-server checks every listpack of Strata's payloads entry by
    # entry, as it checks a payload it does not trust.
    with both_servers(strata, ["--sanitize-dump-payload", "yes"]) as (sp, rp):
        s, r = redis.Redis(port=sp), redis.Redis(port=rp)
        for name, kind, build in CASES:
            for server in (s, r):
                server.flushall()
                build(server)
            problems = []
            for src, dst, direction in ((r, s, "redis -> strata"), (s, r, "strata -> redis")):
                try:
                    dst.restore("copy", 0, src.dump("k"))
                    want, got = VIEWS[kind](src, "k"), VIEWS[kind](dst, "copy")
                    if got != want:
                        problems.append(f"{direction}: read back differs\n    got  {got!r:.600}"
                                        f"\n    want {want!r:.600}")
                except redis.RedisError as e:
                    problems.append(f"{direction}: {e}")
            if problems:
                failed += 1
                print(f"FAIL {name}")
                for p in problems:
                    print(f"  {p}")
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
