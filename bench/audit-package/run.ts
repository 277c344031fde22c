/**
 * Audit package benchmark: a model with N evidence files totalling S bytes, packaged through the
 * real service (in a child process, so its peak RSS is the build's own) and verified offline with
 * `assay verify-package`'s code (another child), against `sha256sum` over the same evidence blobs.
 *
 *   node --import tsx bench/audit-package/run.ts [files=100] [totalMB=1024] [smallMB=100]
 *
 * Runs the small package first (same file count, smallMB in total) so the peak RSS of both builds
 * can be compared: the build streams, so RSS must not grow with the package size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { bootstrapAdmin } from '../../src/platform/auth/bootstrap.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { buildServer } from '../../src/server.ts';

const [files = 100, totalMB = 1024, smallMB = 100] = process.argv.slice(2).map(Number);
const HERE = path.dirname(new URL(import.meta.url).pathname);

/** Deterministic, incompressible-enough bytes: SHA-256 counter blocks (each file distinct). */
function* fileBytes(seed: number, size: number): Generator<Buffer> {
  const block = 1 << 20;
  let i = 0;
  for (let done = 0; done < size; done += block, i++) {
    const n = Math.min(block, size - done);
    const out = Buffer.allocUnsafe(n);
    const base = createHash('sha256').update(`${seed}:${i}`).digest();
    for (let o = 0; o < n; o += 32) base.copy(out, o, 0, Math.min(32, n - o));
    // Vary every 32-byte word cheaply so blocks differ within the file.
    for (let o = 0; o + 4 <= n; o += 4096) out.writeUInt32LE((o ^ (i << 12) ^ seed) >>> 0, o);
    yield out;
  }
}

async function makeStore(totalBytes: number): Promise<{ dataDir: string; key: string; blobs: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-pkg-'));
  const db = openDatabase({ sqlitePath: path.join(dataDir, 'assay.db') });
  await migrateToLatest(db);
  const config = { ...loadConfig({}), dataDir };
  const { services } = await buildServer({ db, clock: systemClock, config });
  await bootstrapAdmin(services.identity);
  const caller = {
    principal: {
      userId: 'bench',
      username: 'admin',
      role: 'admin' as const,
      scope: 'admin' as const,
      tokenId: 'b',
    },
    audit: { actor: 'admin', requestId: null },
  };
  const key = 'bench-pkg';
  await services.models.register(caller, { key, name: 'Benchmark package', type: 'classification' });
  await services.versions.create(caller, key, { label: '1.0.0' });
  const per = Math.floor(totalBytes / files);
  const blobs: string[] = [];
  for (let f = 0; f < files; f++) {
    const stored = await services.evidence.storeUpload(Readable.from(fileBytes(f + totalBytes, per)));
    await services.evidence.create(
      caller,
      key,
      '1.0.0',
      { type: 'test_results', title: `evidence ${f}` },
      { ...stored, mediaType: 'application/octet-stream', filename: `part-${f}.bin` },
    );
    blobs.push(
      path.join(dataDir, 'blobs', stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256),
    );
  }
  await db.close();
  return { dataDir, key, blobs };
}

function child(script: string, args: string[]): Record<string, number | string | boolean> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(HERE, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${script} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const rows: string[] = [];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
for (const mb of [smallMB, totalMB]) {
  const t0 = performance.now();
  const { dataDir, key, blobs } = await makeStore(mb * 1024 * 1024);
  const setupS = (performance.now() - t0) / 1000;
  const out = path.join(dataDir, 'package.zip');
  const loadBefore = load();
  const build = child('build-one.ts', [dataDir, key, out]);
  const verify = child('verify-one.ts', [out]);
  const s0 = performance.now();
  execFileSync('sha256sum', blobs, { maxBuffer: 1 << 26 });
  const shaS = (performance.now() - s0) / 1000;
  const bytes = fs.statSync(out).size;
  const line = {
    evidenceMB: mb,
    files,
    zipMB: +(bytes / 1e6).toFixed(1),
    setupS: +setupS.toFixed(1),
    buildS: build.seconds,
    buildMBps: +(bytes / 1e6 / Number(build.seconds)).toFixed(0),
    buildPeakRssMB: build.peakRssMB,
    verifyS: verify.seconds,
    verifyMBps: +(bytes / 1e6 / Number(verify.seconds)).toFixed(0),
    verifyPeakRssMB: verify.peakRssMB,
    verifyOk: verify.ok,
    sha256sumS: +shaS.toFixed(2),
    sha256sumMBps: +((mb * 1.048576) / shaS).toFixed(0),
    loadBefore,
    loadAfter: load(),
  };
  rows.push(JSON.stringify(line));
  console.log(JSON.stringify(line));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
