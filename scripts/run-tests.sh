#!/usr/bin/env bash
# Runs every test binary and prints one closing line, `N passed, M failed`, which CI reads.
# Exits non-zero when anything failed.
set -uo pipefail
build=${1:-build}
total_passed=0
total_failed=0
for t in unit_tests e2e_tests; do
  echo "== $t"
  out=$("./$build/$t" --no-intro=true 2>&1)
  rc=$?
  echo "$out" | grep -v '^\[doctest\] test cases' | tail -n 200
  summary=$(echo "$out" | grep '^\[doctest\] test cases:' | tail -1)
  passed=$(echo "$summary" | sed -n 's/.*| *\([0-9]*\) passed.*/\1/p')
  failed=$(echo "$summary" | sed -n 's/.*| *\([0-9]*\) failed.*/\1/p')
  echo "$summary"
  if [[ -z "$passed" || -z "$failed" ]]; then
    echo "$t did not finish (exit code $rc)"
    passed=${passed:-0}
    failed=$(( ${failed:-0} + 1 ))
  elif [[ $rc -ne 0 && $failed -eq 0 ]]; then
    failed=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done
# More suites that end with their own `N passed, M failed`: real client libraries
# (tests/clients), replies and keyspace events compared with redis-server's side by side
# (tests/conformance), a short crash test (SIGKILL under load, every acknowledged write
# checked) and a bounded fuzzing run.
suite() {  # name, command...
  local name=$1 out summary passed failed
  shift
  echo "== $name"
  out=$("$@" 2>&1)
  echo "$out" | sed "\$ s/^/$name: /"  # one bare summary line at the very end
  summary=$(echo "$out" | tail -1)
  passed=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  failed=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  if [[ -z "$passed" ]]; then
    echo "$name did not finish"
    passed=0
    failed=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
}
suite clients bash tests/clients/run.sh "./$build/strata-server"
suite conformance /usr/bin/python3 tests/conformance/compare.py "./$build/strata-server"
suite keyspace-events /usr/bin/python3 tests/conformance/keyspace_events.py "./$build/strata-server"
suite dump-restore /usr/bin/python3 tests/conformance/dump_restore.py "./$build/strata-server"
suite geo-random /usr/bin/python3 tests/conformance/geo_random.py "./$build/strata-server" 600
suite crash-test python3 scripts/crash_test.py "./$build/strata-server" --rounds 6
suite fuzz bash scripts/run-fuzz.sh 30
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
