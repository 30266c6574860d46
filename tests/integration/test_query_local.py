#!/usr/bin/python3
"""`kappa sql` / `kappa query` without a server: the same engine runs the
statement in the CLI's process over the data dir's log and warehouse."""

import json
import unittest

import kappa_testlib

DDL = ("CREATE TABLE p (a INT, b STRING, ts TIMESTAMP(3)) "
       "WITH ('connector' = 'kafka', 'topic' = 'p', 'format' = 'json'); ")


class LocalQueryTest(kappa_testlib.KappaTestCase):
    def setUp(self):
        super().setUp()
        self.env.pop("KAPPA_SERVER", None)
        self.kappa("topic", "create", "p", "--partitions", "2")
        rows = [{"a": i, "b": "xy"[i % 2], "ts": f"2024-01-01 00:0{i}:00"} for i in range(6)]
        self.kappa("produce", "p", input="".join(json.dumps(r) + "\n" for r in rows))

    def test_formats(self):
        sql = DDL + "SELECT b, SUM(a) AS s, COUNT(*) AS n FROM p GROUP BY b ORDER BY b"
        body = json.loads(self.kappa("sql", sql, "--format", "json").stdout)
        self.assertEqual([c["name"] for c in body["columns"]], ["b", "s", "n"])
        self.assertEqual(body["rows"], [["x", 6, 3], ["y", 9, 3]])
        csv = self.kappa("query", sql, "--format", "csv").stdout.splitlines()
        self.assertEqual(csv, ["b,s,n", "x,6,3", "y,9,3"])
        table = self.kappa("sql", sql).stdout
        self.assertIn("(2 rows)", table)

    def test_windows_and_errors(self):
        sql = (DDL + "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE p, DESCRIPTOR(ts), "
               "INTERVAL '2' MINUTE)) GROUP BY window_start, window_end ORDER BY window_start")
        body = json.loads(self.kappa("sql", sql, "--format", "json").stdout)
        self.assertEqual(body["rows"], [["2024-01-01 00:00:00.000", 2], ["2024-01-01 00:02:00.000", 2],
                                        ["2024-01-01 00:04:00.000", 2]])
        proc = self.kappa("sql", "SELECT x FROM nope", ok=False)
        self.assert_error(proc, "table 'nope' not found")
        self.assertIn("^", proc.stderr)
        # The data dir is free again: a server can start on it.
        server = self.start_server()
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
