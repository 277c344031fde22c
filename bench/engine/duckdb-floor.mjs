// The floor: the time DuckDB takes merely to read every column of both files once
// (min() of each column forces every value to be parsed). `assay validate` cannot beat this.
//   node bench/engine/duckdb-floor.mjs CURRENT.csv REFERENCE.csv
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
for (const file of process.argv.slice(2)) {
  const cols = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${file}')`))
    .getRowObjects()
    .map((r) => r.column_name);
  const list = cols.map((c) => `min("${c}")`).join(', ');
  await conn.runAndReadAll(`SELECT ${list} FROM read_csv('${file}')`);
}
