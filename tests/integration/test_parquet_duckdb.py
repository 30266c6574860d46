"""Parquet checked by an independent reader: DuckDB (@duckdb/node-api, from
tests/node_modules) reads the files kappa_parquet_tool writes (values,
parquet_schema() field ids and types, parquet_metadata() statistics and
codecs, the iceberg.schema footer key), and our reader reads the files
DuckDB writes (snappy and zstd) with the same values."""

import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kappa_testlib import KappaTestCase, ROOT  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("KAPPA_BUILD_DIR") or os.path.join(ROOT, "build")
TOOL = os.path.join(BUILD, "kappa_parquet_tool")
DUCKDB_SQL = os.path.join(HERE, "duckdb_sql.mjs")

ALL_TYPES = [  # name, DuckDB type, Parquet physical type, converted type
    ("b", "BOOLEAN", "BOOLEAN", None),
    ("i", "INTEGER", "INT32", None),
    ("l", "BIGINT", "INT64", None),
    ("d", "DOUBLE", "DOUBLE", None),
    ("dec9", "DECIMAL(9,2)", "INT32", "DECIMAL"),
    ("dec18", "DECIMAL(18,4)", "INT64", "DECIMAL"),
    ("dec38", "DECIMAL(38,10)", "FIXED_LEN_BYTE_ARRAY", "DECIMAL"),
    ("s", "VARCHAR", "BYTE_ARRAY", "UTF8"),
    ("dt", "DATE", "INT32", "DATE"),
    ("ts", "TIMESTAMP", "INT64", "TIMESTAMP_MICROS"),
    ("tsz", "TIMESTAMP WITH TIME ZONE", "INT64", "TIMESTAMP_MICROS"),
    ("id", "BIGINT", "INT64", None),
]


def duckdb(*statements):
    proc = subprocess.run(["node", DUCKDB_SQL, *statements], capture_output=True, text=True,
                          timeout=120, cwd=HERE)
    if proc.returncode != 0:
        raise AssertionError(f"duckdb failed: {proc.stderr}")
    return json.loads(proc.stdout)


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def canon_sql(name, duck_type):
    """A DuckDB expression printing column `name` as kappa_parquet_tool does."""
    q = '"' + name + '"'
    t = duck_type.upper()
    if t == "BOOLEAN":
        return q
    if t in ("DOUBLE", "FLOAT"):
        return f"CAST({q} AS DOUBLE)"
    if t == "DATE":
        return f"CAST(({q} - DATE '1970-01-01') AS VARCHAR)"
    if t.startswith("TIMESTAMP"):
        return f"CAST(epoch_ms({q}) AS VARCHAR)"
    if t.startswith("STRUCT"):
        return f"CAST(to_json({q}) AS VARCHAR)"
    return f"CAST({q} AS VARCHAR)"


def normalize(v):
    """Numbers and numeric strings as ints (nested values come back from
    to_json as JSON numbers, from our tool as strings)."""
    if isinstance(v, dict):
        return {k: normalize(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normalize(x) for x in v]
    if isinstance(v, str):
        try:
            return int(v)
        except ValueError:
            return v
    return v


def duckdb_rows(path, order_by="id", exclude=()):
    described = duckdb(f"DESCRIBE SELECT * FROM read_parquet({sql_str(path)})")
    cols = [(d["column_name"], d["column_type"]) for d in described if d["column_name"] not in exclude]
    # Aliases c0, c1, ... so that ORDER BY sees the file's column, not the text.
    select = ", ".join(f"{canon_sql(n, t)} AS c{k}" for k, (n, t) in enumerate(cols))
    rows = duckdb(f"SELECT {select} FROM read_parquet({sql_str(path)}) ORDER BY \"{order_by}\"")
    out = []
    for r in rows:
        row = []
        for k, (n, t) in enumerate(cols):
            v = r[f"c{k}"]
            if t.upper().startswith("STRUCT") and v is not None:
                v = normalize(json.loads(v))
            row.append(v)
        out.append(row)
    return cols, out


def first_difference(a, b):
    """None when the row lists are equal, else a short description (unittest's
    diff of thousands of rows takes minutes)."""
    if len(a) != len(b):
        return f"{len(a)} rows != {len(b)} rows"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"row {i}: {x} != {y}"
    return None


def tool(*args):
    proc = subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise AssertionError(f"kappa_parquet_tool {' '.join(args)}: {proc.stderr}")
    return proc.stdout


def tool_read(path):
    lines = tool("read", path).splitlines()
    return json.loads(lines[0]), [json.loads(l) for l in lines[1:]]


@unittest.skipUnless(shutil.which("node"), "node is not installed (scripts/setup.sh installs it)")
class ParquetDuckDBTest(KappaTestCase):
    def setUp(self):
        super().setUp()
        self.assertTrue(os.path.exists(TOOL), f"{TOOL} not built")
        self.assertTrue(os.path.isdir(os.path.join(ROOT, "tests", "node_modules", "@duckdb", "node-api")),
                        "tests/node_modules missing: run scripts/setup.sh")
        out = tool("write", self.dir)
        self.assertIn("all_snappy rows=5000", out)

    def expected(self, case):
        with open(self.path(case + ".expected.jsonl")) as f:
            return [json.loads(l) for l in f]

    def test_duckdb_reads_every_type(self):
        for case in ("all_snappy", "all_zstd", "all_plain"):
            with self.subTest(case=case):
                path = self.path(case + ".parquet")
                cols, rows = duckdb_rows(path)
                self.assertEqual([(n, t) for n, t in cols], [(n, t) for n, t, _, _ in ALL_TYPES])
                self.assertIsNone(first_difference(rows, self.expected(case)))
                # Our own reader agrees.
                head, ours = tool_read(path)
                self.assertEqual([c["field_id"] for c in head["columns"]], list(range(1, 13)))
                self.assertIsNone(first_difference(ours, self.expected(case)))

    def test_schema_field_ids_and_types(self):
        path = self.path("all_snappy.parquet")
        schema = duckdb("SELECT name, type, type_length::VARCHAR AS type_length, repetition_type, converted_type, "
                        "logical_type, field_id::INTEGER AS field_id "
                        f"FROM parquet_schema({sql_str(path)})")
        root, columns = schema[0], schema[1:]
        self.assertEqual(len(columns), len(ALL_TYPES))
        for i, (col, (name, _, physical, converted)) in enumerate(zip(columns, ALL_TYPES)):
            self.assertEqual(col["name"], name)
            self.assertEqual(col["field_id"], i + 1)
            self.assertEqual(col["type"], physical, name)
            self.assertEqual(col["converted_type"], converted, name)
            self.assertEqual(col["repetition_type"], "REQUIRED" if name == "id" else "OPTIONAL")
        by_name = {c["name"]: c for c in columns}
        self.assertEqual(by_name["dec38"]["type_length"], "16")
        self.assertIn("isAdjustedToUTC=0", by_name["ts"]["logical_type"])
        self.assertIn("isAdjustedToUTC=1", by_name["tsz"]["logical_type"])
        self.assertIn("MICROS", by_name["ts"]["logical_type"])
        self.assertIn("StringType", by_name["s"]["logical_type"])
        kv = duckdb(f"SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata({sql_str(path)})")
        self.assertEqual({r["k"]: r["v"] for r in kv}["iceberg.schema"],
                         '{"type":"struct","schema-id":0,"fields":[]}')

    def test_metadata_statistics_and_codecs(self):
        for case, codec in (("all_snappy", "SNAPPY"), ("all_zstd", "ZSTD"), ("all_plain", "UNCOMPRESSED")):
            path = self.path(case + ".parquet")
            meta = duckdb("SELECT row_group_id::INTEGER AS row_group_id, path_in_schema, stats_min_value, "
                          "stats_max_value, stats_null_count::INTEGER AS stats_null_count, compression, encodings, "
                          "num_values::INTEGER AS num_values "
                          f"FROM parquet_metadata({sql_str(path)}) ORDER BY row_group_id, column_id")
            self.assertEqual(sorted({m["row_group_id"] for m in meta}), [0, 1, 2])
            self.assertEqual({m["compression"] for m in meta}, {codec})
            ours = json.loads(tool("stats", path))
            self.assertEqual([g["rows"] for g in ours], [2000, 2000, 1000])
            for m in meta:
                stats = ours[m["row_group_id"]]["columns"]
                col = next(c for c in stats if c["path"] == [m["path_in_schema"]])
                self.assertEqual(m["num_values"], col["values"])
                self.assertEqual(m["stats_null_count"], col["nulls"], m["path_in_schema"])
                if m["path_in_schema"] in ("i", "l", "id", "s", "dec9", "dec18", "dec38"):
                    self.assertEqual(m["stats_min_value"], col["min"], m["path_in_schema"])
                    self.assertEqual(m["stats_max_value"], col["max"], m["path_in_schema"])
            encodings = {m["path_in_schema"]: m["encodings"] for m in meta if m["row_group_id"] == 0}
            if case == "all_plain":
                self.assertNotIn("RLE_DICTIONARY", encodings["s"])
            else:
                self.assertIn("RLE_DICTIONARY", encodings["s"])

    def test_duckdb_reads_nested_rows(self):
        path = self.path("nested.parquet")
        schema = duckdb(f"SELECT name, field_id::INTEGER AS field_id FROM parquet_schema({sql_str(path)})")
        self.assertEqual([(s["name"], s["field_id"]) for s in schema[1:]],
                         [("id", 1), ("r", 2), ("a", 3), ("inner", 4), ("x", 5), ("y", 6)])
        cols, rows = duckdb_rows(path)
        self.assertEqual(cols[1][1], 'STRUCT(a BIGINT, "inner" STRUCT(x INTEGER, y VARCHAR))')
        expected = [normalize(r) for r in self.expected("nested")]
        self.assertIsNone(first_difference([normalize(r) for r in rows], expected))
        _, ours = tool_read(path)
        self.assertIsNone(first_difference([normalize(r) for r in ours], expected))


DUCKDB_TABLE = """CREATE TABLE t AS SELECT
  i::BIGINT AS id,
  CASE WHEN i % 7 = 3 THEN NULL ELSE i % 2 = 0 END AS b,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 7 - 3000)::INTEGER END AS i32,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 1000003 - 5)::BIGINT END AS l,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i / 4.0 - 3)::DOUBLE END AS d,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i / 3.0)::FLOAT END AS f,
  CASE WHEN i % 7 = 3 THEN NULL ELSE ((i * 101 - 500) / 100)::DECIMAL(9,2) END AS dec9,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 1.5 - 7)::DECIMAL(18,4) END AS dec18,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i::HUGEINT * 100000000000000000 - 3)::DECIMAL(38,10) END AS dec38,
  CASE WHEN i % 7 = 3 THEN NULL ELSE 'str' || (i % 30)::VARCHAR END AS s,
  CASE WHEN i % 7 = 3 THEN NULL ELSE 'unique-' || i::VARCHAR END AS u,
  CASE WHEN i % 7 = 3 THEN NULL ELSE DATE '2020-01-01' + (i % 1000)::INTEGER END AS dt,
  CASE WHEN i % 7 = 3 THEN NULL ELSE TIMESTAMP '2024-01-01 00:00:00' + to_milliseconds(i * 1234) END AS ts,
  CASE WHEN i % 7 = 3 THEN NULL ELSE to_timestamp(i * 1.5) END AS tsz,
  (i % 100)::SMALLINT AS small,
  (i % 50)::TINYINT AS tiny,
  CASE WHEN i % 5 = 0 THEN NULL ELSE {'a': i, 'b': 'x' || i::VARCHAR} END AS st,
  [i, i + 1] AS lst
FROM range(10000) r(i)"""


@unittest.skipUnless(shutil.which("node"), "node is not installed (scripts/setup.sh installs it)")
class DuckDBWritesKappaReads(KappaTestCase):
    def test_kappa_reads_duckdb_files(self):
        self.assertTrue(os.path.exists(TOOL), f"{TOOL} not built")
        snappy, zstd = self.path("duck_snappy.parquet"), self.path("duck_zstd.parquet")
        duckdb(DUCKDB_TABLE,
               f"COPY t TO {sql_str(snappy)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 3000)",
               f"COPY t TO {sql_str(zstd)} (FORMAT parquet, COMPRESSION zstd)",
               "SELECT 1 AS ok")
        for path in (snappy, zstd):
            with self.subTest(path=os.path.basename(path)):
                head, ours = tool_read(path)
                self.assertEqual(head["skipped"], ["lst: LIST/MAP"])
                names = [c["name"] for c in head["columns"]]
                types = {c["name"]: c["type"] for c in head["columns"]}
                self.assertEqual(types["dec38"], "DECIMAL(38, 10)")
                self.assertEqual(types["f"], "DOUBLE")
                self.assertEqual(types["tsz"], "TIMESTAMP_LTZ(3)")
                cols, theirs = duckdb_rows(path, exclude=("lst",))
                self.assertEqual([n for n, _ in cols], names)
                ours = [[normalize(v) if isinstance(v, dict) else v for v in row] for row in ours]
                ours.sort(key=lambda r: int(r[0]))
                self.assertEqual(len(ours), 10000)
                self.assertIsNone(first_difference(ours, theirs))


if __name__ == "__main__":
    unittest.main()
