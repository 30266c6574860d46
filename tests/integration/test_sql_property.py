#!/usr/bin/python3
"""Property test (issue 4): for random events spread over several partitions,
whatever the interleaving in which they arrive, the final output of windowed
aggregations equals what the same query computes in one batch over all the
data. sqlite3 is the independent reference; the streaming pipeline and the
bounded `kappa sql` query are both checked against it.

Events within a partition are out of order by less than the watermark delay,
so none is late; per-partition watermarks make the result a function of the
log, not of how the records were chunked, produced and polled. Seeds:
KAPPA_PROPERTY_SEEDS (comma-separated; default 5 seeds).
"""

import datetime
import decimal
import json
import os
import random
import sqlite3
import unittest

import kappa_testlib

PARTITIONS = 3
DELAY_MS = 120_000  # the watermark delay
BASE_MS = 1_704_067_200_000  # 2024-01-01 00:00:00 UTC
SEEDS = [int(s) for s in os.environ.get("KAPPA_PROPERTY_SEEDS", "11,23,37,41,53").split(",")]

PIPELINE = """
CREATE TABLE events (
  id BIGINT, k STRING, v INT, amount DECIMAL(12, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '2' MINUTE
) WITH ('connector' = 'kafka', 'topic' = 'events', 'format' = 'json');
CREATE TABLE tumbling (
  window_start TIMESTAMP(3), k STRING, n BIGINT, sum_v BIGINT, min_v INT, max_v INT,
  amount DECIMAL(38, 2)
) WITH ('connector' = 'kafka', 'topic' = 'tumbling', 'format' = 'json');
CREATE TABLE hopping (
  window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, sum_v BIGINT
) WITH ('connector' = 'kafka', 'topic' = 'hopping', 'format' = 'json');
INSERT INTO tumbling
SELECT window_start, k, COUNT(*), SUM(CAST(v AS BIGINT)), MIN(v), MAX(v), SUM(amount)
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, k;
INSERT INTO hopping
SELECT window_start, window_end, COUNT(*), SUM(CAST(v AS BIGINT))
FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE))
GROUP BY window_start, window_end;
"""

SQLITE_TUMBLING = """
SELECT ts - ts % 60000 AS ws, k, COUNT(*), SUM(v), MIN(v), MAX(v), SUM(cents)
FROM events GROUP BY ws, k
"""

# HOP(slide 1 min, size 3 min): an event belongs to the 3 windows starting
# at its minute and the two before.
SQLITE_HOPPING = """
WITH shifts(i) AS (VALUES (0), (1), (2))
SELECT (ts - ts % 60000) - i * 60000 AS ws, COUNT(*), SUM(v)
FROM events, shifts GROUP BY ws
"""


def ms_text(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S") + (f".{ms % 1000:03d}" if ms % 1000 else "")


def text_ms(text):
    fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in text else "%Y-%m-%d %H:%M:%S"
    t = datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc)
    return round(t.timestamp() * 1000)


def cents(amount):
    return int(decimal.Decimal(str(amount)) * 100)


def make_events(rng, count):
    events = []
    for i in range(count):
        events.append({
            "id": i,
            "k": rng.choice("abcde"),
            "v": rng.randint(-1000, 1000),
            "amount": f"{rng.randint(-99999, 99999) / 100:.2f}",
            "ts": BASE_MS + rng.randint(0, 20 * 60_000),
        })
    return events


def spread(rng, events):
    """Events over partitions, each partition in time order with local
    disorder smaller than the watermark delay (so nothing is late)."""
    parts = [[] for _ in range(PARTITIONS)]
    for e in events:
        parts[rng.randrange(PARTITIONS)].append(e)
    for p in parts:
        p.sort(key=lambda e: e["ts"])
        for i in range(len(p) - 1):
            if rng.random() < 0.5 and p[i + 1]["ts"] - p[i]["ts"] < DELAY_MS // 2:
                p[i], p[i + 1] = p[i + 1], p[i]
    return parts


def interleave(rng, parts):
    """Chunks (partition, events) in a random order across partitions,
    keeping each partition's own order."""
    pos = [0] * len(parts)
    chunks = []
    while any(pos[p] < len(parts[p]) for p in range(len(parts))):
        p = rng.choice([p for p in range(len(parts)) if pos[p] < len(parts[p])])
        n = rng.randint(1, 40)
        chunks.append((p, parts[p][pos[p]:pos[p] + n]))
        pos[p] += n
    return chunks


def record_json(e):
    # The amount as a JSON number written exactly ("-12.30").
    return ('{"id": %d, "k": %s, "v": %d, "amount": %s, "ts": "%s"}'
            % (e["id"], json.dumps(e["k"]), e["v"], e["amount"], ms_text(e["ts"])))


class SqlPropertyTest(kappa_testlib.KappaTestCase):

    def reference(self, events):
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE events (ts INTEGER, k TEXT, v INTEGER, cents INTEGER)")
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?)",
                       [(e["ts"], e["k"], e["v"], cents(e["amount"])) for e in events])
        tumbling = {(ws, k): (n, s, mn, mx, c)
                    for ws, k, n, s, mn, mx, c in db.execute(SQLITE_TUMBLING)}
        hopping = {ws: (n, s) for ws, n, s in db.execute(SQLITE_HOPPING)}
        return tumbling, hopping

    def produce(self, partition, events):
        self.kappa("produce", "events", "--partition", str(partition),
                   input="".join(record_json(e) + "\n" for e in events))

    def wait_idle(self, name):
        def idle():
            st = self.kappa_json("pipeline", "status", name, "--json")
            v = st["versions"]
            if any(x.get("state") == "failed" for x in v):
                self.fail(f"pipeline failed: {v}")
            return all(x.get("idle") for x in v)
        self.wait_until(idle, timeout=120, what=f"pipeline {name} idle")

    def read_tumbling(self):
        out = {}
        for r in map(json.loads, self.consume("tumbling", "--from", "earliest")):
            key = (text_ms(r["window_start"]), r["k"])
            self.assertNotIn(key, out, f"window {key} emitted twice")
            out[key] = (r["n"], r["sum_v"], r["min_v"], r["max_v"], cents(r["amount"]))
        return out

    def read_hopping(self):
        out = {}
        for r in map(json.loads, self.consume("hopping", "--from", "earliest")):
            ws = text_ms(r["window_start"])
            self.assertEqual(text_ms(r["window_end"]) - ws, 180_000)
            self.assertNotIn(ws, out, f"window {ws} emitted twice")
            out[ws] = (r["n"], r["sum_v"])
        return out

    def check_seed(self, seed):
        rng = random.Random(seed)
        events = make_events(rng, rng.randint(200, 600))
        parts = spread(rng, events)
        # A last event per partition, a day later, closes every window of
        # the real events; its own windows stay open.
        closers = [{"id": -1 - p, "k": "z", "v": 0, "amount": "0.00",
                    "ts": BASE_MS + 86_400_000} for p in range(PARTITIONS)]
        chunks = interleave(rng, parts)

        self.kappa("topic", "create", "events", "--partitions", str(PARTITIONS))
        self.write("p.sql", PIPELINE)
        self.kappa("pipeline", "deploy", "agg", self.path("p.sql"))
        for i, (p, chunk) in enumerate(chunks):
            self.produce(p, chunk)
            if rng.random() < 0.15:
                self.wait_idle("agg")  # some chunks are processed before others arrive
        for p, e in enumerate(closers):
            self.produce(p, [e])
        self.wait_idle("agg")

        tumbling, hopping = self.reference(events)
        self.assertEqual(self.read_tumbling(), tumbling)
        self.assertEqual(self.read_hopping(), hopping)

        # The same aggregation as one bounded query over all the data
        # (every window closes at the end of input, the closers' too).
        tumbling_all, _ = self.reference(events + closers)
        body = json.loads(self.kappa(
            "sql", PIPELINE.split("CREATE TABLE tumbling")[0] +
            "SELECT window_start, k, COUNT(*), SUM(CAST(v AS BIGINT)), MIN(v), MAX(v), SUM(amount) "
            "FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) "
            "GROUP BY window_start, window_end, k", "--format", "json").stdout)
        bounded = {}
        for ws, k, n, s, mn, mx, amount in body["rows"]:
            bounded[(text_ms(ws), k)] = (n, s, mn, mx, cents(amount))
        self.assertEqual(bounded, tumbling_all)

    def test_windowed_aggregates_match_sqlite(self):
        for seed in SEEDS:
            with self.subTest(seed=seed):
                data_dir = self.path(f"data-{seed}")
                self.env["KAPPA_DATA_DIR"] = data_dir
                server = self.start_server(data_dir=data_dir)
                self.env["KAPPA_SERVER"] = server.http_url
                self.check_seed(seed)
                server.stop()


if __name__ == "__main__":
    unittest.main()
