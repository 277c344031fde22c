import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditVerifyResult } from './audit-verify.ts';
import { postgresSeqBounds, verifyPostgresRange } from './audit-verify-pg.ts';
import { type SegmentResult, stitchSegments } from './audit-verify-segment.ts';
import { sqliteSeqBounds, verifySqliteRange } from './audit-verify-sqlite.ts';

/** One segment of the chain to verify, on either engine. */
export type VerifyJob =
  | { engine: 'sqlite'; file: string; lo: number; hi: number }
  | { engine: 'postgres'; url: string; lo: number; hi: number };

/** Below this many events one thread is faster than starting workers. */
const PARALLEL_FROM = 200_000;

/** Runs one job on this thread. */
export async function runVerifyJob(job: VerifyJob, onProgress?: (n: number) => void): Promise<SegmentResult> {
  return job.engine === 'sqlite'
    ? verifySqliteRange(job.file, job.lo, job.hi, onProgress)
    : verifyPostgresRange(job.url, job.lo, job.hi, onProgress);
}

/**
 * The worker's bootstrap. From the CLI bundle (dist/cli/, every chunk in one folder) the worker is
 * its own entry, audit-verify-worker.mjs, beside this code. From the TypeScript sources, workers do
 * not inherit the TypeScript loader: the bootstrap registers tsx, then loads the worker.
 */
function workerBoot(): string {
  if (!import.meta.url.endsWith('.ts')) {
    return `import(${JSON.stringify(new URL('./audit-verify-worker.mjs', import.meta.url).href)})`;
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const target = new URL('./audit-verify-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
}

function runInWorker(job: VerifyJob, onProgress: (n: number) => void): Promise<SegmentResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerBoot(), { eval: true, workerData: job });
    w.on('message', (m: { progress?: number; result?: SegmentResult }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      if (m.result) resolve(m.result);
    });
    w.on('error', reject);
    w.on('exit', (code) => {
      if (code !== 0) reject(new Error(`audit verify worker exited with ${code}`));
    });
  });
}

/** Options of a whole-chain verify. */
export interface ParallelVerifyOptions {
  workers?: number;
  onProgress?: (checked: number) => void;
}

async function verifySplit(
  bounds: { lo: number | null; hi: number | null; n: number },
  jobFor: (lo: number, hi: number) => VerifyJob,
  options: ParallelVerifyOptions,
): Promise<AuditVerifyResult> {
  if (bounds.lo === null || bounds.hi === null) return stitchSegments([]);
  const lo0 = Number(bounds.lo) - 1;
  const hi0 = Number(bounds.hi);
  const workers = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), 8));
  if (workers === 1 || bounds.n < PARALLEL_FROM) {
    return stitchSegments([await runVerifyJob(jobFor(lo0, hi0), options.onProgress)]);
  }
  const width = Math.ceil((hi0 - lo0) / workers);
  const progress = new Array<number>(workers).fill(0);
  const segments = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const lo = lo0 + i * width;
      return runInWorker(jobFor(lo, Math.min(hi0, lo + width)), (n) => {
        progress[i] = n;
        options.onProgress?.(progress.reduce((a, b) => a + b, 0));
      });
    }),
  );
  return stitchSegments(segments);
}

/**
 * Verifies the whole chain of a SQLite store, splitting the seq range across worker threads when
 * the chain is long; the result is the one a single pass from genesis gives (see stitchSegments).
 */
export async function verifySqliteChain(
  file: string,
  options: ParallelVerifyOptions = {},
): Promise<AuditVerifyResult> {
  return verifySplit(sqliteSeqBounds(file), (lo, hi) => ({ engine: 'sqlite', file, lo, hi }), options);
}

/** The same on a PostgreSQL store: one connection per worker, keyset pages over its seq range. */
export async function verifyPostgresChain(
  url: string,
  options: ParallelVerifyOptions = {},
): Promise<AuditVerifyResult> {
  return verifySplit(
    await postgresSeqBounds(url),
    (lo, hi) => ({ engine: 'postgres', url, lo, hi }),
    options,
  );
}
