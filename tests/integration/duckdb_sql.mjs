// Runs SQL statements in an in-memory DuckDB (@duckdb/node-api from
// tests/node_modules) and prints the rows of the last one as a JSON array of
// objects. Usage: node duckdb_sql.mjs "STATEMENT" ["STATEMENT" ...]
import { DuckDBInstance } from '@duckdb/node-api';

const statements = process.argv.slice(2);
if (statements.length === 0) {
  console.error('usage: node duckdb_sql.mjs "SQL" ...');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
let rows = [];
for (const sql of statements) {
  const reader = await connection.runAndReadAll(sql);
  rows = reader.getRowObjectsJson();
}
connection.closeSync();
process.stdout.write(JSON.stringify(rows) + '\n');
