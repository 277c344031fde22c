// What reading one file costs DuckDB in each way the engine could read it, in process CPU seconds
// (all of DuckDB's threads) and wall seconds, each way in a fresh instance with the settings
// `assay validate` uses. Measures the premise of a single streamed read (issue 14):
//   floor      min() of every column (bench/engine/duckdb-floor.mjs: every value parsed once)
//   table      CREATE TABLE … AS SELECT * (what the engine does today for CSV)
//   table-num  the same, numeric columns only;  table-text  text columns only
//   fetch      SELECT * streamed to JS chunk by chunk, the chunks fetched, their vectors not
//   stream     the same, each vector fetched (numbers as the binding's typed arrays), not converted
//   stream-str the same, each text value converted to a JS string (getItem), numbers taken raw
//   node bench/engine/read-costs.mjs FILE [ROUNDS]      (.csv or .parquet; prints one line per run)
import { DuckDBInstance } from '@duckdb/node-api';

const [file, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 2);
const literal = (s) => `'${s.replaceAll("'", "''")}'`;
const reader = /\.(parquet|pq)$/i.test(file)
  ? `read_parquet(${literal(file)})`
  : `read_csv(${literal(file)}, header = true, skip = 0, delim = ',', auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])`;
const ident = (c) => `"${c.replaceAll('"', '""')}"`;

async function run(mode) {
  const instance = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
  const conn = await instance.connect();
  const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`)).getRowObjects();
  const text = described.map((d) => String(d.column_type) === 'VARCHAR');
  const names = described.map((d) => ident(String(d.column_name)));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'floor') {
    await conn.runAndReadAll(`SELECT ${names.map((c) => `min(${c})`).join(', ')} FROM ${reader}`);
  } else if (mode.startsWith('table')) {
    const cols = names.filter((_, i) =>
      mode === 'table-num' ? !text[i] : mode === 'table-text' ? text[i] : true,
    );
    await conn.run(`CREATE TABLE t AS SELECT ${cols.join(', ')} FROM ${reader}`);
  } else {
    const result = await conn.stream(`SELECT * FROM ${reader}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      if (mode === 'fetch') continue;
      for (let c = 0; c < chunk.columnCount; c++) {
        const vector = chunk.getColumnVector(c);
        if (mode === 'stream-str' && text[c]) for (let i = 0; i < chunk.rowCount; i++) vector.getItem(i);
      }
    }
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${mode.padEnd(10)} ${((performance.now() - t0) / 1000).toFixed(2)} s wall  ${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU-s`,
  );
  conn.closeSync();
  instance.closeSync();
}

for (let r = 0; r < rounds; r++) {
  for (const mode of ['floor', 'table', 'table-num', 'table-text', 'fetch', 'stream', 'stream-str'])
    await run(mode);
}
