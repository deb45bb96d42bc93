#!/usr/bin/env bash
# Pub/Sub side by side: strata-server and Debian's redis-server on free ports, alternated
# round by round; medians of
#   build/pubsub_fanout PORT N MESSAGES 100 16   (1 publisher, N = 1, 10, 100 subscribers,
#                                                100-byte messages: delivered/s, p99 latency)
#   redis-benchmark -q -n <requests> -P 16 PUBLISH chan msg   (no subscribers)
# and the server's own CPU time per 1,000 messages delivered (utime + stime from
# /proc/<pid>/stat around each fan-out run): on 2 cores the rates are bound by the kernel's
# TCP path and the scheduling of the benchmark's own threads, the CPU time is not.
#
#   scripts/bench-pubsub.sh [build-dir] [rounds] [requests]
set -euo pipefail
build=${1:-build}
rounds=${2:-3}
requests=${3:-1000000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. "$(dirname "$0")/bench-lib.sh"
start_both
pid_of() { redis-cli -p "$1" info server | tr -d '\r' | awk -F: '$1 == "process_id" {print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
spid=$(pid_of "$sport"); rpid=$(pid_of "$rport")
tick_us=$((1000000 / $(getconf CLK_TCK)))
echo "$rounds rounds alternated; both servers with their append-only log on, appendfsync everysec"
for r in $(seq "$rounds"); do
  for who in strata redis; do
    port=$sport; pid=$spid; [[ $who == redis ]] && port=$rport && pid=$rpid
    for n in 1 10 100; do
      msgs=$((400000 / n)); [[ $msgs -gt 200000 ]] && msgs=200000
      before=$(cpu_ticks "$pid")
      "./$build/pubsub_fanout" "$port" "$n" "$msgs" 100 16 |
        awk -v k="$who-$n" '{print k "-rate", $1; print k "-p99", $3}' >> "$work/results"
      after=$(cpu_ticks "$pid")
      echo "$who-$n-cpu $(( (after - before) * tick_us * 1000 / (msgs * n) ))" >> "$work/results"
    done
    redis-benchmark -p "$port" -q -n "$requests" -P 16 publish chan msg 2>&1 | tr '\r' '\n' |
      grep 'requests per second' | sed 's/.*: //' | awk -v who="$who" '{print who "-publish", $1}' >> "$work/results"
  done
done
printf '| | Strata | Redis | Strata / Redis |\n|---|---:|---:|---:|\n'
for n in 1 10 100; do
  s=$(median "strata-$n-rate"); r=$(median "redis-$n-rate")
  printf '| fan-out to %s: messages delivered/s | %s | %s | %.2f |\n' "$n" "$s" "$r" "$(echo "$s / $r" | bc -l)"
  s=$(median "strata-$n-p99"); r=$(median "redis-$n-p99")
  printf '| fan-out to %s: p99 delivery latency, µs | %s | %s | %.2f |\n' "$n" "$s" "$r" "$(echo "$s / $r" | bc -l)"
  s=$(median "strata-$n-cpu"); r=$(median "redis-$n-cpu")
  printf '| fan-out to %s: server CPU µs per 1,000 delivered | %s | %s | %.2f |\n' "$n" "$s" "$r" "$(echo "$s / $r" | bc -l)"
done
s=$(median strata-publish); r=$(median redis-publish)
printf '| PUBLISH -P 16, no subscribers: requests/s | %s | %s | %.2f |\n' "$s" "$r" "$(echo "$s / $r" | bc -l)"
