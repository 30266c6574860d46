#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/, replays
# the committed corpus, then fuzzes for a bounded time. Exits non-zero on any
# crash, sanitizer report or broken invariant; the reproducer lands in
# build-fuzz/artifacts/. New inputs go to build-fuzz/corpus/ (not committed).
#
#   FUZZ_SECONDS=60   fuzzing time per target after the replay (0: replay only)
#   FUZZ_BUILD_DIR    build directory (default: <repo>/build-fuzz)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
TARGETS=(kafka_request)

CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DKAPPA_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" -j2 "${TARGETS[@]/%/_fuzz}" >/dev/null

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

for t in "${TARGETS[@]}"; do
  bin="$BUILD/fuzz/${t}_fuzz"
  seeds="$ROOT/fuzz/corpus/$t"
  work="$BUILD/corpus/$t"
  artifacts="$BUILD/artifacts/$t/"
  mkdir -p "$work" "$artifacts"

  echo "fuzz: $t: replaying $(ls "$seeds" | wc -l) corpus inputs"
  "$bin" -runs=0 "$seeds" 2>"$BUILD/$t.replay.log" || {
    tail -40 "$BUILD/$t.replay.log"; echo "fuzz: $t: corpus replay FAILED"; exit 1; }

  if [ "$SECONDS_PER_TARGET" -gt 0 ]; then
    echo "fuzz: $t: fuzzing for ${SECONDS_PER_TARGET}s"
    "$bin" "$work" "$seeds" -max_total_time="$SECONDS_PER_TARGET" -max_len=8192 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$artifacts" -print_final_stats=1 \
      2>"$BUILD/$t.fuzz.log" || {
      tail -60 "$BUILD/$t.fuzz.log"; echo "fuzz: $t: FAILED, reproducer in $artifacts"; exit 1; }
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$BUILD/$t.fuzz.log" |
      sed "s/^/fuzz: $t: /"
  fi
done
echo "fuzz: ok"
