#!/usr/bin/env python3
"""Side-by-side conformance: every case in tests/conformance/*.txt is piped through redis-cli
to a fresh strata-server and to Debian's redis-server, and their replies must be the same,
word for word, as a user at redis-cli sees them.

A case file holds blocks separated by blank lines. A block opens with `## name` and runs on
one connection, after FLUSHALL, one command per line (redis-cli quoting). Lines starting with
`#` are comments. Only what both servers answer deterministically belongs here (no ids,
addresses, timings).

usage: compare.py STRATA_SERVER [CASES...]   ends with `N passed, M failed`.
"""
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, proc, name):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit(f"{name} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{name} did not start on port {port}")


def load_cases(paths):
    cases = []
    for path in paths:
        name, lines = None, []
        for raw in pathlib.Path(path).read_text().splitlines() + [""]:
            line = raw.strip()
            if line.startswith("## "):
                name, lines = f"{pathlib.Path(path).stem}: {line[3:]}", []
            elif not line:
                if name and lines:
                    cases.append((name, lines))
                name, lines = None, []
            elif not line.startswith("#"):
                lines.append(line)
    return cases


def run(port, lines):
    text = "\n".join(["flushall"] + lines) + "\n"
    out = subprocess.run(["redis-cli", "--no-raw", "-p", str(port)], input=text,
                         capture_output=True, text=True, timeout=60)
    return (out.stdout + out.stderr).splitlines()[1:]  # less FLUSHALL's OK


def main():
    strata = sys.argv[1]
    paths = sys.argv[2:] or sorted(str(p) for p in HERE.glob("*.txt"))
    if shutil.which("redis-server") is None:
        print("redis-server is not installed (scripts/install-deps.sh installs it)")
        print("0 passed, 1 failed")
        return 1
    tmp = tempfile.mkdtemp(prefix="strata-conformance-")
    sp, rp = free_port(), free_port()
    procs = [
        subprocess.Popen([strata, "--port", str(sp), "--dir", os.path.join(tmp, "strata")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen(["redis-server", "--port", str(rp), "--save", "", "--appendonly", "no",
                          "--enable-debug-command", "yes",
                          "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    passed = failed = 0
    try:
        os.makedirs(os.path.join(tmp, "strata"), exist_ok=True)
        wait_ready(sp, procs[0], "strata-server")
        wait_ready(rp, procs[1], "redis-server")
        for name, lines in load_cases(paths):
            got, want = run(sp, lines), run(rp, lines)
            if got == want:
                passed += 1
                continue
            failed += 1
            print(f"FAIL {name}")
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else "<nothing>"
                w = want[i] if i < len(want) else "<nothing>"
                if g != w:
                    print(f"  line {i + 1}: strata {g!r}\n          redis  {w!r}")
                    break
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
