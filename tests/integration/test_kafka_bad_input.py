"""Bad input over raw sockets: truncated frames, absurd and negative lengths,
unknown API keys and versions, garbage bodies, and record batches with a
wrong CRC or magic. The bad connection is closed or answered with an error;
the server and another open connection carry on; nothing stored changes."""

import os
import struct
import unittest

from kafka_testlib import KafkaTestCase, frame, read_frame

API_PRODUCE, API_VERSIONS = 0, 18


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def zigzag(n):
    n = (n << 1) ^ (n >> 63)
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def record_batch(values, magic=2, corrupt_crc=False):
    recs = b""
    for i, v in enumerate(values):
        body = b"\x00" + zigzag(0) + zigzag(i) + zigzag(-1) + zigzag(len(v)) + v + zigzag(0)
        recs += zigzag(len(body)) + body
    after_crc = struct.pack(">hiqqqhii", 0, len(values) - 1, 1000, 1000, -1, -1, -1,
                            len(values)) + recs
    crc = crc32c(after_crc) ^ (1 if corrupt_crc else 0)
    tail = struct.pack(">ibI", -1, magic, crc) + after_crc
    return struct.pack(">qi", 0, len(tail)) + tail


def produce_body(topic, records, acks=1):
    t = topic.encode()
    return (struct.pack(">hhi", -1, acks, 10000) + struct.pack(">i", 1) +
            struct.pack(">h", len(t)) + t + struct.pack(">i", 1) +
            struct.pack(">ii", 0, len(records)) + records)


def produce_result(body):
    """(error_code, base_offset) of the only partition of a Produce v3 response."""
    pos = 4 + 4  # correlation id, topics count
    (name_len,) = struct.unpack_from(">h", body, pos)
    pos += 2 + name_len + 4  # name, partitions count
    _, error, base = struct.unpack_from(">ihq", body, pos)
    return error, base


class KafkaBadInputTest(KafkaTestCase):
    def setUp(self):
        super().setUp()
        self.start_server()

    def api_versions_ok(self, sock, correlation_id=7):
        sock.sendall(frame(API_VERSIONS, 0, correlation_id))
        body = read_frame(sock)
        self.assertIsNotNone(body, "connection closed")
        cid, error = struct.unpack_from(">ih", body)
        self.assertEqual((cid, error), (correlation_id, 0))

    def assert_closed(self, sock):
        sock.settimeout(10)
        try:
            self.assertIsNone(read_frame(sock))
        except ConnectionResetError:
            pass

    def produce(self, sock, records, cid=1):
        sock.sendall(frame(API_PRODUCE, 3, cid, produce_body("raw", records)))
        return produce_result(read_frame(sock))

    def test_bad_frames_close_only_their_connection(self):
        self.kcat("-P", "-t", "kept", input="one\ntwo\n")
        good = self.connect()
        self.api_versions_ok(good)
        bad_inputs = [
            struct.pack(">i", 0x7FFFFFFF),                      # absurd length
            struct.pack(">i", -5),                              # negative length
            frame(999, 0, 1),                                   # unknown api key
            frame(API_PRODUCE, 99, 1),                          # unknown version
            struct.pack(">i", 64) + os.urandom(64),             # garbage body
            frame(3, 1, 1, b"\x00\x00\x00\x05\x00"),            # truncated metadata body
        ]
        for data in bad_inputs:
            s = self.connect()
            s.sendall(data)
            self.assert_closed(s)
            self.api_versions_ok(good)
        # A frame cut short, then the client goes away.
        s = self.connect()
        s.sendall(struct.pack(">i", 100) + b"\x00\x12")
        s.close()
        # ApiVersions in an unknown version is answered: error 35 and our range.
        s = self.connect()
        s.sendall(frame(API_VERSIONS, 99, 3))
        cid, error = struct.unpack_from(">ih", read_frame(s))
        self.assertEqual((cid, error), (3, 35))
        self.api_versions_ok(good)
        out = self.kcat("-C", "-t", "kept", "-e", "-f", "%s\n").stdout.splitlines()
        self.assertEqual(out, ["one", "two"])

    def test_bad_batches_get_errors_and_append_nothing(self):
        s = self.connect()
        self.assertEqual(self.produce(s, record_batch([b"a", b"b"])), (0, 0))
        self.assertEqual(self.produce(s, record_batch([b"x"], corrupt_crc=True))[0], 2)
        self.assertIn(self.produce(s, record_batch([b"x"], magic=1))[0], (2, 43))
        self.assertEqual(self.produce(s, record_batch([b"x"])[:-3])[0], 2)  # cut short
        # A good batch followed by a bad one: the whole partition is refused.
        self.assertEqual(self.produce(s, record_batch([b"y"]) +
                                      record_batch([b"z"], corrupt_crc=True))[0], 2)
        self.assertEqual(self.produce(s, record_batch([b"c"])), (0, 2))
        out = self.kcat("-C", "-t", "raw", "-e", "-f", "%o %s\n").stdout.splitlines()
        self.assertEqual(out, ["0 a", "1 b", "2 c"])


if __name__ == "__main__":
    unittest.main()
