#!/usr/bin/env bash
# Builds LevelDB and RocksDB in release mode (NDEBUG, -O2) from Debian's source packages, for
# the side-by-side engine benchmark only. Debian's binary packages are built with assertions
# on and run 2-3x slower: an unfair baseline. Results are cached in bench/baselines/
# (git-ignored); RocksDB takes ~25 minutes on 2 cores. Never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/baselines
mkdir -p "$out"

if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  echo "build-baselines: adding a deb-src entry for bookworm"
  cat > /etc/apt/sources.list.d/strata-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends dpkg-dev cmake libsnappy-dev liblz4-dev \
  libzstd-dev zlib1g-dev libbz2-dev >/dev/null

build() {  # name, cmake flags...
  local name=$1; shift
  [[ -f "$out/$name/.done" ]] && { echo "build-baselines: $name cached"; return; }
  rm -rf "$out/$name" "$out/src-$name"
  mkdir -p "$out/src-$name"
  (cd "$out/src-$name" && apt-get source -qq "$name" >/dev/null 2>&1)
  local src
  src=$(find "$out/src-$name" -maxdepth 1 -mindepth 1 -type d | head -1)
  cmake -S "$src" -B "$out/build-$name" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-O2 -DNDEBUG" -DCMAKE_INSTALL_PREFIX="$out/$name" "$@" >/dev/null
  cmake --build "$out/build-$name" -j "$(nproc)" >/dev/null
  cmake --install "$out/build-$name" >/dev/null
  touch "$out/$name/.done"
  echo "build-baselines: $name built into $out/$name"
}

build leveldb -DLEVELDB_BUILD_TESTS=OFF -DLEVELDB_BUILD_BENCHMARKS=OFF -DBUILD_SHARED_LIBS=OFF
build rocksdb -DWITH_TESTS=OFF -DWITH_BENCHMARK_TOOLS=OFF -DWITH_TOOLS=OFF -DWITH_GFLAGS=OFF \
  -DROCKSDB_BUILD_SHARED=OFF -DWITH_SNAPPY=ON -DWITH_LZ4=ON -DWITH_ZSTD=ON -DFAIL_ON_WARNINGS=OFF \
  -DPORTABLE=ON -DUSE_RTTI=1
