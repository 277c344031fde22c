// Writes a CSV benchmark file as Parquet (DuckDB's default compression, snappy), read with the
// reader `assay validate` uses, so that both inputs hold the same typed values.
//   node bench/engine/to-parquet.mjs IN.csv OUT.parquet
import { rename } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
const literal = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run(
  `COPY (SELECT * FROM read_csv(${literal(input)}, header = true, skip = 0, delim = ',', auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])) TO ${literal(`${output}.part`)} (FORMAT parquet)`,
);
await rename(`${output}.part`, output);
