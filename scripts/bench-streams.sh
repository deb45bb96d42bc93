#!/usr/bin/env bash
# Streams side by side: strata-server and Debian's redis-server on free ports, alternated
# round by round; medians of
#   redis-benchmark -q -n <requests> -P 16 XADD s * f v
# and of a consumer-group work queue (tests/clients/streams_bench.js: 1 producer, 4
# consumers with XREADGROUP COUNT 100 and XACK), in entries/s overall and over its first and
# last <window> entries.
#
#   scripts/bench-streams.sh [build-dir] [rounds] [requests] [queue-entries] [window]
set -euo pipefail
build=${1:-build}
rounds=${2:-3}
requests=${3:-200000}
entries=${4:-200000}
window=${5:-50000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. "$(dirname "$0")/bench-lib.sh"
start_both
echo "$rounds rounds alternated; both servers with their append-only log on, appendfsync everysec"
for r in $(seq "$rounds"); do
  for who in strata redis; do
    port=$sport; [[ $who == redis ]] && port=$rport
    redis-cli -p "$port" flushall >/dev/null
    redis-benchmark -p "$port" -q -n "$requests" -P 16 xadd s '*' f v 2>&1 | tr '\r' '\n' |
      grep 'requests per second' | sed 's/.*: //' | awk -v who="$who" '{print who "-xadd", $1}' >> "$work/results"
    node tests/clients/streams_bench.js "$port" "$entries" "$window" |
      awk -v who="$who" '{print who "-queue", $1; print who "-first", $2; print who "-last", $3}' >> "$work/results"
  done
done
printf '%-34s %12s %12s %8s\n' test strata redis ratio
for t in xadd queue first last; do
  s=$(median "strata-$t"); d=$(median "redis-$t")
  label=$t
  case $t in
    xadd) label="XADD -P 16 requests/s" ;;
    queue) label="group queue entries/s" ;;
    first) label="  its first $window entries" ;;
    last) label="  its last $window entries" ;;
  esac
  printf '%-34s %12s %12s %8.2f\n' "$label" "$s" "$d" "$(echo "$s / $d" | bc -l)"
done
