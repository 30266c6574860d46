"""Real Kafka clients against `kappa server`: kcat (metadata, produce,
consume from the beginning, compressed batches, offsets by timestamp),
librdkafka's idempotent producer, python3-kafka's producer and group
consumer, and a topic created through CreateTopics."""

import json
import unittest
import urllib.request

from kafka_testlib import KafkaTestCase, delivered, records


class KafkaClientsTest(KafkaTestCase):
    def setUp(self):
        super().setUp()
        self.start_server()

    def test_kcat_metadata_produce_consume(self):
        self.assertIn("broker 0 at " + self.broker, self.kcat("-L").stdout)
        lines = "".join(f"line {i}\n" for i in range(100))
        self.kcat("-P", "-t", "events", input=lines)
        meta = self.kcat("-L", "-t", "events", "-J").stdout
        topics = json.loads(meta)["topics"]
        self.assertEqual([t["topic"] for t in topics], ["events"])
        self.assertEqual(topics[0]["partitions"][0]["leader"], 0)
        out = self.kcat("-C", "-t", "events", "-e", "-f", "%o %s\n").stdout.splitlines()
        self.assertEqual(out, [f"{i} line {i}" for i in range(100)])
        with urllib.request.urlopen(f"http://{self.http}/metrics", timeout=10) as r:
            metrics = r.read().decode()
        for line in ('kappa_kafka_records_in_total{topic="events"} 100',
                     'kappa_kafka_records_out_total{topic="events"} 100',
                     'kappa_partition_end_offset{topic="events",partition="0"} 100',
                     'kappa_kafka_requests_total{api="Produce"}',
                     'kappa_kafka_request_seconds_bucket{api="Fetch"',
                     'kappa_kafka_connections ',
                     'kappa_log_fsync_seconds_count'):
            self.assertIn(line, metrics)

    def test_kcat_group_consumer_as_the_readme_shows(self):
        # README: `kcat -G my-group -X auto.offset.reset=earliest events`. A
        # new group reads from the beginning; the next run of the group
        # resumes after the offsets the first one committed.
        def group_run():
            return self.kcat("-G", "my-group", "-X", "auto.offset.reset=earliest", "-e",
                             "-f", "%o %s\n", "events").stdout.splitlines()
        self.kcat("-P", "-t", "events", input="a\nb\n")
        self.assertEqual(group_run(), ["0 a", "1 b"])
        self.kcat("-P", "-t", "events", input="c\n")
        self.assertEqual(group_run(), ["2 c"])

    def test_kcat_compressed_batches(self):
        for codec in ("gzip", "snappy", "lz4", "zstd"):
            self.kcat("-P", "-t", "z", "-z", codec, input=f"{codec} a\n{codec} b\n")
        out = self.kcat("-C", "-t", "z", "-e", "-f", "%s\n").stdout.splitlines()
        self.assertEqual(out, [f"{c} {x}" for c in ("gzip", "snappy", "lz4", "zstd")
                               for x in "ab"])

    def test_kcat_offsets_for_times(self):
        self.kcat("-P", "-t", "ts", input="a\nb\n")
        out = self.kcat("-Q", "-t", "ts:0:0").stdout
        self.assertIn("offset 0", out)
        out = self.kcat("-Q", "-t", "ts:0:-1").stdout
        self.assertIn("offset 2", out)

    def test_no_auto_create_topics(self):
        self.assertEqual(self.stop_server(), 0)
        self.start_server("--no-auto-create-topics")
        meta = json.loads(self.kcat("-L", "-t", "nope", "-J").stdout)
        self.assertEqual(meta["topics"][0]["error"], "Broker: Unknown topic or partition")
        proc = self.run_tool(["kcat", "-b", self.broker, "-P", "-t", "nope",
                              "-X", "message.timeout.ms=1500"], input="x\n", ok=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(json.loads(self.kcat("-L", "-J").stdout)["topics"], [])

    def test_rdkafka_idempotent_producer(self):
        out = self.rdkafka("produce", "--topic", "idem", "--count", 3000, "--idempotent",
                           "--key-prefix", "k").stdout
        acked = delivered(out)
        self.assertEqual(len(acked), 3000)
        self.assertEqual(sorted(o for _, _, o in acked), list(range(3000)))
        got = records(self.rdkafka("consume", "--topic", "idem", "--group", "g1",
                                   "--max", 3000, "--idle-ms", 5000).stdout)
        self.assertEqual(sorted(int(v) for _, _, _, v in got), list(range(3000)))

    def test_python_kafka_producer_and_group_consumer(self):
        out = self.python_kafka("""
import os
from kafka import KafkaProducer, KafkaConsumer
from kafka.admin import KafkaAdminClient, NewTopic
b = os.environ["BROKER"]
admin = KafkaAdminClient(bootstrap_servers=b)
admin.create_topics([NewTopic("py", num_partitions=3, replication_factor=1)])
admin.close()
p = KafkaProducer(bootstrap_servers=b, acks="all")
for i in range(300):
    p.send("py", key=b"k%d" % i, value=b"v%d" % i)
p.flush()
p.close()
c = KafkaConsumer("py", bootstrap_servers=b, group_id="pyg", auto_offset_reset="earliest",
                  consumer_timeout_ms=4000, session_timeout_ms=6000,
                  heartbeat_interval_ms=500)
vals = sorted(int(m.value[1:]) for m in c)
c.commit()
c.close()
print(len(vals), vals == list(range(300)))
""")
        self.assertEqual(out.split(), ["300", "True"])
        meta = json.loads(self.kcat("-L", "-t", "py", "-J").stdout)
        self.assertEqual(len(meta["topics"][0]["partitions"]), 3)

    def test_python_kafka_list_offsets_and_delete_topics(self):
        # ListOffsets earliest (-2), latest (-1) and by timestamp (v1, as
        # kafka-python sends it), then DeleteTopics: the topic and its records
        # are gone, and a produce creates it afresh from offset 0.
        out = self.python_kafka("""
import os
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient
b = os.environ["BROKER"]
p = KafkaProducer(bootstrap_servers=b, acks="all")
for i in range(5):
    p.send("times", value=b"v%d" % i, partition=0, timestamp_ms=1000 * (i + 1))
p.flush()
tp = TopicPartition("times", 0)
c = KafkaConsumer(bootstrap_servers=b)
print("begin", c.beginning_offsets([tp])[tp], "end", c.end_offsets([tp])[tp])
for ts in (0, 1000, 2500, 5000, 5001):
    found = c.offsets_for_times({tp: ts})[tp]
    print("ts", ts, "->", "none" if found is None else "%d@%d" % (found.offset, found.timestamp))
admin = KafkaAdminClient(bootstrap_servers=b)
admin.delete_topics(["times"])
print("listed", "times" in c.topics())
p.send("times", value=b"again", partition=0).get(timeout=10)
print("end", c.end_offsets([tp])[tp])
c.close()
p.close()
admin.close()
""")
        self.assertEqual(out.splitlines(), [
            "begin 0 end 5",
            "ts 0 -> 0@1000", "ts 1000 -> 0@1000", "ts 2500 -> 2@3000", "ts 5000 -> 4@5000",
            "ts 5001 -> none",
            "listed False",
            "end 1"])
        out = self.kcat("-C", "-t", "times", "-e", "-f", "%o %s\n").stdout.splitlines()
        self.assertEqual(out, ["0 again"])


if __name__ == "__main__":
    unittest.main()
