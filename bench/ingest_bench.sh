#!/usr/bin/env bash
# Ingest benchmark: `kappa ingest` of a generated CSV (default 10 million rows,
# ~470 MB: an ISO timestamp, two integers, a decimal, two short strings) into
# a fresh data dir, with the input in the page cache. Prints the summary line
# of each run (rows/s end to end, durability included). Builds nothing.
# Environment: BUILD_DIR (default build), KAPPA_BENCH_DIR (scratch, default
# /tmp/kappa-bench), ROWS (default 10000000), RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BENCH_DIR=${KAPPA_BENCH_DIR:-/tmp/kappa-bench}
ROWS=${ROWS:-10000000}
RUNS=${RUNS:-3}
KAPPA="$BUILD_DIR/kappa"
GEN="$BUILD_DIR/bench/kappa_gen_csv"
for bin in "$KAPPA" "$GEN"; do
  [ -x "$bin" ] || { echo "ingest_bench.sh: $bin not built" >&2; exit 1; }
done

mkdir -p "$BENCH_DIR"
CSV="$BENCH_DIR/ingest_$ROWS.csv"
[ -f "$CSV" ] || "$GEN" "$ROWS" "$CSV"
cat "$CSV" >/dev/null  # into the page cache
echo "input: $CSV, $ROWS rows, $(du -h "$CSV" | cut -f1)"

run() {  # label, extra ingest flags...
  local label=$1
  shift
  rm -rf "$BENCH_DIR/data"
  printf '%-28s ' "$label"
  "$KAPPA" --data-dir "$BENCH_DIR/data" ingest "$CSV" --topic bench --timestamp-column ts "$@" \
    2>&1 >/dev/null | sed 's/^kappa: //'
}

for i in $(seq "$RUNS"); do
  run "keyed, 4 partitions" --key-column user_id --partitions 4
  run "keyless, 1 partition"
done
rm -rf "$BENCH_DIR/data"
