"""Helpers for the Kafka integration tests: a real `kappa server` on free
ports in the test's data dir, and the Kafka clients from Debian's packages
(kcat, librdkafka through build/kappa_rdkafka_client, python3-kafka).
Standard library only."""

import os
import select
import signal
import socket
import struct
import subprocess
import time

from kappa_testlib import KAPPA, ROOT, KappaTestCase

BUILD = os.environ.get("KAPPA_BUILD_DIR") or os.path.dirname(KAPPA)
RDKAFKA_CLIENT = os.path.join(BUILD, "kappa_rdkafka_client")


class KafkaTestCase(KappaTestCase):
    """A KappaTestCase that runs `kappa server` and talks Kafka to it."""

    def start_server(self, *extra):
        """Starts the server; returns the process. self.broker is 'host:port'."""
        log = open(self.path("server.log"), "a")
        p = subprocess.Popen([KAPPA, "server", "--data-dir", self.data_dir,
                              "--http-listen", "127.0.0.1:0", "--kafka-listen", "127.0.0.1:0",
                              "--pg-listen", "127.0.0.1:0", *extra], cwd=self.dir, env=self.env, stdout=subprocess.PIPE,
                             stderr=log)
        log.close()
        self._procs.append(p)
        deadline = time.monotonic() + 20
        seen = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([p.stdout], [], [], 0.5)
            if not ready:
                continue
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            for line in seen.decode().splitlines():
                if line.startswith("kappa: http listening on "):
                    self.http = line.split()[-1]
                if line.startswith("kappa: kafka listening on "):
                    self.broker = line.split()[-1]
                    self.port = int(self.broker.rsplit(":", 1)[1])
                    self.server = p
                    return p
        p.kill()  # setUp may be what failed, and then tearDown does not run
        p.wait()
        self.fail("server did not start: " + self.server_log())

    def server_log(self):
        with open(self.path("server.log")) as f:
            return f.read()

    def stop_server(self, sig=signal.SIGTERM, timeout=20):
        self.server.send_signal(sig)
        self.server.wait(timeout=timeout)
        return self.server.returncode

    def run_tool(self, args, input=None, timeout=60, ok=True):
        proc = subprocess.run(args, input=input, capture_output=True, text=True, cwd=self.dir,
                              timeout=timeout)
        if ok:
            self.assertEqual(proc.returncode, 0, f"{args} failed: {proc.stderr}")
        return proc

    def kcat(self, *args, input=None, timeout=60):
        return self.run_tool(["kcat", "-b", self.broker, *map(str, args)], input=input,
                             timeout=timeout)

    def rdkafka(self, mode, *args, timeout=120, ok=True):
        return self.run_tool([RDKAFKA_CLIENT, mode, "--brokers", self.broker, *map(str, args)],
                             timeout=timeout, ok=ok)

    def start_rdkafka(self, mode, *args):
        p = subprocess.Popen([RDKAFKA_CLIENT, mode, "--brokers", self.broker, *map(str, args)],
                             cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self._procs.append(p)
        return p

    def python_kafka(self, script, timeout=120):
        """Runs a python3-kafka script under /usr/bin/python3 with BROKER set."""
        env = dict(os.environ, BROKER=self.broker)
        proc = subprocess.run(["/usr/bin/python3", "-c", script], capture_output=True, text=True,
                              cwd=self.dir, env=env, timeout=timeout)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        self.addCleanup(s.close)
        return s


def records(stdout):
    """'record <partition> <offset> <key> <value>' lines -> list of tuples."""
    out = []
    for line in stdout.splitlines():
        if line.startswith("record "):
            _, p, off, key, value = line.split(" ", 4)
            out.append((int(p), int(off), key, value))
    return out


def delivered(stdout):
    """'delivered <value> <partition> <offset>' lines -> list of tuples."""
    out = []
    for line in stdout.splitlines():
        if line.startswith("delivered "):
            _, value, p, off = line.split(" ")
            out.append((value, int(p), int(off)))
    return out


# --- raw protocol -------------------------------------------------------------

def frame(api_key, version, correlation_id, body=b"", client_id=b"raw"):
    header = struct.pack(">hhih", api_key, version, correlation_id, len(client_id)) + client_id
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def read_frame(sock):
    """The next response frame's body, or None when the connection closed."""
    def read_exact(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf
    size = read_exact(4)
    if size is None:
        return None
    return read_exact(struct.unpack(">i", size)[0])


class Lines:
    """Collects a process's stdout lines on a thread, for tests that react
    to what a long-running client prints."""

    def __init__(self, proc):
        import threading
        self.proc = proc
        self.lines = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def snapshot(self):
        with self._lock:
            return list(self.lines)

    def assignments(self):
        """Each 'assigned' line as a set of partitions, in order."""
        out = []
        for line in self.snapshot():
            if line.startswith("assigned "):
                parts = line.split()[1]
                out.append(set() if parts == "-" else {int(p) for p in parts.split(",")})
        return out

    def records(self):
        return records("\n".join(self.snapshot()))

    def join(self, timeout):
        self.proc.wait(timeout=timeout)
        self._thread.join(timeout=5)
        return self.snapshot()
