#!/usr/bin/env bash
# Side-by-side engine benchmark: Strata, LevelDB and RocksDB (release builds from
# scripts/build-baselines.sh) on the same workload, alternated round by round, one engine per
# process. Prints the median of each figure and the ratio Strata / best baseline.
#
#   scripts/bench-engines.sh [build-dir] [N] [rounds]
set -euo pipefail
build=${1:-build}
n=${2:-100000}
rounds=${3:-3}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
engines="strata leveldb rocksdb"
for r in $(seq "$rounds"); do
  for e in $engines; do
    "./$build/engine_bench" --engine "$e" "$n" >> "$out" || echo "($e failed)" >&2
  done
done
python3 - "$out" "$n" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
order = []
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 5: continue
    engine, name_and_value = parts[0], parts[2:]
    unit = parts[-1] if not parts[-1].replace('.', '').isdigit() else ''
    value = float(parts[-2] if unit else parts[-1])
    name = ' '.join(parts[2:-2] if unit else parts[2:-1]) + (f' ({unit})' if unit else '')
    if name not in order: order.append(name)
    rows[(name, engine)].append(value)
lower_is_better = ('pause', 'RSS', 'full compaction', 'amplification')
print(f"N = {sys.argv[2]}, median of {len(rows[(order[0], 'strata')])} runs")
print(f"| {'operation':34} | {'Strata':>12} | {'LevelDB':>12} | {'RocksDB':>12} | {'ratio':>6} |")
print(f"|{'-'*36}|{'-'*14}|{'-'*14}|{'-'*14}|{'-'*8}|")
for name in order:
    med = {e: statistics.median(rows[(name, e)]) for e in ('strata', 'leveldb', 'rocksdb') if rows[(name, e)]}
    base = [v for e, v in med.items() if e != 'strata']
    if any(k in name for k in lower_is_better):
        ratio = min(base) / med['strata'] if base and med['strata'] else float('nan')
    else:
        ratio = med['strata'] / max(base) if base else float('nan')
    cells = [f"{med.get(e, float('nan')):>12,.0f}" for e in ('strata', 'leveldb', 'rocksdb')]
    print(f"| {name:34} | {' | '.join(cells)} | {ratio:6.2f} |")
PY
