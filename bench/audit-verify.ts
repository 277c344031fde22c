/**
 * Benchmark of `assay audit verify` (issue 2: 1,000,000 events in under 5 s on SQLite).
 * Writes N chained events straight into a new SQLite store (the same rows appendAuditEvent writes,
 * with realistic snapshots), then times the CLI end to end as a child process.
 *
 *   node --import tsx bench/audit-verify.ts [events=1000000] [dataDir]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fillAuditChain } from '../test/support/audit-fixture.ts';

const n = Number(process.argv[2] ?? 1_000_000);
const dir = process.argv[3] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'assay-verify-bench-'));
const file = path.join(dir, 'assay.db');
if (!fs.existsSync(file)) {
  const t0 = performance.now();
  await fillAuditChain(file, n);
  process.stdout.write(`wrote ${n} events in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${file}\n`);
}
const bin = path.resolve(import.meta.dirname, '../bin/assay.mjs');
for (let run = 1; run <= 3; run++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'audit', 'verify', '--data-dir', dir], { encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(
    `run ${run}: exit ${r.status} in ${s.toFixed(2)} s (process start included): ${r.stdout.trim()}\n`,
  );
}
