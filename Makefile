# Strata — the interface is `make`: build, run, test, bench, clean.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CONF ?= conf/strata.conf

.PHONY: all build server deps run test crash-test fuzz bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) -j $(JOBS)

server: $(BUILD_DIR)/CMakeCache.txt
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target strata-server

run: deps server
	@mkdir -p data
	./$(BUILD_DIR)/strata-server $(CONF)

test: deps build
	@bash scripts/run-tests.sh $(BUILD_DIR)

# 50 rounds of SIGKILL under load, alternating appendfsync always and everysec.
crash-test: deps server
	@bash scripts/crash-test.sh $(BUILD_DIR) 50

# The libFuzzer harnesses (clang), 5 minutes each; `make test` runs them for 30 s each.
fuzz: deps
	@bash scripts/run-fuzz.sh 300

# LevelDB and RocksDB baselines are built once (RocksDB: ~25 minutes) by
# scripts/build-baselines.sh and cached in bench/baselines/.
bench: build
	@bash scripts/install-deps.sh --bench
	@bash scripts/build-baselines.sh
	@cmake -S . -B $(BUILD_DIR) >/dev/null && cmake --build $(BUILD_DIR) -j $(JOBS) --target engine_bench
	@bash scripts/bench-engines.sh $(BUILD_DIR) 100000 3
	@bash scripts/bench-engines.sh $(BUILD_DIR) 5000000 1
	@bash scripts/bench-redis.sh $(BUILD_DIR) 3 100000 1
	@bash scripts/bench-redis.sh $(BUILD_DIR) 3 1000000 16
	@REDIS=1 bash scripts/bench-larger-than-memory.sh $(BUILD_DIR) 12600000 512 1000000 3
	@SERVER_ARGS="--block-cache-size 32mb --memtable-size 16mb" \
	  bash scripts/bench-larger-than-memory.sh $(BUILD_DIR) 12600000 144 1000000 1

clean:
	rm -rf $(BUILD_DIR) build-fuzz
