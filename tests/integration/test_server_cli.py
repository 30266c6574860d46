"""`kappa server`'s HTTP API and the CLI talking to it: health, metrics, HTTP
produce/consume, the CLI with --server and by finding the server through the
data dir (same output as with the data dir opened directly), SIGTERM and a
restart."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kappa_testlib import KAPPA, KappaTestCase, kafka_partition  # noqa: E402


def lines_of(records):
    return "".join(json.dumps(r) + "\n" for r in records)


EVENTS = [{"user": f"u{i % 5}", "ts": f"2024-03-01T00:{i:02d}:00Z", "i": i} for i in range(40)]


def without_bytes(value):
    """Drops "bytes" fields: batching (and so the byte count) may differ."""
    if isinstance(value, dict):
        return {k: without_bytes(v) for k, v in value.items() if k != "bytes"}
    if isinstance(value, list):
        return [without_bytes(v) for v in value]
    return value


class ServerCliTest(KappaTestCase):
    def scenario(self, run):
        """Runs the CLI scenario through `run(*args, input=None, ok=True)`; returns the
        outputs to compare between local and server mode."""
        out = {}
        out["create"] = run("topic", "create", "events", "--partitions", "3",
                            "--retention-time", "7d", "--durability", "always").stdout
        run("topic", "create", "other")
        out["exists"] = run("topic", "create", "other", ok=False).stderr
        produced = run("produce", "events", "--key-field", "user", "--timestamp-field", "ts",
                       input=lines_of(EVENTS))
        self.assertIn("produced 40 records to events (3 partitions written)", produced.stderr)
        out["list"] = without_bytes(json.loads(run("topic", "list", "--json").stdout))
        out["describe"] = without_bytes(json.loads(run("topic", "describe", "events",
                                                       "--json").stdout))
        describe_text = run("topic", "describe", "events").stdout
        out["describe_text"] = [l.split()[:4] for l in describe_text.splitlines()[2:]]
        out["meta"] = run("consume", "events", "--with-meta").stdout
        out["values"] = run("consume", "events").stdout
        out["p0_from_3"] = run("consume", "events", "--partition", "0", "--from", "3").stdout
        out["since"] = run("consume", "events", "--from", "2024-03-01T00:30:00Z").stdout
        out["latest"] = run("consume", "events", "--from", "latest").stdout
        out["max"] = run("consume", "events", "--max", "7").stdout
        out["bad_from"] = run("consume", "events", "--from", "yesterday", ok=False).stderr
        out["bad_partition"] = run("consume", "events", "--partition", "5", ok=False).stderr
        out["unknown"] = run("consume", "nope", ok=False).stderr
        out["produce_unknown"] = run("produce", "nope", input="{}\n", ok=False).stderr
        bad = run("produce", "other", input='{"a":1}\n\n{"a":2}\n{oops\n{"a":4}\n', ok=False)
        out["bad_json"] = [l for l in bad.stderr.splitlines() if "error" in l]
        out["after_bad_json"] = run("consume", "other").stdout
        out["delete"] = run("topic", "delete", "other").stdout
        out["list_after"] = run("topic", "list").stdout.split()
        out["json_list_after"] = [t["name"] for t in json.loads(run("topic", "list", "--json").stdout)]
        return out

    def test_cli_output_is_the_same_locally_and_through_the_server(self):
        local = self.scenario(lambda *a, **kw: self.kappa(*a, **kw))
        self.assertEqual(len(local["meta"].splitlines()), 40)
        self.assertEqual(local["after_bad_json"], '{"a":1}\n{"a":2}\n')
        self.assertIn("stdin line 4", local["bad_json"][0])

        # Found through the data dir the server holds.
        found_dir = self.path("found")
        server = self.start_server(data_dir=found_dir)
        found = self.scenario(lambda *a, **kw: self.kappa("--data-dir", found_dir, *a, **kw))
        self.assertEqual(server.stop(), 0)
        self.maxDiff = None
        self.assertEqual(found, local)

        # Named with --server (the data dir given is not the server's).
        other_dir = self.path("served")
        server = self.start_server(data_dir=other_dir)
        named = self.scenario(lambda *a, **kw: self.kappa(
            "--server", server.http_url, "--data-dir", self.path("unused"), *a, **kw))
        self.assertFalse(os.path.exists(self.path("unused")))
        self.assertEqual(named, local)
        # KAPPA_SERVER works too.
        env = dict(self.env, KAPPA_SERVER=server.http_url)
        proc = subprocess.run([KAPPA, "topic", "list",
                               "--json"], capture_output=True, text=True, env=env, cwd=self.dir)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([t["name"] for t in json.loads(proc.stdout)], ["events"])
        self.assertEqual(server.stop(), 0)

    def test_keys_pick_kafka_partitions_through_the_server(self):
        server = self.start_server()
        self.kappa("topic", "create", "t", "--partitions", "4")
        keys = [f"key-{i}" for i in range(30)]
        self.kappa("produce", "t", "--key-field", "k",
                   input=lines_of({"k": k} for k in keys))
        status, body = server.request("POST", "/v1/topics/t/records?key_field=k",
                                      lines_of({"k": k, "http": True} for k in keys))
        self.assertEqual(status, 200, body)
        for r in self.consume_meta("t"):
            self.assertEqual(r["partition"], kafka_partition(r["key"], 4), r)
        self.assertEqual(server.stop(), 0)

    def test_consume_follow_through_the_server(self):
        server = self.start_server()
        self.kappa("topic", "create", "t")
        self.kappa("produce", "t", input='{"x":1}\n')
        follower = self.start("consume", "t", "--follow")
        self.assertEqual(follower.stdout.readline(), '{"x":1}\n')
        self.kappa("produce", "t", input='{"x":2}\n')
        self.assertEqual(follower.stdout.readline(), '{"x":2}\n')
        status, _ = server.request("POST", "/v1/topics/t/records", '{"x":3}\n')
        self.assertEqual(status, 200)
        self.assertEqual(follower.stdout.readline(), '{"x":3}\n')
        code, _, err = self.stop(follower)
        self.assertEqual(code, 0, err)
        self.assertEqual(server.stop(), 0)

    def test_ingest_through_the_server(self):
        server = self.start_server()
        rows = "".join(f"{i},user{i % 7},{i * 10}\n" for i in range(5000))
        csv = self.write("in.csv", "id,user,amount\n" + rows + "oops,\"x\n")
        proc = self.kappa("ingest", csv, "--topic", "rows", "--partitions", "3",
                          "--key-column", "user", "--batch-bytes", "4096")
        self.assertIn("ingested 5,000 rows into rows", proc.stderr)
        records = self.consume_meta("rows")
        self.assertEqual(len(records), 5000)
        for r in records:
            self.assertEqual(r["partition"], kafka_partition(r["key"], 3))
            self.assertTrue(r["headers"]["kappa.src"].startswith("in.csv:"))
        # --resume through the server finds every row already there.
        proc = self.kappa("ingest", csv, "--topic", "rows", "--key-column", "user", "--resume")
        self.assertIn("ingested 0 rows", proc.stderr)
        self.assertEqual(len(self.consume("rows")), 5000)
        self.assertEqual(server.stop(), 0)
        # The same ingest locally gives the same records.
        local_dir = self.path("local")
        self.kappa("--data-dir", local_dir, "ingest", csv, "--topic", "rows", "--partitions", "3",
                   "--key-column", "user")
        local = json.loads("[" + ",".join(self.kappa("--data-dir", local_dir, "consume", "rows",
                                                     "--with-meta").stdout.splitlines()) + "]")
        strip = lambda rs: sorted((r["partition"], r["offset"], r["key"], r["value"],
                                   r["headers"]["kappa.src"]) for r in rs)
        self.assertEqual(strip(local), strip(records))

    def test_unreachable_server(self):
        proc = self.kappa("--server", "http://127.0.0.1:1", "topic", "list", ok=False)
        self.assert_error(proc, "kappa server at http://127.0.0.1:1")


class HttpApiTest(KappaTestCase):
    def test_health_and_metrics(self):
        server = self.start_server()
        self.assertEqual(server.request("GET", "/v1/health"), (200, {"status": "ok"}))
        status, _ = server.request("POST", "/v1/topics/m/records", '{"a":1}\n{"a":2}\n')
        self.assertEqual(status, 200)
        status, text = server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        for family in ("kappa_log_fsync_seconds", "kappa_http_requests_total",
                       "kappa_http_request_seconds", "kappa_http_records_in_total",
                       "kappa_http_bytes_in_total"):
            self.assertIn(f"# TYPE {family} ", text)
        self.assertEqual(server.request("GET", "/v1/nothing")[0], 404)
        self.assertEqual(server.stop(), 0)

    def test_produce_and_consume(self):
        server = self.start_server()
        status, body = server.request("POST", "/v1/topics", json.dumps({"name": "t",
                                                                        "partitions": 2}))
        self.assertEqual(status, 201, body)
        records = [{"k": f"k{i}", "ts": 1709251200000 + i, "i": i} for i in range(10)]
        status, body = server.request(
            "POST", "/v1/topics/t/records?key_field=k&timestamp_field=ts", lines_of(records))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["records"], 10)
        self.assertEqual(sum(p["last_offset"] - p["base_offset"] + 1 for p in body["partitions"]),
                         10)
        status, body = server.request("GET", "/v1/topics/t/records?from=earliest")
        self.assertEqual(status, 200, body)
        got = body["records"]
        self.assertEqual(sorted(r["value"]["i"] for r in got), list(range(10)))
        for r in got:
            self.assertEqual(r["partition"], kafka_partition(r["key"], 2))
            self.assertEqual(r["timestamp"], 1709251200000 + r["value"]["i"])
            self.assertEqual(r["headers"], {})
        ends = {str(p): len([r for r in got if r["partition"] == p]) for p in (0, 1)}
        self.assertEqual(body["next_offsets"], ends)

        # One partition from an offset, a page at a time.
        status, body = server.request("GET", "/v1/topics/t/records?partition=0&offset=1&max=2")
        self.assertEqual([r["offset"] for r in body["records"]], [1, 2][:ends["0"] - 1])
        # By timestamp; raw strings; base64.
        since = urllib.parse.quote("2024-03-01T00:00:00.005Z")
        status, body = server.request("GET", f"/v1/topics/t/records?from={since}")
        self.assertEqual(sorted(r["value"]["i"] for r in body["records"]), list(range(5, 10)))
        status, body = server.request("GET", "/v1/topics/t/records?partition=0&max=1"
                                             "&value_format=string")
        self.assertIsInstance(body["records"][0]["value"], str)
        # Auto-created topic.
        status, body = server.request("POST", "/v1/topics/auto/records", '"x"\n')
        self.assertEqual(status, 200, body)
        self.assertEqual(server.request("GET", "/v1/topics/auto")[1]["partitions"][0]["end_offset"],
                         1)
        self.assertEqual(server.request("GET", "/v1/topics/missing/records")[0], 404)
        self.assertEqual(server.request("GET", "/v1/topics/t/records?max=x")[0], 400)
        self.assertEqual(server.request("GET", "/v1/topics/t/records?from=yesterday")[0], 400)
        self.assertEqual(server.stop(), 0)

    def test_malformed_produce_is_400_and_stores_nothing(self):
        server = self.start_server()
        server.request("POST", "/v1/topics", json.dumps({"name": "t"}))
        status, body = server.request("POST", "/v1/topics/t/records",
                                      '{"a":1}\n\n{"a":2}\n{oops\n{"a":4}\n')
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["line"], 4)
        self.assertIn("line 4: invalid JSON", body["error"]["message"])
        status, body = server.request("POST", "/v1/topics/t/records?timestamp_field=ts",
                                      '{"ts":"2024-01-01T00:00:00Z"}\n{"a":1}\n')
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["line"], 2)
        status, body = server.request("GET", "/v1/topics/t")
        self.assertEqual(body["partitions"][0]["end_offset"], 0)
        # A bad raw batch.
        status, body = server.request("POST", "/v1/topics/t/batches?partition=0",
                                      b"\x00" * 61 + b"\x02" + b"\x00" * 20)
        self.assertEqual(status, 400, body)
        self.assertEqual(server.request("GET", "/v1/topics/t")[1]["partitions"][0]["end_offset"], 0)
        # Topic creation off: unknown topics are 404.
        self.assertEqual(server.stop(), 0)
        server = self.start_server("--no-auto-create-topics")
        self.assertEqual(server.request("POST", "/v1/topics/new/records", "{}\n")[0], 404)
        self.assertEqual(server.stop(), 0)

    def test_long_poll(self):
        server = self.start_server()
        server.request("POST", "/v1/topics", json.dumps({"name": "t"}))
        result = {}

        def poll():
            start = time.monotonic()
            result["answer"] = server.request(
                "GET", "/v1/topics/t/records?partition=0&offset=0&timeout_ms=5000")
            result["seconds"] = time.monotonic() - start

        t = threading.Thread(target=poll)
        t.start()
        time.sleep(0.3)
        # The io thread is not blocked by the waiting request.
        self.assertEqual(server.request("GET", "/v1/health")[0], 200)
        server.request("POST", "/v1/topics/t/records", '{"late":1}\n')
        t.join(10)
        status, body = result["answer"]
        self.assertEqual(status, 200)
        self.assertEqual([r["value"] for r in body["records"]], [{"late": 1}])
        self.assertLess(result["seconds"], 4)
        # Nothing arrives: the answer comes after timeout_ms, empty.
        start = time.monotonic()
        status, body = server.request("GET", "/v1/topics/t/records?offset=1&timeout_ms=300")
        self.assertGreaterEqual(time.monotonic() - start, 0.25)
        self.assertEqual(body["records"], [])

        # SIGTERM answers a long poll at once and exits 0.
        def long_poll():
            result["late"] = server.request("GET", "/v1/topics/t/records?offset=1&timeout_ms=20000")

        t = threading.Thread(target=long_poll)
        t.start()
        time.sleep(0.3)
        start = time.monotonic()
        self.assertEqual(server.stop(), 0)
        t.join(10)
        self.assertLess(time.monotonic() - start, 5)
        self.assertEqual(result["late"][1]["records"], [])

    def test_sigterm_then_restart_keeps_the_data(self):
        server = self.start_server()
        info_path = os.path.join(self.data_dir, "server.json")
        with open(info_path) as f:
            info = json.load(f)
        self.assertEqual(info["pid"], server.proc.pid)
        self.assertEqual(info["http"], "%s:%d" % server.addresses["http"])
        self.kappa("topic", "create", "t", "--partitions", "2")
        self.kappa("produce", "t", input=lines_of({"i": i} for i in range(100)))
        self.assertEqual(server.stop(signal.SIGTERM), 0)
        self.assertFalse(os.path.exists(info_path))
        # No server: the CLI opens the data dir itself.
        self.assertEqual(len(self.consume("t")), 100)
        server = self.start_server()
        self.assertEqual(len(self.consume("t")), 100)
        status, body = server.request("GET", "/v1/topics/t/records?max=1000")
        self.assertEqual(len(body["records"]), 100)
        self.assertEqual(server.stop(signal.SIGINT), 0)

    def test_stale_server_json_after_sigkill_is_ignored(self):
        server = self.start_server()
        self.kappa("topic", "create", "t")
        self.kappa("produce", "t", input='{"a":1}\n')
        self.assertEqual(server.stop(signal.SIGKILL), -signal.SIGKILL)
        self.assertTrue(os.path.exists(os.path.join(self.data_dir, "server.json")))
        # The lock died with the server: the CLI opens the data dir itself.
        self.assertEqual(self.consume("t"), ['{"a":1}'])
        server = self.start_server()
        self.assertEqual(self.consume("t"), ['{"a":1}'])
        with open(os.path.join(self.data_dir, "server.json")) as f:
            self.assertEqual(json.load(f)["pid"], server.proc.pid)
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
