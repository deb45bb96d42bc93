#!/usr/bin/python3
"""redis-py's stream calls against strata-server: xadd with trimming, xrange, xread with
block, a consumer group (xgroup_create, xreadgroup, xack, xpending, xautoclaim, xinfo).

usage: python_streams_flow.py PORT   prints one `ok NAME` or `FAIL NAME: error` per step."""
import sys
import threading
import time

import redis

from flow import finish, step

PORT = int(sys.argv[1])
r = redis.Redis(port=PORT, decode_responses=True)


@step("python: xadd, xlen, xrange, xrevrange, xtrim, xdel")
def _():
    r.delete("py:s")
    ids = [r.xadd("py:s", {"n": i}, maxlen=50, approximate=False) for i in range(100)]
    assert r.xlen("py:s") == 50
    first = r.xrange("py:s", count=1)
    assert first[0][0] == ids[50] and first[0][1] == {"n": "50"}, first
    assert r.xrevrange("py:s", count=1)[0][0] == ids[-1]
    assert r.xdel("py:s", ids[60], ids[61]) == 2
    assert r.xtrim("py:s", minid=ids[90], approximate=False) == 38
    assert r.xlen("py:s") == 10
    info = r.xinfo_stream("py:s")
    assert info["length"] == 10 and info["last-generated-id"] == ids[-1], info


@step("python: xread block is woken by an xadd from another client")
def _():
    r.delete("py:events")
    r.xadd("py:events", {"old": 1})
    got = {}

    def reader():
        got["r"] = redis.Redis(port=PORT, decode_responses=True).xread(
            {"py:events": "$"}, block=5000)

    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.2)
    new_id = r.xadd("py:events", {"new": 1})
    t.join()
    assert got["r"] == [["py:events", [(new_id, {"new": "1"})]]], got


@step("python: a consumer group: xreadgroup, xack, xpending, xautoclaim, xinfo")
def _():
    r.delete("py:jobs")
    r.xgroup_create("py:jobs", "workers", id="0", mkstream=True)
    for i in range(10):
        r.xadd("py:jobs", {"job": i})
    a = r.xreadgroup("workers", "alice", {"py:jobs": ">"}, count=6)
    b = r.xreadgroup("workers", "bob", {"py:jobs": ">"})
    assert len(a[0][1]) == 6 and len(b[0][1]) == 4
    for entry_id, _fields in a[0][1]:
        assert r.xack("py:jobs", "workers", entry_id) == 1
    pending = r.xpending("py:jobs", "workers")
    assert pending["pending"] == 4 and pending["consumers"] == [{"name": "bob", "pending": 4}], pending
    detail = r.xpending_range("py:jobs", "workers", min="-", max="+", count=10)
    assert [p["consumer"] for p in detail] == ["bob"] * 4
    # bob is gone: alice claims what he left.
    next_id, claimed, deleted = r.xautoclaim("py:jobs", "workers", "alice", min_idle_time=0,
                                             start_id="0-0")
    assert len(claimed) == 4 and deleted == [], (next_id, claimed, deleted)
    groups = r.xinfo_groups("py:jobs")
    assert groups[0]["name"] == "workers" and groups[0]["pending"] == 4, groups
    consumers = {c["name"]: c["pending"] for c in r.xinfo_consumers("py:jobs", "workers")}
    assert consumers == {"alice": 4, "bob": 0}, consumers
    assert r.xgroup_delconsumer("py:jobs", "workers", "bob") == 0
    assert r.xgroup_destroy("py:jobs", "workers") == 1


finish()
