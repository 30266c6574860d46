"""The PostgreSQL wire protocol listener and the query front doors, driven by
real clients: psql (Debian postgresql-client), psycopg2 (Debian
python3-psycopg2, this file runs under /usr/bin/python3), node-postgres (npm
`pg` in tests/node_modules, through pg_client.mjs) and a raw protocol v3
client written here for what the drivers do not expose (PortalSuspended,
discard until Sync, binary formats, GSSENCRequest, CancelRequest).

Protocol-level tests (startup, SSL refusal, password authentication,
SET/SHOW, transactions, catalog emulation of an empty warehouse) each run a
fresh server. The data tests (class ShopDataTests and the password classes)
run a real server with a real pipeline: a Kafka topic `orders`, a pipeline
that fills two serving tables (Iceberg) from it -- `order_log`, an append
table of every order, and `customer_totals`, an upsert table with PRIMARY
KEY -- in two rounds, so that the first round's snapshot is there for time
travel. They query those tables over psql, psycopg2 (client-side parameters),
node-postgres (extended protocol, server-side $n parameters), HTTP POST
/v1/query (JSON and CSV) and `kappa query --format table|csv|json`.
"""

import csv
import datetime
import decimal
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kappa_testlib import KAPPA, ROOT, KappaServer, KappaTestCase  # noqa: E402

try:
    import psycopg2
    import psycopg2.errors
    import psycopg2.extensions
except ImportError:  # pragma: no cover - the setup script installs it
    psycopg2 = None

PSQL = shutil.which("psql")
NODE = shutil.which("node")
NODE_MODULES = os.path.join(ROOT, "tests", "node_modules")
HAVE_NODE_PG = NODE is not None and os.path.isdir(os.path.join(NODE_MODULES, "pg"))
PG_CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pg_client.mjs")
PIPELINE_WAIT_SECONDS = 60

# ---- the shop: a topic, a pipeline, two serving tables -------------------------------

SHOP_PIPELINE = """
CREATE TABLE orders (
  id BIGINT, qty INT, amount DECIMAL(10, 2), price DOUBLE, customer STRING,
  day DATE, ts TIMESTAMP(3), paid BOOLEAN
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'format' = 'json');
CREATE TABLE order_log (
  id BIGINT, qty INT, amount DECIMAL(10, 2), price DOUBLE, customer STRING,
  day DATE, ts TIMESTAMP(3), paid BOOLEAN
);
CREATE TABLE customer_totals (
  customer STRING, orders BIGINT, total DECIMAL(38, 2), last_ts TIMESTAMP(3),
  PRIMARY KEY (customer) NOT ENFORCED
);
INSERT INTO order_log SELECT * FROM orders;
INSERT INTO customer_totals
SELECT customer, COUNT(*), SUM(amount), MAX(ts) FROM orders GROUP BY customer;
"""

ROUND_1 = [
    {"id": 1, "qty": 2, "amount": 12.50, "price": 6.25, "customer": "ann", "day": "2024-01-31",
     "ts": "2024-01-31 12:00:00.000", "paid": True},
    {"id": 2, "qty": 1, "amount": None, "price": 0.5, "customer": "bob", "day": "2024-02-01",
     "ts": None, "paid": False},
    {"id": 3, "qty": 5, "amount": 100.05, "price": 20.01, "customer": "ann", "day": "2024-02-29",
     "ts": "2024-02-29 23:59:59.123", "paid": True},
]
ROUND_2 = [
    {"id": 4, "qty": 3, "amount": 7.45, "price": 2.5, "customer": "o'brien", "day": "2024-03-01",
     "ts": "2024-03-01 08:30:00.500", "paid": True},
    {"id": 5, "qty": 1, "amount": 0.99, "price": 0.99, "customer": "bob", "day": "2024-03-02",
     "ts": "2024-03-02 00:00:00.000", "paid": False},
]

D = decimal.Decimal
DT = datetime.datetime
# order_log as psycopg2 returns it (id, qty, amount, price, customer, day, ts, paid).
ORDER_LOG = [
    (1, 2, D("12.50"), 6.25, "ann", datetime.date(2024, 1, 31), DT(2024, 1, 31, 12), True),
    (2, 1, None, 0.5, "bob", datetime.date(2024, 2, 1), None, False),
    (3, 5, D("100.05"), 20.01, "ann", datetime.date(2024, 2, 29), DT(2024, 2, 29, 23, 59, 59, 123000), True),
    (4, 3, D("7.45"), 2.5, "o'brien", datetime.date(2024, 3, 1), DT(2024, 3, 1, 8, 30, 0, 500000), True),
    (5, 1, D("0.99"), 0.99, "bob", datetime.date(2024, 3, 2), DT(2024, 3, 2), False),
]
# customer_totals after round 2 and after round 1 (customer, orders, total, last_ts).
TOTALS = [
    ("ann", 2, D("112.55"), DT(2024, 2, 29, 23, 59, 59, 123000)),
    ("bob", 2, D("0.99"), DT(2024, 3, 2)),
    ("o'brien", 1, D("7.45"), DT(2024, 3, 1, 8, 30, 0, 500000)),
]
TOTALS_ROUND_1 = [
    ("ann", 2, D("112.55"), DT(2024, 2, 29, 23, 59, 59, 123000)),
    ("bob", 1, None, None),
]
# Postgres type OIDs.
INT8, INT4, NUMERIC, FLOAT8, TEXT, DATE, TIMESTAMP, BOOL = 20, 23, 1700, 701, 25, 1082, 1114, 16


def run_kappa(env, cwd, *args, input=None):
    proc = subprocess.run([KAPPA, *map(str, args)], input=input, capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)
    if proc.returncode != 0:
        raise AssertionError(f"kappa {args} failed: {proc.stderr}")
    return proc.stdout


def wait_pipeline_idle(env, cwd, name):
    """Until every version of `name` has read its sources to the end and
    committed a checkpoint covering them (`kappa pipeline wait`)."""
    run_kappa(env, cwd, "pipeline", "wait", name, "1")
    deadline = time.monotonic() + PIPELINE_WAIT_SECONDS
    while True:
        status = json.loads(run_kappa(env, cwd, "pipeline", "status", name, "--json"))
        versions = status["versions"]
        failed = [v for v in versions if v.get("state") == "failed"]
        if failed:
            raise AssertionError(f"pipeline {name} failed: {failed[0].get('error')}")
        if versions and all(v.get("idle") for v in versions):
            return status
        if time.monotonic() > deadline:
            raise AssertionError(f"pipeline {name} not idle: {json.dumps(status)}")
        time.sleep(0.1)


def fill_shop(env, cwd):
    """Creates the topic, deploys the shop pipeline and runs both rounds;
    returns the snapshot ids of order_log and customer_totals after round 1
    (and, under "order_log@time" and "customer_totals@time", their commit times)."""
    run_kappa(env, cwd, "topic", "create", "orders", "--partitions", "1")
    run_kappa(env, cwd, "produce", "orders", input="".join(json.dumps(r) + "\n" for r in ROUND_1))
    sql_path = os.path.join(cwd, "shop.sql")
    with open(sql_path, "w") as f:
        f.write(SHOP_PIPELINE)
    run_kappa(env, cwd, "pipeline", "deploy", "shop", sql_path)
    wait_pipeline_idle(env, cwd, "shop")
    snapshots = {}
    for table in ("order_log", "customer_totals"):
        history = json.loads(run_kappa(env, cwd, "table", "history", table, "--json"))
        snapshots[table] = history["current_snapshot_id"]
        current = [s for s in history["snapshots"] if s["snapshot_id"] == history["current_snapshot_id"]]
        snapshots[table + "@time"] = current[0]["timestamp"]
    run_kappa(env, cwd, "produce", "orders", input="".join(json.dumps(r) + "\n" for r in ROUND_2))
    wait_pipeline_idle(env, cwd, "shop")
    return snapshots


class PgClients:
    """psql, psycopg2 and node-postgres against self.host:self.port (env: self.env)."""

    def psql(self, *commands, ok=True, user="alice", password=None):
        """Runs psql -A -t with one -c per command; returns the CompletedProcess."""
        args = [PSQL, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.host,
                "-p", str(self.port), "-U", user, "-d", "shop"]
        for c in commands:
            args += ["-c", c]
        env = dict(self.env, PGCONNECT_TIMEOUT="10", PGSSLMODE="prefer")
        env.pop("PGPASSWORD", None)
        if password is not None:
            env["PGPASSWORD"] = password
        proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
        if ok:
            self.assertEqual(proc.returncode, 0, proc.stderr)
        else:
            self.assertNotEqual(proc.returncode, 0, proc.stdout)
        return proc

    def connect(self, **kwargs):
        params = dict(host=self.host, port=self.port, user="alice", dbname="shop",
                      connect_timeout=10)
        params.update(kwargs)
        conn = psycopg2.connect(**params)
        self.addCleanup(conn.close)
        return conn

    def node_pg(self, queries, **config):
        """Runs `queries` through pg_client.mjs on one node-postgres connection."""
        conf = {"host": self.host, "port": self.port, "user": "alice", "database": "shop"}
        conf.update(config)
        proc = subprocess.run([NODE, PG_CLIENT, json.dumps(conf), json.dumps(queries)],
                              capture_output=True, text=True, timeout=60,
                              env=dict(self.env, TZ="UTC"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)


class PgServerTestCase(PgClients, KappaTestCase):
    """A test with a `kappa server` whose pg-wire listener is on a free port."""

    server_args = ()

    def setUp(self):
        super().setUp()
        self.server = self.start_server(*self.server_args, listeners=("http", "pg"))
        self.host, self.port = self.server.addresses["pg"]


class ShopServerTestCase(PgClients, unittest.TestCase):
    """One `kappa server` per class, with the shop's tables filled (fill_shop);
    tests only read. self.snapshots: the round-1 snapshot id of each table."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="kappa_it_pg_", dir=os.environ.get("KAPPA_TMP"))
        cls.dir = cls._tmp.name
        cls.data_dir = os.path.join(cls.dir, "data")
        cls.env = dict(os.environ, KAPPA_DATA_DIR=cls.data_dir)
        cmd = [KAPPA, "--data-dir", cls.data_dir, "server", "--http-listen", "127.0.0.1:0",
               "--kafka-listen", "127.0.0.1:0", "--pg-listen", "127.0.0.1:0", *cls.server_args]
        proc = subprocess.Popen(cmd, cwd=cls.dir, env=cls.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        cls.server = KappaServer(proc)
        try:
            cls.server.wait_ready(("http", "pg"))
            cls.host, cls.port = cls.server.addresses["pg"]
            cls.env["KAPPA_SERVER"] = cls.server.http_url
            cls.snapshots = fill_shop(cls.env, cls.dir)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc.poll() is None:
            cls.server.stop()
        for stream in (cls.server.proc.stdout, cls.server.proc.stderr):
            stream.close()
        cls._tmp.cleanup()

    def kappa(self, *args, ok=True):
        proc = subprocess.run([KAPPA, *map(str, args)], capture_output=True, text=True,
                              cwd=self.dir, env=self.env, timeout=60)
        if ok:
            self.assertEqual(proc.returncode, 0, proc.stderr)
        else:
            self.assertNotEqual(proc.returncode, 0, proc.stdout)
        return proc

    def http_query(self, sql, accept=None):
        """(status, content type, body text) of POST /v1/query."""
        req = urllib.request.Request(self.server.http_url + "/v1/query",
                                     data=json.dumps({"sql": sql}).encode(), method="POST")
        if accept:
            req.add_header("Accept", accept)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read().decode()


# ---- a raw protocol v3 client ------------------------------------------------------


def _cstr(s):
    return s.encode() + b"\0"


class RawClient:
    """Speaks protocol v3 over a socket: send typed messages, read replies."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send_untyped(self, body):
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)

    def send(self, kind, body=b""):
        self.sock.sendall(kind + struct.pack("!i", len(body) + 4) + body)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_byte(self):
        return self._read(1)

    def read_message(self):
        kind = self._read(1)
        (length,) = struct.unpack("!i", self._read(4))
        return kind, self._read(length - 4)

    def read_until_ready(self):
        """Messages up to and including ReadyForQuery, as (kind, body) pairs."""
        out = []
        while True:
            kind, body = self.read_message()
            out.append((kind, body))
            if kind == b"Z":
                return out

    def startup(self, user="raw", **params):
        body = struct.pack("!i", 196608) + _cstr("user") + _cstr(user)
        for k, v in params.items():
            body += _cstr(k) + _cstr(v)
        self.send_untyped(body + b"\0")
        return self.read_until_ready()

    def parse(self, sql, name="", types=()):
        self.send(b"P", _cstr(name) + _cstr(sql) + struct.pack("!h", len(types)) +
                  b"".join(struct.pack("!i", t) for t in types))

    def bind(self, portal="", statement="", params=(), result_formats=()):
        body = _cstr(portal) + _cstr(statement) + struct.pack("!h", 0)
        body += struct.pack("!h", len(params))
        for p in params:
            body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
        body += struct.pack("!h", len(result_formats))
        body += b"".join(struct.pack("!h", f) for f in result_formats)
        self.send(b"B", body)

    def describe(self, kind, name=""):
        self.send(b"D", kind + _cstr(name))

    def execute(self, portal="", max_rows=0):
        self.send(b"E", _cstr(portal) + struct.pack("!i", max_rows))

    def sync(self):
        self.send(b"S")


def error_fields(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode()
    return fields


def data_row(body):
    (n,) = struct.unpack("!h", body[:2])
    pos, cells = 2, []
    for _ in range(n):
        (length,) = struct.unpack("!i", body[pos:pos + 4])
        pos += 4
        if length < 0:
            cells.append(None)
        else:
            cells.append(body[pos:pos + length])
            pos += length
    return cells


def row_description(body):
    (n,) = struct.unpack("!h", body[:2])
    pos, fields = 2, []
    for _ in range(n):
        end = body.index(b"\0", pos)
        name = body[pos:end].decode()
        _, _, oid, _, _, fmt = struct.unpack("!ihihih", body[end + 1:end + 19])
        fields.append((name, oid, fmt))
        pos = end + 19
    return fields


class RawProtocolTests(PgServerTestCase):
    def client(self):
        c = RawClient(self.host, self.port)
        self.addCleanup(c.close)
        return c

    def test_ssl_and_gssenc_requests_are_refused_with_n_then_startup_works(self):
        c = self.client()
        c.send_untyped(struct.pack("!i", 80877104))
        self.assertEqual(c.read_byte(), b"N")
        c.send_untyped(struct.pack("!i", 80877103))
        self.assertEqual(c.read_byte(), b"N")
        messages = c.startup(application_name="raw-test")
        kinds = [k for k, _ in messages]
        self.assertEqual(kinds[0], b"R")
        self.assertEqual(messages[0][1], struct.pack("!i", 0))  # AuthenticationOk
        self.assertIn(b"K", kinds)
        params = dict(tuple(b.rstrip(b"\0").decode().split("\0")) for k, b in messages if k == b"S")
        self.assertEqual(params["server_encoding"], "UTF8")
        self.assertEqual(params["client_encoding"], "UTF8")
        self.assertEqual(params["DateStyle"], "ISO, MDY")
        self.assertEqual(params["integer_datetimes"], "on")
        self.assertEqual(params["standard_conforming_strings"], "on")
        self.assertEqual(params["TimeZone"], "UTC")
        self.assertEqual(params["application_name"], "raw-test")
        self.assertIn("Kappa", params["server_version"])
        self.assertEqual(messages[-1], (b"Z", b"I"))

    def test_cancel_request_is_accepted_and_the_connection_closed(self):
        c = self.client()
        c.send_untyped(struct.pack("!iii", 80877102, 1, 2))
        self.assertEqual(c.sock.recv(10), b"")
        # The server still serves others.
        other = self.client()
        self.assertEqual(other.startup()[-1], (b"Z", b"I"))

    def test_row_limit_suspends_the_portal_until_all_rows_are_read(self):
        c = self.client()
        c.startup()
        c.parse("SHOW ALL")
        c.bind()
        c.describe(b"P")
        c.execute(max_rows=5)
        c.send(b"H")  # Flush
        kinds = [c.read_message()[0] for _ in range(3 + 5 + 1)]
        self.assertEqual(kinds, [b"1", b"2", b"T"] + [b"D"] * 5 + [b"s"])
        rows = 5
        while True:
            c.execute(max_rows=5)
            c.send(b"H")
            kind, body = c.read_message()
            while kind == b"D":
                rows += 1
                kind, body = c.read_message()
            if kind == b"C":
                break
            self.assertEqual(kind, b"s")
        self.assertGreater(rows, 10)
        c.sync()
        self.assertEqual(c.read_message(), (b"Z", b"I"))

    def test_an_error_discards_messages_until_sync(self):
        c = self.client()
        c.startup()
        c.parse("SHOW no_such_setting")
        c.bind()
        c.execute()
        c.parse("SHOW TimeZone")  # discarded: it follows the error
        c.bind()
        c.execute()
        c.sync()
        messages = c.read_until_ready()
        kinds = [k for k, _ in messages]
        self.assertEqual(kinds, [b"1", b"2", b"E", b"Z"])
        self.assertEqual(error_fields(messages[2][1])["C"], "42704")
        # After Sync the session works again.
        c.parse("SHOW TimeZone")
        c.bind()
        c.execute()
        c.sync()
        messages = c.read_until_ready()
        self.assertEqual([k for k, _ in messages], [b"1", b"2", b"D", b"C", b"Z"])
        self.assertEqual(data_row(messages[2][1]), [b"UTC"])

    def test_describe_statement_gives_parameter_and_row_descriptions(self):
        c = self.client()
        c.startup(database="shop")
        c.parse("SELECT current_database(), current_user", name="s1")
        c.describe(b"S", "s1")
        c.sync()
        messages = c.read_until_ready()
        self.assertEqual([k for k, _ in messages], [b"1", b"t", b"T", b"Z"])
        fields = row_description(messages[2][1])
        self.assertEqual([(n, oid) for n, oid, _ in fields],
                         [("current_database", 25), ("current_user", 25)])
        # The named statement runs twice, once with binary results.
        for formats, expected in (((), [b"shop", b"raw"]), ((1,), [b"shop", b"raw"])):
            c.bind(statement="s1", result_formats=formats)
            c.execute()
            c.sync()
            messages = c.read_until_ready()
            self.assertEqual([k for k, _ in messages], [b"2", b"D", b"C", b"Z"])
            self.assertEqual(data_row(messages[1][1]), expected)

    def test_simple_query_runs_several_statements_and_stops_at_an_error(self):
        c = self.client()
        c.startup(database="shop")
        c.send(b"Q", _cstr("BEGIN; SHOW TimeZone; SHOW nope; SHOW DateStyle"))
        messages = c.read_until_ready()
        kinds = [k for k, _ in messages]
        self.assertEqual(kinds, [b"C", b"T", b"D", b"C", b"E", b"Z"])
        self.assertEqual(messages[-1], (b"Z", b"E"))
        c.send(b"Q", _cstr("SHOW TimeZone"))
        messages = c.read_until_ready()
        self.assertEqual(error_fields(messages[0][1])["C"], "25P02")
        c.send(b"Q", _cstr("ROLLBACK"))
        messages = c.read_until_ready()
        self.assertEqual(messages, [(b"C", b"ROLLBACK\0"), (b"Z", b"I")])
        c.send(b"Q", _cstr(" ; "))
        self.assertEqual([k for k, _ in c.read_until_ready()], [b"I", b"Z"])

    def test_bind_with_a_wrong_parameter_count_is_an_error(self):
        c = self.client()
        c.startup()
        c.parse("SELECT $1")
        c.bind(params=(b"1", b"2"))
        c.sync()
        messages = c.read_until_ready()
        self.assertEqual([k for k, _ in messages], [b"1", b"E", b"Z"])
        self.assertEqual(error_fields(messages[1][1])["C"], "08P01")

    def test_a_malformed_message_ends_the_connection_with_fatal(self):
        c = self.client()
        c.startup()
        c.send(b"B", b"\0\0\x00\x00\x7f\xff")  # 32767 parameters in no bytes
        kind, body = c.read_message()
        self.assertEqual(kind, b"E")
        fields = error_fields(body)
        self.assertEqual(fields["S"], "FATAL")
        self.assertEqual(fields["C"], "08P01")
        self.assertEqual(c.sock.recv(10), b"")

    def test_terminate_closes(self):
        c = self.client()
        c.startup()
        c.send(b"X")
        self.assertEqual(c.sock.recv(10), b"")


# ---- psql --------------------------------------------------------------------------


@unittest.skipIf(PSQL is None, "psql is not installed (Debian postgresql-client)")
class PsqlTests(PgServerTestCase):
    def test_version_and_session_functions(self):
        out = self.psql("SELECT version()").stdout
        self.assertIn("Kappa", out)
        out = self.psql("SELECT current_schema(), current_database(), current_user").stdout
        self.assertEqual(out.strip(), "default|shop|alice")

    def test_set_and_show(self):
        # psql 15 prints every result of a multi-statement -c: SET's tag, then SHOW's row.
        out = self.psql("SET application_name = 'dash'; SHOW application_name",
                        "SHOW server_version", "SHOW client_encoding", "SHOW TimeZone").stdout
        self.assertEqual(out.split("\n")[:5], ["SET", "dash", "15.0 (Kappa)", "UTF8", "UTC"])

    def test_transactions(self):
        proc = self.psql("BEGIN", "SHOW DateStyle", "COMMIT")
        self.assertIn("ISO, MDY", proc.stdout)
        proc = self.psql("BEGIN; SHOW nope; COMMIT", ok=False)
        self.assertIn('unrecognized configuration parameter "nope"', proc.stderr)

    def test_dt_on_an_empty_warehouse(self):
        proc = self.psql("\\dt")
        self.assertIn("Did not find any relations", proc.stdout + proc.stderr)
        proc = self.psql("\\d")
        self.assertIn("Did not find any relations", proc.stdout + proc.stderr)

    def test_d_of_an_unknown_table(self):
        proc = self.psql("\\d orders", ok=False)
        self.assertIn('Did not find any relation named "orders"', proc.stderr)

    def test_dn_and_l(self):
        self.psql("\\dn")
        out = self.psql("\\l").stdout
        self.assertIn("shop|alice|UTF8", out)

    def test_query_of_an_unknown_table_names_it(self):
        proc = self.psql("SELECT * FROM orders", ok=False)
        self.assertIn("table 'orders' not found", proc.stderr)


# ---- psycopg2 ------------------------------------------------------------------------


@unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
class Psycopg2Tests(PgServerTestCase):
    def test_connect_reports_server_settings(self):
        conn = self.connect()
        self.assertEqual(conn.encoding, "UTF8")
        self.assertEqual(conn.server_version, 150000)
        self.assertEqual(conn.get_parameter_status("TimeZone"), "UTC")

    def test_statements_run_inside_begin_and_commit(self):
        conn = self.connect()
        cur = conn.cursor()
        cur.execute("SELECT version()")
        self.assertIn("Kappa", cur.fetchone()[0])
        self.assertEqual(conn.get_transaction_status(),
                         psycopg2.extensions.TRANSACTION_STATUS_INTRANS)
        conn.commit()
        self.assertEqual(conn.get_transaction_status(),
                         psycopg2.extensions.TRANSACTION_STATUS_IDLE)

    def test_an_error_aborts_the_transaction_until_rollback(self):
        conn = self.connect()
        cur = conn.cursor()
        with self.assertRaises(psycopg2.Error) as e:
            cur.execute("SHOW nope")
        self.assertEqual(e.exception.pgcode, "42704")
        self.assertEqual(conn.get_transaction_status(),
                         psycopg2.extensions.TRANSACTION_STATUS_INERROR)
        with self.assertRaises(psycopg2.Error) as e:
            cur.execute("SHOW TimeZone")
        self.assertEqual(e.exception.pgcode, "25P02")
        conn.rollback()
        cur.execute("SHOW TimeZone")
        self.assertEqual(cur.fetchone(), ("UTC",))

    def test_autocommit_and_session_settings(self):
        conn = self.connect()
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SET search_path TO %s", ("shop",))
        cur.execute("SHOW search_path")
        self.assertEqual(cur.fetchone(), ("shop",))
        self.assertEqual(conn.get_transaction_status(),
                         psycopg2.extensions.TRANSACTION_STATUS_IDLE)

    def test_catalog_listing_of_an_empty_warehouse(self):
        conn = self.connect()
        cur = conn.cursor()
        cur.execute("SELECT table_schema, table_name FROM information_schema.tables "
                    "WHERE table_schema = 'default'")
        self.assertEqual(cur.fetchall(), [])
        self.assertEqual([c.name for c in cur.description], ["table_schema", "table_name"])
        with self.assertRaises(psycopg2.errors.FeatureNotSupported):
            cur.execute("SELECT count(*) FROM information_schema.tables t JOIN pg_catalog.pg_class c "
                        "ON c.relname = t.table_name")

    def test_unknown_table_is_42p01_and_the_connection_goes_on(self):
        conn = self.connect()
        conn.autocommit = True
        cur = conn.cursor()
        with self.assertRaises(psycopg2.errors.UndefinedTable) as e:
            cur.execute("SELECT * FROM orders WHERE id = %s", (5,))
        self.assertEqual(e.exception.pgcode, "42P01")
        self.assertIn("table 'orders' not found", str(e.exception))
        cur.execute("SELECT 1 + %s", (1,))
        self.assertEqual(cur.fetchone(), (2,))


@unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
class Md5PasswordTests(PgServerTestCase):
    server_args = ("--pg-password", "s3cret")

    def test_right_password_connects_and_wrong_one_is_refused(self):
        conn = self.connect(password="s3cret", user="anyone")
        cur = conn.cursor()
        cur.execute("SELECT current_user")
        self.assertEqual(cur.fetchone(), ("anyone",))
        with self.assertRaises(psycopg2.OperationalError) as e:
            self.connect(password="wrong")
        self.assertIn("password authentication failed", str(e.exception))

    @unittest.skipIf(PSQL is None, "psql is not installed")
    def test_psql_with_password(self):
        self.assertIn("Kappa", self.psql("SELECT version()", password="s3cret").stdout)
        self.psql("SELECT version()", password="nope", ok=False)


@unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
class CleartextPasswordTests(PgServerTestCase):
    def setUp(self):
        self.server_args = ("--pg-password-file", self._password_file(), "--pg-auth", "password")
        super().setUp()

    def _password_file(self):
        import tempfile
        f = tempfile.NamedTemporaryFile("w", delete=False, suffix=".pw")
        f.write("from-file\n")
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_password_from_file(self):
        conn = self.connect(password="from-file")
        self.assertEqual(conn.server_version, 150000)
        with self.assertRaises(psycopg2.OperationalError):
            self.connect(password="from-fil")


# ---- node-postgres --------------------------------------------------------------------


@unittest.skipUnless(HAVE_NODE_PG, "node and tests/node_modules/pg are needed (npm ci --prefix tests)")
class NodePostgresTests(PgServerTestCase):
    def test_session_statements_prepared_statements_limits_and_errors(self):
        out = self.node_pg([
            {"text": "SELECT version()"},
            # A named prepared statement: Parse once, then Bind/Describe/Execute/Sync.
            {"text": "SHOW TimeZone", "name": "tz", "values": []},
            {"text": "SHOW TimeZone", "name": "tz", "values": []},
            # Row limits: Execute with max rows, PortalSuspended, Execute again.
            {"text": "SHOW ALL", "rows": 4},
            {"text": "SELECT current_user", "binary": True},
            {"text": "SHOW nope"},
            {"text": "BEGIN"},
            {"text": "SHOW DateStyle"},
            {"text": "COMMIT"},
            {"text": "SELECT current_schema()"},
        ])
        self.assertIn("Kappa", out[0]["rows"][0][0])
        self.assertEqual(out[1]["rows"], [["UTC"]])
        self.assertEqual(out[2]["rows"], [["UTC"]])
        self.assertGreater(len(out[3]["rows"]), 10)
        self.assertEqual(out[4]["rows"], [["alice"]])
        self.assertEqual(out[5]["error"]["code"], "42704")
        self.assertEqual(out[6]["command"], "BEGIN")
        self.assertEqual(out[7]["rows"], [["ISO, MDY"]])
        self.assertEqual(out[8]["command"], "COMMIT")
        self.assertEqual(out[9]["rows"], [["default"]])


class HttpQueryTests(PgServerTestCase):
    def test_bad_body_is_400(self):
        status, body = self.server.request("POST", "/v1/query", "{\"query\": 1}")
        self.assertEqual(status, 400)
        self.assertIn("sql", body["error"]["message"])

    def test_unknown_table_is_404_and_a_syntax_error_400(self):
        status, body = self.server.request("POST", "/v1/query", json.dumps({"sql": "SELECT * FROM nosuch"}))
        self.assertEqual(status, 404, body)
        self.assertIn("table 'nosuch' not found", body["error"]["message"])
        status, body = self.server.request("POST", "/v1/query", json.dumps({"sql": "SELEC 1"}))
        self.assertEqual(status, 400, body)
        self.assertIn("SELEC", body["error"]["message"])

    def test_cli_query_reports_the_error(self):
        proc = self.kappa("query", "SELECT * FROM nosuch", ok=False)
        self.assert_error(proc, "table 'nosuch' not found")

    def test_server_json_names_the_pg_listener(self):
        with open(os.path.join(self.data_dir, "server.json")) as f:
            info = json.load(f)
        self.assertEqual(info["pg"], f"{self.host}:{self.port}")


# ---- rows from serving tables that a pipeline filled ---------------------------------------


def psql_rows(out):
    return [line for line in out.splitlines() if line]


class ShopDataTests(ShopServerTestCase):
    # -- psql --

    @unittest.skipIf(PSQL is None, "psql is not installed (Debian postgresql-client)")
    def test_psql_select_rows_of_every_type(self):
        out = self.psql("SELECT id, qty, amount, price, customer, day, ts, paid FROM order_log ORDER BY id").stdout
        self.assertEqual(psql_rows(out), [
            "1|2|12.50|6.25|ann|2024-01-31|2024-01-31 12:00:00.000|t",
            "2|1||0.5|bob|2024-02-01||f",
            "3|5|100.05|20.01|ann|2024-02-29|2024-02-29 23:59:59.123|t",
            "4|3|7.45|2.5|o'brien|2024-03-01|2024-03-01 08:30:00.500|t",
            "5|1|0.99|0.99|bob|2024-03-02|2024-03-02 00:00:00.000|f",
        ])
        out = self.psql("SELECT * FROM customer_totals ORDER BY customer").stdout
        self.assertEqual(psql_rows(out), [
            "ann|2|112.55|2024-02-29 23:59:59.123",
            "bob|2|0.99|2024-03-02 00:00:00.000",
            "o'brien|1|7.45|2024-03-01 08:30:00.500",
        ])

    @unittest.skipIf(PSQL is None, "psql is not installed (Debian postgresql-client)")
    def test_psql_aligned_output_has_the_column_names(self):
        args = [PSQL, "-X", "-h", self.host, "-p", str(self.port), "-U", "any", "-d", "any",
                "-c", "SELECT customer, orders FROM customer_totals ORDER BY customer LIMIT 2"]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60,
                              env=dict(self.env, PGCONNECT_TIMEOUT="10"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = [l.strip() for l in proc.stdout.splitlines()]
        self.assertEqual([l.split() for l in lines[:1]], [["customer", "|", "orders"]])
        self.assertIn("ann      |      2", lines)
        self.assertIn("(2 rows)", lines)

    @unittest.skipIf(PSQL is None, "psql is not installed (Debian postgresql-client)")
    def test_psql_dt_lists_the_tables(self):
        rows = psql_rows(self.psql("\\dt").stdout)
        self.assertIn("default|order_log|table|alice", rows)
        self.assertIn("default|customer_totals|table|alice", rows)
        rows = psql_rows(self.psql("\\d").stdout)
        self.assertIn("default|order_log|table|alice", rows)
        rows = psql_rows(self.psql("\\dt order_*").stdout)
        self.assertIn("default|order_log|table|alice", rows)
        self.assertNotIn("default|customer_totals|table|alice", rows)
        # No views, indexes or sequences.
        for command in ("\\dv", "\\di", "\\ds"):
            proc = self.psql(command)
            self.assertIn("Did not find any relations", proc.stdout + proc.stderr)

    @unittest.skipIf(PSQL is None, "psql is not installed (Debian postgresql-client)")
    def test_psql_d_describes_the_columns(self):
        rows = psql_rows(self.psql("\\d order_log").stdout)
        self.assertEqual([r.split("|")[:2] for r in rows], [
            ["id", "bigint"], ["qty", "integer"], ["amount", "numeric(10,2)"],
            ["price", "double precision"], ["customer", "text"], ["day", "date"],
            ["ts", "timestamp(3) without time zone"], ["paid", "boolean"]])
        rows = psql_rows(self.psql("\\d customer_totals").stdout)
        self.assertEqual(rows[0].split("|")[:4], ["customer", "text", "", "not null"])
        self.assertEqual(rows[2].split("|")[:2], ["total", "numeric(38,2)"])

    @unittest.skipIf(PSQL is None, "psql is not installed (Debian postgresql-client)")
    def test_psql_group_by_join_and_errors(self):
        out = self.psql("SELECT customer, SUM(qty) AS qty, COUNT(*) AS n FROM order_log "
                        "GROUP BY customer ORDER BY customer").stdout
        self.assertEqual(psql_rows(out), ["ann|7|2", "bob|2|2", "o'brien|3|1"])
        out = self.psql("SELECT o.id, c.orders, c.total FROM order_log o JOIN customer_totals c "
                        "ON o.customer = c.customer WHERE o.paid ORDER BY o.id").stdout
        self.assertEqual(psql_rows(out), ["1|2|112.55", "3|2|112.55", "4|1|7.45"])
        proc = self.psql("SELECT * FROM nosuch", ok=False)
        self.assertIn("table 'nosuch' not found", proc.stderr)
        proc = self.psql("SELECT nosuch FROM order_log", ok=False)
        self.assertIn("column 'nosuch' not found", proc.stderr)

    # -- psycopg2 --

    @unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
    def test_psycopg2_types_nulls_and_description(self):
        cur = self.connect().cursor()
        cur.execute("SELECT id, qty, amount, price, customer, day, ts, paid FROM order_log ORDER BY id")
        self.assertEqual(cur.fetchall(), ORDER_LOG)
        self.assertEqual([(c.name, c.type_code) for c in cur.description], [
            ("id", INT8), ("qty", INT4), ("amount", NUMERIC), ("price", FLOAT8), ("customer", TEXT),
            ("day", DATE), ("ts", TIMESTAMP), ("paid", BOOL)])
        self.assertEqual(cur.rowcount, 5)
        self.assertEqual(cur.statusmessage, "SELECT 5")
        cur.execute("SELECT * FROM customer_totals ORDER BY customer")
        self.assertEqual(cur.fetchall(), TOTALS)
        self.assertEqual([c.name for c in cur.description], ["customer", "orders", "total", "last_ts"])

    @unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
    def test_psycopg2_unaliased_expressions_are_named_as_postgres_names_them(self):
        cur = self.connect().cursor()
        cur.execute("SELECT COUNT(*), SUM(amount), MAX(o.ts) AS latest, customer, qty * 2 "
                    "FROM order_log o WHERE customer = 'ann' GROUP BY customer, qty ORDER BY qty")
        self.assertEqual([c.name for c in cur.description], ["count", "sum", "latest", "customer", "?column?"])
        self.assertEqual(cur.fetchall(), [(1, D("12.50"), DT(2024, 1, 31, 12), "ann", 4),
                                          (1, D("100.05"), DT(2024, 2, 29, 23, 59, 59, 123000), "ann", 10)])

    @unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
    def test_psycopg2_parameters_of_every_type(self):
        cur = self.connect().cursor()
        cases = [
            ("SELECT id FROM order_log WHERE id = %s", (3,), [(3,)]),
            ("SELECT id FROM order_log WHERE customer = %s ORDER BY id", ("o'brien",), [(4,)]),
            ("SELECT id FROM order_log WHERE paid = %s AND amount > %s ORDER BY id",
             (True, D("10.00")), [(1,), (3,)]),
            ("SELECT id FROM order_log WHERE price < %s ORDER BY id", (1.0,), [(2,), (5,)]),
            ("SELECT id FROM order_log WHERE day >= %s ORDER BY id", (datetime.date(2024, 2, 29),),
             [(3,), (4,), (5,)]),
            ("SELECT id FROM order_log WHERE ts = %s", (DT(2024, 2, 29, 23, 59, 59, 123000),), [(3,)]),
            ("SELECT id FROM order_log WHERE ts > %s ORDER BY id", (DT(2024, 3, 1),), [(4,), (5,)]),
            ("SELECT id FROM order_log WHERE id IN %s ORDER BY id", ((1, 5),), [(1,), (5,)]),
            ("SELECT id FROM order_log WHERE amount IS NULL", (), [(2,)]),
            ("SELECT %s AS s, %s AS n", ("it's", None), [("it's", None)]),
        ]
        for sql, params, expected in cases:
            with self.subTest(sql=sql):
                cur.execute(sql, params)
                self.assertEqual(cur.fetchall(), expected)

    @unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
    def test_psycopg2_errors_have_sqlstates_and_the_connection_keeps_working(self):
        conn = self.connect()
        cur = conn.cursor()
        for sql, error, code in (("SELEC 1", psycopg2.errors.SyntaxError, "42601"),
                                 ("SELECT * FROM nosuch", psycopg2.errors.UndefinedTable, "42P01"),
                                 ("SELECT nosuch FROM order_log", psycopg2.errors.UndefinedColumn, "42703")):
            with self.subTest(sql=sql):
                with self.assertRaises(error) as e:
                    cur.execute(sql)
                self.assertEqual(e.exception.pgcode, code)
                conn.rollback()
                cur.execute("SELECT COUNT(*) FROM order_log")
                self.assertEqual(cur.fetchone(), (5,))
                conn.rollback()
        # In autocommit mode the next statement needs no rollback.
        conn.autocommit = True
        with self.assertRaises(psycopg2.errors.UndefinedTable):
            cur.execute("SELECT * FROM nosuch")
        cur.execute("SELECT customer FROM customer_totals WHERE orders = %s ORDER BY customer", (2,))
        self.assertEqual(cur.fetchall(), [("ann",), ("bob",)])

    @unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
    def test_psycopg2_catalog_lists_tables_and_columns(self):
        cur = self.connect().cursor()
        cur.execute("SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'default' ORDER BY table_name")
        names = [r[0] for r in cur.fetchall()]
        self.assertIn("order_log", names)
        self.assertIn("customer_totals", names)
        cur.execute("SELECT column_name, data_type, is_nullable, numeric_precision, numeric_scale "
                    "FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
                    "ORDER BY ordinal_position DESC", ("default", "customer_totals"))
        self.assertEqual(cur.fetchall(), [("last_ts", "timestamp without time zone", "YES", None, None),
                                          ("total", "numeric", "YES", 38, 2),
                                          ("orders", "bigint", "YES", 64, 0),
                                          ("customer", "text", "NO", None, None)])
        cur.execute("SELECT schema_name FROM information_schema.schemata")
        self.assertIn(("default",), cur.fetchall())

    @unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
    def test_psycopg2_time_travel(self):
        cur = self.connect().cursor()
        cur.execute(f"SELECT id FROM order_log FOR VERSION AS OF {self.snapshots['order_log']} ORDER BY id")
        self.assertEqual(cur.fetchall(), [(1,), (2,), (3,)])
        cur.execute(f"SELECT * FROM customer_totals FOR VERSION AS OF {self.snapshots['customer_totals']} "
                    "ORDER BY customer")
        self.assertEqual(cur.fetchall(), TOTALS_ROUND_1)

    # -- node-postgres --

    @unittest.skipUnless(HAVE_NODE_PG, "node and tests/node_modules/pg are needed (npm ci --prefix tests)")
    def test_node_postgres_extended_protocol_with_parameters(self):
        out = self.node_pg([
            {"text": "SELECT id, qty, amount, price, customer, day, ts, paid FROM order_log "
                     "WHERE id = $1", "values": [1]},
            # Untyped parameters take their type from the context: a number
            # compared with BIGINT, a string that looks like a number compared
            # with a STRING column, booleans, dates and a JS-style ISO timestamp.
            {"text": "SELECT id FROM order_log WHERE customer = $1 AND qty >= $2 ORDER BY id",
             "values": ["ann", 3]},
            {"text": "SELECT id FROM order_log WHERE paid = $1 AND day >= $2 ORDER BY id",
             "values": [True, "2024-02-01"]},
            {"text": "SELECT id FROM order_log WHERE ts >= $1 ORDER BY id",
             "values": ["2024-03-01T00:00:00.000+00:00"]},
            {"text": "SELECT id FROM order_log WHERE customer = $1", "values": ["42"]},
            {"text": "SELECT id FROM order_log WHERE amount > $1 AND price < $2 ORDER BY id",
             "values": ["5.5", 10]},
            {"text": "SELECT id FROM order_log WHERE customer = $1", "values": ["o'brien"]},
            # A named statement, bound twice.
            {"name": "by_customer", "text": "SELECT orders, total FROM customer_totals WHERE customer = $1",
             "values": ["ann"]},
            {"name": "by_customer", "text": "SELECT orders, total FROM customer_totals WHERE customer = $1",
             "values": ["bob"]},
            # NULLs, GROUP BY, a join, ORDER BY ... LIMIT.
            {"text": "SELECT amount, ts FROM order_log WHERE id = $1", "values": [2]},
            {"text": "SELECT customer, COUNT(*) AS n, SUM(amount) AS total FROM order_log "
                     "WHERE id > $1 GROUP BY customer ORDER BY customer", "values": [0]},
            {"text": "SELECT o.id, c.total FROM order_log o JOIN customer_totals c "
                     "ON o.customer = c.customer WHERE c.orders = $1 ORDER BY o.id DESC LIMIT 2",
             "values": [2]},
            # Errors, and the connection goes on.
            {"text": "SELECT * FROM nosuch WHERE id = $1", "values": [1]},
            {"text": "SELEC $1", "values": [1]},
            {"text": "SELECT nosuch FROM order_log WHERE id = $1", "values": [1]},
            {"text": "SELECT COUNT(*) AS n FROM order_log WHERE id <> $1", "values": [1]},
            # Row limits over a real table: PortalSuspended and Execute again.
            {"text": "SELECT id FROM order_log ORDER BY id", "values": [], "rows": 2},
        ])
        first = out[0]
        self.assertEqual(first["fields"], [["id", INT8], ["qty", INT4], ["amount", NUMERIC],
                                           ["price", FLOAT8], ["customer", TEXT], ["day", DATE],
                                           ["ts", TIMESTAMP], ["paid", BOOL]])
        self.assertEqual(first["rows"], [["1", 2, "12.50", 6.25, "ann", "2024-01-31T00:00:00.000Z",
                                          "2024-01-31T12:00:00.000Z", True]])
        self.assertEqual(first["command"], "SELECT")
        self.assertEqual(first["rowCount"], 1)
        self.assertEqual(out[1]["rows"], [["3"]])
        self.assertEqual(out[2]["rows"], [["3"], ["4"]])
        self.assertEqual(out[3]["rows"], [["4"], ["5"]])
        self.assertEqual(out[4]["rows"], [])
        self.assertEqual(out[5]["rows"], [["1"], ["4"]])
        self.assertEqual(out[6]["rows"], [["4"]])
        self.assertEqual(out[7]["rows"], [["2", "112.55"]])
        self.assertEqual(out[8]["rows"], [["2", "0.99"]])
        self.assertEqual(out[9]["rows"], [[None, None]])
        self.assertEqual(out[10]["rows"], [["ann", "2", "112.55"], ["bob", "2", "0.99"],
                                           ["o'brien", "1", "7.45"]])
        self.assertEqual(out[11]["rows"], [["5", "0.99"], ["3", "112.55"]])
        self.assertEqual(out[12]["error"]["code"], "42P01")
        self.assertEqual(out[13]["error"]["code"], "42601")
        self.assertEqual(out[14]["error"]["code"], "42703")
        self.assertEqual(out[15]["rows"], [["4"]])
        self.assertEqual(out[16]["rows"], [["1"], ["2"], ["3"], ["4"], ["5"]])

    # -- the raw protocol: typed parameters and binary formats --

    def raw_client(self):
        c = RawClient(self.host, self.port)
        self.addCleanup(c.close)
        self.assertEqual(c.startup(database="shop")[-1], (b"Z", b"I"))
        return c

    def raw_query(self, c, sql, types=(), params=(), formats=(), result_formats=()):
        c.parse(sql, types=types)
        body = b"\0\0" + struct.pack("!h", len(formats)) + b"".join(struct.pack("!h", f) for f in formats)
        body += struct.pack("!h", len(params))
        for p in params:
            body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
        body += struct.pack("!h", len(result_formats)) + b"".join(struct.pack("!h", f) for f in result_formats)
        c.send(b"B", body)
        c.describe(b"P")
        c.execute()
        c.sync()
        return c.read_until_ready()

    def test_raw_typed_parameters_from_parse(self):
        c = self.raw_client()
        # int8, bool, date, timestamp and numeric parameters, typed by Parse, sent as text.
        messages = self.raw_query(
            c, "SELECT id FROM order_log WHERE id >= $1 AND paid = $2 AND day >= $3 AND ts >= $4 "
               "AND amount >= $5 ORDER BY id",
            types=(INT8, BOOL, DATE, TIMESTAMP, NUMERIC),
            params=(b"1", b"t", b"2024-01-01", b"2024-01-31T12:00:00", b"7.45"))
        self.assertEqual([k for k, _ in messages], [b"1", b"2", b"T", b"D", b"D", b"D", b"C", b"Z"])
        self.assertEqual([data_row(b) for k, b in messages if k == b"D"], [[b"1"], [b"3"], [b"4"]])
        self.assertEqual(dict(messages)[b"C"], b"SELECT 3\0")
        # The same parameters in binary (numeric in text: it has no binary decoder here).
        messages = self.raw_query(
            c, "SELECT id FROM order_log WHERE id = $1 OR (paid = $2 AND day = $3) OR ts = $4 OR amount = $5 "
               "ORDER BY id",
            types=(INT8, BOOL, DATE, TIMESTAMP, NUMERIC), formats=(1, 1, 1, 1, 0),
            params=(struct.pack("!q", 2), b"\1", struct.pack("!i", (datetime.date(2024, 3, 1) - datetime.date(2000, 1, 1)).days),
                    struct.pack("!q", int((DT(2024, 3, 2) - DT(2000, 1, 1)).total_seconds() * 1_000_000)),
                    b"0.99"))
        self.assertEqual([data_row(b) for k, b in messages if k == b"D"], [[b"2"], [b"4"], [b"5"]])
        # A bad value for a typed parameter is 22P02.
        messages = self.raw_query(c, "SELECT id FROM order_log WHERE paid = $1", types=(BOOL,), params=(b"maybe",))
        self.assertEqual(error_fields(messages[1][1])["C"], "22P02")

    def test_raw_binary_results(self):
        c = self.raw_client()
        messages = self.raw_query(c, "SELECT id, qty, price, customer, day, ts, paid FROM order_log WHERE id = 3",
                                  result_formats=(1,))
        kinds = [k for k, _ in messages]
        self.assertEqual(kinds, [b"1", b"2", b"T", b"D", b"C", b"Z"])
        fields = row_description(messages[2][1])
        self.assertEqual([(n, oid, fmt) for n, oid, fmt in fields], [
            ("id", INT8, 1), ("qty", INT4, 1), ("price", FLOAT8, 1), ("customer", TEXT, 1),
            ("day", DATE, 1), ("ts", TIMESTAMP, 1), ("paid", BOOL, 1)])
        cells = data_row(messages[3][1])
        self.assertEqual(struct.unpack("!q", cells[0])[0], 3)
        self.assertEqual(struct.unpack("!i", cells[1])[0], 5)
        self.assertEqual(struct.unpack("!d", cells[2])[0], 20.01)
        self.assertEqual(cells[3], b"ann")
        self.assertEqual(datetime.date(2000, 1, 1) + datetime.timedelta(days=struct.unpack("!i", cells[4])[0]),
                         datetime.date(2024, 2, 29))
        self.assertEqual(DT(2000, 1, 1) + datetime.timedelta(microseconds=struct.unpack("!q", cells[5])[0]),
                         DT(2024, 2, 29, 23, 59, 59, 123000))
        self.assertEqual(cells[6], b"\1")
        # numeric has no binary result format here: a clear error, then the session goes on.
        messages = self.raw_query(c, "SELECT amount FROM order_log", result_formats=(1,))
        fields = error_fields(messages[-2][1])
        self.assertEqual(fields["C"], "0A000")
        self.assertIn('binary format for column "amount"', fields["M"])
        messages = self.raw_query(c, "SELECT amount FROM order_log WHERE id = 1", result_formats=(0,))
        self.assertEqual([data_row(b) for k, b in messages if k == b"D"], [[b"12.50"]])

    # -- HTTP POST /v1/query --

    def test_http_json(self):
        status, ctype, text = self.http_query(
            "SELECT id, qty, amount, price, customer, day, ts, paid FROM order_log ORDER BY id LIMIT 2")
        self.assertEqual(status, 200, text)
        self.assertIn("json", ctype)
        body = json.loads(text, parse_float=D)
        self.assertEqual(body["columns"], [
            {"name": "id", "type": "BIGINT"}, {"name": "qty", "type": "INT"},
            {"name": "amount", "type": "DECIMAL(10, 2)"}, {"name": "price", "type": "DOUBLE"},
            {"name": "customer", "type": "STRING"}, {"name": "day", "type": "DATE"},
            {"name": "ts", "type": "TIMESTAMP(3)"}, {"name": "paid", "type": "BOOLEAN"}])
        self.assertEqual(body["rows"], [
            [1, 2, D("12.50"), D("6.25"), "ann", "2024-01-31", "2024-01-31 12:00:00.000", True],
            [2, 1, None, D("0.5"), "bob", "2024-02-01", None, False]])

    def test_http_csv(self):
        status, ctype, text = self.http_query(
            "SELECT customer, orders, total, last_ts FROM customer_totals ORDER BY customer", accept="text/csv")
        self.assertEqual(status, 200, text)
        self.assertIn("text/csv", ctype)
        self.assertEqual(list(csv.reader(io.StringIO(text))), [
            ["customer", "orders", "total", "last_ts"],
            ["ann", "2", "112.55", "2024-02-29 23:59:59.123"],
            ["bob", "2", "0.99", "2024-03-02 00:00:00.000"],
            ["o'brien", "1", "7.45", "2024-03-01 08:30:00.500"]])

    def test_http_group_by_join_and_time_travel(self):
        status, _, text = self.http_query(
            "SELECT customer, COUNT(*) AS n, MAX(day) AS last_day FROM order_log "
            "GROUP BY customer ORDER BY n DESC, customer LIMIT 2")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["rows"], [["ann", 2, "2024-02-29"], ["bob", 2, "2024-03-02"]])
        status, _, text = self.http_query(
            "SELECT o.id, c.last_ts FROM order_log AS o JOIN customer_totals AS c "
            "ON o.customer = c.customer WHERE o.qty >= 3 ORDER BY o.id")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["rows"], [[3, "2024-02-29 23:59:59.123"],
                                                    [4, "2024-03-01 08:30:00.500"]])
        status, _, text = self.http_query(
            f"SELECT COUNT(*) AS n FROM order_log FOR VERSION AS OF {self.snapshots['order_log']}")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["rows"], [[3]])
        status, _, text = self.http_query(
            f"SELECT customer, orders FROM customer_totals FOR SYSTEM_TIME AS OF "
            f"TIMESTAMP '{self.snapshots['customer_totals@time']}' ORDER BY customer")
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["rows"], [["ann", 2], ["bob", 1]])
        status, _, text = self.http_query("SELECT * FROM nosuch")
        self.assertEqual(status, 404, text)

    # -- kappa query --

    def test_cli_table_csv_and_json(self):
        sql = "SELECT id, amount, customer, paid FROM order_log WHERE id <= 2 ORDER BY id"
        out = self.kappa("query", sql, "--format", "table").stdout
        self.assertEqual([l.split() for l in out.splitlines()], [
            ["id", "amount", "customer", "paid"], ["1", "12.50", "ann", "true"],
            ["2", "NULL", "bob", "false"], ["(2", "rows)"]])
        out = self.kappa("query", sql, "--format", "csv").stdout
        self.assertEqual(list(csv.reader(io.StringIO(out))), [
            ["id", "amount", "customer", "paid"], ["1", "12.50", "ann", "true"], ["2", "", "bob", "false"]])
        body = json.loads(self.kappa("query", sql, "--format", "json").stdout, parse_float=D)
        self.assertEqual([c["name"] for c in body["columns"]], ["id", "amount", "customer", "paid"])
        self.assertEqual(body["rows"], [[1, D("12.50"), "ann", True], [2, None, "bob", False]])

    def test_cli_group_by_join_and_time_travel(self):
        out = self.kappa("query", "SELECT customer, SUM(qty) AS qty FROM order_log GROUP BY customer "
                         "ORDER BY qty DESC LIMIT 1", "--format", "csv").stdout
        self.assertEqual(out.splitlines(), ["customer,qty", "ann,7"])
        out = self.kappa("query", "SELECT c.customer, COUNT(*) AS n FROM customer_totals c JOIN order_log o "
                         "ON c.customer = o.customer GROUP BY c.customer ORDER BY c.customer",
                         "--format", "csv").stdout
        self.assertEqual(out.splitlines(), ["customer,n", "ann,2", "bob,2", "o'brien,1"])
        snapshot = self.snapshots["customer_totals"]
        body = json.loads(self.kappa("query", f"SELECT customer, orders FROM customer_totals "
                                     f"FOR VERSION AS OF {snapshot} ORDER BY customer",
                                     "--format", "json").stdout)
        self.assertEqual(body["rows"], [["ann", 2], ["bob", 1]])


@unittest.skipIf(psycopg2 is None, "psycopg2 is not installed (Debian python3-psycopg2)")
class ShopWithPasswordTests(ShopServerTestCase):
    server_args = ("--pg-password", "s3cret")

    def test_psycopg2_needs_the_password_to_read_rows(self):
        with self.assertRaises(psycopg2.OperationalError) as e:
            self.connect(password="wrong")
        self.assertIn("password authentication failed", str(e.exception))
        cur = self.connect(password="s3cret", user="dashboard").cursor()
        cur.execute("SELECT customer, total FROM customer_totals WHERE customer = %s", ("ann",))
        self.assertEqual(cur.fetchall(), [("ann", D("112.55"))])

    @unittest.skipIf(PSQL is None, "psql is not installed (Debian postgresql-client)")
    def test_psql_with_the_password(self):
        out = self.psql("SELECT COUNT(*) FROM order_log", password="s3cret").stdout
        self.assertEqual(psql_rows(out), ["5"])
        proc = self.psql("SELECT COUNT(*) FROM order_log", password="nope", ok=False)
        self.assertIn("password authentication failed", proc.stderr)

    @unittest.skipUnless(HAVE_NODE_PG, "node and tests/node_modules/pg are needed (npm ci --prefix tests)")
    def test_node_postgres_with_the_password(self):
        out = self.node_pg([{"text": "SELECT id FROM order_log WHERE customer = $1 ORDER BY id",
                             "values": ["bob"]}], password="s3cret")
        self.assertEqual(out[0]["rows"], [["2"], ["5"]])


if __name__ == "__main__":
    unittest.main()
