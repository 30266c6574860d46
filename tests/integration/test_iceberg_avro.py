"""Iceberg manifests and manifest lists as an independent reader sees them.

The unit test IcebergExportTest.WritesSampleTable writes a small partitioned
table (appends, position deletes, a replace) into a directory we choose;
Apache Avro's Python library (Debian python3-avro) then reads every manifest
list and manifest of every snapshot, and we check the spec's field ids and
names, the required file metadata, and the values (docs/format/iceberg.md).
"""

import datetime
import json
import os
import subprocess
import tempfile
import unittest
import warnings

try:
    import avro.datafile
    import avro.io
except ImportError:  # pragma: no cover
    avro = None

warnings.filterwarnings("ignore", message="Unknown map")  # Iceberg int-keyed maps: arrays, as intended

BUILD = os.environ.get("KAPPA_BUILD_DIR") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "build")
TESTS_BIN = os.path.join(BUILD, "tests", "kappa_table_tests")

MANIFEST_FILE_IDS = {
    "manifest_path": 500, "manifest_length": 501, "partition_spec_id": 502, "content": 517,
    "sequence_number": 515, "min_sequence_number": 516, "added_snapshot_id": 503,
    "added_files_count": 504, "existing_files_count": 505, "deleted_files_count": 506,
    "added_rows_count": 512, "existing_rows_count": 513, "deleted_rows_count": 514,
    "partitions": 507, "key_metadata": 519,
}
ENTRY_IDS = {"status": 0, "snapshot_id": 1, "sequence_number": 3, "file_sequence_number": 4, "data_file": 2}
DATA_FILE_IDS = {
    "content": 134, "file_path": 100, "file_format": 101, "partition": 102, "record_count": 103,
    "file_size_in_bytes": 104, "column_sizes": 108, "value_counts": 109, "null_value_counts": 110,
    "nan_value_counts": 137, "lower_bounds": 125, "upper_bounds": 128, "key_metadata": 131,
    "split_offsets": 132, "equality_ids": 135, "sort_order_id": 140, "referenced_data_file": 143,
}
MAP_RECORDS = {"column_sizes": "k117_v118", "value_counts": "k119_v120", "null_value_counts": "k121_v122",
               "nan_value_counts": "k138_v139", "lower_bounds": "k126_v127", "upper_bounds": "k129_v130"}


def read_avro(path):
    with open(path, "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        meta = {k: v.decode() for k, v in reader.meta.items()}
        records = list(reader)
        reader.close()
    return json.loads(meta["avro.schema"]), meta, records


def non_null(t):
    if isinstance(t, list):
        return [b for b in t if b != "null"][0]
    return t


def field_ids(record_schema):
    return {f["name"]: f.get("field-id") for f in record_schema["fields"]}


@unittest.skipIf(avro is None, "python3-avro is not installed (scripts/setup.sh installs it)")
@unittest.skipUnless(os.path.exists(TESTS_BIN), "kappa_table_tests is not built")
class IcebergAvroTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="kappa-iceberg-avro-")
        cls.location = os.path.join(cls.tmp.name, "warehouse", "default", "events")
        env = dict(os.environ, KAPPA_ICEBERG_EXPORT=cls.location)
        subprocess.run([TESTS_BIN, "--gtest_filter=IcebergExportTest.*"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        meta_dir = os.path.join(cls.location, "metadata")
        with open(os.path.join(meta_dir, "version-hint.text")) as f:
            cls.version = int(f.read())
        with open(os.path.join(meta_dir, "v%d.metadata.json" % cls.version)) as f:
            cls.metadata = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_metadata_required_fields(self):
        m = self.metadata
        for key in ("format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms",
                    "last-column-id", "schemas", "current-schema-id", "partition-specs", "default-spec-id",
                    "last-partition-id", "sort-orders", "default-sort-order-id", "current-snapshot-id",
                    "snapshots", "snapshot-log", "metadata-log", "refs"):
            self.assertIn(key, m)
        self.assertEqual(m["format-version"], 2)
        self.assertEqual(m["refs"]["main"]["snapshot-id"], m["current-snapshot-id"])
        self.assertEqual(len(m["snapshots"]), 3)
        self.assertEqual([s["sequence-number"] for s in m["snapshots"]], [1, 2, 3])
        self.assertEqual(m["snapshots"][1]["summary"]["kappa.epoch"], "2")
        self.assertEqual(m["snapshots"][2]["summary"]["operation"], "replace")
        for s in m["snapshots"]:
            self.assertLess(s["snapshot-id"], 2 ** 53)
            self.assertGreater(s["snapshot-id"], 0)

    def test_manifest_lists(self):
        for snap in self.metadata["snapshots"]:
            schema, meta, records = read_avro(snap["manifest-list"])
            self.assertEqual(schema["name"], "manifest_file")
            self.assertEqual(field_ids(schema), MANIFEST_FILE_IDS)
            parts = non_null(next(f["type"] for f in schema["fields"] if f["name"] == "partitions"))
            self.assertEqual(parts["element-id"], 508)
            self.assertEqual(parts["items"]["name"], "r508")
            self.assertEqual(field_ids(parts["items"]),
                             {"contains_null": 509, "contains_nan": 518, "lower_bound": 510, "upper_bound": 511})
            self.assertEqual(meta["format-version"], "2")
            self.assertEqual(meta["snapshot-id"], str(snap["snapshot-id"]))
            self.assertIn(meta["avro.codec"], ("null", "deflate"))
            for r in records:
                self.assertEqual(r["manifest_length"], os.path.getsize(r["manifest_path"]))
                self.assertLessEqual(r["min_sequence_number"], r["sequence_number"])

    def test_manifests(self):
        current = self.metadata["snapshots"][-1]
        _, _, manifests = read_avro(current["manifest-list"])
        seen = {}
        for mf in manifests:
            schema, meta, entries = read_avro(mf["manifest_path"])
            self.assertEqual(schema["name"], "manifest_entry")
            self.assertEqual(field_ids(schema), ENTRY_IDS)
            data_file = next(f["type"] for f in schema["fields"] if f["name"] == "data_file")
            self.assertEqual(data_file["name"], "r2")
            self.assertEqual(field_ids(data_file), DATA_FILE_IDS)
            types = {f["name"]: f["type"] for f in data_file["fields"]}
            self.assertEqual(types["partition"]["name"], "r102")
            self.assertEqual(field_ids(types["partition"]), {"ts_day": 1000})
            for name, record in MAP_RECORDS.items():
                array = non_null(types[name])
                self.assertEqual(array["logicalType"], "map")
                self.assertEqual(array["items"]["name"], record)
            for key in ("schema", "schema-id", "partition-spec", "partition-spec-id", "format-version", "content"):
                self.assertIn(key, meta)
            self.assertEqual(meta["format-version"], "2")
            self.assertEqual(meta["content"], "data" if mf["content"] == 0 else "deletes")
            self.assertEqual(json.loads(meta["partition-spec"])[0]["field-id"], 1000)
            self.assertEqual(json.loads(meta["schema"])["fields"][0]["id"], 1)
            for e in entries:
                if e["status"] == 1:  # ADDED: inherited from the manifest list
                    self.assertIsNone(e["snapshot_id"])
                    self.assertIsNone(e["sequence_number"])
                else:
                    self.assertIsNotNone(e["sequence_number"])
                df = e["data_file"]
                seen[os.path.basename(df["file_path"])] = (e["status"], df)
        self.assertEqual(seen["b.parquet"][0], 2)    # deleted by the replace
        self.assertEqual(seen["b2.parquet"][0], 1)   # added by it
        self.assertEqual(seen["a.parquet"][0], 0)    # existing
        a = seen["a.parquet"][1]
        self.assertEqual(a["file_format"], "PARQUET")
        self.assertEqual(a["record_count"], 10)
        day = a["partition"]["ts_day"]  # the library turns logicalType date into a date
        self.assertEqual(day if isinstance(day, int) else (day - datetime.date(1970, 1, 1)).days, 19783)
        bounds = {kv["key"]: kv["value"] for kv in a["lower_bounds"]}
        self.assertEqual(bounds[1], (1).to_bytes(8, "little"))
        self.assertEqual(bounds[2], b"alice")
        self.assertEqual(bounds[4], (-1250).to_bytes(2, "big", signed=True))
        deletes = seen["a-deletes.parquet"][1]
        self.assertEqual(deletes["content"], 1)
        paths = {kv["key"]: kv["value"] for kv in deletes["lower_bounds"]}
        self.assertEqual(paths[2147483546].decode(), a["file_path"])


if __name__ == "__main__":
    unittest.main()
