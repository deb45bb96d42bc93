#!/usr/bin/env bash
# Scripts side by side: strata-server and Debian's redis-server, each on its own free port,
# alternated round by round; prints the median requests/s of
#   redis-benchmark -n <requests> -P <pipeline> [-r $KEYSPACE] EVALSHA <sha> 1 key:__rand_int__
# for a script that reads, increments and sets the expiry of its key (GET + INCR + EXPIRE),
# and, when BULLMQ=1, the jobs/s of tests/clients/bullmq_bench.js (BullMQ: every job step a
# Lua script).
#
#   scripts/bench-scripts.sh [build-dir] [rounds] [requests] [pipeline]
set -euo pipefail
build=${1:-build}
rounds=${2:-3}
requests=${3:-200000}
pipeline=${4:-16}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. "$(dirname "$0")/bench-lib.sh"
start_both

script="local v = redis.call('get', KEYS[1]) redis.call('incr', KEYS[1]) redis.call('expire', KEYS[1], 3600) return v"
echo "redis-benchmark -q -n $requests -P $pipeline EVALSHA <GET+INCR+EXPIRE> 1 key${KEYSPACE:+ (-r $KEYSPACE)}"
echo "$rounds rounds alternated; both servers with their append-only log on, appendfsync everysec"
for r in $(seq "$rounds"); do
  for who in strata redis; do
    port=$sport; [[ $who == redis ]] && port=$rport
    redis-cli -p "$port" flushall >/dev/null
    sha=$(redis-cli -p "$port" script load "$script")
    redis-benchmark -p "$port" -q -n "$requests" -P "$pipeline" ${KEYSPACE:+-r $KEYSPACE} \
      evalsha "$sha" 1 key:__rand_int__ 2>&1 | tr '\r' '\n' | grep 'requests per second' |
      sed 's/.*: //' | awk -v who="$who" '{print who, $1}' >> "$work/results"
    if [[ ${BULLMQ:-0} == 1 ]]; then
      node tests/clients/bullmq_bench.js "$port" | awk -v who="$who" '{print who "-bullmq", $1}' >> "$work/results"
    fi
  done
done
printf '%-22s %14s %14s %8s\n' test strata redis ratio
s=$(median strata); d=$(median redis)
printf '%-22s %14s %14s %8.2f\n' "EVALSHA requests/s" "$s" "$d" "$(echo "$s / $d" | bc -l)"
if [[ ${BULLMQ:-0} == 1 ]]; then
  s=$(median strata-bullmq); d=$(median redis-bullmq)
  printf '%-22s %14s %14s %8.2f\n' "BullMQ jobs/s" "$s" "$d" "$(echo "$s / $d" | bc -l)"
fi
