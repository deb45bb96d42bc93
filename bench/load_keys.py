#!/usr/bin/env python3
"""RESP for SET key:<12 digits> <value> over keys [0, N), for `redis-cli --pipe`.

    bench/load_keys.py N [VALUE_BYTES]

Key names are redis-benchmark's (`key:__rand_int__` with -r), so a later
`redis-benchmark -t get -r R` reads these keys; each value is 100 bytes by default and
differs per key (the seed study's shape: 16-byte keys, 100-byte values).
"""
import sys


def main():
    n = int(sys.argv[1])
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    filler = b"v" * size
    head = b"*3\r\n$3\r\nSET\r\n$16\r\n"
    mid = b"\r\n$%d\r\n" % size
    out = sys.stdout.buffer
    batch = []
    for i in range(n):
        digits = b"%012d" % i
        batch.append(head + b"key:" + digits + mid + digits + filler[12:] + b"\r\n")
        if len(batch) == 10000:
            out.write(b"".join(batch))
            batch.clear()
    out.write(b"".join(batch))


if __name__ == "__main__":
    main()
