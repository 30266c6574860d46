#!/usr/bin/python3
"""An upsert serving table read the way any Iceberg v2 reader reads it, with
no Kappa code: the metadata JSON (version-hint.text -> v<N>.metadata.json),
the current snapshot's manifest list and manifests with Apache Avro's Python
library (python3-avro), live data files and position-delete files from the
manifests, then DuckDB (@duckdb/node-api) reading the Parquet files and
applying the position deletes. After many commits, updates, deletes and
compaction, that reader must see exactly the rows the pipeline's SQL
defines, and the same rows `kappa query` returns."""

import json
import os
import random
import subprocess
import unittest

import kappa_testlib

try:
    import avro.datafile
    import avro.io
except ImportError:  # pragma: no cover
    avro = None

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_DIR = os.path.join(os.path.dirname(HERE), "node_modules")

PIPELINE = """
CREATE TABLE events (id BIGINT, k STRING, v INT, deleted BOOLEAN)
WITH ('connector' = 'kafka', 'topic' = 'events', 'format' = 'json');
CREATE TABLE totals (
  k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED
) WITH ('kappa.maintenance.every-commits' = '4', 'kappa.compaction.min-files' = '2');
INSERT INTO totals
SELECT k, COUNT(*), SUM(CAST(v AS BIGINT)) FROM events WHERE NOT deleted GROUP BY k
HAVING SUM(CAST(v AS BIGINT)) <> 0;
"""


def read_avro(path):
    with open(path, "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        try:
            return list(reader)
        finally:
            reader.close()


def duckdb(*statements):
    proc = subprocess.run(["node", os.path.join(HERE, "duckdb_sql.mjs"), *statements],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NODE_PATH=NODE_DIR))
    if proc.returncode != 0:
        raise AssertionError(proc.stderr)
    return json.loads(proc.stdout)


def sql_list(paths):
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


@unittest.skipIf(avro is None, "python3-avro is not installed (scripts/setup.sh installs it)")
class IcebergReadersTest(kappa_testlib.KappaTestCase):

    def live_files(self, table_dir):
        meta_dir = os.path.join(table_dir, "metadata")
        with open(os.path.join(meta_dir, "version-hint.text")) as f:
            version = f.read().strip()
        with open(os.path.join(meta_dir, f"v{version}.metadata.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["format-version"], 2)
        snap = next(s for s in meta["snapshots"] if s["snapshot-id"] == meta["current-snapshot-id"])
        data, deletes = [], []
        for mf in read_avro(snap["manifest-list"]):
            for entry in read_avro(mf["manifest_path"]):
                if entry["status"] == 2:  # DELETED
                    continue
                df = entry["data_file"]
                if df["content"] == 0:
                    data.append(df["file_path"])
                elif df["content"] == 1:
                    deletes.append(df["file_path"])
                else:
                    self.fail(f"equality deletes are not expected: {df['file_path']}")
        return meta, snap, data, deletes

    def external_rows(self, table_dir):
        meta, snap, data, deletes = self.live_files(table_dir)
        self.assertEqual(snap["summary"].get("kappa.pipeline"), "t")
        self.assertEqual(meta["schemas"][-1].get("identifier-field-ids"), [1])
        rows = duckdb(
            f"CREATE TABLE d AS SELECT k, n, s, filename AS f, file_row_number AS pos "
            f"FROM read_parquet({sql_list(data)}, filename = true, file_row_number = true)",
            (f"CREATE TABLE x AS SELECT file_path, pos FROM read_parquet({sql_list(deletes)})"
             if deletes else "CREATE TABLE x (file_path VARCHAR, pos BIGINT)"),
            "SELECT k, n, s FROM d WHERE NOT EXISTS "
            "(SELECT 1 FROM x WHERE x.file_path = d.f AND x.pos = d.pos) ORDER BY k")
        operations = [s["summary"]["operation"] for s in meta["snapshots"]]
        return sorted([r["k"], int(r["n"]), int(r["s"])] for r in rows), len(deletes), operations

    def test_upsert_table_as_an_external_reader_sees_it(self):
        server = self.start_server()
        self.env["KAPPA_SERVER"] = server.http_url
        self.kappa("topic", "create", "events", "--partitions", "2")
        self.write("t.sql", PIPELINE)
        self.kappa("pipeline", "deploy", "t", self.path("t.sql"))
        table_dir = os.path.join(self.data_dir, "warehouse", "default", "totals__v1")
        rng = random.Random(5)
        model = {}
        next_id = 0
        saw_deletes = saw_compaction = False
        for _ in range(12):  # one commit (at least) per round
            lines = []
            for _ in range(rng.randint(5, 30)):
                k = f"k{rng.randint(0, 15)}"
                v = rng.randint(-5, 5)
                deleted = rng.random() < 0.1
                lines.append(json.dumps({"id": next_id, "k": k, "v": v, "deleted": deleted}))
                next_id += 1
                if not deleted:
                    n, s = model.get(k, (0, 0))
                    model[k] = (n + 1, s + v)
            self.kappa("produce", "events", "--key-field", "k", input="\n".join(lines) + "\n")
            self.wait_until(lambda: all(v.get("idle") for v in self.kappa_json(
                "pipeline", "status", "t", "--json")["versions"]), timeout=60, what="idle")
            expected = sorted([k, n, s] for k, (n, s) in model.items() if s != 0)
            external, deletes, operations = self.external_rows(table_dir)
            self.assertEqual(external, expected)
            saw_deletes = saw_deletes or deletes > 0
            saw_compaction = saw_compaction or "replace" in operations
            body = json.loads(self.kappa("query", "SELECT k, n, s FROM totals", "--format",
                                         "json").stdout)
            self.assertEqual(sorted([k, int(n), int(s)] for k, n, s in body["rows"]), expected)
        # The rounds covered position deletes and compaction.
        self.assertTrue(saw_deletes)
        self.assertTrue(saw_compaction)
        server.stop()


if __name__ == "__main__":
    unittest.main()
