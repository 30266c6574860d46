"""Idempotent producer state across a server restart, and per-connection
resources. Over raw sockets: an idempotent batch whose answer the client
never got is retried against a restarted server and is not appended twice
(the broker rebuilds producer sequences from the tail of the log). Many
connections opened, used and closed leave no descriptor or connection
behind."""

import os
import signal
import socket
import struct
import unittest
import urllib.request

import test_kafka_bad_input as raw
from kafka_testlib import KafkaTestCase, frame, read_frame

API_PRODUCE, API_INIT_PRODUCER_ID = 0, 22


def idempotent_batch(values, producer_id, epoch, base_sequence):
    recs = b""
    for i, v in enumerate(values):
        body = (b"\x00" + raw.zigzag(0) + raw.zigzag(i) + raw.zigzag(-1) + raw.zigzag(len(v)) + v +
                raw.zigzag(0))
        recs += raw.zigzag(len(body)) + body
    after_crc = struct.pack(">hiqqqhii", 0, len(values) - 1, 1000, 1000, producer_id, epoch,
                            base_sequence, len(values)) + recs
    tail = struct.pack(">ibI", -1, 2, raw.crc32c(after_crc)) + after_crc
    return struct.pack(">qi", 0, len(tail)) + tail


class IdempotentRestartTest(KafkaTestCase):
    def init_producer_id(self, sock):
        sock.sendall(frame(API_INIT_PRODUCER_ID, 0, 1, struct.pack(">hi", -1, 60000)))
        body = read_frame(sock)
        _, _, error, producer_id, epoch = struct.unpack_from(">iihqh", body)
        self.assertEqual(error, 0)
        return producer_id, epoch

    def produce(self, sock, batch, cid):
        sock.sendall(frame(API_PRODUCE, 3, cid, raw.produce_body("idem", batch, acks=-1)))
        return raw.produce_result(read_frame(sock))

    def metrics(self):
        with urllib.request.urlopen(f"http://{self.http}/metrics", timeout=10) as r:
            return r.read().decode()

    def stored_values(self):
        out = self.kcat("-C", "-t", "idem", "-o", "beginning", "-e", "-q", "-f", "%s\\n").stdout
        return out.split()

    def test_retried_batch_after_restart_is_not_appended_twice(self):
        self.start_server()
        sock = self.connect()
        pid, epoch = self.init_producer_id(sock)
        self.assertEqual(self.produce(sock, idempotent_batch([b"a", b"b"], pid, epoch, 0), 2),
                         (0, 0))
        self.assertEqual(self.produce(sock, raw.record_batch([b"plain"]), 3), (0, 2))
        last = idempotent_batch([b"c"], pid, epoch, 2)
        self.assertEqual(self.produce(sock, last, 4), (0, 3))
        sock.close()
        self.stop_server(signal.SIGKILL)

        self.start_server()
        sock = self.connect()
        # The client retries the batch whose answer it lost: its original offset.
        self.assertEqual(self.produce(sock, last, 5), (0, 3))
        self.assertEqual(self.produce(sock, idempotent_batch([b"a", b"b"], pid, epoch, 0), 6),
                         (0, 0))
        self.assertEqual(self.produce(sock, idempotent_batch([b"d"], pid, epoch, 3), 7), (0, 4))
        error, _ = self.produce(sock, idempotent_batch([b"x"], pid, epoch, 9), 8)
        self.assertEqual(error, 45)  # OUT_OF_ORDER_SEQUENCE_NUMBER
        self.assertEqual(self.stored_values(), ["a", "b", "plain", "c", "d"])

    def test_closed_connections_leave_nothing_behind(self):
        self.start_server()
        fds = lambda: len(os.listdir(f"/proc/{self.server.pid}/fd"))
        warm = self.connect()
        sock_produce = lambda s, cid: s.sendall(
            frame(API_PRODUCE, 3, cid, raw.produce_body("conn", raw.record_batch([b"v"]))))
        sock_produce(warm, 1)  # creates the topic (its files stay open)
        self.assertEqual(raw.produce_result(read_frame(warm))[0], 0)
        baseline = fds()
        for round_ in range(3):
            socks = [socket.create_connection(("127.0.0.1", self.port), timeout=10)
                     for _ in range(100)]
            for i, s in enumerate(socks):
                # A pipelined produce and one left unread; some close mid-request.
                sock_produce(s, i)
                if i % 3 == 0:
                    s.sendall(struct.pack(">i", 1000) + b"cut short")
            for s in socks:
                s.close()
        self.wait_until(lambda: fds() <= baseline, timeout=60,
                        what=f"server descriptors back to {baseline}")
        # Only `warm` is still counted as open.
        self.wait_until(lambda: "kappa_kafka_connections 1\n" in self.metrics(), timeout=60,
                        what="kappa_kafka_connections back to 1")
        sock_produce(warm, 2)
        self.assertEqual(raw.produce_result(read_frame(warm))[0], 0)


if __name__ == "__main__":
    unittest.main()
