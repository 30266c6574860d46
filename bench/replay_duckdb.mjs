// DuckDB side of bench/replay_bench.py: generates the JSON-lines events and
// runs the same queries the Kappa pipelines run, timing each one.
//   node bench/replay_duckdb.mjs gen EVENTS FILE.jsonl
//   node bench/replay_duckdb.mjs json FILE.jsonl CASE OUT_DIR     (CASE: filter|tumble|groupby)
//   node bench/replay_duckdb.mjs parquet 'GLOB' RUNS SQL           (the dashboard query)
// Prints one JSON object: seconds (wall), cpu_s (process user + sys),
// max_rss_kib, rows, threads. Needs tests/node_modules (scripts/setup.sh).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [mode, ...args] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const c = await instance.connect();
const one = async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJson()[0];
const threads = Number((await one("SELECT current_setting('threads') AS t")).t);

function cpuSeconds() {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
}
async function timed(fn) {
  const cpu0 = cpuSeconds();
  const t0 = process.hrtime.bigint();
  const rows = await fn();
  return {
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    cpu_s: cpuSeconds() - cpu0,
    rows,
  };
}

// The events as Kappa's pipelines declare them (replay_bench.py SOURCE).
const COLUMNS = "{id: 'BIGINT', ts: 'TIMESTAMP', user_id: 'BIGINT', country: 'VARCHAR', " +
  "status: 'VARCHAR', amount: 'DECIMAL(12,2)'}";
const events = (file) => `read_ndjson('${file}', columns = ${COLUMNS})`;

let result;
if (mode === 'gen') {
  // ~105-byte events, 10 ms of event time apart (10M events: ~28 hours,
  // ~1670 one-minute windows); user_id has ~1M distinct values, country 20.
  const [n, file] = args;
  result = await timed(async () => {
    await c.run(`COPY (SELECT i AS id,
        strftime(TIMESTAMP '2024-03-01 00:00:00' + to_milliseconds(i * 10), '%Y-%m-%dT%H:%M:%S.%gZ') AS ts,
        ((i * 7919) % 1000003)::BIGINT AS user_id,
        (['US','DE','FR','GB','JP','CN','IN','BR','CA','AU','ES','IT','NL','SE','PL','MX','KR','CH','BE','AT'])[((i * 7) % 20) + 1] AS country,
        (['paid','paid','paid','refunded','pending'])[((i * 13) % 5) + 1] AS status,
        (((i * 7907) % 100000) / 100)::DECIMAL(12,2) AS amount
      FROM range(${Number(n)}) r(i)) TO '${file}' (FORMAT json)`);
    return Number(n);
  });
} else if (mode === 'json') {
  const [file, kase, outDir] = args;
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `duckdb_${kase}.jsonl`);
  const q = {
    // (a) filter + project, written out as JSON lines (Kappa writes a topic).
    filter: `COPY (SELECT id, ts, user_id, amount FROM ${events(file)} WHERE status = 'paid')
             TO '${out}' (FORMAT json)`,
    // (b) one-minute tumbling windows by country.
    tumble: `CREATE TABLE r AS SELECT time_bucket(INTERVAL 1 MINUTE, ts) AS window_start, country,
               COUNT(*) AS n, SUM(amount) AS revenue
             FROM ${events(file)} GROUP BY ALL`,
    // (c) GROUP BY over ~1M keys.
    groupby: `CREATE TABLE r AS SELECT user_id, COUNT(*) AS n, SUM(amount) AS revenue
              FROM ${events(file)} GROUP BY user_id`,
  }[kase];
  if (!q) throw new Error(`unknown case ${kase}`);
  result = await timed(async () => {
    await c.run(q);
    if (kase === 'filter') {
      const n = (await one(`SELECT COUNT(*) AS n FROM read_ndjson('${out}', columns = {id: 'BIGINT'})`)).n;
      return Number(n);
    }
    return Number((await one('SELECT COUNT(*) AS n FROM r')).n);
  });
  // Not timed: the row count above reads the output back; redo without it.
  if (kase === 'filter') {
    fs.unlinkSync(out);
    const rows = result.rows;
    result = await timed(async () => { await c.run(q); return rows; });
    fs.unlinkSync(out);
  }
} else if (mode === 'parquet') {
  const [glob, runs, sql] = args;
  const q = sql.replaceAll('$TABLE', `read_parquet('${glob}')`);
  const times = [];
  let rows = 0;
  let cpu = 0;
  for (let i = 0; i < Number(runs); ++i) {
    const t = await timed(async () => (await c.runAndReadAll(q)).getRowsJson());
    times.push(t.seconds);
    cpu += t.cpu_s;
    rows = t.rows;
  }
  result = { seconds: Math.min(...times), times, rows, cpu_s: cpu / Number(runs) };
} else {
  console.error('usage: see the top of bench/replay_duckdb.mjs');
  process.exit(2);
}
c.closeSync();
result.threads = threads;
result.max_rss_kib = process.resourceUsage().maxRSS;
process.stdout.write(JSON.stringify(result) + '\n');
