#!/usr/bin/env python3
"""Queues that must not rot: push N items, pop them all from the other end, and compare
the pop rate of the first and the last 100,000 pops (a store that leaves tombstones in
front of the live items slows down as the queue drains). Lists: LPUSH then RPOP. Sorted
sets: ZADD then ZPOPMIN. Talks RESP over a plain socket, pipelining 1,000 commands.

  bench/queue_bench.py PORT [N] [DATA_DIR]
"""
import os
import socket
import sys
import time


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def send(self, commands):
        out = []
        for args in commands:
            out.append(b"*%d\r\n" % len(args))
            for a in args:
                a = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def _line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(1 << 20)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind in (b"+", b":"):
            return rest
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(1 << 20)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError("bad reply %r" % line)

    def run(self, commands):
        self.send(commands)
        return [self.read() for _ in commands]


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def drain(c, name, push, pop, n, batch=1000, window=100000):
    start = time.time()
    for base in range(0, n, batch):
        c.run([push(i) for i in range(base, min(n, base + batch))])
    push_rate = n / (time.time() - start)
    rates, t0, done = [], time.time(), 0
    while done < n:
        k = min(batch, n - done)
        replies = c.run([pop() for _ in range(k)])
        assert all(r is not None for r in replies), "popped nothing before the end"
        done += k
        if done % window == 0:
            now = time.time()
            rates.append(window / (now - t0))
            t0 = now
    print("%-8s pushes %9.0f/s   pops: first 100k %9.0f/s   last 100k %9.0f/s   "
          "last/first %.2f" % (name, push_rate, rates[0], rates[-1], rates[-1] / rates[0]))


def main():
    port = int(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000000
    data_dir = sys.argv[3] if len(sys.argv) > 3 else None
    c = Client(port)
    drain(c, "list", lambda i: ("LPUSH", "queue", "item:%d" % i), lambda: ("RPOP", "queue"), n)
    drain(c, "zset", lambda i: ("ZADD", "zqueue", i, "item:%d" % i), lambda: ("ZPOPMIN", "zqueue"), n)
    assert c.run([("EXISTS", "queue", "zqueue")])[0] == b"0"
    if data_dir:
        before = dir_bytes(data_dir)
        c.run([("DEBUG", "COMPACT")])
        print("on-disk bytes with both queues empty: %d before a full compaction, %d after"
              % (before, dir_bytes(data_dir)))


if __name__ == "__main__":
    main()
