#!/usr/bin/env python3
"""One client sending PING every few milliseconds: how long the loop makes others wait.

    bench/ping_probe.py PORT SECONDS [INTERVAL_MS]

Runs for SECONDS or until SIGTERM, then prints one line: count, p50, p99, p99.9 and max of
the PING round trips in milliseconds. A raw socket, so the figure is the server's delay plus
one loopback round trip.
"""
import signal
import socket
import sys
import time


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    interval = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.005
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and not stop:
        start = time.perf_counter()
        sock.sendall(b"PING\r\n")
        reply = b""
        while not reply.endswith(b"\r\n"):
            try:
                chunk = sock.recv(64)
            except InterruptedError:
                continue
            if not chunk:
                sys.exit("ping_probe: server closed the connection")
            reply += chunk
        samples.append((time.perf_counter() - start) * 1000)
        if reply != b"+PONG\r\n":
            sys.exit(f"ping_probe: unexpected reply {reply!r}")
        time.sleep(max(0.0, interval - (time.perf_counter() - start)))
    samples.sort()

    def pct(p):
        return samples[min(len(samples) - 1, int(len(samples) * p))]

    print(f"pings {len(samples)} p50 {pct(0.5):.2f} p99 {pct(0.99):.2f} "
          f"p99.9 {pct(0.999):.2f} max {samples[-1]:.2f}")


if __name__ == "__main__":
    main()
