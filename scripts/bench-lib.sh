# Shared by the side-by-side benchmark scripts (bench-redis.sh, bench-scripts.sh,
# bench-streams.sh): source it after setting `build` and `work` (a temporary directory).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ping() { for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }

# Starts strata-server (conf/strata.conf) and redis-server, both with their log on and
# appendfsync everysec, on free ports: sets sport and rport.
start_both() {
  sport=$(free_port)
  "./$build/strata-server" conf/strata.conf --port "$sport" --dir "$work/strata" \
    --logfile "$work/strata.log" &
  rport=$(free_port)
  redis-server --port "$rport" --dir "$work" --save "" --appendonly yes --appendfsync everysec \
    --daemonize no --logfile "$work/redis.log" &
  wait_ping "$sport"
  wait_ping "$rport"
}

# The median of the values recorded as "<name> <value>" lines in $work/results.
median() { grep "^$1 " "$work/results" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
