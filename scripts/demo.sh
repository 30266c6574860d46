#!/usr/bin/env bash
# The demo: a historical CSV dump and a live stream land in one log, then
# are read back by offset and by time. Runs in a scratch data dir.
set -euo pipefail
cd "$(dirname "$0")/.."
KAPPA=${KAPPA:-build/kappa}
work=$(mktemp -d /tmp/kappa-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
export KAPPA_DATA_DIR="$work/data"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "A ten-year-old CSV dump: 100000 payments from 2016"
python3 - "$work/payments-2016.csv" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write("ts,id,user_id,amount,currency,note\n")
    t = 1451606400000  # 2016-01-01
    for i in range(100000):
        t += random.randint(1, 600000)
        f.write(f"{t},{i},{random.randint(1,500)},{random.randint(100,99999)/100:.2f},"
                f"{random.choice(['EUR','USD','GBP'])},\"order {i}, paid\"\n")
PY
head -3 "$work/payments-2016.csv"

step "kappa topic create payments --partitions 3"
$KAPPA topic create payments --partitions 3

step "kappa ingest: history into the log, event time from the ts column"
$KAPPA ingest "$work/payments-2016.csv" --topic payments --format csv \
  --timestamp-column ts --key-column user_id

step "Live events join the same log"
for i in 1 2 3; do
  echo "{\"id\":$((100000 + i)),\"user_id\":$i,\"amount\":\"1.0$i\",\"currency\":\"EUR\",\"ts\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
done | $KAPPA produce payments --key-field user_id

step "kappa topic describe payments"
$KAPPA topic describe payments

step "Replay from offset 0 (first 3 records of partition 0)"
$KAPPA consume payments --partition 0 --from earliest --max 3

step "Replay from a point in event time: 2016-06-01"
$KAPPA consume payments --partition 0 --from 2016-06-01T00:00:00Z --max 2

step "The live edge"
$KAPPA consume payments --from latest --max 0 >/dev/null && $KAPPA topic list
echo
echo "Done. Everything above lives in segment files of Kafka record batches:"
find "$KAPPA_DATA_DIR/topics/payments" -type f | sort | head -8
