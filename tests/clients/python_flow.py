#!/usr/bin/python3
"""redis-py (Debian's python3-redis) against strata-server: the calls applications make.

usage: python_flow.py PORT   prints one `ok NAME` or `FAIL NAME: error` line per step."""
import sys
import threading
import time

import redis

from flow import finish, step

PORT = int(sys.argv[1])
r = redis.Redis(port=PORT, decode_responses=True)


@step("python: connect, CLIENT SETINFO, CLIENT SETNAME")
def _():
    assert r.ping() is True
    r.flushall()
    assert r.execute_command("CLIENT", "SETINFO", "LIB-NAME", "redis-py") == "OK"
    assert r.execute_command("CLIENT", "SETINFO", "LIB-VER", redis.__version__) == "OK"
    assert r.client_setname("flow") is True
    me = r.client_info()
    assert me["name"] == "flow", me
    assert me["lib-name"] == "redis-py", me


@step("python: pipeline of 1000 commands")
def _():
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.set(f"k{i}", i)
    p.incr("k1")
    assert p.execute()[-1] == 2
    assert r.mget("k0", "k999", "nokey") == ["0", "999", None]


@step("python: MULTI/WATCH with a conflict raises WatchError, retry succeeds")
def _():
    r.set("balance", 100)
    other = redis.Redis(port=PORT, decode_responses=True)
    with r.pipeline() as p:
        p.watch("balance")
        other.incrby("balance", 5)  # the conflict
        p.multi()
        p.decrby("balance", 10)
        try:
            p.execute()
            raise AssertionError("EXEC ran despite the conflict")
        except redis.WatchError:
            pass

    def debit(pipe):
        v = int(pipe.get("balance"))
        pipe.multi()
        pipe.set("balance", v - 10)
    r.transaction(debit, "balance")
    assert r.get("balance") == "95"


@step("python: scan_iter, hscan_iter, sscan_iter, zscan_iter")
def _():
    keys = set(r.scan_iter(match="k1*", count=50))
    assert keys == {f"k{i}" for i in range(1000) if str(i).startswith("1")}, len(keys)
    r.hset("h", mapping={f"f{i}": i for i in range(300)})
    assert dict(r.hscan_iter("h", count=20)) == {f"f{i}": str(i) for i in range(300)}
    r.sadd("s", *range(300))
    assert set(r.sscan_iter("s")) == {str(i) for i in range(300)}
    r.zadd("z", {f"m{i}": i for i in range(300)})
    assert len(list(r.zscan_iter("z"))) == 300


@step("python: blocking pops served by another client")
def _():
    def push():
        time.sleep(0.2)
        redis.Redis(port=PORT).rpush("jobs", "job1")
    t = threading.Thread(target=push)
    t.start()
    assert r.blpop(["jobs"], timeout=5) == ("jobs", "job1")
    t.join()
    assert r.blpop(["jobs"], timeout=0.1) is None
    r.zadd("zq", {"a": 1})
    assert r.bzpopmin("zq", timeout=1) == ("zq", "a", 1.0)


@step("python: INFO parsing")
def _():
    info = r.info()
    for field in ("redis_version", "connected_clients", "used_memory", "instantaneous_ops_per_sec",
                  "keyspace_hits", "role", "db0"):
        assert field in info, field
    assert info["db0"]["keys"] >= 1000
    assert r.info("memory")["used_memory_human"]
    assert "cmdstat_set" in r.info("commandstats")
    assert r.dbsize() >= 1000


@step("python: memory_usage, object, type")
def _():
    assert r.memory_usage("k1") > 0
    assert r.memory_usage("h", samples=0) > 300
    assert r.memory_usage("nokey") is None
    assert r.object("encoding", "h") == "listpack"
    assert r.type("z") == "zset"
    assert "keys.count" in r.memory_stats()


@step("python: client_list with TYPE and ID filters, CLIENT KILL")
def _():
    other = redis.Redis(port=PORT, decode_responses=True)
    other_id = other.client_id()
    assert [c["id"] for c in r.client_list(client_id=[str(other_id)])] == [str(other_id)]
    assert len(r.client_list(_type="normal")) >= 2
    assert r.client_list(_type="pubsub") == []
    try:
        r.client_list(_type="bogus")
        raise AssertionError("bogus type accepted")
    except redis.DataError:
        pass  # redis-py checks the type itself
    try:
        r.execute_command("CLIENT", "LIST", "TYPE", "bogus")
        raise AssertionError("bogus type accepted")
    except redis.ResponseError as e:
        assert "Unknown client type" in str(e), e
    assert r.client_kill_filter(_id=other_id) == 1


@step("python: CONFIG GET/SET of Redis parameters")
def _():
    assert r.config_set("maxmemory-policy", "allkeys-lru") is True
    assert r.config_get("maxmemory*")["maxmemory-policy"] == "allkeys-lru"
    assert r.config_set("maxmemory-policy", "noeviction") is True
    try:
        r.config_set("no-such-option", "1")
        raise AssertionError("unknown option accepted")
    except redis.ResponseError as e:
        assert "Unknown option" in str(e), e


@step("python: errors keep Redis's words")
def _():
    r.set("str", "x")
    try:
        r.lpush("str", "a")
        raise AssertionError("WRONGTYPE not raised")
    except redis.ResponseError as e:
        assert str(e).startswith("WRONGTYPE"), e
    try:
        r.incr("str")
        raise AssertionError("not an integer accepted")
    except redis.ResponseError as e:
        assert str(e) == "value is not an integer or out of range", e


finish()
