"""`kappa ingest`: CSV and JSON lines, gzip, rejects, --on-error fail,
--skip-rows, and exact --resume after SIGKILL (docs/format/ingest.md)."""

import collections
import gzip
import json
import os
import random
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kappa_testlib import KappaTestCase, kafka_partition  # noqa: E402

TRICKY_CSV = (
    'id,name,note,amount,ts\r\n'
    '1,"Smith, John","said ""hi""",12.50,2024-03-01T00:00:00Z\r\n'
    '2,plain,"two\nlines",007,2024-03-01 00:00:01\n'
    '\n'
    '3,,"",-3,1709251202000\n'
    '4,"x",caf\u00e9,1e3,2024-03-01T02:00:03+02:00'
)

TRICKY_VALUES = [
    {"id": 1, "name": "Smith, John", "note": 'said "hi"', "amount": 12.50, "ts": "2024-03-01T00:00:00Z"},
    {"id": 2, "name": "plain", "note": "two\nlines", "amount": "007", "ts": "2024-03-01 00:00:01"},
    {"id": 3, "name": None, "note": None, "amount": -3, "ts": 1709251202000},
    {"id": 4, "name": "x", "note": "caf\u00e9", "amount": 1e3, "ts": "2024-03-01T02:00:03+02:00"},
]
TRICKY_LINES = [2, 3, 6, 7]
T0 = 1709251200000  # 2024-03-01T00:00:00Z


class CsvTest(KappaTestCase):
    def ingest(self, *args, ok=True):
        return self.kappa("ingest", *args, ok=ok)

    def test_rfc4180_fields_keys_timestamps(self):
        self.write("tricky.csv", TRICKY_CSV)
        proc = self.ingest("tricky.csv", "--topic", "t", "--timestamp-column", "ts",
                           "--key-column", "name", "--partitions", "3")
        self.assertRegex(proc.stderr, r"kappa: ingested 4 rows into t from 1 file .* 0 rejected")
        self.assertNotIn("\r", proc.stderr)  # no progress bar when stderr is not a terminal
        records = sorted(self.consume_meta("t"), key=lambda r: json.loads(r["value"])["id"])
        self.assertEqual([json.loads(r["value"]) for r in records], TRICKY_VALUES)
        self.assertEqual([r["timestamp"] for r in records], [T0, T0 + 1000, T0 + 2000, T0 + 3000])
        self.assertEqual([r["headers"]["kappa.src"] for r in records],
                         [f"tricky.csv:{n}" for n in TRICKY_LINES])
        self.assertEqual([r["key"] for r in records], ["Smith, John", "plain", None, "x"])
        for r in records:
            if r["key"] is not None:
                self.assertEqual(r["partition"], kafka_partition(r["key"], 3))
        # Exactly the documented bytes for the first row.
        self.assertEqual(records[0]["value"],
                         '{"id":1,"name":"Smith, John","note":"said \\"hi\\"","amount":12.50,'
                         '"ts":"2024-03-01T00:00:00Z"}')

    def test_gzip_detected_by_magic_and_multiple_files(self):
        self.write("a.csv.gz", TRICKY_CSV, gz=True)
        self.write("b.dump", "id,name,note,amount,ts\n5,y,z,1,2024-03-01T00:00:05Z\n", gz=True)
        self.ingest("a.csv.gz", "b.dump", "--format", "csv", "--topic", "t",
                    "--timestamp-column", "ts")
        values = [json.loads(v) for v in self.consume("t")]
        self.assertEqual(values[:4], TRICKY_VALUES)
        self.assertEqual(values[4]["id"], 5)
        desc = self.kappa_json("topic", "describe", "t", "--json")["partitions"][0]
        self.assertEqual((desc["min_timestamp"], desc["max_timestamp"]), (T0, T0 + 5000))

    def test_rejects_file_names_file_line_reason(self):
        self.write("bad.csv",
                   "id,ts,v\n"
                   "1,2024-03-01T00:00:00Z,ok\n"        # line 2
                   "2,2024-03-01T00:00:01Z\n"           # line 3: 2 columns
                   '3,2024-03-01T00:00:02Z,"multi\n'    # line 4-5: fine
                   'line"\n'
                   "4,not-a-time,x\n"                   # line 6: bad timestamp
                   '5,2024-03-01T00:00:05Z,"x"y\n'      # line 7: text after quote
                   "6,2024-03-01T00:00:06Z,\xff\n"      # line 8: invalid UTF-8 (latin-1 write)
                   '7,2024-03-01T00:00:07Z,"open\n')    # line 9: unterminated
        with open(self.path("bad.csv"), "rb") as f:
            data = f.read().replace("\xff".encode(), b"\xff")
        with open(self.path("bad.csv"), "wb") as f:
            f.write(data)
        proc = self.ingest("bad.csv", "--topic", "t", "--timestamp-column", "ts")
        self.assertIn("ingested 2 rows", proc.stderr)
        self.assertIn("5 rejected (see t.rejects.jsonl)", proc.stderr)
        self.assertEqual([json.loads(v)["id"] for v in self.consume("t")], [1, 3])
        with open(self.path("t.rejects.jsonl")) as f:
            rejects = [json.loads(l) for l in f]
        self.assertEqual([(r["file"], r["line"]) for r in rejects],
                         [("bad.csv", 3), ("bad.csv", 6), ("bad.csv", 7), ("bad.csv", 8), ("bad.csv", 9)])
        reasons = [r["reason"] for r in rejects]
        self.assertEqual(reasons[0], "wrong column count: expected 3, got 2")
        self.assertEqual(reasons[1], "unparsable timestamp 'not-a-time' in column 'ts'")
        self.assertEqual(reasons[2], "unexpected character after closing quote")
        self.assertEqual(reasons[3], "invalid UTF-8")
        self.assertEqual(reasons[4], "unterminated quoted field")
        self.assertEqual(rejects[0]["row"], "2,2024-03-01T00:00:01Z")

        # A fresh run replaces the rejects file; --rejects moves it.
        self.kappa("topic", "delete", "t")
        self.ingest("bad.csv", "--topic", "t", "--timestamp-column", "ts", "--rejects", "r/x.jsonl",
                    ok=False)  # the directory does not exist
        os.mkdir(self.path("r"))
        self.kappa("topic", "delete", "t")
        self.ingest("bad.csv", "--topic", "t", "--timestamp-column", "ts", "--rejects", "r/x.jsonl")
        with open(self.path("r/x.jsonl")) as f:
            self.assertEqual(len(f.readlines()), 5)

    def test_on_error_fail_then_skip_rows(self):
        rows = [f"{i},2024-03-01T00:00:{i:02d}Z" for i in range(1, 11)]
        broken = rows[:4] + ["5"] + rows[5:]
        self.write("d.csv", "id,ts\n" + "\n".join(broken) + "\n")
        proc = self.ingest("d.csv", "--topic", "t", "--timestamp-column", "ts", "--on-error", "fail",
                           ok=False)
        self.assert_error(proc, "d.csv:6: wrong column count: expected 2, got 1")
        self.assertIn("stopped after 4 rows", proc.stderr)
        self.assertIn("--skip-rows 4", proc.stderr)
        self.assertFalse(os.path.exists(self.path("t.rejects.jsonl")))
        self.assertEqual([json.loads(v)["id"] for v in self.consume("t")], [1, 2, 3, 4])
        # Fix the row and continue where the summary said.
        self.write("d.csv", "id,ts\n" + "\n".join(rows) + "\n")
        self.ingest("d.csv", "--topic", "t", "--timestamp-column", "ts", "--skip-rows", "4")
        self.assertEqual([json.loads(v)["id"] for v in self.consume("t")], list(range(1, 11)))
        # And --resume on a complete ingest adds nothing.
        proc = self.ingest("d.csv", "--topic", "t", "--timestamp-column", "ts", "--resume")
        self.assertIn("ingested 0 rows", proc.stderr)
        self.assertIn("10 skipped", proc.stderr)

    def test_bad_invocations(self):
        self.write("x.txt", "a\n1\n")
        self.assert_error(self.ingest("x.txt", "--topic", "t", ok=False), "--format")
        self.assert_error(self.ingest("missing.csv", "--topic", "t", ok=False), "missing.csv")
        self.write("x.csv", "a,b\n1,2\n")
        self.assert_error(self.ingest("x.csv", "--topic", "t", "--key-column", "c", ok=False),
                          "no column 'c'")
        self.assert_error(self.ingest("x.csv", "--topic", "t", "--resume", "--skip-rows", "1",
                                      ok=False), code=2)
        os.mkdir(self.path("d"))
        self.write("d/x.csv", "a,b\n1,2\n")
        self.assert_error(self.ingest("x.csv", "d/x.csv", "--topic", "t", "--resume", ok=False),
                          "distinct")


class JsonLinesTest(KappaTestCase):
    def test_json_lines_with_rejects(self):
        lines = [
            '{"user":"alice","at":"2024-03-01T00:00:00Z","n":1}',
            '',
            '  {"user":"bob","at":1709251201000,"n":2}  ',
            '{"user":"carol","at":"2024-03-01T00:00:02Z","n":3',  # line 4: invalid
            '[1,2,3]',                                             # line 5: not an object
            '{"user":"dave","at":"soon","n":5}',                   # line 6: bad timestamp
            '{"user":7,"at":"2024-03-01T00:00:06Z","n":6}',
        ]
        self.write("e.jsonl.gz", "\n".join(lines) + "\n", gz=True)
        proc = self.kappa("ingest", "e.jsonl.gz", "--topic", "j", "--timestamp-column", "at",
                          "--key-column", "user", "--partitions", "2")
        self.assertIn("ingested 3 rows", proc.stderr)
        records = self.consume_meta("j")
        by_n = {json.loads(r["value"])["n"]: r for r in records}
        self.assertEqual(sorted(by_n), [1, 2, 6])
        self.assertEqual(by_n[2]["value"], '{"user":"bob","at":1709251201000,"n":2}')
        self.assertEqual(by_n[2]["timestamp"], T0 + 1000)
        self.assertEqual(by_n[6]["key"], "7")
        for r in records:
            self.assertEqual(r["partition"], kafka_partition(r["key"], 2))
        self.assertEqual(by_n[6]["headers"]["kappa.src"], "e.jsonl.gz:7")
        with open(self.path("j.rejects.jsonl")) as f:
            rejects = [json.loads(l) for l in f]
        self.assertEqual([r["line"] for r in rejects], [4, 5, 6])
        self.assertTrue(rejects[0]["reason"].startswith("invalid JSON"), rejects[0])
        self.assertEqual(rejects[1]["reason"], "the JSON value is not an object")
        self.assertIn("soon", rejects[2]["reason"])


def segment_bytes(data_dir, topic):
    total = 0
    root = os.path.join(data_dir, "topics", topic)
    for part in os.listdir(root) if os.path.isdir(root) else []:
        pdir = os.path.join(root, part)
        if os.path.isdir(pdir):
            total += sum(os.path.getsize(os.path.join(pdir, f))
                         for f in os.listdir(pdir) if f.endswith(".log"))
    return total


class CrashResumeTest(KappaTestCase):
    """Kill `kappa ingest` mid-run, repeatedly; --resume must end with every
    row in the log exactly once and every reject in the rejects file once."""

    def make_inputs(self, rows_per_file, bad_every):
        rng = random.Random(7)
        expected, bad = set(), set()
        next_id = 0
        for name in ("part1.csv", "part2.csv.gz"):
            out = ["id,user,ts,amount,note"]
            line = 1
            for _ in range(rows_per_file):
                line += 1
                if next_id % bad_every == bad_every - 1:
                    out.append(f"{next_id},u{next_id % 40},never,1,x")  # rejected
                    bad.add((name, line))
                else:
                    note = f'"multi\nline {next_id}"' if next_id % 1000 == 0 else f"n{next_id}"
                    out.append(f"{next_id},u{rng.randrange(40)},2024-03-01T00:00:{next_id % 60:02d}Z,"
                               f"{rng.randrange(100000) / 100},{note}")
                    expected.add(next_id)
                    line += note.count("\n")
                next_id += 1
            self.write(name, "\n".join(out) + "\n", gz=name.endswith(".gz"))
        return expected, bad

    def run_and_kill(self, args, topic, kill_at_bytes, sig=signal.SIGKILL):
        """Starts an ingest and signals it once the log has grown past kill_at_bytes."""
        p = self.start(*args)
        while p.poll() is None and segment_bytes(self.data_dir, topic) < kill_at_bytes:
            time.sleep(0.005)
        was_running = p.poll() is None
        p.send_signal(sig)
        _, err = p.communicate(timeout=30)
        return was_running, p.returncode, err

    def assert_exactly_once(self, topic, expected, bad):
        ids = collections.Counter(json.loads(v)["id"] for v in self.consume(topic))
        self.assertEqual([i for i, n in ids.items() if n > 1], [], "duplicates")
        self.assertEqual(set(ids), expected)
        with open(self.path(f"{topic}.rejects.jsonl")) as f:
            rejects = [json.loads(l) for l in f]
        keys = [(os.path.basename(r["file"]), r["line"]) for r in rejects]
        self.assertEqual(len(keys), len(set(keys)), "repeated rejects")
        self.assertEqual(set(keys), bad)

    def test_sigkill_then_resume_keyed_csv(self):
        expected, bad = self.make_inputs(rows_per_file=100_000, bad_every=997)
        # Durability `always` and small batches: an fsync per 4 KiB batch keeps
        # the run slow enough to be killed mid-way, at several points.
        self.kappa("topic", "create", "crash", "--partitions", "3", "--durability", "always")
        args = ["ingest", "part1.csv", "part2.csv.gz", "--topic", "crash", "--key-column", "user",
                "--timestamp-column", "ts", "--batch-bytes", "4096", "--resume"]
        mid_run = 0
        for i, mib in enumerate((1, 3, 6, 9)):
            running, code, err = self.run_and_kill(args, "crash", mib << 20)
            if running:
                self.assertEqual(code, -signal.SIGKILL, err)
                mid_run += 1
        self.assertGreaterEqual(mid_run, 2, "the ingest finished before it could be killed")
        # A graceful stop says how far it got.
        running, code, err = self.run_and_kill(args, "crash", 11 << 20, sig=signal.SIGTERM)
        if running:
            self.assertEqual(code, 130, err)
            self.assertIn("stopped after", err)
            self.assertIn("interrupted", err)
        proc = self.kappa(*args)
        self.assertRegex(proc.stderr, r"ingested [\d,]+ rows into crash from 2 files")
        self.assert_exactly_once("crash", expected, bad)
        proc = self.kappa(*args)  # nothing left to do
        self.assertIn("ingested 0 rows", proc.stderr)
        self.assert_exactly_once("crash", expected, bad)

    def test_sigkill_then_resume_keyless_json_lines(self):
        # Keyless rows are routed by row number, so resume is exact for them too.
        lines = [json.dumps({"id": i, "pad": "x" * (i % 50)}) for i in range(60_000)]
        self.write("k.jsonl", "\n".join(lines) + "\n")
        self.kappa("topic", "create", "kl", "--partitions", "2", "--durability", "always")
        args = ["ingest", "k.jsonl", "--topic", "kl", "--batch-bytes", "4096", "--resume"]
        for mib in (1, 2):
            self.run_and_kill(args, "kl", mib << 20)
        self.kappa(*args)
        ids = collections.Counter(json.loads(v)["id"] for v in self.consume("kl"))
        self.assertEqual(max(ids.values()), 1)
        self.assertEqual(set(ids), set(range(60_000)))
        counts = [p["records"] for p in self.kappa_json("topic", "describe", "kl", "--json")["partitions"]]
        self.assertTrue(all(c > 0 for c in counts), counts)


if __name__ == "__main__":
    unittest.main()
