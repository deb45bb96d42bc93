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
import contextlib
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


@contextlib.contextmanager
def both_servers(strata, redis_args=()):
    """strata-server and Debian's redis-server (no persistence) on free ports, each with a
    fresh directory: yields their ports, and stops both after."""
    tmp = tempfile.mkdtemp(prefix="strata-conformance-")
    sp, rp = free_port(), free_port()
    os.makedirs(os.path.join(tmp, "strata"))
    procs = [
        subprocess.Popen([strata, "--port", str(sp), "--dir", os.path.join(tmp, "strata")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen(["redis-server", "--port", str(rp), "--save", "", "--appendonly", "no",
                          "--dir", tmp, *redis_args],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        wait_ready(sp, procs[0], "strata-server")
        wait_ready(rp, procs[1], "redis-server")
        yield sp, rp
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


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


def command_docs(port, names):
    """COMMAND DOCS for names, as {name: doc} with Redis's nested lists turned into dicts."""
    import redis  # Debian's python3-redis
    conn = redis.Redis(port=port).connection_pool.get_connection("docs")
    conn.send_command("COMMAND", "DOCS", *names)
    reply = conn.read_response()

    def as_dict(flat):
        return {flat[i].decode(): flat[i + 1] for i in range(0, len(flat), 2)}

    def arg(a):
        d = as_dict(a)
        out = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in d.items()
               if k in ("name", "type", "token", "key_spec_index")}
        out["flags"] = sorted(f.decode() for f in d.get("flags", []))
        out["arguments"] = [arg(x) for x in d.get("arguments", [])]
        return out

    def doc(d):
        return {
            "summary": bool(d["summary"]),
            "group": d["group"].decode(), "since": d["since"].decode(),
            "doc_flags": sorted(f.decode() for f in d.get("doc_flags", [])),
            "deprecated_since": d.get("deprecated_since", b"").decode(),
            "arguments": [arg(a) for a in d.get("arguments", [])],
        }

    docs = {}
    for i in range(0, len(reply), 2):
        d = as_dict(reply[i + 1])
        docs[reply[i].decode()] = doc(d)
        subs = d.get("subcommands", [])
        for j in range(0, len(subs), 2):
            docs[subs[j].decode()] = doc(as_dict(subs[j + 1]))
    return docs


# Strata's own commands and forms, not in redis-server 7.0 (DEBUG's subcommands, CLIENT
# SETINFO, ZRANK ... WITHSCORE of 7.2).
DOCS_OWN = {"debug", "debug|compact", "debug|sleep", "debug|object", "debug|help",
            "client|setinfo", "client|no-touch", "zrank", "zrevrank"}


def compare_docs(sp, rp):
    """COMMAND DOCS of every Strata command against redis-server's: group, since, doc flags
    and the argument trees (names, types, tokens, flags, key spec indexes). Summaries (which
    must not be empty) and complexity texts are Strata's own words."""
    strata = command_docs(sp, [])
    reference = command_docs(rp, list(strata))
    bad = []
    for name, doc in strata.items():
        if not doc["summary"]:
            bad.append(name)
        elif name in DOCS_OWN:
            continue
        elif reference.get(name) != doc:
            bad.append(name)
    return bad


def main():
    strata = sys.argv[1]
    paths = sys.argv[2:] or sorted(str(p) for p in HERE.glob("*.txt"))
    if shutil.which("redis-server") is None:
        print("redis-server is not installed (scripts/install-deps.sh installs it)")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    with both_servers(strata, ["--enable-debug-command", "yes"]) as (sp, rp):
        if not sys.argv[2:]:
            bad = compare_docs(sp, rp)
            if bad:
                failed += 1
                print(f"FAIL COMMAND DOCS differ from redis-server's for: {' '.join(bad)}")
            else:
                passed += 1
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
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
