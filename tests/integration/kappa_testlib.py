"""Shared helpers for the integration tests of the `kappa` binary.

The binary is $KAPPA_BIN (default: build/kappa); scratch files go under
$KAPPA_TMP (default: the system temp dir), one fresh directory per test.
Standard library only.
"""

import gzip
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KAPPA = os.environ.get("KAPPA_BIN") or os.path.join(ROOT, "build", "kappa")


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), unsigned."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    rest, base = length % 4, length & ~3
    if rest == 3:
        h ^= data[base + 2] << 16
    if rest >= 2:
        h ^= data[base + 1] << 8
    if rest >= 1:
        h ^= data[base]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def kafka_partition(key: str, partitions: int) -> int:
    """The partition Kafka's default partitioner picks for a keyed record."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


_LISTENING = re.compile(r"^kappa: (\w[\w-]*) listening on (\S+):(\d+)\s*$")


class KappaServer:
    """A running `kappa server` (see KappaTestCase.start_server).

    Attributes: proc; addresses {"http": ("127.0.0.1", port), "kafka": ...} parsed
    from its "kappa: NAME listening on HOST:PORT" lines; http_url
    ("http://127.0.0.1:PORT"); kafka_bootstrap ("127.0.0.1:PORT") when a Kafka
    listener printed its line. stdout and stderr are drained by a thread into
    self.stdout_lines / self.stderr_lines (so a chatty server never blocks).
    """

    def __init__(self, proc):
        self.proc = proc
        self.addresses = {}
        self.stdout_lines = []
        self.stderr_lines = []
        self._cond = threading.Condition()
        self._threads = [threading.Thread(target=self._drain, args=(s, l), daemon=True)
                         for s, l in ((proc.stdout, self.stdout_lines),
                                      (proc.stderr, self.stderr_lines))]
        for t in self._threads:
            t.start()

    def _drain(self, stream, lines):
        try:
            for line in stream:
                with self._cond:
                    lines.append(line)
                    m = _LISTENING.match(line)
                    if m:
                        self.addresses[m.group(1)] = (m.group(2), int(m.group(3)))
                    self._cond.notify_all()
        except (ValueError, OSError):
            pass  # tearDown closed the pipe
        with self._cond:
            self._cond.notify_all()

    def wait_ready(self, listeners=("http",), timeout=15.0):
        """Waits for a "listening" line from each listener; raises if the server exits."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not all(name in self.addresses for name in listeners):
                if self.proc.poll() is not None:
                    time.sleep(0.1)  # let the drain threads catch the last lines
                    raise RuntimeError(f"kappa server exited with {self.proc.returncode}: "
                                       f"{''.join(self.stderr_lines)}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"kappa server not ready after {timeout} s; stdout: "
                                       f"{''.join(self.stdout_lines)} stderr: "
                                       f"{''.join(self.stderr_lines)}")
                self._cond.wait(min(left, 0.2))

    @property
    def http_url(self):
        host, port = self.addresses["http"]
        return f"http://{host}:{port}"

    @property
    def kafka_bootstrap(self):
        host, port = self.addresses["kafka"]
        return f"{host}:{port}"

    def request(self, method, path, body=None, timeout=30):
        """(status, parsed JSON or text) of an HTTP request; 4xx/5xx do not raise."""
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.http_url + path, data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, raw, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        text = raw.decode()
        return status, (json.loads(text) if "json" in ctype and text else text)

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Signals the server and waits; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        for t in self._threads:
            t.join(timeout=5)
        return code


class KappaTestCase(unittest.TestCase):
    """A test with its own scratch directory and data dir."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="kappa_it_", dir=os.environ.get("KAPPA_TMP"))
        self.dir = self._tmp.name
        self.data_dir = os.path.join(self.dir, "data")
        self.env = dict(os.environ, KAPPA_DATA_DIR=self.data_dir)
        self._procs = []

    def tearDown(self):
        for p in self._procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            for stream in (p.stdout, p.stderr):
                if stream:
                    stream.close()
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def kappa(self, *args, input=None, ok=True, timeout=60):
        """Runs kappa in the scratch dir; asserts success (or failure with ok=False)."""
        proc = subprocess.run([KAPPA, *map(str, args)], input=input, capture_output=True,
                              text=True, cwd=self.dir, env=self.env, timeout=timeout)
        if ok is True:
            self.assertEqual(proc.returncode, 0, f"kappa {args} failed: {proc.stderr}")
        elif ok is False:
            self.assertNotEqual(proc.returncode, 0, f"kappa {args} succeeded: {proc.stdout}")
        return proc

    def kappa_json(self, *args):
        return json.loads(self.kappa(*args).stdout)

    def start(self, *args, **kwargs):
        """Starts kappa in the background; the test's tearDown reaps it."""
        p = subprocess.Popen([KAPPA, *map(str, args)], cwd=self.dir, env=self.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
        self._procs.append(p)
        return p

    def start_server(self, *args, listeners=("http",), data_dir=None, timeout=15.0):
        """Starts `kappa server` on free loopback ports (port 0) and waits until each
        listener in `listeners` ("http", "kafka", "pg") printed its address. Extra
        `args` go after `server` (e.g. "--no-auto-create-topics"). tearDown kills
        it if the test did not stop it; call server.stop() to check a clean exit.
        """
        cmd = [KAPPA, "--data-dir", data_dir or self.data_dir, "server",
               "--http-listen", "127.0.0.1:0", "--kafka-listen", "127.0.0.1:0",
               "--pg-listen", "127.0.0.1:0", *map(str, args)]
        p = subprocess.Popen(cmd, cwd=self.dir, env=self.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        self._procs.append(p)
        server = KappaServer(p)
        server.wait_ready(listeners, timeout)
        return server

    def assert_error(self, proc, *fragments, code=None):
        """A failed command: exit code, and one 'kappa: error:' line naming the fragments."""
        self.assertNotEqual(proc.returncode, 0)
        if code is not None:
            self.assertEqual(proc.returncode, code, proc.stderr)
        errors = [l for l in proc.stderr.splitlines() if l.startswith("kappa: error: ")]
        self.assertEqual(len(errors), 1, proc.stderr)
        for f in fragments:
            self.assertIn(f, errors[0])
        return errors[0]

    def consume(self, topic, *args):
        """Record values, one string per record."""
        return self.kappa("consume", topic, *args).stdout.splitlines()

    def consume_meta(self, topic, *args):
        """Records as dicts: partition, offset, timestamp, key, headers, value."""
        return [json.loads(l) for l in self.kappa("consume", topic, "--with-meta", *args).stdout.splitlines()]

    def write(self, name, text, gz=False):
        data = text.encode() if isinstance(text, str) else text
        path = self.path(name)
        with (gzip.open(path, "wb") if gz else open(path, "wb")) as f:
            f.write(data)
        return path

    def wait_until(self, predicate, timeout=10.0, what="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.02)
        self.fail(f"timed out waiting for {what}")

    def stop(self, proc, sig=signal.SIGTERM, timeout=10):
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
