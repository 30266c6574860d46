#!/usr/bin/python3
"""Crash test for the durable log: SIGKILL a writer at random moments and
check that every acknowledged record survives, CRC-valid, in order, with no
duplicates or gaps, and that the log reopens cleanly every time.

kappa_crash_writer prints "acked <partition> <offset>" only once the record
is durable under the topic's durability; kappa_crash_verify reopens the log
(recovery) and checks every record (value == offset), printing
"partition <p> records <n>". Runs ROUNDS rounds for `always` and for
`group` durability. Needs KAPPA_BUILD_DIR (the CMake build directory).
"""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROUNDS = int(os.environ.get("KAPPA_CRASH_ROUNDS", "30"))
PARTITIONS = 2
ACK = re.compile(rb"^acked (\d+) (\d+)$")
COUNT = re.compile(r"^partition (\d+) records (\d+)$")


def binaries():
    build = os.environ.get("KAPPA_BUILD_DIR")
    if not build:
        sys.exit("KAPPA_BUILD_DIR is not set")
    writer = os.path.join(build, "tests", "crash", "kappa_crash_writer")
    verify = os.path.join(build, "tests", "crash", "kappa_crash_verify")
    for b in (writer, verify):
        if not os.access(b, os.X_OK):
            sys.exit(f"{b} is missing: build the kappa_crash_writer and kappa_crash_verify targets")
    return writer, verify


def run_writer(writer, data, mode, seed, rng):
    """Starts the writer, kills it with SIGKILL after a random delay and
    returns the highest acknowledged offset per partition."""
    proc = subprocess.Popen([writer, data, mode, str(PARTITIONS), str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(rng.uniform(0.01, 0.3))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    if proc.returncode != -signal.SIGKILL:
        raise AssertionError(f"writer exited with {proc.returncode} before the kill: {err.decode()}")
    acked = {}
    for line in out.split(b"\n")[:-1]:  # the last piece may be cut short
        m = ACK.match(line)
        if not m:
            raise AssertionError(f"unexpected writer output: {line!r}")
        p, off = int(m.group(1)), int(m.group(2))
        acked[p] = max(acked.get(p, -1), off)
    return acked


RECOVERY_ACTIONS = {"truncating": 0, "removing empty": 0, "rebuilding": 0}


def verify(verify_bin, data):
    """Reopens the log; returns the record count per partition."""
    r = subprocess.run([verify_bin, data], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"verify failed ({r.returncode}): {r.stderr.strip()}")
    for action in RECOVERY_ACTIONS:
        RECOVERY_ACTIONS[action] += r.stderr.count(action)
    counts = {}
    for line in r.stdout.splitlines():
        m = COUNT.match(line)
        if m:
            counts[int(m.group(1))] = int(m.group(2))
    return counts


def crash_rounds(mode, writer, verify_bin, root, rng):
    data = os.path.join(root, mode)
    acked = {}  # partition -> highest offset ever acknowledged
    total_acks = 0
    for i in range(ROUNDS):
        got = run_writer(writer, data, mode, rng.randrange(1 << 30), rng)
        for p, off in got.items():
            acked[p] = max(acked.get(p, -1), off)
        total_acks += len(got)
        counts = verify(verify_bin, data)
        for p, off in acked.items():
            have = counts.get(p, 0)
            if off >= have:
                raise AssertionError(
                    f"{mode} round {i}: partition {p} acknowledged offset {off} "
                    f"but only {have} records survived")
    counts = verify(verify_bin, data)
    return acked, counts


def main():
    writer, verify_bin = binaries()
    seed = int(os.environ.get("KAPPA_CRASH_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    root = tempfile.mkdtemp(prefix="kappa-crash-")
    t0 = time.time()
    try:
        for mode in ("always", "group"):
            m0 = time.time()
            acked, counts = crash_rounds(mode, writer, verify_bin, root, rng)
            if not acked:
                raise AssertionError(f"{mode}: nothing was ever acknowledged")
            print(f"{mode}: {ROUNDS} kills, acked up to {acked}, records {counts}, "
                  f"{time.time() - m0:.1f}s")
    except AssertionError as e:
        print(f"FAIL (seed {seed}): {e}; data kept in {root}")
        return 1
    shutil.rmtree(root, ignore_errors=True)
    print(f"recovery actions seen: {RECOVERY_ACTIONS}")
    print(f"ok: every acknowledged record survived ({time.time() - t0:.1f}s, seed {seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
