#!/usr/bin/env bash
# Data larger than memory: strata-server restarted inside a memory cgroup (v1) over a data set
# several times the limit, page cache dropped first; 50 redis-benchmark clients GET random
# keys while one client PINGs every 5 ms. Reports per read path (mmap-reads yes/no):
# GET/s, GET and PING latency percentiles, bytes read from disk per GET and the read
# amplification, peak RSS and cgroup usage against the limit, OOM kills, restart times.
#
#   scripts/bench-larger-than-memory.sh [build] [keys] [limit-MiB] [requests] [rounds] [modes]
#
# keys: loaded once as key:<12 digits> -> 100 bytes into $LTM_DATA (default
# /var/tmp/strata-ltm-<keys>) and reused by later runs. GETs draw from 1.6x as many keys, so
# about 37% miss (the bloom filters' case). modes: mmap-reads values, alternated per round.
# DISTRIBUTION=zipf: the GETs draw Zipf(0.99) keys for 30 s (build/zipf_get, 50 clients)
# instead of redis-benchmark's uniform ones.
# SERVER_ARGS: more options for the measured server (e.g. "--block-cache-size 32mb").
# REDIS=1: then the same data set loaded into redis-server in the same cgroup, without and
# with maxmemory (allkeys-lru), to show what it does instead.
set -euo pipefail
build=${1:-build}
keys=${2:-12600000}
limit_mib=${3:-512}
requests=${4:-1000000}
rounds=${5:-1}
modes=${6:-"no yes"}
data=${LTM_DATA:-/var/tmp/strata-ltm-$keys}
range=$((keys * 16 / 10))
cg=/sys/fs/cgroup/memory/strata-ltm
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
info() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v k="$3" '$1 == k {print $2}'; }
now_ms() { date +%s%3N; }
cmdcalls() { redis-cli -p "$1" info commandstats | tr -d '\r' | sed -n "s/^cmdstat_$2:calls=\([0-9]*\),.*/\1/p"; }
proc_io() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/io"; }

if [[ ! -f $data/loaded ]]; then
  rm -rf "$data"; mkdir -p "$data"
  port=$(free_port)
  "./$build/strata-server" conf/strata.conf --port "$port" --dir "$data" \
    --logfile "$data/load.log" &
  pid=$!
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
  echo "loading $keys keys into $data"
  start=$(now_ms)
  python3 bench/load_keys.py "$keys" | redis-cli -p "$port" --pipe >/dev/null
  echo "loaded in $(( ($(now_ms) - start) / 1000 )) s; waiting for compactions to settle"
  quiet=0
  while (( quiet < 5 )); do
    sleep 1
    if [[ $(info "$port" engine flush_running) == 0 && $(info "$port" engine compaction_running) == 0 ]]; then
      quiet=$((quiet + 1)); else quiet=0; fi
  done
  echo "on disk: $(info "$port" engine sst_bytes) bytes in $(info "$port" engine sst_files) files"
  redis-cli -p "$port" shutdown >/dev/null 2>&1 || true
  wait "$pid" || true
  touch "$data/loaded"
fi
disk_bytes=$(du -sb "$data" | cut -f1)

if [[ ! -d $cg ]]; then mkdir "$cg"; fi
echo $((limit_mib << 20)) > "$cg/memory.limit_in_bytes"

run() {  # run MODE: one measured run in the cgroup; prints one table row
  local mode=$1 port pid start pong first
  sync; echo 3 > /proc/sys/vm/drop_caches
  echo 0 > "$cg/memory.max_usage_in_bytes"
  local oom_before; oom_before=$(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control")
  port=$(free_port)
  start=$(now_ms)
  bash -c "echo \$\$ > $cg/cgroup.procs; exec ./$build/strata-server conf/strata.conf \
    --port $port --dir $data --logfile $work/server.log --mmap-reads $mode ${SERVER_ARGS:-}" &
  pid=$!
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.01; done
  pong=$(( $(now_ms) - start ))
  redis-cli -p "$port" get key:000000000001 >/dev/null
  first=$(( $(now_ms) - start ))
  local read0 gets0 hits0
  read0=$(proc_io "$pid" read_bytes); gets0=$(cmdcalls "$port" get); gets0=${gets0:-0}
  hits0=$(info "$port" stats keyspace_hits)
  python3 bench/ping_probe.py "$port" 600 > "$work/ping" &
  local probe=$!
  local t0; t0=$(now_ms)
  if [[ ${DISTRIBUTION:-uniform} == zipf ]]; then
    "./$build/zipf_get" "$port" "$range" 50 30 > "$work/bench" 2>&1 || true
  else
    timeout 120 redis-benchmark -p "$port" -t get -c 50 -r "$range" -n "$requests" \
      > "$work/bench" 2>&1 || true
  fi
  local elapsed=$(( $(now_ms) - t0 ))
  kill -TERM "$probe"; wait "$probe" || true
  local read1 gets1 hits1 hwm peak oom
  read1=$(proc_io "$pid" read_bytes); gets1=$(cmdcalls "$port" get); hits1=$(info "$port" stats keyspace_hits)
  hwm=$(awk '$1 == "VmHWM:" {print $2 * 1024}' "/proc/$pid/status")
  peak=$(cat "$cg/memory.max_usage_in_bytes")
  oom=$(( $(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control") - oom_before ))
  local pinned; pinned=$(info "$port" engine pinned_table_bytes)
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$pid"
  wait "$pid" 2>/dev/null || true
  local gets=$((gets1 - gets0)) hits=$((hits1 - hits0)) read=$((read1 - read0))
  # Latency percentiles from redis-benchmark's own distribution (when it ran to the end).
  local pcts
  pcts=$(tr '\r' '\n' < "$work/bench" | awk '
    /^gets / {a = $8; b = $10; c = $12}
    /^Latency by percentile/ {on = 1; next} /^$/ {on = 0}
    on && $2 == "<=" { p = $1 + 0
      if (p >= 50 && !a) a = $3; if (p >= 99 && !b) b = $3; if (p >= 99.9 && !c) c = $3 }
    END {printf "%s %s %s", a ? a : "-", b ? b : "-", c ? c : "-"}')
  local ping; ping=$(awk '{print $4, $6, $8, $10}' "$work/ping")
  # Needed: one 4 KiB data block per GET that finds its key (a miss needs none: the filter).
  awk -v m="$mode" -v g="$gets" -v h="$hits" -v r="$read" -v e="$elapsed" -v p="$pcts" \
      -v q="$ping" -v hwm="$hwm" -v peak="$peak" -v oom="$oom" -v pong="$pong" \
      -v first="$first" -v pinned="${pinned:-0}" 'BEGIN {
    printf "| %s | %d | %s | %s | %.0f | %.2f | %.0f | %.0f | %.0f | %d | %d / %d ms |\n",
      m, g * 1000 / e, p, q, r / (g ? g : 1), r / ((h ? h : 1) * 4096),
      hwm / 1048576, peak / 1048576, pinned / 1048576, oom, pong, first }'
}

echo
echo "$keys keys, $((disk_bytes >> 20)) MiB on disk, cgroup limit $limit_mib MiB;"
if [[ ${DISTRIBUTION:-uniform} == zipf ]]; then
  echo "zipf_get (Zipf 0.99) over $range keys, 50 clients, 30 s + PING every 5 ms"
else
  echo "redis-benchmark -t get -c 50 -r $range -n $requests (cut at 120 s) + PING every 5 ms"
fi
echo
echo "| mmap-reads | GET/s | GET p50 p99 p99.9 (ms) | PING p50 p99 p99.9 max (ms) | disk bytes/GET | read amp. | peak RSS MiB | cgroup peak MiB | pinned index+filter MiB | OOM kills | restart: PONG / first GET |"
echo "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"
for r in $(seq "$rounds"); do
  for mode in $modes; do run "$mode"; done
done

redis_run() {  # redis_run MAXMEMORY-ARGS...: redis-server in the cgroup, the data set loaded
  local port pid rdir; port=$(free_port); rdir=$(mktemp -d)
  echo 0 > "$cg/memory.max_usage_in_bytes"
  local oom_before; oom_before=$(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control")
  bash -c "echo \$\$ > $cg/cgroup.procs; exec redis-server --port $port --dir $rdir --save '' \
    --appendonly no --daemonize no --logfile $work/redis.log $*" &
  pid=$!
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.01; done
  python3 bench/load_keys.py "$keys" | redis-cli -p "$port" --pipe >/dev/null 2>&1 || true
  local oom=$(( $(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control") - oom_before ))
  if [[ $oom -gt 0 ]] || ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    echo "| redis-server $* | OOM-killed while loading (cgroup peak $(( $(cat "$cg/memory.max_usage_in_bytes") >> 20 )) MiB) |"
  else
    local held hits0 miss0; held=$(redis-cli -p "$port" dbsize)
    hits0=$(info "$port" stats keyspace_hits); miss0=$(info "$port" stats keyspace_misses)
    timeout 120 redis-benchmark -p "$port" -t get -c 50 -r "$range" -n "$requests" >/dev/null 2>&1 || true
    local h=$(( $(info "$port" stats keyspace_hits) - hits0 )) m=$(( $(info "$port" stats keyspace_misses) - miss0 ))
    echo "| redis-server $* | holds $held of $keys keys; GET hit rate $(( h * 100 / (h + m) ))% (Strata: 63%, every key) |"
  fi
  kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$rdir"
}
if [[ -n ${REDIS:-} ]]; then
  echo
  redis_run
  redis_run --maxmemory $(( limit_mib * 7 / 8 ))mb --maxmemory-policy allkeys-lru
fi
