#!/usr/bin/env bash
# The demo (`make demo`): two years of payment history and a live stream in
# one log; a revenue pipeline with a bug; the fixed version replayed from
# offset 0 beside it; a diff; an atomic cutover. Runs unattended, then leaves
# the server up with commands to paste until Ctrl-C.
#
# Environment: KAPPA (binary, default build/kappa), DEMO_ROWS (history rows,
# default 2000000), DEMO_HTTP / DEMO_KAFKA / DEMO_PG (listen addresses,
# default 127.0.0.1:8080 / :9092 / :5433), DEMO_UNATTENDED=1 (stop at the end
# instead of waiting for Ctrl-C; the tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."
KAPPA=$(realpath "${KAPPA:-build/kappa}")
ROWS=${DEMO_ROWS:-2000000}
HTTP=${DEMO_HTTP:-127.0.0.1:8080}
KAFKA=${DEMO_KAFKA:-127.0.0.1:9092}
PG=${DEMO_PG:-127.0.0.1:5433}
work=$(mktemp -d /tmp/kappa-demo.XXXXXX)
export KAPPA_DATA_DIR="$work/data"
export KAPPA_SERVER="http://$HTTP"
server_pid=""
live_pid=""

cleanup() {
  [ -n "$live_pid" ] && kill "$live_pid" 2>/dev/null || true
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bold() { printf '\033[1m%s\033[0m\n' "$*"; }
step() { printf '\n'; bold "== $1"; shift; for line in "$@"; do printf '   %s\n' "$line"; done; }
run() { printf '\033[2m$ %s\033[0m\n' "$*"; "$@"; }

port_busy() { python3 -c 'import socket,sys; h,p=sys.argv[1].rsplit(":",1); s=socket.socket(); sys.exit(0 if s.connect_ex((h,int(p)))==0 else 1)' "$1"; }
for addr in "$HTTP" "$KAFKA" "$PG"; do
  if port_busy "$addr"; then
    echo "demo: $addr is in use; set DEMO_HTTP, DEMO_KAFKA or DEMO_PG to free addresses" >&2
    exit 1
  fi
done

step "1. Start kappa server on a fresh data dir" \
  "One process: the log (Kafka protocol), the SQL engine, the serving tables, HTTP and Postgres." \
  "Data dir: $KAPPA_DATA_DIR"
"$KAPPA" --data-dir "$KAPPA_DATA_DIR" server --http-listen "$HTTP" --kafka-listen "$KAFKA" \
  --pg-listen "$PG" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q "pg listening" "$work/server.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
cat "$work/server.log"

step "2. Two years of history: $ROWS payments from a CSV dump" \
  "Payments and refunds in EUR, USD and GBP, 2024-01-01 to 2025-12-31."
python3 - "$work/payments.csv" "$ROWS" <<'PY'
import random, sys
path, rows = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
start, span = 1704067200000, 2 * 365 * 86400000  # 2024-01-01, two years
step = span // rows
with open(path, "w") as f:
    f.write("ts,id,user_id,amount,currency,kind\n")
    t = start
    for i in range(rows):
        t += rng.randint(0, 2 * step)
        kind = "refund" if rng.random() < 0.08 else "payment"
        f.write(f"{t},{i},{rng.randint(1, 5000)},{rng.randint(100, 50000) / 100:.2f},"
                f"{rng.choice(('EUR', 'EUR', 'USD', 'GBP'))},{kind}\n")
PY
run head -4 "$work/payments.csv"
run "$KAPPA" topic create payments --partitions 4
run "$KAPPA" ingest "$work/payments.csv" --topic payments --format csv \
  --timestamp-column ts --key-column user_id

step "3. A live stream joins the same log" \
  "A generator produces a few payments per second with the current time."
(
  i=0
  while true; do
    i=$((i + 1))
    kind=payment; [ $((i % 10)) -eq 0 ] && kind=refund
    printf '{"ts":"%s","id":%d,"user_id":%d,"amount":"%d.%02d","currency":"EUR","kind":"%s"}\n' \
      "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" $((900000000 + i)) $((RANDOM % 5000 + 1)) \
      $((RANDOM % 300 + 1)) $((RANDOM % 100)) "$kind" |
      "$KAPPA" produce payments --key-field user_id --timestamp-field ts >/dev/null 2>&1 || true
    sleep 0.3
  done
) &
live_pid=$!

cat >"$work/revenue_v1.sql" <<'SQL'
-- Monthly revenue per currency, served from an Iceberg table.
CREATE TABLE payments (
  ts TIMESTAMP(3), id BIGINT, user_id BIGINT, amount DECIMAL(18, 2), currency STRING, kind STRING
) WITH ('connector' = 'kafka', 'topic' = 'payments', 'format' = 'json');

CREATE TABLE monthly_revenue (
  month STRING, currency STRING, revenue DECIMAL(38, 2), payments BIGINT,
  PRIMARY KEY (month, currency) NOT ENFORCED
);

INSERT INTO monthly_revenue
SELECT DATE_FORMAT(ts, 'yyyy-MM'), currency, SUM(amount), COUNT(*)
FROM payments
GROUP BY DATE_FORMAT(ts, 'yyyy-MM'), currency;
SQL
step "4. Deploy the revenue pipeline, v1" \
  "Its bug: refunds are added to revenue instead of subtracted."
run cat "$work/revenue_v1.sql"
run "$KAPPA" pipeline deploy revenue "$work/revenue_v1.sql"
run "$KAPPA" pipeline wait revenue 1
run "$KAPPA" pipeline status revenue

QUERY="SELECT month, currency, revenue, payments FROM monthly_revenue WHERE currency = 'EUR' ORDER BY month DESC LIMIT 6"
step "5. The dashboard query (the same over HTTP and psql)"
run "$KAPPA" query "$QUERY"

sed -e 's/SUM(amount)/SUM(CASE WHEN kind = '"'"'refund'"'"' THEN -amount ELSE amount END)/' \
    -e 's/^-- Monthly revenue.*/-- v2: refunds are subtracted./' "$work/revenue_v1.sql" >"$work/revenue_v2.sql"
step "6. Fix the SQL and deploy it as v2" \
  "v2 replays the topic from offset 0 into its own hidden table, monthly_revenue__v2," \
  "while v1 keeps serving the dashboards."
run diff -u "$work/revenue_v1.sql" "$work/revenue_v2.sql" || true
run "$KAPPA" pipeline deploy revenue "$work/revenue_v2.sql" --from earliest
run "$KAPPA" pipeline wait revenue 2

step "7. What does the fix change? Compare the two tables before switching"
run "$KAPPA" table diff monthly_revenue monthly_revenue__v2 --key month,currency --sample 5

step "8. Promote v2: one atomic catalog write repoints the dashboards"
run "$KAPPA" pipeline promote revenue 2
run "$KAPPA" pipeline status revenue
step "9. The same dashboard query, now answered by v2"
run "$KAPPA" query "$QUERY"
printf '   Over HTTP, as a dashboard would ask:\n'
run curl -s -XPOST "$KAPPA_SERVER/v1/query" -H 'Accept: text/csv' \
  --data-binary "{\"sql\": \"$QUERY\"}"
if command -v psql >/dev/null; then
  printf '   And over the Postgres protocol:\n'
  run psql -h "${PG%:*}" -p "${PG##*:}" -U kappa -d kappa -c "$QUERY"
fi

step "10. Retire v1: its table, state and checkpoints go away" \
  "v2 keeps running on the live edge; the name monthly_revenue stays on v2."
run "$KAPPA" pipeline retire revenue 1
run "$KAPPA" table list

step "Kappa is running. Try it:" \
  "psql -h ${PG%:*} -p ${PG##*:} -U kappa -c \"$QUERY\"" \
  "curl -s -XPOST $KAPPA_SERVER/v1/query -d '{\"sql\": \"SELECT * FROM monthly_revenue ORDER BY month DESC LIMIT 3\"}'" \
  "kcat -b $KAFKA -C -t payments -o -5 -e" \
  "KAPPA_SERVER=$KAPPA_SERVER $KAPPA pipeline status revenue" \
  "$KAPPA_SERVER/metrics" \
  "Ctrl-C stops the server and removes $work."
if [ "${DEMO_UNATTENDED:-0}" = 1 ]; then exit 0; fi
wait "$server_pid"
