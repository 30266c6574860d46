#!/usr/bin/env python3
"""Replay, sink and backfill benchmarks through the real deploy path (issues
4, 5 and 6), with DuckDB on the same data in the same run.

  bench/replay_bench.py            (or: make bench-replay; builds nothing)

Generates EVENTS JSON events (~108 bytes each) as a JSON-lines file with
DuckDB (bench/replay_duckdb.mjs), `kappa ingest`s them into topic `events`
(PARTITIONS partitions, keyed by user_id), then for each case starts a fresh
`kappa server` on that data dir, `kappa pipeline deploy`s the SQL, polls
`kappa pipeline status --json` until the version is caught up and idle
(everything read, a checkpoint covering it committed), and reports:
  - events/s = EVENTS / wall time from deploy to idle (and to caught up),
    and the peak events_per_second that status showed;
  - events per CPU-second of the server (utime + stime between deploy and
    idle, from /proc/PID/stat): the "per core" figure;
  - the server's peak RSS (VmHWM from /proc/PID/status; a fresh server per
    case, so it is that case's peak).
DuckDB runs the same query over the JSON-lines file (read_ndjson with the
same column types) in the same run; the ratio is Kappa's time over DuckDB's.

Sections (SECTIONS, default "4,5,6"):
  4  replay: (a) filter + project into a topic, (b) one-minute tumbling
     window by country (20 keys) into a topic, (c) unbounded GROUP BY
     user_id (~1M keys) into a serving table with a primary key; plus the
     bounded `kappa sql` of (b) and (c).
  5  sink: a pipeline copying every event into a serving table (rows/s into
     Parquet/Iceberg), then a dashboard query (filter + GROUP BY) over it via
     HTTP POST /v1/query, beside DuckDB reading the table's Parquet files.
  6  backfill: with v1 of (c) running and idle, deploy v2 (different SQL)
     of the same pipeline from earliest; events/s until v2 is idle.

Environment: BUILD_DIR (default build), REPLAY_BENCH_DIR (scratch, default
/tmp/replay-bench; the JSON file is kept between runs, the data dir is
rebuilt), EVENTS (default 10000000), PARTITIONS (default 2), SECTIONS,
CASES (of section 4, default "filter,tumble,groupby"), QUERY_RUNS
(dashboard query repetitions, default 5), WAIT_S (give up on a pipeline
after this long, default 1800), BOUNDED=0 to skip `kappa sql`.
"""
import decimal
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_DIR = os.path.join(ROOT, os.environ.get("BUILD_DIR", "build"))
BUILT_KAPPA = os.path.join(BUILD_DIR, "kappa")
DUCK = os.path.join(ROOT, "bench", "replay_duckdb.mjs")
WORK = os.environ.get("REPLAY_BENCH_DIR", "/tmp/replay-bench")
EVENTS = int(os.environ.get("EVENTS", "10000000"))
PARTITIONS = int(os.environ.get("PARTITIONS", "2"))
SECTIONS = set(os.environ.get("SECTIONS", "4,5,6").replace(" ", "").split(","))
QUERY_RUNS = int(os.environ.get("QUERY_RUNS", "5"))
WAIT_S = float(os.environ.get("WAIT_S", "1800"))
BOUNDED = os.environ.get("BOUNDED", "1") != "0"
CASES = set(os.environ.get("CASES", "filter,tumble,groupby").split(","))
DATA = os.path.join(WORK, "data")
# Run a copy under another name (and a scratch dir without "kappa" in it):
# on this shared machine something SIGTERMed our servers twice mid-run;
# a by-name `pkill kappa` elsewhere then leaves ours alone.
KAPPA = os.path.join(WORK, "kbench")
TICK = os.sysconf("SC_CLK_TCK")

SOURCE = """
CREATE TABLE events (
  id BIGINT, ts TIMESTAMP(3), user_id BIGINT, country STRING, status STRING,
  amount DECIMAL(12, 2),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'events', 'format' = 'json');
"""

FILTER_SQL = SOURCE + """
CREATE TABLE paid (id BIGINT, ts TIMESTAMP(3), user_id BIGINT, amount DECIMAL(12, 2))
WITH ('connector' = 'kafka', 'topic' = 'paid', 'format' = 'json');
INSERT INTO paid SELECT id, ts, user_id, amount FROM events WHERE status = 'paid';
"""

TUMBLE_SELECT = """
SELECT window_start, country, COUNT(*) AS n, SUM(amount) AS revenue
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, country"""
TUMBLE_SQL = SOURCE + """
CREATE TABLE per_minute (window_start TIMESTAMP(3), country STRING, n BIGINT,
  revenue DECIMAL(38, 2))
WITH ('connector' = 'kafka', 'topic' = 'per_minute', 'format' = 'json');
INSERT INTO per_minute""" + TUMBLE_SELECT + ";\n"

GROUPBY_SELECT = """
SELECT user_id, COUNT(*) AS n, SUM(amount) AS revenue FROM events GROUP BY user_id"""
GROUPBY_SQL = SOURCE + """
CREATE TABLE per_user (user_id BIGINT, n BIGINT, revenue DECIMAL(38, 2),
  PRIMARY KEY (user_id) NOT ENFORCED);
INSERT INTO per_user""" + GROUPBY_SELECT + ";\n"
# Issue 6: the "fixed" version (refunds subtracted), deployed beside v1.
GROUPBY_V2_SQL = GROUPBY_SQL.replace(
    "SUM(amount)", "SUM(CASE WHEN status = 'refunded' THEN -amount ELSE amount END)")

COPY_SQL = SOURCE + """
CREATE TABLE events_copy (id BIGINT, ts TIMESTAMP(3), user_id BIGINT, country STRING,
  status STRING, amount DECIMAL(12, 2));
INSERT INTO events_copy SELECT id, ts, user_id, country, status, amount FROM events;
"""
DASHBOARD = ("SELECT country, COUNT(*) AS n, SUM(amount) AS revenue FROM $TABLE "
             "WHERE status = 'paid' AND amount > 100 GROUP BY country ORDER BY country")

results = []  # (section, line) for the summary


def log(*a):
    print(*a, flush=True)


def note(section, line):
    results.append((section, line))
    log("  => " + line)


def sh(*args, env=None, check=True, capture=True):
    p = subprocess.run(list(map(str, args)), capture_output=capture, text=True, env=env)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({p.returncode}):\n{p.stderr}")
    return p


def duck(*args):
    return json.loads(sh("node", DUCK, *args).stdout.strip().splitlines()[-1])


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])  # kB
    return 0


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Server:
    LISTENING = re.compile(r"kappa: (\w+) listening on ([\d.]+):(\d+)")

    def __init__(self):
        cmd = [KAPPA, "--data-dir", DATA, "server", "--http-listen", "127.0.0.1:0",
               "--kafka-listen", "127.0.0.1:0", "--pg-listen", "127.0.0.1:0"]
        self.log_path = os.path.join(WORK, "server.log")
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.url = None
        ready = threading.Event()

        def drain():
            try:
                for line in self.proc.stdout:
                    self.log.write(line)
                    m = self.LISTENING.search(line)
                    if m and m.group(1) == "http":
                        self.url = f"http://{m.group(2)}:{m.group(3)}"
                        ready.set()
            except ValueError:
                pass  # stop() closed the log
            ready.set()
        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(60) or not self.url:
            raise RuntimeError(f"kappa server did not start; see {self.log_path}")
        self.env = dict(os.environ, KAPPA_SERVER=self.url)

    def kappa(self, *args, check=True):
        return sh(KAPPA, *args, env=self.env, check=check)

    def status(self, name):
        return json.loads(self.kappa("pipeline", "status", name, "--json").stdout)

    def query(self, sql):
        req = urllib.request.Request(self.url + "/v1/query", data=json.dumps({"sql": sql}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def deploy_and_wait(self, name, sql, version=1):
        """Deploys SQL as the next version of NAME and polls status until that
        version is idle. Returns a dict of measurements."""
        path = os.path.join(WORK, f"{name}_v{version}.sql")
        with open(path, "w") as f:
            f.write(sql)
        pid = self.proc.pid
        cpu0 = cpu_seconds(pid)
        t0 = time.monotonic()
        self.kappa("pipeline", "deploy", name, path, "--from", "earliest")
        caught_up_s = None
        peak_rate = 0
        peak_anon = 0  # sampled: VmHWM also counts file-backed pages
        while True:
            st = self.status(name)
            v = next(x for x in st["versions"] if x["version"] == version)
            now = time.monotonic() - t0
            if v.get("state") == "failed":
                raise RuntimeError(f"pipeline {name} v{version} failed: {json.dumps(v)}")
            peak_rate = max(peak_rate, v.get("events_per_second", 0))
            peak_anon = max(peak_anon, proc_status(pid, "RssAnon"))
            if caught_up_s is None and v.get("caught_up") and v.get("records_in", 0) >= EVENTS:
                caught_up_s = now
            if v.get("idle") and v.get("records_in", 0) >= EVENTS:
                break
            if now > WAIT_S:
                raise RuntimeError(f"pipeline {name} v{version} not idle after {WAIT_S} s: {json.dumps(v)}")
            time.sleep(0.25)
        idle_s = time.monotonic() - t0
        cpu = cpu_seconds(pid) - cpu0
        return {"idle_s": idle_s, "caught_up_s": caught_up_s or idle_s, "cpu_s": cpu,
                "peak_rate": peak_rate, "records_in": v.get("records_in"),
                "records_out": v.get("records_out"), "parallelism": v.get("parallelism"),
                "hwm_kib": proc_status(pid, "VmHWM"), "anon_kib": peak_anon}


def normalize(rows):
    """Cells as Decimals where they are numbers (JSON numbers or strings)."""
    def cell(x):
        try:
            return decimal.Decimal(str(x))
        except decimal.InvalidOperation:
            return str(x)
    return [[cell(x) for x in r] for r in rows]


def fmt_rate(x):
    return f"{x / 1e6:.2f}M" if x >= 1e6 else f"{x / 1e3:.0f}k"


def report_case(section, label, m, d):
    rate = EVENTS / m["idle_s"]
    per_cpu = EVENTS / m["cpu_s"] if m["cpu_s"] > 0 else 0
    d_rate = EVENTS / d["seconds"]
    note(section, f"{label}: kappa {m['idle_s']:.1f} s to idle ({m['caught_up_s']:.1f} s to caught up), "
         f"{fmt_rate(rate)} events/s, peak status {fmt_rate(m['peak_rate'])}/s, "
         f"{fmt_rate(per_cpu)} events/CPU-s (CPU {m['cpu_s']:.1f} s, parallelism {m['parallelism']}), "
         f"server VmHWM {m['hwm_kib'] / 1024:.0f} MiB (RssAnon peak sampled {m['anon_kib'] / 1024:.0f} MiB), "
         f"records out {m['records_out']} | "
         f"duckdb {d['seconds']:.1f} s, {fmt_rate(d_rate)} events/s, "
         f"{fmt_rate(EVENTS / d['cpu_s'] if d['cpu_s'] else 0)} events/CPU-s, "
         f"RSS {d['max_rss_kib'] / 1024:.0f} MiB, rows {d['rows']} | "
         f"kappa/duckdb time {m['idle_s'] / d['seconds']:.2f}x, CPU {m['cpu_s'] / d['cpu_s']:.2f}x"
         + (f"; serving table (groups, events) {m['check']}" if "check" in m else ""))


def prepare():
    os.makedirs(WORK, exist_ok=True)
    jsonl = os.path.join(WORK, f"events_{EVENTS}.jsonl")
    if not os.path.exists(jsonl):
        log(f"generating {EVENTS} events -> {jsonl}")
        duck("gen", EVENTS, jsonl + ".tmp")
        os.rename(jsonl + ".tmp", jsonl)
    size = os.path.getsize(jsonl)
    log(f"input: {jsonl}, {size / 1e6:.0f} MB, {size / EVENTS:.0f} bytes/event")
    with open(jsonl, "rb") as f:  # into the page cache
        while f.read(1 << 24):
            pass
    shutil.rmtree(DATA, ignore_errors=True)
    sh(KAPPA, "--data-dir", DATA, "topic", "create", "events", "--partitions", PARTITIONS)
    t0 = time.monotonic()
    p = sh(KAPPA, "--data-dir", DATA, "ingest", jsonl, "--topic", "events", "--format", "json",
           "--timestamp-column", "ts", "--key-column", "user_id")
    s = time.monotonic() - t0
    note("ingest", f"kappa ingest {EVENTS} JSON events, {PARTITIONS} partitions keyed by user_id: "
         f"{s:.1f} s, {fmt_rate(EVENTS / s)} rows/s ({p.stderr.strip().splitlines()[-1]})")
    return jsonl


def run_pipeline(name, sql, keep=False, check_sql=None):
    """Deploys NAME on a fresh server and waits until idle; retries once if
    the server died under it (on this shared machine other people's scripts
    have SIGTERMed it). Returns (measurements, the server if keep else None)."""
    for attempt in (1, 2):
        server = Server()
        try:
            if attempt > 1:  # the dead server's pipeline would resume: start over
                server.kappa("pipeline", "drop", name, check=False)
            m = server.deploy_and_wait(name, sql)
            if check_sql:
                m["check"] = server.query(check_sql)["rows"]
            if keep:
                return m, server
            server.kappa("pipeline", "drop", name, check=False)
            server.stop()
            return m, None
        except RuntimeError:
            died = server.proc.poll()
            server.stop()
            if died is None or attempt > 1:
                raise
            log(f"  server exited ({died}) mid-run, see {server.log_path}; retrying once")


def section4(jsonl):
    log("\n== issue 4: replay from offset 0 through pipeline deploy")
    out = os.path.join(WORK, "duck_out")
    cases = [("(a) filter + project -> topic", "filter", FILTER_SQL),
             ("(b) 1-min tumbling window by country -> topic", "tumble", TUMBLE_SQL),
             ("(c) GROUP BY user_id (~1M keys) -> serving table", "groupby", GROUPBY_SQL)]
    if BOUNDED:  # `kappa sql` runs in the server: a fresh one per query
        for label, kase, select in [("(b) tumbling", "tumble", TUMBLE_SELECT),
                                    ("(c) GROUP BY user_id", "groupby", GROUPBY_SELECT)]:
            log(f"-- bounded kappa sql {label} (load {loadavg()})")
            server = Server()
            try:
                cpu0 = cpu_seconds(server.proc.pid)
                t0 = time.monotonic()
                p = server.kappa("sql", SOURCE + select, "--format", "json", check=False)
                s = time.monotonic() - t0
                cpu = cpu_seconds(server.proc.pid) - cpu0
                hwm = proc_status(server.proc.pid, "VmHWM")
            finally:
                server.stop()
            if p.returncode != 0:
                note("4", f"bounded kappa sql {label}: failed: {p.stderr.strip()[:300]}")
                continue
            try:
                out_rows = json.loads(p.stdout)
                rows = len(out_rows["rows"] if isinstance(out_rows, dict) else out_rows)
            except ValueError:
                rows = "?"
            d = duck("json", jsonl, kase, out)
            note("4", f"bounded kappa sql {label}: {s:.1f} s, {fmt_rate(EVENTS / s)} events/s, "
                 f"server CPU {cpu:.1f} s, VmHWM {hwm / 1024:.0f} MiB, {rows} rows | "
                 f"duckdb {d['seconds']:.1f} s, CPU {d['cpu_s']:.1f} s, rows {d['rows']} | "
                 f"kappa/duckdb time {s / d['seconds']:.2f}x, CPU {cpu / d['cpu_s']:.2f}x")
    server_for_6 = None
    for label, kase, sql in cases:
        if kase not in CASES:
            continue
        log(f"-- {label} (load {loadavg()})")
        check = "SELECT COUNT(*) AS groups, SUM(n) AS events FROM per_user" if kase == "groupby" else None
        m, server = run_pipeline(f"bench_{kase}", sql, keep=kase == "groupby" and "6" in SECTIONS,
                                 check_sql=check)
        if server:
            server_for_6 = server
        d = duck("json", jsonl, kase, out)
        report_case("4", label, m, d)
    return server_for_6


def section6(server):
    log(f"\n== issue 6: backfill v2 from earliest beside running v1 (load {loadavg()})")
    if server is None:
        _, server = run_pipeline("bench_groupby", GROUPBY_SQL, keep=True)
    try:
        m = server.deploy_and_wait("bench_groupby", GROUPBY_V2_SQL, version=2)
        note("6", f"backfill v2 of (c) beside idle v1: {m['idle_s']:.1f} s to idle "
             f"({m['caught_up_s']:.1f} s to caught up), {fmt_rate(EVENTS / m['idle_s'])} events/s, "
             f"peak status {fmt_rate(m['peak_rate'])}/s, {fmt_rate(EVENTS / m['cpu_s'])} events/CPU-s, "
             f"server VmHWM (v1 + v2) {m['hwm_kib'] / 1024:.0f} MiB, RssAnon peak {m['anon_kib'] / 1024:.0f} MiB")
        server.kappa("pipeline", "drop", "bench_groupby", check=False)
    finally:
        server.stop()


def section5():
    log(f"\n== issue 5: sink into a serving table, dashboard query (load {loadavg()})")
    m, server = run_pipeline("bench_copy", COPY_SQL, keep=True)
    try:
        data_dir = os.path.join(DATA, "warehouse", "default", "events_copy__v1", "data")
        files = [f for f in os.listdir(data_dir) if f.endswith(".parquet")]
        size = sum(os.path.getsize(os.path.join(data_dir, f)) for f in files)
        n = server.query("SELECT COUNT(*) AS n FROM events_copy")
        note("5", f"sink copy of {EVENTS} events into serving table: {m['idle_s']:.1f} s to idle, "
             f"{fmt_rate(EVENTS / m['idle_s'])} rows/s, {fmt_rate(EVENTS / m['cpu_s'])} rows/CPU-s, "
             f"VmHWM {m['hwm_kib'] / 1024:.0f} MiB, RssAnon peak {m['anon_kib'] / 1024:.0f} MiB; {len(files)} Parquet files, {size / 1e6:.0f} MB; "
             f"COUNT(*) = {json.dumps(n)[:200]}")
        sql = DASHBOARD.replace("$TABLE", "events_copy")
        for attempt in (1, 2):
            try:
                times = []
                cpu0 = cpu_seconds(server.proc.pid)
                for _ in range(QUERY_RUNS):
                    t0 = time.monotonic()
                    rows = server.query(sql)
                    times.append(time.monotonic() - t0)
                cpu = (cpu_seconds(server.proc.pid) - cpu0) / QUERY_RUNS
                break
            except (OSError, RuntimeError):  # URLError is an OSError
                died = server.proc.poll()
                if died is None or attempt > 1:
                    raise
                log(f"  server exited ({died}) during the queries; restarting it, retrying once")
                server.stop()
                server = Server()  # the table is committed: nothing to redo
        glob = os.path.join(data_dir, "*.parquet")
        d = duck("parquet", glob, QUERY_RUNS, DASHBOARD)
        same = normalize(rows["rows"]) == normalize(d["rows"])
        if not same:
            log(f"  kappa rows {rows['rows'][:3]} ... duckdb rows {d['rows'][:3]} ...")
        note("5", f"dashboard query (filter + GROUP BY country over {EVENTS} rows), {QUERY_RUNS} runs: "
             f"kappa HTTP /v1/query best {min(times) * 1000:.0f} ms, median "
             f"{statistics.median(times) * 1000:.0f} ms, server CPU {cpu * 1000:.0f} ms/query | "
             f"duckdb read_parquet best {d['seconds'] * 1000:.0f} ms, median "
             f"{statistics.median(d['times']) * 1000:.0f} ms, CPU {d['cpu_s'] * 1000:.0f} ms/query | "
             f"ratio best {min(times) / d['seconds']:.2f}x, median "
             f"{statistics.median(times) / statistics.median(d['times']):.2f}x, CPU {cpu / d['cpu_s']:.2f}x; "
             f"results {'identical' if same else 'DIFFER'}; kappa result {json.dumps(rows)[:160]}")
        server.kappa("pipeline", "drop", "bench_copy", check=False)
    finally:
        server.stop()


def main():
    if not os.access(BUILT_KAPPA, os.X_OK):
        sys.exit(f"replay_bench.py: {BUILT_KAPPA} not built (set BUILD_DIR)")
    os.makedirs(WORK, exist_ok=True)
    shutil.copy2(BUILT_KAPPA, KAPPA)
    log(f"machine: {os.cpu_count()} cores, load {loadavg()}; EVENTS={EVENTS} PARTITIONS={PARTITIONS} "
        f"SECTIONS={','.join(sorted(SECTIONS))} kappa={BUILT_KAPPA}")
    jsonl = prepare()
    server6 = None
    if "4" in SECTIONS:
        server6 = section4(jsonl)
    if "6" in SECTIONS:
        section6(server6)
    if "5" in SECTIONS:
        section5()
    log(f"\n== summary (load at end {loadavg()})")
    for section, line in results:
        log(f"[{section}] {line}")
    shutil.rmtree(DATA, ignore_errors=True)


if __name__ == "__main__":
    main()
