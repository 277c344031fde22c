// Where `assay validate` spends its time: preloaded into a run from the TypeScript sources, it
// logs to stderr when each DuckDB query starts (ms since start, main-thread CPU ms) with its first
// characters. Queries run one at a time on the connection, so the gap to the next line is the
// query's time plus the JS work between the two.
//   ASSAY_NO_BUNDLE=1 node --import ./bench/engine/trace-queries.mjs bin/assay.mjs validate ...
import { performance } from 'node:perf_hooks';
import { DuckDBConnection } from '@duckdb/node-api';

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const log = (what) => {
  const cpu = process.cpuUsage(cpu0);
  process.stderr.write(
    `[trace] ${(performance.now() - t0).toFixed(0).padStart(6)} ms  cpu ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(6)} ms  ${what}\n`,
  );
};
for (const method of ['run', 'runAndReadAll', 'stream', 'streamAndReadAll']) {
  const original = DuckDBConnection.prototype[method];
  DuckDBConnection.prototype[method] = function (sql, ...rest) {
    log(`${method} ${String(sql).replace(/\s+/g, ' ').slice(0, 150)}`);
    return original.call(this, sql, ...rest);
  };
}
process.on('exit', () => log('exit'));
