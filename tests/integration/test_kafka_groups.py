"""Consumer groups with librdkafka against `kappa server`: two members share
a 4-partition topic (both get partitions, every record is consumed exactly
once between them), the survivor takes every partition when the other
leaves (kappa_kafka_group_members in /metrics follows), and committed offsets
survive a server restart."""

import signal
import time
import unittest
import urllib.request

from kafka_testlib import KafkaTestCase, Lines


class KafkaGroupTest(KafkaTestCase):
    def create_topic(self, name, partitions):
        self.python_kafka(f"""
import os
from kafka.admin import KafkaAdminClient, NewTopic
a = KafkaAdminClient(bootstrap_servers=os.environ["BROKER"])
a.create_topics([NewTopic("{name}", num_partitions={partitions}, replication_factor=1)])
a.close()
""")

    def metrics(self):
        with urllib.request.urlopen(f"http://{self.http}/metrics", timeout=10) as r:
            return r.read().decode()

    def consumer(self, group, idle_ms, client_id):
        p = self.start_rdkafka("consume", "--topic", "shared", "--group", group,
                               "--idle-ms", idle_ms, "--session-timeout-ms", 6000,
                               "--client-id", client_id)
        return Lines(p)

    def test_two_members_rebalance_and_restart(self):
        self.start_server()
        self.create_topic("shared", 4)
        a = self.consumer("g", 4000, "a")
        b = self.consumer("g", 60000, "b")

        def balanced():
            la, lb = a.assignments(), b.assignments()
            return la and lb and la[-1] and lb[-1] and la[-1] | lb[-1] == {0, 1, 2, 3} \
                and not la[-1] & lb[-1]
        self.wait_until(balanced, timeout=30, what="both members assigned")
        self.wait_until(lambda: 'kappa_kafka_group_members{group="g"} 2\n' in self.metrics(),
                        timeout=30, what="/metrics counting both members of the group")

        self.rdkafka("produce", "--topic", "shared", "--count", 400, "--idempotent",
                     "--key-prefix", "first-", "--quiet")
        a.join(timeout=60)  # idle for 4 s after the last record: closes, leaves the group
        self.wait_until(lambda: b.assignments()[-1] == {0, 1, 2, 3}, timeout=20,
                        what="the survivor taking every partition")
        self.wait_until(lambda: 'kappa_kafka_group_members{group="g"} 1\n' in self.metrics(),
                        timeout=30, what="/metrics counting one member after the other left")
        self.rdkafka("produce", "--topic", "shared", "--count", 100, "--key-prefix", "second-",
                     "--quiet")
        self.wait_until(lambda: len(a.records()) + len(b.records()) >= 500, timeout=30,
                        what="every record consumed")
        b.proc.send_signal(signal.SIGTERM)
        b.join(timeout=30)

        got = a.records() + b.records()
        self.assertTrue(a.records() and b.records(), "both members consumed records")
        keys = sorted(k for _, _, k, _ in got)
        self.assertEqual(len(keys), len(set(keys)), "a record consumed twice")
        self.assertEqual(set(keys), {f"first-{i}" for i in range(400)} |
                         {f"second-{i}" for i in range(100)})
        self.assertEqual(len({(p, o) for p, o, _, _ in got}), 500)

        # Committed offsets survive a restart: the group resumes after them.
        self.assertEqual(self.stop_server(), 0)
        self.start_server()
        self.rdkafka("produce", "--topic", "shared", "--count", 50, "--key-prefix", "third-",
                     "--quiet")
        c = self.consumer("g", 3000, "c")
        c.join(timeout=60)
        self.assertEqual(sorted(k for _, _, k, _ in c.records()),
                         sorted(f"third-{i}" for i in range(50)))

    def test_sigterm_with_a_consumer_attached_exits_promptly(self):
        self.start_server()
        self.kcat("-P", "-t", "shared", input="a\n")
        c = self.consumer("g2", 60000, "c")
        self.wait_until(lambda: c.records(), timeout=30, what="the consumer reading")
        start = time.monotonic()
        self.assertEqual(self.stop_server(), 0, self.server_log())
        self.assertLess(time.monotonic() - start, 5)  # long polls and group waits end at once


if __name__ == "__main__":
    unittest.main()
