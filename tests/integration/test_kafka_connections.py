"""Hundreds of Kafka connections at once: every one is accepted and answered,
each with its own pipelined requests in arrival order."""

import socket
import struct
import unittest

from kafka_testlib import KafkaTestCase, frame, read_frame

API_VERSIONS = 18
CONNECTIONS = 300
PIPELINED = 3


class ManyConnectionsTest(KafkaTestCase):
    def setUp(self):
        super().setUp()
        self.start_server()

    def test_hundreds_of_connections_each_pipelining(self):
        socks = []
        try:
            for _ in range(CONNECTIONS):
                s = socket.create_connection(("127.0.0.1", self.port), timeout=20)
                socks.append(s)
            # Every connection sends its requests before any answer is read.
            for i, s in enumerate(socks):
                s.sendall(b"".join(frame(API_VERSIONS, 0, i * 10 + k) for k in range(PIPELINED)))
            for i, s in enumerate(socks):
                for k in range(PIPELINED):
                    body = read_frame(s)
                    self.assertIsNotNone(body, f"connection {i} closed")
                    cid, error = struct.unpack_from(">ih", body)
                    self.assertEqual(cid, i * 10 + k, "answers in arrival order")
                    self.assertEqual(error, 0)
        finally:
            for s in socks:
                s.close()
        # The server is still healthy afterwards.
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.sendall(frame(API_VERSIONS, 0, 99))
        self.assertEqual(struct.unpack_from(">i", read_frame(s))[0], 99)
        s.close()


if __name__ == "__main__":
    unittest.main()
