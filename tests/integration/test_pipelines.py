#!/usr/bin/python3
"""Running pipelines in `kappa server` (issue 4, "Running it"): deploy, list,
status (text and JSON), bad SQL refused with a caret before anything is
written, /metrics, stop and start, and deployed pipelines surviving a
restart of the server."""

import json
import unittest
import urllib.request

import kappa_testlib

PIPELINE = """
CREATE TABLE clicks (
  page STRING, user_id BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'clicks', 'format' = 'json');
CREATE TABLE page_views (
  page STRING, views BIGINT, PRIMARY KEY (page) NOT ENFORCED
) WITH ('connector' = 'kafka', 'topic' = 'page_views', 'format' = 'json');
INSERT INTO page_views SELECT page, COUNT(*) FROM clicks GROUP BY page;
"""


class PipelinesTest(kappa_testlib.KappaTestCase):

    def start(self):
        server = self.start_server()
        self.env["KAPPA_SERVER"] = server.http_url
        return server

    def produce(self, *pages):
        lines = "".join(json.dumps({"page": p, "user_id": i, "ts": "2024-01-01 00:00:%02d" % i}) + "\n"
                        for i, p in enumerate(pages))
        self.kappa("produce", "clicks", input=lines)

    def wait_idle(self, name="views"):
        def idle():
            st = self.kappa_json("pipeline", "status", name, "--json")
            return all(v.get("idle") for v in st["versions"] if v.get("state") == "running")
        self.wait_until(idle, timeout=60, what=f"{name} idle")

    def views(self):
        latest = {}
        for r in self.consume_meta("page_views", "--from", "earliest"):
            key = json.loads(r["key"])["page"]
            latest[key] = json.loads(r["value"])["views"] if r["value"] is not None else None
        return {k: v for k, v in latest.items() if v is not None}

    def test_deploy_status_metrics_restart(self):
        server = self.start()
        self.kappa("topic", "create", "clicks", "--partitions", "2")
        self.write("views.sql", PIPELINE)
        out = self.kappa("pipeline", "deploy", "views", self.path("views.sql")).stdout
        self.assertIn("deployed views v1", out)
        self.produce("home", "home", "about")
        self.wait_idle()
        self.assertEqual(self.views(), {"home": 2, "about": 1})

        listing = self.kappa_json("pipeline", "list", "--json")
        self.assertEqual([p["name"] for p in listing], ["views"])
        st = self.kappa_json("pipeline", "status", "views", "--json")
        v1 = st["versions"][0]
        self.assertEqual(v1["version"], 1)
        self.assertEqual(v1["state"], "running")
        self.assertEqual(v1["records_in"], 3)
        self.assertEqual(v1["late_records"], 0)
        self.assertEqual(v1["malformed_records"], 0)
        self.assertGreaterEqual(v1["last_checkpoint"]["epoch"], 1)
        self.assertEqual(sorted((p["topic"], p["partition"]) for p in v1["partitions"]),
                         [("clicks", 0), ("clicks", 1)])
        self.assertEqual(sum(p["lag"] for p in v1["partitions"]), 0)
        text = self.kappa("pipeline", "status", "views").stdout
        self.assertIn("v1 (promoted)", text)
        self.assertIn("running", text)

        def metric_lines():
            with urllib.request.urlopen(server.http_url + "/metrics", timeout=10) as r:
                return r.read().decode()
        self.wait_until(lambda: 'kappa_pipeline_records_in{pipeline="views",version="1"} 3'
                        in metric_lines(), timeout=10, what="pipeline metrics")
        metrics = metric_lines()
        self.assertIn('kappa_pipeline_lag_records{pipeline="views",version="1"} 0', metrics)
        self.assertIn("kappa_pipeline_checkpoint_duration_seconds_count", metrics)

        # Stop and start again: it resumes from its checkpoint.
        self.kappa("pipeline", "stop", "views")
        self.assertEqual(self.kappa_json("pipeline", "status", "views", "--json")
                         ["versions"][0]["state"], "stopped")
        self.produce("home")
        self.kappa("pipeline", "start", "views", "1")
        self.wait_idle()
        self.assertEqual(self.views(), {"home": 3, "about": 1})

        # A restart of the server starts deployed pipelines again.
        self.assertEqual(server.stop(), 0)
        server = self.start()
        self.produce("about")
        self.wait_idle()
        self.assertEqual(self.views(), {"home": 3, "about": 2})
        self.assertEqual(server.stop(), 0)

    def test_bad_sql_is_refused_with_a_caret(self):
        self.start()
        self.write("bad.sql", "CREATE TABLE t (a BIGINT) WITH ('connector' = 'kafka', 'topic' = 't');\n"
                              "INSERT INTO t SELECT a FROM nowhere;\n")
        proc = self.kappa("pipeline", "deploy", "bad", self.path("bad.sql"), ok=False)
        self.assertIn("nowhere", proc.stderr)
        self.assertIn("line 2", proc.stderr)
        self.assertIn("^", proc.stderr)
        # Nothing was written: the name is still free.
        self.assertEqual(self.kappa_json("pipeline", "list", "--json"), [])
        self.kappa("pipeline", "status", "bad", ok=False)

    def test_unsupported_feature_is_refused_by_name(self):
        self.start()
        self.write("ext.sql", """
CREATE TABLE a (x BIGINT) WITH ('connector' = 'kafka', 'topic' = 'a', 'format' = 'json',
  'properties.bootstrap.servers' = '127.0.0.1:1');
CREATE TABLE b (x BIGINT) WITH ('connector' = 'kafka', 'topic' = 'b', 'format' = 'json');
INSERT INTO b SELECT x FROM a;
""")
        proc = self.kappa("pipeline", "deploy", "ext", self.path("ext.sql"), ok=False)
        self.assertIn("properties.bootstrap.servers", proc.stderr)


if __name__ == "__main__":
    unittest.main()
