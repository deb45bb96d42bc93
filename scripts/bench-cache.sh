#!/usr/bin/env bash
# Cache mode side by side (issue 18): strata-server and Debian's redis-server, fresh for each
# run, alternated; for allkeys-lru and allkeys-lfu, build/zipf_get's cache workload — 50
# clients, Zipf(0.99) keys over RANGE, GET and on a miss SET (100-byte values), WARMUP GETs
# uncounted, then GETS counted (the same key sequence on both servers, however fast). Each server's maxmemory holds a tenth of the keys:
# Strata's is that many times one key's MEMORY USAGE (what its maxmemory counts); Redis's is
# its used_memory once that many such keys are loaded (then flushed), raised after a uniform
# prefill by what the keys it then holds short of that take (its limit counts client buffers
# too). Prints medians of hit ratio and requests/s, and the keys each held at the end.
#
#   scripts/bench-cache.sh [build-dir] [rounds] [range] [gets] [warmup]
set -euo pipefail
build=${1:-build}
rounds=${2:-2}
range=${3:-10000000}
gets=${4:-2000000}
warmup=${5:-4000000}
cached=$((range / 10))
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
. "$(dirname "$0")/bench-lib.sh"
info() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v k="$3" '$1 == k {print $2}'; }

size_both() {  # sets maxmemory on both servers so that each holds $cached keys
  redis-cli -p "$sport" set key:000000000000 "$(head -c 100 /dev/zero | tr '\0' v)" >/dev/null
  local per=$(redis-cli -p "$sport" memory usage key:000000000000)
  redis-cli -p "$sport" del key:000000000000 >/dev/null
  redis-cli -p "$sport" config set maxmemory $((cached * per)) >/dev/null
  # Redis: what exactly $cached such keys take, loaded through redis-cli --pipe.
  awk -v n="$cached" 'BEGIN { v = sprintf("%100s", ""); gsub(/ /, "v", v);
    for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$100\r\n%s\r\n", i, v }' |
    redis-cli -p "$rport" --pipe >/dev/null
  redis-cli -p "$rport" config set maxmemory "$(info "$rport" memory used_memory)" >/dev/null
  redis-cli -p "$rport" flushall >/dev/null
}

echo "$rounds rounds alternated; $range keys, a tenth cached; $warmup GETs of warm-up, $gets counted"
for r in $(seq "$rounds"); do
  for policy in allkeys-lru allkeys-lfu; do
    start_both
    size_both
    for who in strata redis; do
      port=$sport; [[ $who == redis ]] && port=$rport
      redis-cli -p "$port" config set maxmemory-policy "$policy" >/dev/null
      # The cache starts full: one and a half times its size in uniform SETs. Redis's maxmemory also
      # counts its clients' buffers, so its limit then grows by what the keys it is short of
      # take, and the SETs run again.
      prefill() { redis-benchmark -p "$port" -t set -r "$range" -n $((3 * cached / 2)) -d 100 \
                    -c 50 -P 16 -q >/dev/null; }
      prefill
      if [[ $who == redis ]]; then
        keys=$(redis-cli -p "$port" dbsize) max=$(info "$port" memory maxmemory)
        redis-cli -p "$port" config set maxmemory $((max + (cached - keys) * max / cached)) >/dev/null
        prefill
      fi
      "./$build/zipf_get" "$port" "$range" 50 3600 0.99 100 "$warmup" "$gets" |
        awk -v k="$who-$policy" '{print k "-hit", $6; print k "-rps", $14}' >> "$work/results"
      echo "$who-$policy-keys $(redis-cli -p "$port" dbsize)" >> "$work/results"
      echo "$who-$policy-evicted $(info "$port" stats evicted_keys)" >> "$work/results"
    done
    kill $(jobs -p) 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work/strata" "$work/appendonlydir"
  done
done
printf '| policy | | Strata | Redis | Strata / Redis |\n|---|---|---:|---:|---:|\n'
for policy in allkeys-lru allkeys-lfu; do
  for m in hit rps keys; do
    s=$(median "strata-$policy-$m"); rd=$(median "redis-$policy-$m")
    name=$m; [[ $m == hit ]] && name="hit ratio"; [[ $m == rps ]] && name="requests/s"
    [[ $m == keys ]] && name="keys held at the end"
    printf '| %s | %s | %s | %s | %.3f |\n' "$policy" "$name" "$s" "$rd" "$(echo "$s / $rd" | bc -l)"
  done
done
