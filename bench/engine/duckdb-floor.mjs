// The floor: the time DuckDB takes merely to read every column of both files once (min() of each
// column forces every value to be parsed), with the reader and settings `assay validate` loads
// them with (src/engine/load/load-table.ts readerSql; keep the two alike). `assay validate`
// cannot beat this.
//   node bench/engine/duckdb-floor.mjs CURRENT REFERENCE      (.csv or .parquet)
import { DuckDBInstance } from '@duckdb/node-api';

const literal = (s) => `'${s.replaceAll("'", "''")}'`;
function reader(file) {
  if (/\.(parquet|pq)$/i.test(file)) return `read_parquet(${literal(file)})`;
  const delim = /\.tsv(\.gz)?$/i.test(file) ? "'\\t'" : "','";
  return `read_csv(${literal(file)}, header = true, skip = 0, delim = ${delim}, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])`;
}

const instance = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
const conn = await instance.connect();
for (const file of process.argv.slice(2)) {
  const cols = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${reader(file)}`))
    .getRowObjects()
    .map((r) => r.column_name);
  const list = cols.map((c) => `min("${c.replaceAll('"', '""')}")`).join(', ');
  await conn.runAndReadAll(`SELECT ${list} FROM ${reader(file)}`);
}
