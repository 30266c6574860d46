"""SIGKILL while librdkafka producers with acks=all are running: after a
restart every record that was acknowledged is stored at the offset the
broker reported, with its value."""

import signal
import time
import unittest

from kafka_testlib import KafkaTestCase, delivered


class KafkaCrashTest(KafkaTestCase):
    def stored(self, topic):
        out = self.kcat("-C", "-t", topic, "-e", "-f", "%p %o %s\n").stdout
        result = {}
        for line in out.splitlines():
            p, o, v = line.split(" ", 2)
            result[(int(p), int(o))] = v
        return result

    def test_acknowledged_records_survive_sigkill(self):
        self.start_server()
        self.python_kafka("""
import os
from kafka.admin import KafkaAdminClient, NewTopic
a = KafkaAdminClient(bootstrap_servers=os.environ["BROKER"])
a.create_topics([NewTopic("crash3", num_partitions=3, replication_factor=1)])
a.close()
""")
        acked = {"crash1": [], "crash3": []}
        for round_ in range(2):
            producers = {
                topic: self.start_rdkafka("produce", "--topic", topic, "--count", 1000000,
                                          "--rate", 20000, "--acks", "all", "--idempotent",
                                          "--key-prefix", f"r{round_}-")
                for topic in acked}
            time.sleep(1.5)
            self.server.send_signal(signal.SIGKILL)
            self.server.wait()
            time.sleep(0.3)
            for topic, p in producers.items():
                p.send_signal(signal.SIGTERM)
                out, _ = p.communicate(timeout=30)
                got = delivered(out)
                self.assertGreater(len(got), 100, f"{topic}: too few acknowledged records")
                acked[topic] += got
            self.start_server()
        for topic, records in acked.items():
            stored = self.stored(topic)
            missing = [(v, p, o) for v, p, o in records if stored.get((p, o)) != v]
            self.assertEqual(missing[:5], [], f"{topic}: {len(missing)} acknowledged records lost")


if __name__ == "__main__":
    unittest.main()
