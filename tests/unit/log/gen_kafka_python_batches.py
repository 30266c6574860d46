#!/usr/bin/python3
# Prints record batches built by kafka-python's own producer code
# (kafka.record.default_records, Debian python3-kafka 2.0.2) as C++ hex
# string literals for record_batch_test.cc. Run with the Debian python:
#   /usr/bin/python3 tests/unit/log/gen_kafka_python_batches.py
from kafka.record.default_records import DefaultRecordBatchBuilder

RECORDS = [
    (1700000000000, b"k1", b"v1", [("h1", b"x"), ("h2", None)]),
    (1700000000005, None, b"hello", []),
    (1699999999990, b"k3", None, []),
    (1700000000001, b"", b"", []),
]


def build(codec):
    b = DefaultRecordBatchBuilder(magic=2, compression_type=codec, is_transactional=False,
                                  producer_id=-1, producer_epoch=-1, base_sequence=-1,
                                  batch_size=1 << 20)
    for offset, (ts, key, value, headers) in enumerate(RECORDS):
        value = value * 20 if codec and value else value  # compressible
        b.append(offset, timestamp=ts, key=key, value=value, headers=headers)
    return bytes(b.build())


for name, codec in (("kKafkaPythonBatch", 0), ("kKafkaPythonGzipBatch", 1)):
    print(f"// {name}: built by kafka-python 2.0.2, codec {codec}")
    print(f'constexpr std::string_view {name}Hex =')
    h = build(codec).hex()
    for i in range(0, len(h), 64):
        end = ";" if i + 64 >= len(h) else ""
        print(f'    "{h[i:i + 64]}"{end}')
