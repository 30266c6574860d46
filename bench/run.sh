#!/usr/bin/env bash
# Runs the benchmark programs found in the build tree (`make bench` builds
# them first; this script builds nothing). Figures go to bench/README.md by
# hand. Environment: BUILD_DIR (default build), KAPPA_BENCH_DIR (scratch
# directory for kappa_log_bench, default /tmp/kappa-bench), and
# KAPPA_LOG_BENCH_FLAGS (extra flags, e.g. "--read-gib=4"), KAPPA_REPLAY_BENCH=1
# (also run bench/replay_bench.py: replay, sink and backfill through
# `kappa server` beside DuckDB; 3-15 minutes at its default 10M events, its
# own variables are described at its top).
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

# Every *_bench program in the build tree; kappa_log_bench gets the scratch
# directory. (Generators such as kappa_gen_csv are not benchmarks.)
ran=0
for prog in "$BUILD_DIR"/bench/*_bench; do
  [ -x "$prog" ] || continue
  name=$(basename "$prog")
  echo; echo "== $name"
  if [ "$name" = kappa_log_bench ]; then
    # shellcheck disable=SC2086
    "$prog" --dir="$BENCH_DIR" ${KAPPA_LOG_BENCH_FLAGS:-}
  else
    "$prog"
  fi
  ran=1
done
if [ "${KAPPA_REPLAY_BENCH:-0}" = 1 ]; then
  echo; echo "== replay_bench.py"
  BUILD_DIR=$BUILD_DIR python3 bench/replay_bench.py
fi
if [ "$ran" = 0 ]; then
  echo "bench/run.sh: no benchmark programs in $BUILD_DIR/bench" >&2
  exit 1
fi
