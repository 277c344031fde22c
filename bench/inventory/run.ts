/**
 * Issue-2 benchmark: 100,000 models, 300,000 versions and ~1,000,000 audit events; times a filtered
 * inventory page and an "as of" read through the real server (fastify.inject: server time without
 * the network), `assay audit verify` over the whole chain, and `assay serve` to healthy.
 *
 *   node --import tsx bench/inventory/run.ts [sqlite|postgres] [models=100000]
 *   (postgres uses ASSAY_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bootstrapAdmin } from '../../src/platform/auth/bootstrap.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { buildServer } from '../../src/server.ts';
import { fillInventory } from './fill.ts';

const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const models = Number(process.argv[3] ?? 100_000);
const log = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bin = path.resolve(import.meta.dirname, '../../bin/assay.mjs');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-inv-bench-'));
let url: string | undefined;
if (engine === 'postgres') {
  const admin = process.env.ASSAY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query('DROP DATABASE IF EXISTS assay_bench WITH (FORCE)');
  await c.query('CREATE DATABASE assay_bench');
  await c.end();
  const u = new URL(admin);
  u.pathname = '/assay_bench';
  url = u.toString();
}
const db = openDatabase({ databaseUrl: url, sqlitePath: path.join(dir, 'assay.db') });
await migrateToLatest(db);
log(`engine ${engine}, ${models} models`);

const { app, services } = await buildServer({
  db,
  clock: systemClock,
  config: { ...loadConfig({}), dataDir: dir },
});
await app.ready();
const boot = (await bootstrapAdmin(services.identity))!;
let t = performance.now();
const keys = await fillInventory(db, models, log);
log(`fill: ${((performance.now() - t) / 1000).toFixed(1)} s`);
if (db.sqlite) db.sqlite.pragma('optimize');
else await db.pgPool!.query('ANALYZE');
const headers = { authorization: `Bearer ${boot.token}` };
async function time(label: string, urls: () => string, n: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = urls();
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url: u, headers });
    xs.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`${u}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  const m = median(xs);
  log(
    `${label}: median ${m.toFixed(2)} ms, p95 ${[...xs].sort((a, b) => a - b)[Math.floor(n * 0.95)]!.toFixed(2)} ms over ${n}`,
  );
  return m;
}
const rand = () => keys[Math.floor(Math.random() * keys.length)]!;
const filters = [
  '/api/v1/models?status=production&sort=updatedAt&order=desc&limit=50',
  '/api/v1/models?type=classification&tier=1&limit=50',
  '/api/v1/models?businessUnit=Fraud&genai=false&sort=name&limit=50',
  '/api/v1/models?tag=t7&limit=50',
  '/api/v1/models?owner=owner3&status=validation&limit=50',
];
let i = 0;
await time('filtered inventory page (5 filter mixes)', () => filters[i++ % filters.length]!, 200);
await time(
  'search q= page',
  () => `/api/v1/models?q=model%20${Math.floor(Math.random() * 1000)}&limit=50`,
  50,
);
// Mid-history of each model: the fill registers model i at 2025-01-01 + i minutes, then edits it over 9 days.
const midHistory = (key: string) =>
  new Date(
    Date.parse('2025-01-01T00:00:00.000Z') + Number(key.slice(6)) * 60_000 + 5 * 86_400_000,
  ).toISOString();
await time(
  'as-of read of one model',
  () => {
    const k = rand();
    return `/api/v1/models/${k}?asOf=${midHistory(k)}`;
  },
  200,
);
await time('model detail', () => `/api/v1/models/${rand()}`, 200);
await app.close();
await db.close();

t = performance.now();
const env = { ...process.env, ...(url ? { ASSAY_DATABASE_URL: url } : {}) };
const verify = spawnSync(process.execPath, [bin, 'audit', 'verify', '--data-dir', dir], {
  encoding: 'utf8',
  env,
});
log(
  `audit verify (process start to exit): ${((performance.now() - t) / 1000).toFixed(2)} s: ${verify.stdout.trim()} ${verify.stderr.trim().slice(-200)}`,
);

const starts: number[] = [];
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const port = 7500 + r;
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--data-dir', dir, '--port', String(port), '--no-seed'],
    { env, stdio: 'ignore' },
  );
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (x) => x.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  starts.push(performance.now() - t0);
  child.kill('SIGTERM');
  await new Promise((res) => child.once('exit', res));
}
log(`serve to healthy: median ${(median(starts) / 1000).toFixed(2)} s over 3`);
fs.rmSync(dir, { recursive: true, force: true });
