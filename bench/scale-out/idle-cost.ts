// What an idle `assay worker` (or `assay serve` with ASSAY_SERVER_RUNS_JOBS=0) costs with no work:
// its CPU seconds and those of its PostgreSQL backends over S seconds after it started (polling,
// pg-boss maintenance, scheduler ticks), on a throw-away database.
//
//   ASSAY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --import tsx bench/scale-out/idle-cost.ts [--seconds 60] [--serve]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cpuSeconds as cpu, throwAwayDatabase } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const i = process.argv.indexOf('--seconds');
const SECONDS = i > 0 ? Number(process.argv[i + 1]) : 60;
const SERVE = process.argv.includes('--serve');
const ADMIN = process.env.ASSAY_TEST_DATABASE_URL;
if (!ADMIN) throw new Error('set ASSAY_TEST_DATABASE_URL');

const db = await throwAwayDatabase(ADMIN, 'assay_idle');
const { name, url } = db;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-idle-'));
const args = SERVE ? ['serve', '--port', '0', '--data-dir', dir, '--no-seed'] : ['worker'];
const child = spawn(process.execPath, [path.join(ROOT, 'bin/assay.mjs'), ...args], {
  cwd: ROOT,
  env: {
    ...process.env,
    ASSAY_DATABASE_URL: url,
    ASSAY_BLOB_STORE: 'postgres',
    ASSAY_SIGNING_KEK: randomBytes(32).toString('base64'),
    ASSAY_SCHEDULER_INTERVAL_MS: '10000',
    ASSAY_SERVER_RUNS_JOBS: '0',
    ASSAY_URL: '',
    ASSAY_TOKEN: '',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) => {
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
    if (/is taking jobs|Assay is serving/.test(out)) resolve();
  });
});
await new Promise((r) => setTimeout(r, 3000));
const backends = async () =>
  (
    await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])
  ).rows.map((r) => r.pid);
const c0 = cpu(child.pid!);
const b0 = new Map((await backends()).map((p) => [p, cpu(p)]));
const q0 = await admin.query<{ n: string }>(
  `SELECT sum(xact_commit + xact_rollback) AS n FROM pg_stat_database WHERE datname = $1`,
  [name],
);
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const c1 = cpu(child.pid!);
let pgCpu = 0;
for (const p of await backends()) pgCpu += cpu(p) - (b0.get(p) ?? 0);
const q1 = await admin.query<{ n: string }>(
  `SELECT sum(xact_commit + xact_rollback) AS n FROM pg_stat_database WHERE datname = $1`,
  [name],
);
console.log(
  `idle ${SERVE ? 'server' : 'worker'}, ${SECONDS} s: process ${(c1 - c0).toFixed(2)} CPU-s, its PostgreSQL backends ${pgCpu.toFixed(2)} CPU-s, ${Number(q1.rows[0]!.n) - Number(q0.rows[0]!.n)} transactions; uptime ${os.loadavg()[0]!.toFixed(2)}`,
);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await admin.end();
await db.drop();
fs.rmSync(dir, { recursive: true, force: true });
