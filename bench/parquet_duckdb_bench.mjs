// DuckDB writing the rows of kappa_parquet_bench (same formulas) to Parquet:
// the table is built in memory first, then each COPY is timed.
//   node bench/parquet_duckdb_bench.mjs [rows] [dir]    (needs tests/node_modules)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const rows = Number(process.argv[2] ?? 10000000);
const dir = process.argv[3] ?? '/tmp/kappa-parquet-bench';
const instance = await DuckDBInstance.create(':memory:');
fs.mkdirSync(dir, { recursive: true });
const c = await instance.connect();
const threads = (await c.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJson()[0].t;
await c.run(`CREATE TABLE t AS SELECT
  TIMESTAMP '2024-01-01 00:00:00' + to_milliseconds(i * 10) AS ts,
  ((i * 7919) % 1000003)::BIGINT AS user_id,
  ((i * 31) % 50000)::INTEGER AS item_id,
  (((i * 13) % 100000) / 100.0)::DOUBLE AS price,
  (['US','DE','FR','GB','JP','CN','IN','BR','CA','AU','ES','IT','NL','SE','PL','MX','KR','CH','BE','AT'])[((i * 7) % 20) + 1] AS country
FROM range(${rows}) r(i)`);
console.log(`duckdb parquet write: ${rows} rows, threads=${threads}`);
for (const codec of ['snappy', 'zstd', 'uncompressed']) {
  const file = path.join(dir, `duckdb_${codec}.parquet`);
  const start = process.hrtime.bigint();
  await c.run(`COPY t TO '${file}' (FORMAT parquet, COMPRESSION ${codec})`);
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const size = (await c.runAndReadAll(`SELECT sum(total_compressed_size) AS b FROM parquet_metadata('${file}')`)).getRowObjectsJson()[0].b;
  fs.unlinkSync(file);
  console.log(`${codec.padEnd(12)} ${s.toFixed(2).padStart(8)} s ${(rows / s).toFixed(0).padStart(12)} rows/s  chunks ${(Number(size) / 1e6).toFixed(1)} MB`);
}
c.closeSync();
