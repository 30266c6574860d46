// Runs queries through node-postgres (npm `pg` from tests/node_modules) on one
// connection and prints one JSON result per query, in order. A query that
// fails gives {"error": {"code": SQLSTATE, "message": ...}} and the next one
// runs on the same connection.
//
// Usage: node pg_client.mjs CONFIG_JSON QUERIES_JSON
//   CONFIG_JSON   pg.Client options: {"host", "port", "user", "database", "password"?}
//   QUERIES_JSON  [{"text": "SELECT ... $1", "values": [...], "name": "stmt"?,
//                   "rows": N?, "binary": true?}, ...]
//                 "values" makes it an extended-protocol query (Parse/Bind/
//                 Describe/Execute/Sync, parameters untyped as node-postgres
//                 sends them); "name" a named prepared statement; "rows" reads
//                 through a Cursor-like portal limit (Execute with max rows).
// Each result: {"command", "rowCount", "fields": [[name, dataTypeID], ...],
//               "rows": [[cell, ...], ...]} with cells as node-postgres parses
//               them (int8 and numeric as strings, dates as ISO strings).
import pg from 'pg';

const [configJson, queriesJson] = process.argv.slice(2);
if (!configJson || !queriesJson) {
  console.error('usage: node pg_client.mjs CONFIG_JSON QUERIES_JSON');
  process.exit(2);
}
const client = new pg.Client(JSON.parse(configJson));
await client.connect();
const out = [];
for (const q of JSON.parse(queriesJson)) {
  const config = { text: q.text, rowMode: 'array' };
  if (q.values !== undefined) config.values = q.values;
  if (q.name !== undefined) config.name = q.name;
  if (q.rows !== undefined) config.rows = q.rows;
  if (q.binary !== undefined) config.binary = q.binary;
  try {
    const r = await client.query(config);
    out.push({
      command: r.command,
      rowCount: r.rowCount,
      fields: r.fields.map((f) => [f.name, f.dataTypeID]),
      rows: r.rows,
    });
  } catch (e) {
    out.push({ error: { code: e.code ?? null, message: e.message } });
  }
}
await client.end();
process.stdout.write(JSON.stringify(out) + '\n');
