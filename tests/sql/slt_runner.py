#!/usr/bin/python3
"""Runs one sqllogictest-style file of Kappa's (tests/sql/README.md) against a
real `kappa server` on a fresh data dir. Usage: slt_runner.py FILE.test

Exit status 0 when every record of the file passed; otherwise the first
failure is printed with the file and line, and the status is 1.
"""

import decimal
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
import kappa_testlib  # noqa: E402

KAPPA = kappa_testlib.KAPPA
WAIT_SECONDS = float(os.environ.get("KAPPA_SLT_WAIT", "60"))


class Failure(Exception):
    pass


class Record:
    """One block of the file: a directive line, body lines, expected lines."""

    def __init__(self, line_no, words, body, expected):
        self.line_no = line_no
        self.words = words
        self.body = body
        self.expected = expected

    def option(self, name, default=None):
        for w in self.words:
            if w.startswith(name + "="):
                return w.split("=", 1)[1]
        return default

    def flag(self, name):
        return name in self.words


def parse(path):
    """Blocks separated by blank lines; '#' lines are comments; '----' splits
    a block's body from its expected output."""
    records, block, start = [], [], 0
    with open(path) as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines + [""], 1):
        if line.strip() == "" and block:
            records.append(make_record(start, block))
            block = []
        elif line.strip() != "" and not (not block and line.startswith("#")):
            if not block:
                start = i
            block.append(line)
    return records


def make_record(line_no, lines):
    words = lines[0].split()
    rest = lines[1:]
    if "----" in rest:
        k = rest.index("----")
        return Record(line_no, words, rest[:k], rest[k + 1:])
    return Record(line_no, words, rest, None)


class Runner:
    def __init__(self, path):
        self.path = path
        self.tmp = tempfile.TemporaryDirectory(prefix="kappa_slt_", dir=os.environ.get("KAPPA_TMP"))
        self.data_dir = os.path.join(self.tmp.name, "data")
        self.server = None
        self.env = dict(os.environ, KAPPA_DATA_DIR=self.data_dir)

    # --- the server ---------------------------------------------------------

    def start_server(self):
        cmd = [KAPPA, "--data-dir", self.data_dir, "server", "--http-listen", "127.0.0.1:0",
               "--kafka-listen", "127.0.0.1:0"]
        if "--pg-listen" in subprocess.run([KAPPA, "server", "--help"], capture_output=True,
                                           text=True).stdout:
            cmd += ["--pg-listen", "127.0.0.1:0"]
        proc = subprocess.Popen(cmd, cwd=self.tmp.name, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.server = kappa_testlib.KappaServer(proc)
        self.server.wait_ready(("http",))
        self.env["KAPPA_SERVER"] = self.server.http_url

    def stop_server(self, sig):
        if self.server:
            self.server.stop(sig)
            self.server = None
            self.env.pop("KAPPA_SERVER", None)

    # --- helpers ------------------------------------------------------------

    def kappa(self, rec, *args, input=None, expect_ok=True):
        proc = subprocess.run([KAPPA, *args], input=input, capture_output=True, text=True,
                              cwd=self.tmp.name, env=self.env, timeout=120)
        if expect_ok and proc.returncode != 0:
            raise Failure(f"line {rec.line_no}: kappa {' '.join(args)} failed:\n{proc.stderr}")
        return proc

    def status(self, rec, name):
        out = self.kappa(rec, "pipeline", "status", name, "--json").stdout
        return json.loads(out)

    def wait_idle(self, rec, name):
        """Until every running version of `name` has read to the end of its
        sources and committed a checkpoint covering it."""
        deadline = time.monotonic() + WAIT_SECONDS
        version = rec.option("version")
        while True:
            st = self.status(rec, name)
            versions = [v for v in st["versions"]
                        if version is None or str(v["version"]) == version.lstrip("v")]
            if versions and all(v.get("idle") or v.get("state") == "failed" for v in versions):
                failed = [v for v in versions if v.get("state") == "failed"]
                if failed and not rec.flag("failed"):
                    raise Failure(f"line {rec.line_no}: pipeline {name} failed: "
                                  f"{failed[0].get('error')}")
                return st
            if time.monotonic() > deadline:
                raise Failure(f"line {rec.line_no}: pipeline {name} not idle after "
                              f"{WAIT_SECONDS} s: {json.dumps(st)}")
            time.sleep(0.1)

    def compare(self, rec, actual, expected, what):
        if rec.flag("rowsort"):
            actual, expected = sorted(actual), sorted(expected)
        if actual != expected:
            raise Failure(f"line {rec.line_no}: {what} differs\nexpected:\n  " +
                          "\n  ".join(expected) + "\nactual:\n  " + "\n  ".join(actual))

    # --- directives ---------------------------------------------------------

    def do_topic(self, rec):
        # topic create NAME [partitions=N]
        args = ["topic", "create", rec.words[2]]
        if rec.option("partitions"):
            args += ["--partitions", rec.option("partitions")]
        self.kappa(rec, *args)

    def do_produce(self, rec):
        # produce TOPIC [partition=P] [key=FIELD] [raw] ; body: JSON lines (raw: any text)
        args = ["produce", rec.words[1]]
        if rec.flag("raw"):
            args += ["--raw"]
        if rec.option("partition") is not None:
            args += ["--partition", rec.option("partition")]
        if rec.option("key"):
            args += ["--key-field", rec.option("key")]
        self.kappa(rec, *args, input="\n".join(rec.body) + "\n")

    def do_pipeline(self, rec):
        action, name = rec.words[1], rec.words[2]
        if action == "deploy":
            sql_path = os.path.join(self.tmp.name, f"{name}.sql")
            with open(sql_path, "w") as f:
                f.write("\n".join(rec.body) + "\n")
            args = ["pipeline", "deploy", name, sql_path]
            if rec.option("from"):
                args += ["--from", rec.option("from")]
            expect_error = rec.flag("error")
            proc = self.kappa(rec, *args, expect_ok=not expect_error)
            if expect_error:
                if proc.returncode == 0:
                    raise Failure(f"line {rec.line_no}: deploy succeeded, expected an error")
                self.check_error(rec, proc.stderr)
        elif action == "wait":
            self.wait_idle(rec, name)
        elif action == "status":
            st = self.wait_idle(rec, name) if rec.flag("idle") else self.status(rec, name)
            self.check_status(rec, st)
        elif action in ("stop", "promote", "retire", "rollback"):
            self.kappa(rec, "pipeline", action, *rec.words[2:])
        else:
            raise Failure(f"line {rec.line_no}: unknown pipeline action {action}")

    def check_status(self, rec, st):
        # expected lines: path=value, path into the JSON with dots and [i]
        for line in rec.expected or []:
            path, want = line.split("=", 1)
            got = st
            for part in path.strip().split("."):
                got = got[int(part)] if isinstance(got, list) else got.get(part)
            if str(got) != want.strip():
                raise Failure(f"line {rec.line_no}: status {path} is {got}, expected {want}")

    def check_error(self, rec, stderr):
        text = stderr.strip()
        if text.startswith("kappa: error: "):
            text = text[len("kappa: error: "):]
        want = "\n".join(rec.expected or [])
        if want not in text:
            raise Failure(f"line {rec.line_no}: error text differs\nexpected to contain:\n{want}\n"
                          f"actual:\n{text}")

    def do_consume(self, rec):
        # consume TOPIC [rowsort] [keys] [compact] ; expected: one JSON value (or
        # KEY VALUE) per line. compact: the table an upsert topic describes,
        # the last value per key with tombstones removing keys, as KEY VALUE
        # lines sorted.
        args = ["consume", rec.words[1], "--from", "earliest", "--with-meta"]
        out = self.kappa(rec, *args).stdout
        actual = []
        latest = {}
        for line in out.splitlines():
            r = json.loads(line)
            value = r.get("value")
            value = json.dumps(json.loads(value), sort_keys=True) if value is not None else "null"
            key = r.get("key")
            key = json.dumps(json.loads(key), sort_keys=True) if key is not None else "null"
            if rec.flag("compact"):
                latest.pop(key, None)  # a key's position is its last change
                if value != "null":
                    latest[key] = value
            elif rec.flag("keys"):
                actual.append(f"{key} {value}")
            else:
                actual.append(value)
        if rec.flag("compact"):
            actual = sorted(f"{k} {v}" for k, v in latest.items())
        expected = []
        for line in rec.expected or []:
            if rec.flag("compact"):
                key, value = split_key_value(line)
                expected.append(f"{canon(key)} {canon(value)}")
            elif rec.flag("keys"):
                key, value = split_key_value(line)
                expected.append(f"{canon(key)} {canon(value)}")
            else:
                expected.append(canon(line))
        if rec.flag("compact"):
            expected.sort()
        self.compare(rec, actual, expected, f"topic {rec.words[1]}")

    def do_query(self, rec):
        # query [rowsort] ; body: SQL ; expected: rows, values separated by '|'
        sql = "\n".join(rec.body)
        proc = self.kappa(rec, "sql", sql, "--format", "json")
        result = json.loads(proc.stdout, parse_float=decimal.Decimal)  # "21.00" keeps its scale
        actual = ["|".join(fmt_value(v) for v in row) for row in result["rows"]]
        self.compare(rec, actual, rec.expected or [], "query result")

    def do_statement(self, rec):
        # statement ok | statement error ; body: SQL ; expected: error text
        sql = "\n".join(rec.body)
        proc = self.kappa(rec, "sql", sql, "--format", "json", expect_ok=False)
        if rec.words[1] == "ok":
            if proc.returncode != 0:
                raise Failure(f"line {rec.line_no}: statement failed: {proc.stderr}")
        else:
            if proc.returncode == 0:
                raise Failure(f"line {rec.line_no}: statement succeeded, expected an error")
            self.check_error(rec, proc.stderr)

    def do_server(self, rec):
        action = rec.words[1]
        if action == "kill":
            self.stop_server(signal.SIGKILL)
        elif action == "stop":
            self.stop_server(signal.SIGTERM)
        elif action in ("start", "restart"):
            if action == "restart":
                self.stop_server(signal.SIGTERM)
            self.start_server()
        else:
            raise Failure(f"line {rec.line_no}: unknown server action {action}")

    def run(self):
        self.start_server()
        try:
            for rec in parse(self.path):
                handler = getattr(self, "do_" + rec.words[0], None)
                if handler is None:
                    raise Failure(f"line {rec.line_no}: unknown directive {rec.words[0]}")
                handler(rec)
        finally:
            if self.server:
                self.stop_server(signal.SIGTERM)
            self.tmp.cleanup()


def split_key_value(line):
    """'{"k":1} {"v":2}' -> the two JSON texts (the key never contains '} {')."""
    dec = json.JSONDecoder()
    key, end = dec.raw_decode(line)
    return json.dumps(key), line[end:].strip()


def canon(text):
    return json.dumps(json.loads(text), sort_keys=True)


def fmt_value(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def main():
    path = sys.argv[1]
    try:
        Runner(path).run()
    except Failure as f:
        print(f"{os.path.basename(path)}: {f}", file=sys.stderr)
        return 1
    print(f"{os.path.basename(path)}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
