"""The `kappa` command line: help, topics, produce/consume, errors, the lock."""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kappa_testlib import KappaTestCase, kafka_partition  # noqa: E402


class HelpTest(KappaTestCase):
    def test_every_subcommand_has_help(self):
        for args in ([], ["topic"], ["topic", "create"], ["topic", "list"],
                     ["topic", "describe"], ["topic", "delete"], ["produce"], ["consume"],
                     ["ingest"]):
            proc = self.kappa(*args, "--help")
            self.assertIn("Usage: kappa", proc.stdout, args)
        self.assertIn("--key-field", self.kappa("produce", "--help").stdout)
        self.assertIn("--resume", self.kappa("ingest", "--help").stdout)

    def test_usage_errors(self):
        self.assert_error(self.kappa(ok=False), "subcommand", code=2)
        self.assert_error(self.kappa("topic", "list", "--bogus", ok=False), "--bogus", code=2)
        self.assert_error(self.kappa("topic", "create", "t", "--partitions", "0", ok=False),
                          "--partitions", code=2)
        self.assert_error(self.kappa("consume", ok=False), "topic", code=2)
        self.assert_error(self.kappa("topic", "create", "t", "--retention-time", "7x", ok=False),
                          "7x", code=1)


class TopicTest(KappaTestCase):
    def test_lifecycle(self):
        out = self.kappa("topic", "create", "events", "--partitions", "3", "--retention-time", "7d",
                         "--retention-bytes", "10GiB", "--durability", "always",
                         "--segment-bytes", "64MiB").stdout
        self.assertIn("created topic events (3 partitions)", out)
        self.kappa("topic", "create", "other")
        topics = self.kappa_json("topic", "list", "--json")
        self.assertEqual(sorted(t["name"] for t in topics), ["events", "other"])
        self.assertEqual({t["name"]: t["partitions"] for t in topics}, {"events": 3, "other": 1})
        self.assertIn("events", self.kappa("topic", "list").stdout)

        desc = self.kappa_json("topic", "describe", "events", "--json")
        self.assertEqual(desc["partition_count"], 3)
        self.assertEqual(desc["config"]["retention_ms"], 7 * 24 * 3600 * 1000)
        self.assertEqual(desc["config"]["retention_bytes"], 10 << 30)
        self.assertEqual(desc["config"]["durability"], "always")
        self.assertEqual(desc["config"]["segment_bytes"], 64 << 20)
        self.assertEqual([p["partition"] for p in desc["partitions"]], [0, 1, 2])
        for p in desc["partitions"]:
            self.assertEqual((p["start_offset"], p["end_offset"], p["records"]), (0, 0, 0))
            self.assertIsNone(p["min_timestamp"])
        self.assertIn("PARTITION", self.kappa("topic", "describe", "events").stdout)

        self.assert_error(self.kappa("topic", "create", "events", ok=False), "events")
        self.kappa("topic", "delete", "events")
        self.assertEqual([t["name"] for t in self.kappa_json("topic", "list", "--json")], ["other"])

    def test_unknown_topic(self):
        for args in (["topic", "describe", "nope"], ["topic", "delete", "nope"],
                     ["consume", "nope"], ["produce", "nope"]):
            self.assert_error(self.kappa(*args, input="", ok=False), "nope", code=1)

    def test_bad_topic_name(self):
        self.assert_error(self.kappa("topic", "create", "bad/name", ok=False), code=1)


class ProduceConsumeTest(KappaTestCase):
    def test_keys_pick_kafka_partitions(self):
        self.kappa("topic", "create", "users", "--partitions", "4")
        lines = [json.dumps({"user": f"u{i % 25}", "seq": i}) for i in range(300)]
        proc = self.kappa("produce", "users", "--key-field", "user", input="\n".join(lines) + "\n")
        self.assertIn("produced 300 records to users", proc.stderr)
        records = self.consume_meta("users")
        self.assertEqual(sorted(r["value"] for r in records), sorted(lines))
        for r in records:
            value = json.loads(r["value"])
            self.assertEqual(r["key"], value["user"])
            self.assertEqual(r["partition"], kafka_partition(value["user"], 4), r)
        for p in range(4):  # each partition keeps production order
            seqs = [json.loads(r["value"])["seq"] for r in records if r["partition"] == p]
            self.assertEqual(seqs, sorted(seqs))
        desc = self.kappa_json("topic", "describe", "users", "--json")
        self.assertEqual(sum(p["records"] for p in desc["partitions"]), 300)
        self.assertEqual(len(self.consume("users", "--partition", "2")),
                         desc["partitions"][2]["records"])

    def test_keyless_batches_go_round_robin(self):
        self.kappa("topic", "create", "rr", "--partitions", "3")
        for i in range(3):  # each produce run is at least one batch
            self.kappa("produce", "rr", input=f'{{"run":{i}}}\n')
        parts = {r["partition"] for r in self.consume_meta("rr")}
        self.assertEqual(len(parts), 1)  # each run starts at partition 0 again
        many = "".join(f'{{"n":{i}}}\n' for i in range(3000))
        self.kappa("produce", "rr", "--batch-bytes", "4096", input=many)
        counts = [p["records"] for p in self.kappa_json("topic", "describe", "rr", "--json")["partitions"]]
        self.assertTrue(all(c > 500 for c in counts), counts)

    def test_consume_from_offset_timestamp_latest_and_max(self):
        self.kappa("topic", "create", "t", "--partitions", "2")
        lines = [json.dumps({"k": f"key{i % 2}", "ts": f"2024-03-01T00:{i:02d}:00Z", "i": i})
                 for i in range(40)]
        self.kappa("produce", "t", "--key-field", "k", "--timestamp-field", "ts",
                   input="\n".join(lines))
        records = self.consume_meta("t")
        self.assertEqual(len(records), 40)
        self.assertEqual(min(r["timestamp"] for r in records), 1709251200000)

        p0 = [r for r in records if r["partition"] == 0]
        tail = self.consume_meta("t", "--partition", "0", "--from", "5")
        self.assertEqual([r["offset"] for r in tail], [r["offset"] for r in p0 if r["offset"] >= 5])

        since = self.consume("t", "--from", "2024-03-01T00:30:00Z")
        self.assertEqual(sorted(json.loads(v)["i"] for v in since), list(range(30, 40)))
        since = self.consume("t", "--from", "2024-03-01 00:35:00")
        self.assertEqual(sorted(json.loads(v)["i"] for v in since), list(range(35, 40)))

        self.assertEqual(self.consume("t", "--from", "latest"), [])
        self.assertEqual(len(self.consume("t", "--max", "7")), 7)
        self.assert_error(self.kappa("consume", "t", "--from", "yesterday", ok=False), "yesterday")
        self.assert_error(self.kappa("consume", "t", "--partition", "5", ok=False), "partition")

    def test_invalid_json_stops_after_acknowledging_earlier_lines(self):
        self.kappa("topic", "create", "t")
        proc = self.kappa("produce", "t", input='{"a":1}\n\n{"a":2}\n{oops\n{"a":4}\n', ok=False)
        self.assert_error(proc, "stdin line 4", "invalid JSON")
        self.assertEqual(self.consume("t"), ['{"a":1}', '{"a":2}'])

    def test_produce_flushes_when_stdin_would_block(self):
        self.kappa("topic", "create", "t")
        p = self.start("produce", "t", stdin=subprocess.PIPE)
        p.stdin.write('{"first":1}\n')
        p.stdin.flush()
        segment_dir = os.path.join(self.data_dir, "topics", "t", "0")

        def appended():
            return sum(os.path.getsize(os.path.join(segment_dir, f))
                       for f in os.listdir(segment_dir) if f.endswith(".log")) > 0

        # Appended while stdin is still open, not held back until EOF.
        self.wait_until(appended, what="the first line to be appended")
        p.stdin.write('{"second":2}\n')
        p.stdin.close()
        p.wait(timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr.read())
        self.assertEqual(self.consume("t"), ['{"first":1}', '{"second":2}'])


class LockTest(KappaTestCase):
    def test_data_dir_held_by_consume_follow(self):
        self.kappa("topic", "create", "t")
        self.kappa("produce", "t", input='{"x":1}\n')
        follower = self.start("consume", "t", "--follow")
        self.assertEqual(follower.stdout.readline(), '{"x":1}\n')  # it holds the lock now
        proc = self.kappa("topic", "list", ok=False)
        line = self.assert_error(proc, f"pid {follower.pid}", "kappa consume")
        self.assertIn(self.data_dir, line)
        code, _, err = self.stop(follower)
        self.assertEqual(code, 0, err)
        self.kappa("topic", "list")  # released


if __name__ == "__main__":
    unittest.main()
