"""The PostgreSQL wire protocol listener and the query front doors, driven by
real clients: psql (Debian postgresql-client), psycopg2 (Debian
python3-psycopg2, this file runs under /usr/bin/python3), node-postgres (npm
`pg` in tests/node_modules) and a raw protocol v3 client written here for
what the drivers do not expose (PortalSuspended, discard until Sync, binary
formats, GSSENCRequest, CancelRequest).

Everything protocol-level runs now against a server without a query engine:
startup, SSL refusal, password authentication, SET/SHOW, BEGIN/COMMIT/
ROLLBACK and the aborted-transaction state, version()/current_schema(), the
catalog emulation over an empty warehouse (psql \\dt, \\d, \\dn, \\l), errors.
The tests that need rows from tables (class DataQueryTests) are written and
skipped until the engine provides bounded query execution as the server's
QueryService (src/serve/query_service.h).
"""

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kappa_testlib import ROOT, KappaTestCase  # noqa: E402

try:
    import psycopg2
    import psycopg2.extensions
except ImportError:  # pragma: no cover - the setup script installs it
    psycopg2 = None

PSQL = shutil.which("psql")
NODE = shutil.which("node")
NODE_MODULES = os.path.join(ROOT, "tests", "node_modules")
HAVE_NODE_PG = NODE is not None and os.path.isdir(os.path.join(NODE_MODULES, "pg"))

ENGINE_MISSING = ("needs bounded query execution: the engine's QueryService is not wired "
                  "into `kappa server` yet (src/serve/query_service.h)")


class PgServerTestCase(KappaTestCase):
    """A test with a `kappa server` whose pg-wire listener is on a free port."""

    server_args = ()

    def setUp(self):
        super().setUp()
        self.server = self.start_server(*self.server_args, listeners=("http", "pg"))
        self.host, self.port = self.server.addresses["pg"]

    def psql(self, *commands, ok=True, user="alice", password=None):
        """Runs psql with one -c per command; returns the CompletedProcess."""
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

    def node(self, script):
        """Runs a node-postgres script (with `config` defined); returns its JSON output."""
        config = {"host": self.host, "port": self.port, "user": "alice", "database": "shop"}
        program = f"const pg = require('pg');\nconst config = {json.dumps(config)};\n{script}"
        path = self.write("client.js", program)
        proc = subprocess.run([NODE, path], capture_output=True, text=True, timeout=60,
                              env=dict(self.env, NODE_PATH=NODE_MODULES))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)


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
        c.startup()
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
        out = self.psql("SET application_name = 'dash'; SHOW application_name",
                        "SHOW server_version", "SHOW client_encoding", "SHOW TimeZone").stdout
        self.assertEqual(out.split("\n")[:4], ["dash", "15.0 (Kappa)", "UTF8", "UTC"])

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

    def test_queries_without_an_engine_say_so(self):
        proc = self.psql("SELECT * FROM orders", ok=False)
        self.assertIn("queries are not available", proc.stderr)


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
        cur.execute("SET search_path TO %s", ("default",))
        cur.execute("SHOW search_path")
        self.assertEqual(cur.fetchone(), ("default",))
        self.assertEqual(conn.get_transaction_status(),
                         psycopg2.extensions.TRANSACTION_STATUS_IDLE)

    def test_catalog_listing_of_an_empty_warehouse(self):
        conn = self.connect()
        cur = conn.cursor()
        cur.execute("SELECT table_schema, table_name FROM information_schema.tables "
                    "WHERE table_schema = 'default'")
        self.assertEqual(cur.fetchall(), [])

    def test_query_without_engine_is_a_clear_error(self):
        conn = self.connect()
        cur = conn.cursor()
        with self.assertRaises(psycopg2.Error) as e:
            cur.execute("SELECT * FROM orders WHERE id = %s", (5,))
        self.assertEqual(e.exception.pgcode, "0A000")
        self.assertIn("queries are not available", str(e.exception))


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
    def test_simple_and_extended_queries_and_errors(self):
        out = self.node("""
(async () => {
  const client = new pg.Client(config);
  await client.connect();
  const out = {};
  out.version = (await client.query('SELECT version()')).rows[0].version;
  // A named prepared statement: Parse once, then Bind/Describe/Execute/Sync.
  const q = {name: 'tz', text: 'SHOW TimeZone'};
  out.tz1 = (await client.query(q)).rows[0].timezone;
  out.tz2 = (await client.query(q)).rows[0].timezone;
  // Row limits: Execute with max rows, PortalSuspended, Execute again.
  out.settings = (await client.query({text: 'SHOW ALL', rows: 4})).rows.length;
  // Binary results.
  out.binary = (await client.query({text: 'SELECT current_user', binary: true})).rows[0].current_user;
  try { await client.query('SHOW nope'); } catch (e) { out.code = e.code; }
  // A parameterized query reaches the engine, which is not there yet.
  try { await client.query('SELECT * FROM orders WHERE id = $1', [5]); } catch (e) { out.engine = e.code; }
  await client.query('BEGIN');
  out.in_txn = (await client.query('SHOW DateStyle')).rows[0].datestyle;
  await client.query('COMMIT');
  out.after = (await client.query('SELECT current_schema()')).rows[0].current_schema;
  await client.end();
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
""")
        self.assertIn("Kappa", out["version"])
        self.assertEqual(out["tz1"], "UTC")
        self.assertEqual(out["tz2"], "UTC")
        self.assertGreater(out["settings"], 10)
        self.assertEqual(out["binary"], "alice")
        self.assertEqual(out["code"], "42704")
        self.assertEqual(out["engine"], "0A000")
        self.assertEqual(out["in_txn"], "ISO, MDY")
        self.assertEqual(out["after"], "default")


# ---- HTTP and the CLI ------------------------------------------------------------------


class HttpQueryTests(PgServerTestCase):
    def test_query_without_engine_is_501_with_a_json_error(self):
        status, body = self.server.request("POST", "/v1/query", json.dumps({"sql": "SELECT 1"}))
        self.assertEqual(status, 501)
        self.assertIn("queries are not available", body["error"]["message"])
        self.assertEqual(body["error"]["code"], 501)

    def test_bad_body_is_400(self):
        status, body = self.server.request("POST", "/v1/query", "{\"query\": 1}")
        self.assertEqual(status, 400)
        self.assertIn("sql", body["error"]["message"])

    def test_cli_query_reports_the_error(self):
        proc = self.kappa("query", "SELECT 1", ok=False)
        self.assert_error(proc, "queries are not available")

    def test_server_json_names_the_pg_listener(self):
        with open(os.path.join(self.data_dir, "server.json")) as f:
            info = json.load(f)
        self.assertEqual(info["pg"], f"{self.host}:{self.port}")


# ---- rows from tables: enabled when the engine lands -------------------------------------


@unittest.skip(ENGINE_MISSING)
class DataQueryTests(PgServerTestCase):
    """Expect a serving table default.orders(id BIGINT, amount DECIMAL(10,2),
    name STRING, ts TIMESTAMP(3), ok BOOLEAN) with rows (1, 12.50, 'a',
    2024-01-31 12:00:00.000, TRUE) and (2, NULL, 'b', NULL, FALSE); the
    fixture that creates it comes with the engine's pipeline support."""

    def test_psql_select_rows(self):
        out = self.psql("SELECT id, amount, name, ts, ok FROM orders ORDER BY id").stdout
        self.assertEqual(out.splitlines(), ["1|12.50|a|2024-01-31 12:00:00.000|t", "2||b||f"])

    def test_psql_dt_and_d_list_the_table(self):
        self.assertIn("default|orders|table|alice", self.psql("\\dt").stdout)
        out = self.psql("\\d orders").stdout
        self.assertIn("amount|numeric(10,2)", out)
        self.assertIn("ts|timestamp(3) without time zone", out)

    def test_psycopg2_typed_values(self):
        import datetime
        import decimal
        cur = self.connect().cursor()
        cur.execute("SELECT id, amount, name, ts, ok FROM orders WHERE id = %s", (1,))
        self.assertEqual(cur.fetchall(), [(1, decimal.Decimal("12.50"), "a",
                                           datetime.datetime(2024, 1, 31, 12), True)])

    def test_unknown_table_and_column_sqlstates(self):
        cur = self.connect(options="").cursor()
        with self.assertRaises(psycopg2.Error) as e:
            cur.execute("SELECT * FROM nosuch")
        self.assertEqual(e.exception.pgcode, "42P01")
        cur.connection.rollback()
        with self.assertRaises(psycopg2.Error) as e:
            cur.execute("SELECT nosuch FROM orders")
        self.assertEqual(e.exception.pgcode, "42703")
        cur.connection.rollback()
        with self.assertRaises(psycopg2.Error) as e:
            cur.execute("SELEC 1")
        self.assertEqual(e.exception.pgcode, "42601")

    def test_node_postgres_parameters(self):
        out = self.node("""
(async () => {
  const client = new pg.Client(config);
  await client.connect();
  const r = await client.query('SELECT id, name FROM orders WHERE id = $1', [2]);
  console.log(JSON.stringify(r.rows));
  await client.end();
})();
""")
        self.assertEqual(out, [{"id": "2", "name": "b"}])

    def test_http_json_and_csv(self):
        status, body = self.server.request("POST", "/v1/query", json.dumps(
            {"sql": "SELECT id, amount, ts FROM orders ORDER BY id"}))
        self.assertEqual(status, 200)
        self.assertEqual(body["columns"][1], {"name": "amount", "type": "DECIMAL(10, 2)"})
        self.assertEqual(body["rows"], [[1, 12.5, "2024-01-31 12:00:00.000"], [2, None, None]])
        out = self.kappa("query", "SELECT id, name FROM orders ORDER BY id", "--format", "csv").stdout
        self.assertEqual(out, "id,name\r\n1,a\r\n2,b\r\n")

    def test_cli_table(self):
        out = self.kappa("query", "SELECT id, name FROM orders ORDER BY id").stdout
        self.assertEqual(out.splitlines(), ["id  name", "1   a", "2   b", "(2 rows)"])


if __name__ == "__main__":
    unittest.main()
