#!/usr/bin/env python3
"""Keyspace notifications side by side: each case in keyspace_events.cases runs on a fresh
strata-server and on Debian's redis-server, with notify-keyspace-events set as the case says
and a subscriber to every keyspace and keyevent channel (PSUBSCRIBE __key*); the events each
server sends, in order, must be the same.

A case opens with `## name`; its first line is `notify <flags>`, then one command per line
(shell quoting), or `sleep <ms>`.

usage: keyspace_events.py STRATA_SERVER   ends with `N passed, M failed`.
"""
import shlex
import socket
import sys
import time

from compare import HERE, both_servers, load_cases


def encode(args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def read_reply(f):
    """One RESP2 reply from a file-like socket reader."""
    line = f.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:]
    if kind == b"$":
        n = int(rest)
        return None if n < 0 else f.read(n + 2)[:-2].decode()
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [read_reply(f) for _ in range(n)]
    if kind == b":":
        return int(rest)
    return rest.decode()


def run_case(port, lines):
    cmd = socket.create_connection(("127.0.0.1", port))
    cf = cmd.makefile("rb")

    def call(*args):
        cmd.sendall(encode(list(args)))
        return read_reply(cf)

    call("FLUSHALL")
    call("CONFIG", "SET", "notify-keyspace-events", lines[0].split(None, 1)[1])
    sub = socket.create_connection(("127.0.0.1", port))
    sf = sub.makefile("rb")
    sub.sendall(encode(["PSUBSCRIBE", "__key*"]))
    read_reply(sf)
    for line in lines[1:]:
        words = shlex.split(line)
        if words[0] == "sleep":
            time.sleep(int(words[1]) / 1000)
        else:
            call(*words)
    call("CONFIG", "SET", "notify-keyspace-events", "")
    # The events were sent before the reply above; read until the socket stays quiet.
    sub.settimeout(0.3)
    events = []
    try:
        while True:
            events.append(read_reply(sf))
    except OSError:  # the timeout
        pass
    sub.close()
    cmd.close()
    return [tuple(e[2:]) for e in events if isinstance(e, list)]


def main():
    strata = sys.argv[1]
    passed = failed = 0
    with both_servers(strata) as (sp, rp):
        for name, lines in load_cases([HERE / "keyspace_events.cases"]):
            got, want = run_case(sp, lines), run_case(rp, lines)
            if got == want and want:
                passed += 1
                continue
            failed += 1
            print(f"FAIL {name}")
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else None
                w = want[i] if i < len(want) else None
                if g != w:
                    print(f"  event {i + 1}: strata {g}\n           redis  {w}")
                    break
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
