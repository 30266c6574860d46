# Kappa's entry points. `make demo` and `make test` are the README quickstart:
# each runs the setup script (idempotent), builds, then runs.
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
export CTEST_OUTPUT_ON_FAILURE := 1

.PHONY: setup build asan test unit integration demo bench fuzz clean

setup:
	@./scripts/setup.sh

build: setup
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DKAPPA_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: setup
	@cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAPPA_WERROR=ON \
	  -DKAPPA_SANITIZE=ON -DKAPPA_UNIT_ONLY=ON >/dev/null
	@cmake --build build-asan

unit: build
	@ctest --test-dir build -L unit -j2

integration: build
	@ctest --test-dir build -L integration

# Everything CI runs: unit + integration tests, the unit tests again under
# ASan+UBSan, and the fuzz corpus replay plus a bounded fuzz run.
# alloc_dealloc_mismatch=0: Boost 1.74's Asio frees coroutine frames it got
# from operator new with free() through its recycling allocator (g++ 12 warns
# about the same pair); everything else ASan checks stays on.
test: build asan
	@ctest --test-dir build -j2
	@ASAN_OPTIONS=detect_leaks=1:alloc_dealloc_mismatch=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-asan -L unit -j2
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-30} ./fuzz/run.sh

demo: build
	@./scripts/demo.sh

# Opt-in: benchmarks (minutes; figures go to bench/README.md).
bench: build
	@./bench/run.sh

# libFuzzer targets (clang, ASan+UBSan, build-fuzz/): replay fuzz/corpus/, then
# fuzz each target for FUZZ_SECONDS (default 60; 0 = replay only).
fuzz: setup
	@./fuzz/run.sh

clean:
	rm -rf build build-asan build-fuzz
