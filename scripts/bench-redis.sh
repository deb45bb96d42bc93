#!/usr/bin/env bash
# Side-by-side redis-benchmark: strata-server and Debian's redis-server on this machine, each
# on its own free port, alternated round by round; prints the median requests/s per test.
#
#   scripts/bench-redis.sh [build-dir] [rounds] [requests] [pipeline] [tests] [keyspace]
#
# tests: a -t list, or "all" for redis-benchmark's default suite; keyspace: -r (random keys).
# AGAINST=path/to/strata-server puts that build (an older commit, say) in redis-server's place,
# with the same configuration as ours: a before/after comparison, alternated the same way.
set -euo pipefail
build=${1:-build}
rounds=${2:-3}
requests=${3:-100000}
pipeline=${4:-1}
tests=${5:-ping,set,get,incr,mset}
keyspace=${6:-0}
opts=(-q -n "$requests" -P "$pipeline")
[[ $tests != all ]] && opts+=(-t "$tests")
[[ $keyspace != 0 ]] && opts+=(-r "$keyspace")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. "$(dirname "$0")/bench-lib.sh"

sport=$(free_port)
"./$build/strata-server" conf/strata.conf --port "$sport" --dir "$work/strata" --logfile "$work/strata.log" &
rport=$(free_port)
if [[ -n ${AGAINST:-} ]]; then
  "$AGAINST" conf/strata.conf --port "$rport" --dir "$work/against" --logfile "$work/against.log" &
else
  redis-server --port "$rport" --dir "$work" --save "" --appendonly yes --appendfsync everysec \
    --daemonize no --logfile "$work/redis.log" &
fi
wait_ping "$sport"
wait_ping "$rport"

echo "redis-benchmark ${opts[*]}, $rounds rounds alternated; both servers with"
echo "their append-only log on and appendfsync everysec"
for r in $(seq "$rounds"); do
  for who in strata redis; do
    port=$sport; [[ $who == redis ]] && port=$rport
    redis-cli -p "$port" flushall >/dev/null
    redis-benchmark -p "$port" "${opts[@]}" 2>&1 | tr '\r' '\n' |
      grep 'requests per second' | sed "s/^/$who /" >> "$work/results"
  done
done
label=redis
[[ -n ${AGAINST:-} ]] && label=before
printf '%-16s %14s %14s %8s\n' test strata "$label" ratio
grep '^strata ' "$work/results" | sed 's/^strata //; s/: .*//' | awk '!seen[$0]++' > "$work/tests"
while IFS= read -r t; do
  s=$(grep "^strata $t:" "$work/results" | awk -F': ' '{print $2}' | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  d=$(grep "^redis $t:" "$work/results" | awk -F': ' '{print $2}' | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-16s %14s %14s %8.2f\n' "$t" "$s" "$d" "$(echo "$s / $d" | bc -l)"
done < "$work/tests"
