#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/) with clang into build-fuzz/, replays every
# saved regression input, then fuzzes each harness for a bounded time starting from the
# seeds in tests/fuzz/corpus/. A crash's input is kept in build-fuzz/crashes/; copy it to
# tests/fuzz/regressions/<harness>/ when it is fixed, so it is replayed from then on.
# Prints `N passed, M failed` (one per harness).
#
#   scripts/run-fuzz.sh [seconds per harness]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
build=build-fuzz
mkdir -p "$build"
if ! { cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
         -DSTRATA_FUZZ=ON &&
       cmake --build "$build" -j "$(nproc)" --target resp_parser_fuzz db_open_fuzz; } \
     >"$build/build.log" 2>&1; then
  tail -30 "$build/build.log"
  echo "fuzz: the harnesses did not build (the log: $build/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi
passed=0
failed=0
mkdir -p "$build/crashes"
for name in resp_parser_fuzz db_open_fuzz; do
  ok=1
  regressions=(tests/fuzz/regressions/$name/*)
  if [[ -e ${regressions[0]} ]] && ! "./$build/$name" "${regressions[@]}" >"$build/$name.regressions.log" 2>&1; then
    echo "fuzz: $name: a saved regression input fails again (see $build/$name.regressions.log)"
    ok=0
  fi
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus/$name/* "$corpus"/ 2>/dev/null
  "./$build/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$build/crashes/$name-" "$corpus" >"$build/$name.log" 2>&1
  rc=$?
  runs=$(grep -o 'Done [0-9]* runs' "$build/$name.log" | grep -o '[0-9]*')
  if [[ $rc -ne 0 ]]; then
    echo "fuzz: $name: FAILED (exit $rc); the input is in $build/crashes/, the log in $build/$name.log"
    tail -20 "$build/$name.log"
    ok=0
  else
    echo "fuzz: $name: ${runs:-?} executions in ${seconds} s, no failure"
  fi
  rm -rf "$corpus"
  if [[ $ok -eq 1 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
