#!/usr/bin/python3
"""redis-py's Pub/Sub against strata-server: pubsub() with subscribe/psubscribe and
get_message, run_in_thread with handlers, keyspace notifications, and the numsub/channels
introspection.

usage: python_pubsub_flow.py PORT   prints one `ok NAME` or `FAIL NAME: error` per step."""
import sys
import time

import redis

from flow import finish, step

PORT = int(sys.argv[1])
r = redis.Redis(port=PORT, decode_responses=True)


def messages(p, n, timeout=5.0):
    """The next n data messages of pubsub p (subscribe confirmations skipped)."""
    out, deadline = [], time.time() + timeout
    while len(out) < n and time.time() < deadline:
        m = p.get_message(timeout=0.1)
        if m and m["type"] in ("message", "pmessage"):
            out.append(m)
    return out


@step("python: pubsub subscribe, psubscribe, publish counts, get_message")
def _():
    p = r.pubsub()
    p.subscribe("py:chan")
    p.psubscribe("py:*")
    time.sleep(0.1)
    assert r.publish("py:chan", "hello") == 2
    got = messages(p, 2)
    assert {m["type"] for m in got} == {"message", "pmessage"}, got
    assert all(m["data"] == "hello" for m in got), got
    assert r.pubsub_numsub("py:chan") == [("py:chan", 1)]
    assert "py:chan" in r.pubsub_channels()
    assert r.pubsub_numpat() == 1
    p.unsubscribe()
    p.punsubscribe()
    p.close()


@step("python: run_in_thread delivers 1,000 messages in order to a handler")
def _():
    p = r.pubsub(ignore_subscribe_messages=True)
    got = []
    p.subscribe(**{"py:ordered": lambda m: got.append(m["data"])})
    worker = p.run_in_thread(sleep_time=0.01, daemon=True)
    time.sleep(0.1)
    with r.pipeline(transaction=False) as pipe:
        for i in range(1000):
            pipe.publish("py:ordered", str(i))
        pipe.execute()
    deadline = time.time() + 10
    while len(got) < 1000 and time.time() < deadline:
        time.sleep(0.05)
    worker.stop()
    assert got == [str(i) for i in range(1000)], len(got)


@step("python: keyspace notifications for set, expire and expired")
def _():
    r.config_set("notify-keyspace-events", "KEA")
    p = r.pubsub(ignore_subscribe_messages=True)
    p.psubscribe("__keyspace@0__:py:ev")
    time.sleep(0.1)
    r.set("py:ev", "1", px=100)
    events = [m["data"] for m in messages(p, 3, timeout=5)]
    assert events == ["set", "expire", "expired"], events
    r.config_set("notify-keyspace-events", "")
    p.close()


finish()
