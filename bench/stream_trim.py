#!/usr/bin/env python3
"""A stream of N entries (default 10,000,000), side by side on strata-server
(conf/strata.conf) and redis-server (append-only log on, appendfsync everysec), each on a
free port in turn: load it with `redis-benchmark -P 64 -c 4 XADD big * f v`, check XLEN,
time reads at both ends and in the middle (medians of 200), trim it to its newest 1,000
entries, and see what the trim cost and what space comes back: Strata's data directory
once background compaction has dropped the trimmed entries, each server's RSS. A trim of a
2,000-entry stream to 1,000 is timed for comparison.

  bench/stream_trim.py [BUILD_DIR] [N]
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from resp_client import Client  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def timed(c, cmd, n=200):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        reply = c.run([cmd])[0]
        samples.append((time.perf_counter() - t) * 1e6)
    return statistics.median(samples), reply


def start(kind, build, port, tmp):
    if kind == "strata":
        data = os.path.join(tmp, "strata")
        os.makedirs(data)
        cmd = [os.path.join(build, "strata-server"), "conf/strata.conf", "--port", str(port),
               "--dir", data, "--logfile", os.path.join(tmp, "strata.log")]
    else:
        data = os.path.join(tmp, "redis")
        os.makedirs(data)
        cmd = ["redis-server", "--port", str(port), "--dir", data, "--save", "",
               "--appendonly", "yes", "--appendfsync", "everysec", "--logfile",
               os.path.join(tmp, "redis.log")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, data
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{kind} did not start")


def run(kind, build, n):
    tmp = tempfile.mkdtemp(prefix=f"stream-trim-{kind}-")
    port = free_port()
    proc, data = start(kind, build, port, tmp)
    out = {}
    try:
        t = time.time()
        subprocess.run(["redis-benchmark", "-p", str(port), "-q", "-P", "64", "-c", "4", "-n",
                        str(n), "XADD", "big", "*", "f", "v"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out["load entries/s"] = n / (time.time() - t)
        c = Client(port)
        assert int(c.run([["XLEN", "big"]])[0]) == n, "XLEN is not exact"
        first = c.run([["XRANGE", "big", "-", "+", "COUNT", "1"]])[0][0][0]
        last = c.run([["XREVRANGE", "big", "+", "-", "COUNT", "1"]])[0][0][0]
        mid = c.run([["XRANGE", "big", "-", "+", "COUNT", str(n // 2)]])[0][-1][0] if n <= 200000 \
            else None
        out["XRANGE first, us"] = timed(c, ["XRANGE", "big", "-", "+", "COUNT", "1"])[0]
        out["XREVRANGE last, us"] = timed(c, ["XREVRANGE", "big", "+", "-", "COUNT", "1"])[0]
        out["XRANGE by last ID, us"] = timed(c, ["XRANGE", "big", last, last])[0]
        out["XRANGE by first ID, us"] = timed(c, ["XRANGE", "big", first, first])[0]
        if mid:
            out["XRANGE by middle ID, us"] = timed(c, ["XRANGE", "big", mid, mid])[0]
        out["RSS before trim, MB"] = rss_mb(proc.pid)
        if kind == "strata":
            time.sleep(2)
            out["data dir before trim, MB"] = dir_bytes(data) / 1e6
        t = time.perf_counter()
        removed = c.run([["XTRIM", "big", "MAXLEN", "1000"]])[0]
        out["XTRIM to 1,000, ms"] = (time.perf_counter() - t) * 1e3
        assert int(removed) == n - 1000 and int(c.run([["XLEN", "big"]])[0]) == 1000
        out["XRANGE first after trim, us"] = timed(c, ["XRANGE", "big", "-", "+", "COUNT", "1"])[0]
        # A small stream's trim, for comparison.
        c.run([["XADD", "small", "*", "f", "v"] for _ in range(2000)])
        t = time.perf_counter()
        c.run([["XTRIM", "small", "MAXLEN", "1000"]])
        out["XTRIM 2,000 to 1,000, ms"] = (time.perf_counter() - t) * 1e3
        if kind == "strata":
            deadline = time.time() + 120
            while time.time() < deadline and dir_bytes(data) > out["data dir before trim, MB"] * 1e6 / 10:
                time.sleep(1)
            out["data dir after compaction, MB"] = dir_bytes(data) / 1e6
            out["seconds until reclaimed"] = 120 - (deadline - time.time())
        time.sleep(1)
        out["RSS after trim, MB"] = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    results = {kind: run(kind, build, n) for kind in ("strata", "redis")}
    print(f"{n:,} entries: {'':22} {'strata':>12} {'redis':>12}")
    for key in results["strata"]:
        r = results["redis"].get(key)
        print(f"  {key:32} {results['strata'][key]:12.1f} {r if r is None else f'{r:12.1f}'}")


if __name__ == "__main__":
    main()
