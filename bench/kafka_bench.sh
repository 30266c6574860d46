#!/bin/bash
# Kafka protocol figures against a running `kappa server` over loopback:
# produce throughput with librdkafka (kappa_rdkafka_client; 1 KiB and 100 B
# records, acks=all, with and without lz4), consume throughput from offset 0
# (kcat), and produce latency (p50/p99, acks=all) at a fixed moderate rate.
# Starts its own server on free ports in a fresh data dir (BENCH_DIR, default
# /tmp/kappa-kafka-bench, removed at the end).
#
#   BUILD_DIR=build COUNT_1K=1000000 COUNT_100=3000000 RATE=5000 bench/kafka_bench.sh
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/kappa-kafka-bench}
COUNT_1K=${COUNT_1K:-1000000}
COUNT_100=${COUNT_100:-3000000}
RATE=${RATE:-5000}
LATENCY_SECONDS=${LATENCY_SECONDS:-10}
CLIENT="$BUILD_DIR/kappa_rdkafka_client"

rm -rf "$BENCH_DIR" && mkdir -p "$BENCH_DIR"
"$BUILD_DIR/kappa" server --data-dir "$BENCH_DIR/data" --http-listen 127.0.0.1:0 \
    --kafka-listen 127.0.0.1:0 --pg-listen 127.0.0.1:0 > "$BENCH_DIR/server.out" 2> "$BENCH_DIR/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$BENCH_DIR"' EXIT
for _ in $(seq 100); do
  grep -q "kafka listening" "$BENCH_DIR/server.out" 2>/dev/null && break
  sleep 0.1
done
BROKER=$(sed -n 's/^kappa: kafka listening on //p' "$BENCH_DIR/server.out")
echo "server $BROKER (pid $SERVER), load: $(cut -d' ' -f1-3 /proc/loadavg)"

server_cpu() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

produce() {  # name size count compression [extra...]
  local name=$1 size=$2 count=$3 codec=$4; shift 4
  local before out after
  before=$(server_cpu)
  out=$("$CLIENT" produce --brokers "$BROKER" --topic "$name" --count "$count" --size "$size" \
        --acks all --compression "$codec" --quiet "$@")
  after=$(server_cpu)
  printf "%-28s %10s rec/s %8s MB/s  p50 %8s us  p99 %8s us  server CPU %5.2f s\n" \
    "$name" "$(echo "$out" | field records_per_s)" "$(echo "$out" | field mb_per_s)" \
    "$(echo "$out" | field p50_us)" "$(echo "$out" | field p99_us)" \
    "$(echo "($after - $before) / $(getconf CLK_TCK)" | bc -l)"
}

echo "== produce throughput (acks=all)"
produce produce-1k-none 1024 "$COUNT_1K" none
produce produce-1k-lz4 1024 "$COUNT_1K" lz4
produce produce-100b-none 100 "$COUNT_100" none
produce produce-100b-lz4 100 "$COUNT_100" lz4

echo "== consume from offset 0 (kcat, 1 KiB records)"
start=$(date +%s.%N)
n=$(kcat -b "$BROKER" -C -t produce-1k-none -o beginning -e -q -f '\n' | wc -l)
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
printf "%-28s %10.0f rec/s %8.1f MB/s  (%d records)\n" consume-1k-none \
  "$(echo "$n / $secs" | bc -l)" "$(echo "$n * 1024 / $secs / 1000000" | bc -l)" "$n"

echo "== produce latency at $RATE records/s (1 KiB, acks=all)"
produce "latency-1k-${RATE}rps" 1024 $((RATE * LATENCY_SECONDS)) none --rate "$RATE" --linger-ms 0
