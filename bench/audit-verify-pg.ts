/**
 * The PostgreSQL figure of the verify benchmark: copies the chain of a SQLite fixture store (made
 * by bench/audit-verify.ts) into a new PostgreSQL database, then times `assay audit verify`.
 *
 *   node --import tsx bench/audit-verify-pg.ts <sqliteDataDir> [postgres://postgres@127.0.0.1:5432/postgres]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/audit-verify-pg.ts <sqliteDataDir> [adminUrl]');
const admin = process.argv[3] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = 'assay_bench_verify';
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await c.query(`CREATE DATABASE ${name}`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
const db = openDatabase({ databaseUrl: url, poolSize: 2 });
await migrateToLatest(db);
await db.close();

const src = new SQLite(path.join(dir, 'assay.db'), { readonly: true });
const cols = [
  'seq',
  'id',
  'at',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'model_id',
  'request_id',
  'before_json',
  'after_json',
  'prev_hash',
  'hash',
];
const client = new pg.Client({ connectionString: url });
await client.connect();
const t0 = performance.now();
let batch: unknown[][] = [];
const flush = async () => {
  if (!batch.length) return;
  const params: unknown[] = [];
  const rows = batch.map((r) => `(${r.map((v) => `$${params.push(v)}`).join(',')})`);
  await client.query(`INSERT INTO audit_events (${cols.join(',')}) VALUES ${rows.join(',')}`, params);
  batch = [];
};
await client.query('BEGIN');
for (const row of src
  .prepare(`SELECT ${cols.join(',')} FROM audit_events ORDER BY seq`)
  .raw()
  .iterate()) {
  batch.push(row as unknown[]);
  if (batch.length === 1000) await flush();
}
await flush();
await client.query('COMMIT');
await client.query('VACUUM ANALYZE audit_events');
await client.end();
process.stdout.write(`copied into ${name} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

const bin = path.resolve(import.meta.dirname, '../bin/assay.mjs');
for (let run = 1; run <= 3; run++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'audit', 'verify', '--database-url', url], {
    encoding: 'utf8',
  });
  const s = (performance.now() - t) / 1000;
  process.stdout.write(`run ${run}: exit ${r.status} in ${s.toFixed(2)} s: ${r.stdout.trim()}\n`);
}
