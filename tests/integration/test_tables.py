"""`kappa table list|describe|history|diff`, the /v1/tables API and the
Iceberg REST catalog under /iceberg, against tables written into the
warehouse by kappa_table_tool (the engine's Iceberg sink, one snapshot per
commit). The same commands run with no server (reading the data dir) and
through a running `kappa server`, and must print the same JSON. One test
runs issue 6's loop with real pipelines: v2 beside v1, diff, promote.
"""

import json
import os
import subprocess
import unittest
import urllib.error
import urllib.request

from kappa_testlib import ROOT, KappaTestCase

BUILD = os.environ.get("KAPPA_BUILD_DIR") or os.path.join(ROOT, "build")
TOOL = os.path.join(BUILD, "kappa_table_tool")

COLUMNS = [["id", "long"], ["name", "string"], ["amount", "decimal(10, 2)"]]

# v1 ends as {1: 10.00, 2: 40.00} (id 2 updated, id 3 deleted); v2 is {1: 10.00, 2: 20.00, 4: 5.50}.
SPEC = {
    "tables": [
        {"name": "revenue__v1", "columns": COLUMNS, "key": ["id"], "pipeline": "revenue",
         "commits": [{"rows": [[1, "a", "10.00"], [2, "b", "20.00"], [3, "c", "30.00"]]},
                     {"rows": [[2, "b", "40.00"]], "deletes": [[3, None, None]]}]},
        {"name": "revenue__v2", "columns": COLUMNS, "key": ["id"], "pipeline": "revenue",
         "commits": [{"rows": [[1, "a", "10.00"], [2, "b", "20.00"], [4, "d", "5.50"]]}]},
        {"name": "events", "columns": [["kind", "string"], ["n", "int"]],
         "commits": [{"rows": [["x", 1], ["x", 1], ["y", 2]]}]},
    ],
    "aliases": {"revenue": "revenue__v1"},
}


PAYMENTS = "".join(json.dumps(p) + "\n" for p in [
    {"id": 1, "user_id": 7, "amount": 10.00, "kind": "payment"},
    {"id": 2, "user_id": 7, "amount": 4.00, "kind": "refund"},
    {"id": 3, "user_id": 8, "amount": 5.00, "kind": "payment"},
])

REVENUE_SQL = """
CREATE TABLE payments (
  id BIGINT, user_id BIGINT, amount DECIMAL(18, 2), kind STRING
) WITH ('connector' = 'kafka', 'topic' = 'payments', 'format' = 'json');
CREATE TABLE revenue_per_user (
  user_id BIGINT, revenue DECIMAL(38, 2),
  PRIMARY KEY (user_id) NOT ENFORCED
);
INSERT INTO revenue_per_user
SELECT user_id, {total} FROM payments GROUP BY user_id;
"""


class TablesTest(KappaTestCase):
    def setUp(self):
        super().setUp()
        os.makedirs(self.data_dir)
        proc = subprocess.run([TOOL, os.path.join(self.data_dir, "warehouse")], input=json.dumps(SPEC),
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.snapshots = [line.split() for line in proc.stdout.splitlines()]
        self.assertEqual(len(self.snapshots), 4)

    # ---- the commands, without a server ----

    def test_list_shows_tables_with_their_aliases(self):
        listing = self.kappa_json("table", "list", "--json")
        self.assertEqual(listing["namespaces"], ["default"])
        self.assertEqual(listing["aliases"], [{"name": "default.revenue", "target": "default.revenue__v1"}])
        by_name = {t["name"]: t for t in listing["tables"]}
        self.assertEqual(sorted(by_name), ["default.events", "default.revenue__v1", "default.revenue__v2"])
        self.assertEqual(by_name["default.revenue__v1"]["aliases"], ["default.revenue"])
        self.assertEqual(by_name["default.revenue__v1"]["rows"], 2)
        self.assertEqual(by_name["default.revenue__v1"]["snapshots"], 2)
        text = self.kappa("table", "list").stdout.splitlines()
        self.assertEqual(text[0].split(), ["TABLE", "ALIASES", "SNAPSHOTS", "ROWS", "SIZE", "UPDATED"])
        v1 = next(line for line in text if line.startswith("default.revenue__v1"))
        self.assertEqual(v1.split()[1:4], ["default.revenue", "2", "2"])

    def test_describe_follows_the_alias(self):
        t = self.kappa_json("table", "describe", "revenue", "--json")
        self.assertEqual(t["name"], "revenue")
        self.assertEqual(t["table"], "default.revenue__v1")
        self.assertEqual(t["primary_key"], ["id"])
        self.assertEqual([(f["id"], f["name"], f["type"]) for f in t["schema"]["fields"]],
                         [(1, "id", "BIGINT"), (2, "name", "STRING"), (3, "amount", "DECIMAL(10, 2)")])
        self.assertEqual(t["current_snapshot_id"], int(self.snapshots[1][1]))
        self.assertEqual((t["data_files"], t["delete_files"], t["records"], t["rows"]), (2, 1, 4, 2))
        self.assertTrue(os.path.exists(t["metadata_file"]))
        text = self.kappa("table", "describe", "revenue").stdout
        self.assertIn("default.revenue__v1 (resolved from revenue)", text)
        self.assertIn("Primary key:       id", text)
        self.assertIn("Rows:              2 (4 records, 2 position deletes)", text)
        self.assertRegex(text, r"\n1\s+id\s+BIGINT\s+long\s+yes\n")

    def test_history_shows_each_commit(self):
        h = self.kappa_json("table", "history", "revenue__v1", "--json")
        entries = h["snapshots"]
        self.assertEqual([e["snapshot_id"] for e in entries], [int(s[1]) for s in self.snapshots[:2]])
        self.assertEqual([e["operation"] for e in entries], ["append", "overwrite"])
        self.assertEqual([(e["pipeline"], e["version"], e["epoch"]) for e in entries],
                         [("revenue", "1", "1"), ("revenue", "1", "2")])
        self.assertEqual([(e["added_rows"], e["deleted_rows"]) for e in entries], [(3, 0), (1, 2)])
        self.assertEqual([e["current"] for e in entries], [False, True])
        self.assertEqual(entries[1]["parent_snapshot_id"], entries[0]["snapshot_id"])
        lines = self.kappa("table", "history", "revenue").stdout.splitlines()
        self.assertEqual(lines[0].split()[:4], ["SNAPSHOT", "PARENT", "TIME", "OPERATION"])
        self.assertTrue(lines[2].startswith(f"{entries[1]['snapshot_id']} *"), lines)

    def test_diff_by_primary_key(self):
        d = self.kappa_json("table", "diff", "revenue", "revenue__v2", "--json")
        self.assertEqual(d["key"], ["id"])
        self.assertEqual(d["key_source"], "primary key")
        self.assertEqual(d["counts"], {"only_in_a": 0, "only_in_b": 1, "changed": 1, "same": 1})
        self.assertEqual(d["samples"]["only_in_b"], [[4, "d", "5.50"]])
        self.assertEqual(d["samples"]["changed"],
                         [{"a": [2, "b", "40.00"], "b": [2, "b", "20.00"], "changed_columns": ["amount"]}])
        text = self.kappa("table", "diff", "revenue", "revenue__v2").stdout
        self.assertIn("Key: id (primary key)", text)
        self.assertIn("only in A: 0   only in B: 1   changed: 1   same: 1", text)
        self.assertRegex(text, r"\n2\s+b\s+40\.00 -> 20\.00\n")

    def test_diff_with_a_key_and_a_sample(self):
        d = self.kappa_json("table", "diff", "revenue__v1", "revenue__v2", "--key", "name", "--sample", "0",
                            "--json")
        self.assertEqual(d["key_source"], "given")
        self.assertEqual(d["counts"]["changed"], 1)
        self.assertEqual(d["samples"]["changed"], [])
        whole = self.kappa_json("table", "diff", "events", "events", "--json")
        self.assertEqual(whole["key_source"], "whole row")
        self.assertEqual(whole["counts"], {"only_in_a": 0, "only_in_b": 0, "changed": 0, "same": 3})

    def test_bad_input_is_one_clear_error(self):
        self.assert_error(self.kappa("table", "describe", "nope", ok=False), "no table or alias named default.nope")
        self.assert_error(self.kappa("table", "history", "bad-name", ok=False), "bad-name")
        self.assert_error(self.kappa("table", "diff", "revenue", "nope", ok=False), "nope")
        self.assert_error(self.kappa("table", "diff", "revenue", "events", "--key", "id", ok=False),
                          "key column id is not a column of events")
        missing = self.kappa("--data-dir", self.path("absent"), "table", "list", ok=False)
        self.assert_error(missing, "does not exist")

    # ---- through a server ----

    def test_server_answers_as_the_data_dir_does(self):
        commands = [("table", "list", "--json"), ("table", "describe", "revenue", "--json"),
                    ("table", "history", "revenue", "--json"),
                    ("table", "diff", "revenue", "revenue__v2", "--json")]
        offline = [self.kappa_json(*c) for c in commands]
        server = self.start_server()
        online = [self.kappa_json(*c) for c in commands]
        self.assertEqual(online, offline)
        status, body = server.request("GET", "/v1/tables/nope")
        self.assertEqual(status, 404)
        self.assertIn("no table or alias named default.nope", body["error"]["message"])
        status, body = server.request("POST", "/v1/tables/diff", "{bad")
        self.assertEqual(status, 400)
        self.assert_error(self.kappa("table", "describe", "nope", ok=False), "no table or alias named default.nope")
        self.assertEqual(server.stop(), 0)

    def test_iceberg_rest_catalog(self):
        server = self.start_server()
        base = "/iceberg/v1"
        status, config = server.request("GET", base + "/config")
        self.assertEqual(status, 200)
        self.assertEqual((config["defaults"], config["overrides"]), ({}, {}))
        self.assertEqual(server.request("GET", base + "/namespaces"), (200, {"namespaces": [["default"]]}))
        status, ns = server.request("GET", base + "/namespaces/default")
        self.assertEqual((status, ns["namespace"]), (200, ["default"]))
        status, tables = server.request("GET", base + "/namespaces/default/tables")
        self.assertEqual(sorted(i["name"] for i in tables["identifiers"]),
                         ["events", "revenue", "revenue__v1", "revenue__v2"])
        # The alias loads the physical table; the metadata is the committed file.
        status, loaded = server.request("GET", base + "/namespaces/default/tables/revenue")
        self.assertEqual(status, 200)
        location = loaded["metadata-location"]
        self.assertIn("/warehouse/default/revenue__v1/metadata/", location)
        with open(location) as f:
            on_disk = json.load(f)
        self.assertEqual(loaded["metadata"]["table-uuid"], on_disk["table-uuid"])
        self.assertEqual(loaded["metadata"]["current-snapshot-id"], on_disk["current-snapshot-id"])
        self.assertEqual(loaded["metadata"]["format-version"], 2)
        self.assertEqual(loaded["config"], {})
        for path, want in [("/namespaces/default", 204), ("/namespaces/nope", 404),
                           ("/namespaces/default/tables/revenue", 204), ("/namespaces/default/tables/nope", 404)]:
            self.assertEqual(self.head(server.http_url + base + path), want, path)
        status, err = server.request("GET", base + "/namespaces/default/tables/nope")
        self.assertEqual((status, err["error"]["type"], err["error"]["code"]), (404, "NoSuchTableException", 404))
        status, err = server.request("GET", base + "/namespaces/nope/tables")
        self.assertEqual((status, err["error"]["type"]), (404, "NoSuchNamespaceException"))
        status, err = server.request("POST", base + "/namespaces", '{"namespace": ["x"]}')
        self.assertEqual((status, err["error"]["type"]), (406, "UnsupportedOperationException"))
        self.assertEqual(server.stop(), 0)

    def test_reprocessing_diff_then_promote(self):
        """Issue 6's loop: v1 has a bug, v2 replays the topic into its own table; the diff
        shows what the fix changes; after promote the alias (and the REST catalog) follow."""
        server = self.start_server()
        self.kappa("topic", "create", "payments", "--partitions", "2")
        self.kappa("produce", "payments", "--key-field", "user_id", input=PAYMENTS)
        v1 = self.write("v1.sql", REVENUE_SQL.format(total="SUM(amount)"))
        v2 = self.write("v2.sql", REVENUE_SQL.format(
            total="SUM(CASE WHEN kind = 'refund' THEN -amount ELSE amount END)"))
        self.kappa("pipeline", "deploy", "rev", v1)
        self.kappa("pipeline", "wait", "rev", "1", timeout=120)
        self.kappa("pipeline", "deploy", "rev", v2)
        self.kappa("pipeline", "wait", "rev", "v2", timeout=120)
        d = self.kappa_json("table", "diff", "revenue_per_user", "revenue_per_user__v2", "--json")
        self.assertEqual((d["a"]["table"], d["b"]["table"]),
                         ("default.revenue_per_user__v1", "default.revenue_per_user__v2"))
        self.assertEqual(d["key"], ["user_id"])
        self.assertEqual(d["counts"], {"only_in_a": 0, "only_in_b": 0, "changed": 1, "same": 1})
        self.assertEqual(d["samples"]["changed"],
                         [{"a": [7, "14.00"], "b": [7, "6.00"], "changed_columns": ["revenue"]}])
        history = self.kappa_json("table", "history", "revenue_per_user__v2", "--json")["snapshots"]
        self.assertTrue(history)
        self.assertEqual({(e["pipeline"], e["version"]) for e in history}, {("rev", "2")})
        table_path = "/iceberg/v1/namespaces/default/tables/revenue_per_user"
        self.assertIn("/revenue_per_user__v1/metadata/", server.request("GET", table_path)[1]["metadata-location"])
        self.kappa("pipeline", "promote", "rev", "2")
        self.assertIn("/revenue_per_user__v2/metadata/", server.request("GET", table_path)[1]["metadata-location"])
        self.assertEqual(self.kappa_json("table", "describe", "revenue_per_user", "--json")["table"],
                         "default.revenue_per_user__v2")
        self.assertEqual(server.stop(), 0)

    def head(self, url):
        req = urllib.request.Request(url, method="HEAD")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code


if __name__ == "__main__":
    unittest.main()
