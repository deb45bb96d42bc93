#!/usr/bin/env python3
"""Crash test: start strata-server, drive writes of every type from several clients while
recording each acknowledged one, SIGKILL the server at a random moment, restart it on the
same data directory and check what survived.

  appendfsync always:   every acknowledged write is there.
  appendfsync everysec: every write acknowledged more than 2 s before the kill is there (a
                        SIGKILL loses nothing the OS has; the slack is for power failures).
In both: the database opens, and each client's writes survive as a prefix of what it sent (no
hole, nothing it never sent).

  scripts/crash_test.py SERVER [--rounds N] [--fsync always|everysec|both] [--clients N]

Prints one line per round and ends with `N passed, M failed`.
"""
import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp_client import Client, RespError  # noqa: E402

KINDS = 5  # string, hash, list, set, sorted set: op i of a client writes kind i % KINDS


def op(prefix, i):
    kind = i % KINDS
    if kind == 0:
        return ("SET", f"{prefix}:s:{i}", f"v{i}")
    if kind == 1:
        return ("HSET", f"{prefix}:h", f"f{i}", f"v{i}")
    if kind == 2:
        return ("RPUSH", f"{prefix}:l", f"{i}")
    if kind == 3:
        return ("SADD", f"{prefix}:set", f"m{i}")
    return ("ZADD", f"{prefix}:z", f"{i}", f"m{i}")


def present(c, prefix, sent):
    """Which of ops 0..sent-1 of a client are in the database, in op order."""
    strings = c.run([("EXISTS", f"{prefix}:s:{i}") for i in range(0, sent, KINDS)])
    fields = set(c.run([("HKEYS", f"{prefix}:h")])[0])
    items = c.run([("LRANGE", f"{prefix}:l", 0, -1)])[0]
    members = set(c.run([("SMEMBERS", f"{prefix}:set")])[0])
    zmembers = set(c.run([("ZRANGE", f"{prefix}:z", 0, -1)])[0])
    expected_items = [str(i).encode() for i in range(2, sent, KINDS)]
    result = []
    for i in range(sent):
        kind = i % KINDS
        if kind == 0:
            result.append(strings[i // KINDS] == b"1")
        elif kind == 1:
            result.append(f"f{i}".encode() in fields)
        elif kind == 2:
            result.append(str(i).encode() in items)
        elif kind == 3:
            result.append(f"m{i}".encode() in members)
        else:
            result.append(f"m{i}".encode() in zmembers)
    # The list's items must be in push order with nothing foreign in it.
    order_ok = items == expected_items[: len(items)]
    return result, order_ok


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(server, port, data, fsync, log):
    proc = subprocess.Popen([server, "--port", str(port), "--dir", data, "--appendfsync", fsync,
                             "--memtable-size", "1mb", "--logfile", log])
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            return proc, False
        try:
            c = Client(port, timeout=1)
            ok = c.run([("PING",)])[0] == b"PONG"
            c.close()
            if ok:
                return proc, True
        except (OSError, RespError):
            time.sleep(0.02)
    return proc, False


class Writer(threading.Thread):
    def __init__(self, port, prefix):
        super().__init__(daemon=True)
        self.port, self.prefix = port, prefix
        self.sent = 0      # ops handed to the socket
        self.acked = []    # time each op was acknowledged, in op order

    def run(self):
        try:
            c = Client(self.port)
            while True:
                batch = random.randint(1, 20)
                cmds = [op(self.prefix, self.sent + k) for k in range(batch)]
                self.sent += batch
                c.send(cmds)
                for _ in cmds:
                    c.read()
                    self.acked.append(time.time())
        except (OSError, ConnectionError, RespError):
            return  # the server was killed


def round_once(server, data, fsync, clients, rnd, log):
    port = free_port()
    proc, up = start(server, port, data, fsync, log)
    if not up:
        return False, "the server did not start on the existing data directory"
    writers = [Writer(port, f"r{rnd}c{k}") for k in range(clients)]
    for w in writers:
        w.start()
    time.sleep(random.uniform(0.3, 1.5))
    proc.send_signal(signal.SIGKILL)
    killed_at = time.time()
    proc.wait()
    for w in writers:
        w.join(5)
    port = free_port()
    proc, up = start(server, port, data, fsync, log)
    if not up:
        return False, "the server did not reopen after SIGKILL"
    try:
        c = Client(port)
        problems, acked_total = [], 0
        for w in writers:
            have, order_ok = present(c, w.prefix, w.sent)
            must = len(w.acked)
            if fsync != "always":
                must = sum(1 for t in w.acked if t < killed_at - 2.0)
            acked_total += len(w.acked)
            survived = sum(have)
            prefix_len = have.index(False) if False in have else len(have)
            if prefix_len < must:
                problems.append(f"{w.prefix}: op {prefix_len} lost ({must} had to survive)")
            if survived != prefix_len:
                problems.append(f"{w.prefix}: a hole: {survived} ops present, prefix {prefix_len}")
            if not order_ok:
                problems.append(f"{w.prefix}: list items out of order")
        c.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()
    if problems:
        return False, "; ".join(problems)
    return True, f"{acked_total} acknowledged writes checked"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--fsync", default="both", choices=["always", "everysec", "both"])
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    random.seed(args.seed)
    print(f"crash-test: {args.rounds} rounds, seed {args.seed}")
    work = tempfile.mkdtemp(prefix="strata-crash-")
    data, log = os.path.join(work, "data"), os.path.join(work, "server.log")
    passed = failed = 0
    start_time = time.time()
    for rnd in range(args.rounds):
        fsync = args.fsync if args.fsync != "both" else ("always", "everysec")[rnd % 2]
        ok, what = round_once(args.server, data, fsync, args.clients, rnd, log)
        print(f"round {rnd + 1} ({fsync}): {'ok' if ok else 'FAILED'}: {what}", flush=True)
        passed, failed = passed + ok, failed + (not ok)
    print(f"crash-test: {time.time() - start_time:.0f} s; server log in {log}" if failed else
          f"crash-test: {time.time() - start_time:.0f} s")
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
