#!/usr/bin/env bash
# Real client libraries against a real strata-server: redis-py (Debian's python3-redis),
# ioredis and node-redis (npm, pinned by package-lock.json, installed with `npm ci`), and
# the script-built ones: redis-py's Lock, BullMQ, rate-limiter-flexible and Redlock, the
# Pub/Sub ones (redis-py pubsub(), ioredis and node-redis subscribers, node-redis's
# clientSideCache, bee-queue),
# Debian's prometheus-redis-exporter, and redis-cli's --memkeys and --bigkeys. Each step prints `ok NAME` or `FAIL NAME: error`; the
# last line is `N passed, M failed`.
# usage: tests/clients/run.sh path/to/strata-server
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=$(realpath "$1")
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT

if [[ ! -d "$here/node_modules/ioredis" || "$here/package-lock.json" -nt "$here/node_modules" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) ||
    { cat "$work/npm.log"; echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$server" --port "$port" --dir "$work/data" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done

out=$(
  /usr/bin/python3 "$here/python_flow.py" "$port"
  node "$here/ioredis_flow.js" "$port"
  node "$here/node_redis_flow.js" "$port"
  /usr/bin/python3 "$here/python_scripting_flow.py" "$port"
  node "$here/scripting_flow.js" "$port"
  node "$here/bullmq_flow.js" "$port"
  /usr/bin/python3 "$here/python_streams_flow.py" "$port"
  node "$here/streams_flow.js" "$port"
  /usr/bin/python3 "$here/python_pubsub_flow.py" "$port"
  node "$here/pubsub_flow.js" "$port"
  node "$here/beequeue_flow.js" "$port"
  /usr/bin/python3 "$here/exporter_check.py" "$port"
  # redis-cli's own scans: --memkeys reads MEMORY USAGE of every key, --bigkeys the sizes.
  redis-cli -p "$port" rpush tool:list a b c >/dev/null
  mem=$(redis-cli -p "$port" --memkeys 2>&1)
  if grep -q "Biggest   list found" <<<"$mem" && ! grep -qi "fail\|error" <<<"$mem"; then
    echo "ok redis-cli: --memkeys"
  else
    echo "FAIL redis-cli: --memkeys: $(tail -3 <<<"$mem" | tr '\n' ' ')"
  fi
  big=$(redis-cli -p "$port" --bigkeys 2>&1)
  if grep -q "Biggest   list found" <<<"$big" && ! grep -qi "fail\|error" <<<"$big"; then
    echo "ok redis-cli: --bigkeys"
  else
    echo "FAIL redis-cli: --bigkeys: $(tail -3 <<<"$big" | tr '\n' ' ')"
  fi
)
echo "$out"
passed=$(grep -c '^ok ' <<<"$out")
failed=$(grep -c '^FAIL ' <<<"$out")
kill -0 $pid 2>/dev/null || { echo "strata-server died:"; tail -20 "$work/server.log"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
