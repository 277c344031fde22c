// Blob read speed (issue 19): one N MiB blob stored in the local directory, PostgreSQL and S3
// (s3rver, run in a CHILD process like a real S3 service) stores, then read back through
// BlobStore.open (the SHA-256 checked while reading, as every read in Assay) R times per store,
// alternating the stores each round so load changes hit all three alike. Prints per store the
// median MB/s, its ratio to the local directory's median, the reader's CPU seconds per read and the
// largest RSS growth during a read (memory must stay flat).
//
//   ASSAY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --import tsx bench/scale-out/blob-read.ts [--mb 100] [--runs 5]
//
// Without ASSAY_TEST_DATABASE_URL the PostgreSQL store is skipped. bench/scale-out/run.ts runs the
// same measurement after its load phase.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { type BlobStore, LocalBlobStore } from '../../src/platform/blob-store.ts';
import { PgBlobStore } from '../../src/platform/blobs/pg-blob-store.ts';
import type { S3BlobStoreOptions } from '../../src/platform/blobs/s3-blob-store.ts';

process.env.AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING ??= '1';
const ROOT = path.resolve(import.meta.dirname, '../..');

interface ReadFigure {
  mbs: number;
  ms: number;
  cpuS: number;
  rssMiB: number;
}

async function timeRead(store: BlobStore, sha: string, size: number): Promise<ReadFigure> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  for await (const chunk of store.open(sha)) n += (chunk as Buffer).length;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (n !== size) throw new Error(`read ${n} of ${size} bytes`);
  return {
    mbs: size / 1e6 / (ms / 1000),
    ms,
    cpuS: (cpu.user + cpu.system) / 1e6,
    rssMiB: (peak - base) / 1024 / 1024,
  };
}

/** Starts s3rver in a child process (bench/scale-out/s3-child.ts). */
export async function startS3Child(): Promise<{ options: S3BlobStoreOptions; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/scale-out/s3-child.ts'], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`the s3rver child exited (${code})`)));
  });
  const { options } = JSON.parse(line) as { options: S3BlobStoreOptions };
  return {
    options,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      await exited;
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Stores one `mb` MiB blob in each store and reads it `runs` times per store (rounds alternate the
 * stores), printing the figures. `adminUrl` (a PostgreSQL admin URL) adds the PostgreSQL store in a
 * throw-away database.
 */
export async function measureBlobReads(
  adminUrl: string | undefined,
  mb: number,
  runs: number,
): Promise<void> {
  const size = mb * 1024 * 1024;
  const seed = randomBytes(1024 * 1024);
  const source = () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < mb; i++) {
          seed[0] = i % 256;
          yield Buffer.from(seed);
        }
      })(),
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-blobbench-'));
  const s3 = await startS3Child();
  const stores: [string, BlobStore][] = [['local', new LocalBlobStore(dir)]];
  let dropDb: (() => Promise<void>) | undefined;
  if (adminUrl) {
    const name = `assay_blobbench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
    const { openDatabase } = await import('../../src/platform/db/database.ts');
    const { migrateToLatest } = await import('../../src/platform/db/migrate.ts');
    const mdb = openDatabase({ databaseUrl: url, poolSize: 2 });
    await migrateToLatest(mdb);
    await mdb.close();
    stores.push(['postgres', new PgBlobStore(url)]);
    dropDb = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  // Loaded here, after the SDK's Node-version warning is silenced above.
  const { S3BlobStore } = await import('../../src/platform/blobs/s3-blob-store.ts');
  stores.push(['s3', new S3BlobStore(s3.options)]);
  try {
    const shas = new Map<string, string>();
    for (const [label, store] of stores)
      shas.set(label, (await store.put(source(), Number.MAX_SAFE_INTEGER)).sha256);
    // One untimed read each (connections, page cache), then the timed rounds.
    for (const [label, store] of stores) await timeRead(store, shas.get(label)!, size);
    const figures = new Map<string, ReadFigure[]>(stores.map(([l]) => [l, []]));
    for (let r = 0; r < runs; r++)
      for (const [label, store] of stores)
        figures.get(label)!.push(await timeRead(store, shas.get(label)!, size));
    const localMbs = median(figures.get('local')!.map((f) => f.mbs));
    console.log(
      `blob read: one ${mb} MiB blob, SHA-256 checked while reading, median of ${runs} (stores alternating); s3rver in a child process; load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    for (const [label] of stores) {
      const fs_ = figures.get(label)!;
      const mbs = median(fs_.map((f) => f.mbs));
      console.log(
        `  ${label.padEnd(9)} ${mbs.toFixed(0).padStart(5)} MB/s (${fs_.map((f) => f.mbs.toFixed(0)).join(' ')})` +
          `  ${(mbs / localMbs).toFixed(2)}× local` +
          `  reader CPU ${median(fs_.map((f) => f.cpuS)).toFixed(2)} s/read` +
          `  RSS growth max ${Math.max(...fs_.map((f) => f.rssMiB)).toFixed(1)} MiB`,
      );
    }
  } finally {
    for (const [, store] of stores) await store.close();
    await s3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    await dropDb?.();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  await measureBlobReads(process.env.ASSAY_TEST_DATABASE_URL, arg('mb', 100), arg('runs', 5));
}
