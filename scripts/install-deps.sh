#!/usr/bin/env bash
# Installs the Debian packages Strata needs to build, test (clang and its libFuzzer runtime for
# the fuzzers; redis-server, the side-by-side reference of tests/conformance; the client
# libraries of tests/clients: python3-redis, and Node.js with npm for ioredis and node-redis;
# prometheus-redis-exporter, which must scrape Strata cleanly) and be used from redis-cli.
# Lua 5.1 with cjson and bitop is for scripting (issue 14, not built against yet).
# Idempotent and quiet: prints nothing when everything is already present.
set -euo pipefail

packages=(g++ make cmake pkg-config libuv1-dev libfmt-dev libmimalloc-dev doctest-dev
          libhiredis-dev redis-tools python3
          clang libclang-rt-14-dev
          liblua5.1-0-dev lua-cjson-dev lua-bitop-dev
          redis-server python3-redis prometheus-redis-exporter)
# Node.js and npm from Debian, unless a Node.js with its own npm is already installed (a
# nodesource build conflicts with Debian's npm package).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
# For `make bench` only: fio measures the disk's own random-read rate (the physical limit
# larger-than-memory reads are judged against).
if [[ "${1:-}" == "--bench" ]]; then packages+=(fio); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
