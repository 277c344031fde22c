// CPU per request of one `assay serve` on PostgreSQL (issue 19, h-scale19b): the scale-out run's
// latency is queueing for two saturated cores, so what a request costs in CPU is the figure to cut.
// Starts one server on a throw-away database, registers --models models, then sends each kind of
// the scale-out run's requests (--n of each, --concurrency at a time) and reads the server's CPU
// time (user + system, /proc/<pid>/stat, Linux) around each kind, and that of the PostgreSQL
// backends serving the bench database (their pids from pg_stat_activity; same machine only).
//
//   ASSAY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --import tsx bench/scale-out/cpu-per-request.ts [--models 300] [--n 600] [--concurrency 10]
// Prints, per kind: the server's and PostgreSQL's CPU ms per request (and the wall time, which the
// machine's load skews).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cpuSeconds, freePort, throwAwayDatabase } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/assay.mjs');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const MODELS = arg('models', 300);
const N = arg('n', 600);
const CONCURRENCY = arg('concurrency', 10);
const ADMIN = process.env.ASSAY_TEST_DATABASE_URL;
if (!ADMIN) throw new Error('set ASSAY_TEST_DATABASE_URL (an admin URL; a throw-away database is created)');

const cpuMs = (pid: number) => cpuSeconds(pid) * 1000;

/** CPU ms of the PostgreSQL backends connected to the bench database (0 for one that has gone). */
async function backendsCpuMs(c: pg.Client, db: string): Promise<Map<number, number>> {
  const r = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [db]);
  const m = new Map<number, number>();
  for (const { pid } of r.rows) m.set(pid, cpuMs(pid));
  return m;
}
const pgDelta = (a: Map<number, number>, b: Map<number, number>) =>
  [...b].reduce((s, [pid, ms]) => s + Math.max(0, ms - (a.get(pid) ?? ms)), 0);

const db = await throwAwayDatabase(ADMIN, 'assay_bench');
const { name, url } = db;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
const port = await freePort();
const child = spawn(
  process.execPath,
  [
    BIN,
    'serve',
    '--port',
    String(port),
    '--data-dir',
    fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cpu-')),
    '--no-seed',
  ],
  {
    cwd: ROOT,
    env: {
      ...process.env,
      ASSAY_DATABASE_URL: url,
      ASSAY_BLOB_STORE: 'postgres',
      ASSAY_SIGNING_KEK: randomBytes(32).toString('base64'),
      ASSAY_SERVER_RUNS_JOBS: '0',
      ASSAY_URL: '',
      ASSAY_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let out = '';
const token = await new Promise<string>((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
  child.stdout!.on('data', (d) => {
    out += String(d);
    const m = /\b(assay_[A-Za-z0-9_-]{20,})/.exec(out);
    if (out.includes('Assay is serving') && m) {
      clearTimeout(t);
      resolve(m[1]!);
    }
  });
  child.once('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
});
const base = `http://127.0.0.1:${port}`;
const call = async (method: string, p: string, body?: unknown) => {
  const r = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${p}: HTTP ${r.status} ${text.slice(0, 200)}`);
};
let seq = 0;
const register = () => {
  const key = `cpu-${seq++}`;
  return call('POST', '/api/v1/models', { key, name: `Cpu ${key}`, type: 'classification' });
};
async function run(n: number, one: () => Promise<void>): Promise<void> {
  let left = n;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await one();
    }),
  );
}
try {
  await run(MODELS, register);
  await run(50, () => call('GET', '/api/v1/models?limit=20')); // warm-up
  const kinds: [string, () => Promise<void>][] = [
    ['GET /models?limit=20', () => call('GET', '/api/v1/models?limit=20')],
    ['GET /audit/events?limit=20', () => call('GET', '/api/v1/audit/events?limit=20')],
    ['POST /models', register],
  ];
  console.log(
    `one server on PostgreSQL, ${MODELS} models first, ${N} requests of each kind, ${CONCURRENCY} at a time; uptime: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  for (const [kind, one] of kinds) {
    const c0 = cpuMs(child.pid!);
    const p0 = await backendsCpuMs(admin, name);
    const t0 = performance.now();
    await run(N, one);
    const cpu = cpuMs(child.pid!) - c0;
    const pgCpu = pgDelta(p0, await backendsCpuMs(admin, name));
    console.log(
      `  ${kind.padEnd(28)} server CPU ${(cpu / N).toFixed(2)} ms, PostgreSQL CPU ${(pgCpu / N).toFixed(2)} ms per request (${(cpu / 1000).toFixed(2)} s + ${(pgCpu / 1000).toFixed(2)} s for ${N}; wall ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await admin.end();
  await db.drop();
}
