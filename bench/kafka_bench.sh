#!/bin/bash
# Kafka protocol figures against a running `kappa server` over loopback:
# produce throughput with librdkafka (kappa_rdkafka_client; 1 KiB and 100 B
# records, acks=all, with and without lz4), consume throughput from offset 0
# (kcat), and produce latency (p50/p99, acks=all) at a fixed moderate rate.
# Starts its own server on free ports in a fresh data dir (BENCH_DIR, default
# /tmp/kappa-kafka-bench, removed at the end). Each produce line gives the
# server's and the client's CPU time, and the server's CPU seconds per GB of
# record values. With LOG_BENCH=1 (default) it first runs kappa_log_bench's
# append phase (512 MiB) for the log-only rate to compare against, in the
# same run. CASES picks what runs (default: all), e.g. CASES=1k-none; consume
# reads what 1k-none produced.
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
LOG_BENCH=${LOG_BENCH:-1}
CASES=${CASES:-1k-none 1k-lz4 100b-none 100b-lz4 consume latency}

if [ "$LOG_BENCH" = 1 ]; then
  echo "== log-only append (kappa_log_bench, 512 MiB, 1 run)"
  "$BUILD_DIR/bench/kappa_log_bench" --dir="$BENCH_DIR-log" --append-mib=512 --repeat=1 \
      --read-gib=0.25 | sed -n '/^(b)/,/^$/p'
fi

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
  local before out after server client gb
  before=$(server_cpu)
  out=$(/usr/bin/time -f "client_cpu=%U+%S" "$CLIENT" produce --brokers "$BROKER" \
        --topic "$name" --count "$count" --size "$size" --acks all --compression "$codec" \
        --quiet "$@" 2>&1)
  after=$(server_cpu)
  server=$(echo "($after - $before) / $(getconf CLK_TCK)" | bc -l)
  client=$(echo "$out" | sed -n 's/^client_cpu=\(.*\)/\1/p' | bc -l)
  gb=$(echo "$count * $size / 1000000000" | bc -l)
  printf "%-28s %10s rec/s %8s MB/s  p50 %8s us  p99 %8s us  CPU s: server %5.2f client %5.2f  server s/GB %5.2f\n" \
    "$name" "$(echo "$out" | field records_per_s)" "$(echo "$out" | field mb_per_s)" \
    "$(echo "$out" | field p50_us)" "$(echo "$out" | field p99_us)" \
    "$server" "$client" "$(echo "$server / $gb" | bc -l)"
}
want() { [[ " $CASES " == *" $1 "* ]]; }

echo "== produce throughput (acks=all)"
want 1k-none && produce produce-1k-none 1024 "$COUNT_1K" none
want 1k-lz4 && produce produce-1k-lz4 1024 "$COUNT_1K" lz4
want 100b-none && produce produce-100b-none 100 "$COUNT_100" none
want 100b-lz4 && produce produce-100b-lz4 100 "$COUNT_100" lz4

if want consume && want 1k-none; then
  echo "== consume from offset 0 (kcat, 1 KiB records)"
  start=$(date +%s.%N)
  n=$(kcat -b "$BROKER" -C -t produce-1k-none -o beginning -e -q -f '\n' | wc -l)
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  printf "%-28s %10.0f rec/s %8.1f MB/s  (%d records)\n" consume-1k-none \
    "$(echo "$n / $secs" | bc -l)" "$(echo "$n * 1024 / $secs / 1000000" | bc -l)" "$n"
fi

if want latency; then
  echo "== produce latency at $RATE records/s (1 KiB, acks=all)"
  produce "latency-1k-${RATE}rps" 1024 $((RATE * LATENCY_SECONDS)) none --rate "$RATE" --linger-ms 0
fi
