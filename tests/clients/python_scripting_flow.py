#!/usr/bin/python3
"""redis-py's scripting users against strata-server: Script objects (EVALSHA, falling back to
EVAL on NOSCRIPT), the Lock built on them, and functions.

usage: python_scripting_flow.py PORT   prints one `ok NAME` or `FAIL NAME: error` per step."""
import sys
import threading
import time

import redis

from flow import finish, step

PORT = int(sys.argv[1])
r = redis.Redis(port=PORT, decode_responses=True)


@step("python: register_script runs by EVALSHA, reloading after SCRIPT FLUSH")
def _():
    r.script_flush()
    incr_by = r.register_script(
        "local v = redis.call('incrby', KEYS[1], ARGV[1]); return {v, KEYS[1]}")
    assert incr_by(keys=["py:counter"], args=[5]) == [5, "py:counter"]
    assert r.script_exists(incr_by.sha) == [True]
    r.script_flush()
    assert r.script_exists(incr_by.sha) == [False]
    assert incr_by(keys=["py:counter"], args=[2]) == [7, "py:counter"]  # NOSCRIPT, then EVAL
    p = r.pipeline()
    incr_by(keys=["py:counter"], args=[1], client=p)
    assert p.execute() == [[8, "py:counter"]]


@step("python: script errors are ResponseErrors with Redis's text")
def _():
    try:
        r.eval("return redis.call('incr', KEYS[1])", 1, "py:notanumber-holder")
        r.set("py:s", "x")
        r.eval("return redis.call('incr', KEYS[1])", 1, "py:s")
        raise AssertionError("no error")
    except redis.ResponseError as e:
        assert "value is not an integer" in str(e), e
    try:
        r.evalsha("f" * 40, 0)
        raise AssertionError("no error")
    except redis.exceptions.NoScriptError:
        pass


@step("python: Lock excludes, times out, extends and releases by its Lua scripts")
def _():
    a = r.lock("py:lock", timeout=5, blocking_timeout=0.2)
    b = r.lock("py:lock", timeout=5, blocking_timeout=0.2)
    assert a.acquire()
    assert not b.acquire()
    assert a.owned() and not b.owned()
    assert a.extend(10)
    assert 5000 < r.pttl("py:lock") <= 15000
    a.release()
    assert b.acquire()
    stranger = r.lock("py:lock", timeout=5)
    stranger.local.token = b"not-the-owner"
    try:
        stranger.release()  # the release script compares tokens and refuses
        raise AssertionError("released a lock it did not own")
    except redis.exceptions.LockNotOwnedError:
        pass
    b.release()
    counter = {"n": 0}

    def worker():
        for _ in range(20):
            with r.lock("py:mutex", timeout=5, blocking_timeout=5):
                v = counter["n"]
                time.sleep(0.001)
                counter["n"] = v + 1

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counter["n"] == 80, counter


@step("python: FUNCTION LOAD, FCALL, FCALL_RO, FUNCTION LIST")
def _():
    r.function_flush()
    code = ("#!lua name=pylib\n"
            "redis.register_function('py_set', function(keys, args) "
            "return redis.call('set', keys[1], args[1]) end)\n"
            "redis.register_function{function_name='py_get', callback=function(keys) "
            "return redis.call('get', keys[1]) end, flags={'no-writes'}}")
    assert r.function_load(code) == "pylib"
    assert r.fcall("py_set", 1, "py:f", "v") == "OK"
    assert r.fcall_ro("py_get", 1, "py:f") == "v"
    try:
        r.fcall_ro("py_set", 1, "py:f", "w")
        raise AssertionError("no error")
    except redis.ResponseError as e:
        assert "write flag" in str(e), e
    libs = r.function_list()  # RESP2: each library a flat list of names and values
    assert libs[0][:2] == ["library_name", "pylib"], libs
    r.function_delete("pylib")


finish()
