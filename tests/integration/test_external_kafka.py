#!/usr/bin/python3
"""External Kafka clusters (issue 4): a table with 'properties.bootstrap.servers'
is read through librdkafka. Two real `kappa server`s: B plays the external
cluster (records produced to it over its HTTP API), A runs the pipeline. The
pipeline's output is checked, A is killed with SIGKILL, more records go to B,
and after A restarts every record's output is there exactly once."""

import collections
import json
import os
import signal
import unittest

import kappa_testlib


class ExternalKafkaTest(kappa_testlib.KappaTestCase):

    def start_servers(self):
        self.b = self.start_server(listeners=("http", "kafka"), data_dir=self.path("b-data"))
        self.a = self.start_a()

    def start_a(self):
        return self.start_server(listeners=("http", "kafka"), data_dir=self.path("a-data"))

    def at(self, server, *args, ok=True):
        """Runs a CLI command against `server`."""
        saved = self.env.get("KAPPA_SERVER")
        self.env["KAPPA_SERVER"] = server.http_url
        try:
            return self.kappa(*args, ok=ok)
        finally:
            if saved is None:
                del self.env["KAPPA_SERVER"]
            else:
                self.env["KAPPA_SERVER"] = saved

    def produce_b(self, topic, ids, partition_of=lambda i: i % 2):
        """Records {"id": i, "name": "n<i>"} to B, record i to partition i % 2."""
        by_partition = collections.defaultdict(list)
        for i in ids:
            by_partition[partition_of(i)].append(json.dumps({"id": i, "name": f"n{i}"}) + "\n")
        for p, lines in sorted(by_partition.items()):
            proc = self.run_kappa(self.b, "produce", topic, "--partition", str(p),
                                  input="".join(lines))
            self.assertEqual(proc.returncode, 0, proc.stderr)

    def run_kappa(self, server, *args, input=None):
        import subprocess
        env = dict(self.env, KAPPA_SERVER=server.http_url)
        return subprocess.run([kappa_testlib.KAPPA, *args], input=input, capture_output=True,
                              text=True, cwd=self.dir, env=env, timeout=60)

    def status(self, name):
        proc = self.run_kappa(self.a, "pipeline", "status", name, "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["versions"][0]

    def wait_caught_up(self, name, end_offsets, timeout=60):
        """Waits until the pipeline's splits have these end offsets and no lag."""
        def done():
            st = self.status(name)
            self.assertNotEqual(st["state"], "failed", st.get("message"))
            ends = sorted(p["end_offset"] for p in st["partitions"])
            return ends == sorted(end_offsets) and st["lag"] == 0
        self.wait_until(done, timeout=timeout, what=f"{name} to catch up to {end_offsets}")

    def consume_ids(self, server, topic):
        proc = self.run_kappa(server, "consume", topic, "--from", "earliest")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return [json.loads(line) for line in proc.stdout.splitlines()]

    def wait_output(self, server, topic, expected_ids, timeout=60):
        """Waits until `topic` on `server` holds exactly the rows of expected_ids."""
        want = sorted(expected_ids)
        def done():
            got = sorted(r["id"] for r in self.consume_ids(server, topic))
            self.assertLessEqual(len(got), len(want), f"repeated rows: {got}")
            return got == want
        self.wait_until(done, timeout=timeout, what=f"{len(want)} rows in {topic}")
        rows = self.consume_ids(server, topic)
        self.assertEqual(sorted(r["id"] for r in rows), want)
        return rows

    def kill_and_restart_a(self):
        self.assertEqual(self.a.stop(signal.SIGKILL), -signal.SIGKILL)
        self.a = self.start_a()

    def test_external_source_survives_sigkill(self):
        self.start_servers()
        self.run_kappa(self.b, "topic", "create", "events", "--partitions", "2")
        self.produce_b("events", range(0, 10))
        # A malformed record on B goes to A's dead-letter topic, with its offset.
        proc = self.run_kappa(self.b, "produce", "events", "--partition", "0", "--raw",
                              input="{not json\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.write("ext.sql", f"""
CREATE TABLE events (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'events', 'format' = 'json',
  'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}',
  'scan.startup.mode' = 'earliest-offset');
CREATE TABLE upper_events (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'upper_events', 'format' = 'json');
SET 'execution.checkpointing.interval' = '200ms';
INSERT INTO upper_events SELECT id, UPPER(name) FROM events;
""")
        out = self.at(self.a, "pipeline", "deploy", "ext", self.path("ext.sql")).stdout
        self.assertIn("deployed ext v1", out)
        rows = self.wait_output(self.a, "upper_events", range(0, 10))
        self.assertEqual({r["id"]: r["name"] for r in rows}, {i: f"N{i}" for i in range(10)})
        st = self.status("ext")
        self.assertEqual(st["malformed_records"], 1)
        self.assertEqual(sorted(p["partition"] for p in st["partitions"]), [0, 1])
        self.assertEqual(sorted(p["end_offset"] for p in st["partitions"]), [5, 6])
        dead = [json.loads(l) for l in
                self.run_kappa(self.a, "consume", "ext.dlq", "--from", "earliest").stdout.splitlines()]
        self.assertEqual(len(dead), 1, dead)
        self.assertEqual((dead[0]["partition"], dead[0]["offset"]), (0, 5))

        # Records arrive while A runs; A dies mid-stream; more arrive while it is down.
        self.produce_b("events", range(10, 30))
        self.wait_until(lambda: len(self.consume_ids(self.a, "upper_events")) > 10, timeout=60,
                        what="some of the second batch")
        self.kill_and_restart_a()
        self.produce_b("events", range(30, 40))
        self.wait_output(self.a, "upper_events", range(0, 40))
        # Lag comes from B's high watermarks: caught up means nothing left on B.
        self.wait_caught_up("ext", [20, 21])
        st = self.status("ext")
        self.assertEqual(sorted(p["offset"] for p in st["partitions"]), [20, 21])
        self.assertEqual(sorted(p["topic"] for p in st["partitions"]), ["ext:events:events"] * 2)

    def test_external_sink_survives_sigkill(self):
        self.start_servers()
        self.run_kappa(self.b, "topic", "create", "orders", "--partitions", "2")
        self.run_kappa(self.b, "topic", "create", "orders_out", "--partitions", "2")
        self.produce_b("orders", range(0, 10))
        self.write("sink.sql", f"""
CREATE TABLE orders (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'orders', 'format' = 'json',
  'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}');
CREATE TABLE orders_out (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'orders_out', 'format' = 'json',
  'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}');
SET 'execution.checkpointing.interval' = '200ms';
INSERT INTO orders_out SELECT id, CONCAT(name, '!') FROM orders;
""")
        self.at(self.a, "pipeline", "deploy", "sink", self.path("sink.sql"))
        rows = self.wait_output(self.b, "orders_out", range(0, 10))
        self.assertEqual({r["id"]: r["name"] for r in rows}, {i: f"n{i}!" for i in range(10)})
        # Nothing went to A's own log.
        topics = self.run_kappa(self.a, "topic", "list").stdout
        self.assertNotIn("orders_out", topics)

        self.produce_b("orders", range(10, 30))
        self.wait_until(lambda: len(self.consume_ids(self.b, "orders_out")) > 10, timeout=60,
                        what="some of the second batch")
        self.kill_and_restart_a()
        self.produce_b("orders", range(30, 40))
        self.wait_output(self.b, "orders_out", range(0, 40))
        self.wait_caught_up("sink", [20, 20])
        self.assertEqual(sorted(r["id"] for r in self.consume_ids(self.b, "orders_out")),
                         list(range(40)))
        # Every record names its commit; each committed batch has one marker.
        proc = self.run_kappa(self.b, "consume", "orders_out", "--from", "earliest", "--with-meta")
        meta = [json.loads(l) for l in proc.stdout.splitlines()]
        self.assertEqual(len(meta), 40)
        for r in meta:
            self.assertIn("kappa.commit.part", json.dumps(r["headers"]))

    def test_external_upsert_sink_survives_sigkill(self):
        self.start_servers()
        self.run_kappa(self.b, "topic", "create", "clicks", "--partitions", "2")
        self.run_kappa(self.b, "topic", "create", "counts", "--partitions", "2")
        pages = lambda ids: [(i, f"p{i % 3}") for i in ids]
        def produce(ids):
            for p in (0, 1):
                lines = "".join(json.dumps({"id": i, "page": page}) + "\n"
                                for i, page in pages(ids) if i % 2 == p)
                proc = self.run_kappa(self.b, "produce", "clicks", "--partition", str(p),
                                      input=lines)
                self.assertEqual(proc.returncode, 0, proc.stderr)
        def counts():
            latest = {}
            proc = self.run_kappa(self.b, "consume", "counts", "--from", "earliest", "--with-meta")
            for r in map(json.loads, proc.stdout.splitlines()):
                key = json.loads(r["key"])["page"]
                latest[key] = json.loads(r["value"])["n"] if r["value"] is not None else None
            return latest
        produce(range(0, 9))
        self.write("counts.sql", f"""
CREATE TABLE clicks (id BIGINT, page STRING) WITH (
  'connector' = 'kafka', 'topic' = 'clicks', 'format' = 'json',
  'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}');
CREATE TABLE counts (page STRING, n BIGINT, PRIMARY KEY (page) NOT ENFORCED) WITH (
  'connector' = 'upsert-kafka', 'topic' = 'counts', 'format' = 'json',
  'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}');
SET 'execution.checkpointing.interval' = '200ms';
INSERT INTO counts SELECT page, COUNT(*) FROM clicks GROUP BY page;
""")
        self.at(self.a, "pipeline", "deploy", "counts", self.path("counts.sql"))
        self.wait_until(lambda: counts() == {"p0": 3, "p1": 3, "p2": 3}, timeout=60,
                        what="first counts")
        produce(range(9, 30))
        self.wait_until(lambda: sum(v or 0 for v in counts().values()) > 9, timeout=60,
                        what="some of the second batch")
        self.kill_and_restart_a()
        produce(range(30, 60))
        # A click read twice or lost would leave a wrong count.
        self.wait_until(lambda: counts() == {"p0": 20, "p1": 20, "p2": 20}, timeout=60,
                        what="final counts")
        self.wait_caught_up("counts", [30, 30])
        self.assertEqual(counts(), {"p0": 20, "p1": 20, "p2": 20})

    def test_latest_offset_starts_at_the_end(self):
        self.start_servers()
        self.run_kappa(self.b, "topic", "create", "late", "--partitions", "1")
        self.produce_b("late", range(0, 5), partition_of=lambda i: 0)
        self.write("latest.sql", f"""
CREATE TABLE late_src (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'late', 'format' = 'json',
  'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}',
  'scan.startup.mode' = 'latest-offset');
CREATE TABLE late_out (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'late_out', 'format' = 'json');
INSERT INTO late_out SELECT id, name FROM late_src;
""")
        self.at(self.a, "pipeline", "deploy", "latest", self.path("latest.sql"))
        self.wait_until(lambda: self.status("latest")["partitions"][0]["offset"] == 5, timeout=30,
                        what="start at the end")
        self.produce_b("late", range(5, 8), partition_of=lambda i: 0)
        self.wait_output(self.a, "late_out", range(5, 8))

    def test_group_offsets_come_from_the_external_cluster(self):
        client = os.path.join(os.environ.get("KAPPA_BUILD_DIR", os.path.dirname(kappa_testlib.KAPPA)),
                              "kappa_rdkafka_client")
        if not os.path.exists(client):
            self.skipTest("kappa_rdkafka_client not built")
        import subprocess
        self.start_servers()
        self.run_kappa(self.b, "topic", "create", "grp", "--partitions", "1")
        self.produce_b("grp", range(0, 6), partition_of=lambda i: 0)
        # A consumer group on B reads four records and commits offset 4.
        proc = subprocess.run([client, "consume", "--brokers", self.b.kafka_bootstrap,
                               "--topic", "grp", "--group", "g1", "--max", "4"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.write("grp.sql", f"""
CREATE TABLE grp (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'grp', 'format' = 'json',
  'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}',
  'scan.startup.mode' = 'group-offsets', 'properties.group.id' = 'g1');
CREATE TABLE grp_out (id BIGINT, name STRING) WITH (
  'connector' = 'kafka', 'topic' = 'grp_out', 'format' = 'json');
INSERT INTO grp_out SELECT id, name FROM grp;
""")
        self.at(self.a, "pipeline", "deploy", "grp", self.path("grp.sql"))
        self.wait_output(self.a, "grp_out", [4, 5])

    def test_missing_topic_is_named(self):
        self.start_servers()
        self.write("missing.sql", f"""
CREATE TABLE m (id BIGINT) WITH ('connector' = 'kafka', 'topic' = 'no_such_topic',
  'format' = 'json', 'properties.bootstrap.servers' = '{self.b.kafka_bootstrap}');
CREATE TABLE m_out (id BIGINT) WITH ('connector' = 'kafka', 'topic' = 'm_out', 'format' = 'json');
INSERT INTO m_out SELECT id FROM m;
""")
        proc = self.at(self.a, "pipeline", "deploy", "missing", self.path("missing.sql"), ok=False)
        self.assertIn("no_such_topic", proc.stderr)
        self.assertIn("does not exist", proc.stderr)


if __name__ == "__main__":
    unittest.main()
