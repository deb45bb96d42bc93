#!/usr/bin/env bash
# Repeatedly SIGKILLs a loaded strata-server and checks every acknowledged write after the
# restart (see scripts/crash_test.py). `make crash-test` runs 50 rounds; `make test` runs a
# short version.
#
#   scripts/crash-test.sh [build-dir] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rounds=${2:-50}
exec python3 scripts/crash_test.py "./$build/strata-server" --rounds "$rounds"
