#!/usr/bin/env bash
# Runs the benchmark programs found in the build tree (`make bench` builds
# them first; this script builds nothing). Figures go to bench/README.md by
# hand. Environment: BUILD_DIR (default build), KAPPA_BENCH_DIR (scratch
# directory for kappa_log_bench, default /tmp/kappa-bench), and
# KAPPA_LOG_BENCH_FLAGS (extra flags, e.g. "--read-gib=4").
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BENCH_DIR=${KAPPA_BENCH_DIR:-/tmp/kappa-bench}
if [ ! -d "$BUILD_DIR/bench" ]; then
  echo "bench/run.sh: no $BUILD_DIR/bench; run 'make bench' (or 'make build') first" >&2
  exit 1
fi

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM," \
  "$(df -h "$(dirname "$BENCH_DIR")" | awk 'NR==2 {print $1 " (" $2 ")"}')"

ran=0
if [ -x "$BUILD_DIR/bench/kappa_batch_bench" ]; then
  echo; echo "== kappa_batch_bench"
  "$BUILD_DIR/bench/kappa_batch_bench"
  ran=1
fi
if [ -x "$BUILD_DIR/bench/kappa_log_bench" ]; then
  echo; echo "== kappa_log_bench"
  # shellcheck disable=SC2086
  "$BUILD_DIR/bench/kappa_log_bench" --dir="$BENCH_DIR" ${KAPPA_LOG_BENCH_FLAGS:-}
  ran=1
fi
if [ "$ran" = 0 ]; then
  echo "bench/run.sh: no benchmark programs in $BUILD_DIR/bench" >&2
  exit 1
fi
