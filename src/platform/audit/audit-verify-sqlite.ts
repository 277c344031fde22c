import os from 'node:os';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { AuditVerifyResult, StoredAuditEvent } from './audit-verify.ts';
import { type SegmentResult, stitchSegments, verifySegment } from './audit-verify-segment.ts';

const COLUMNS =
  'seq, id, at, actor, action, entity_type, entity_id, model_id, request_id, before_json, after_json, prev_hash, hash';

/** Below this many events one thread is faster than starting workers. */
const PARALLEL_FROM = 200_000;

/** Verifies events with lo < seq <= hi of the SQLite store at `file` on this thread. */
export function verifySqliteRange(
  file: string,
  lo: number,
  hi: number,
  onProgress?: (checked: number) => void,
): SegmentResult {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(`SELECT ${COLUMNS} FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq`)
      .iterate(lo, hi) as Iterable<StoredAuditEvent>;
    return verifySegment(rows, onProgress);
  } finally {
    db.close();
  }
}

function runWorker(
  file: string,
  lo: number,
  hi: number,
  onProgress: (n: number) => void,
): Promise<SegmentResult> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const target = new URL('./audit-verify-worker.ts', import.meta.url).href;
  // Workers do not inherit the TypeScript loader: the bootstrap registers it, then loads the worker.
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
  return new Promise((resolve, reject) => {
    const w = new Worker(boot, { eval: true, workerData: { file, lo, hi } });
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

/**
 * Verifies the whole chain of a SQLite store, splitting the seq range across worker threads when
 * the chain is long; the result is the one a single pass from genesis gives (see stitchSegments).
 */
export async function verifySqliteChain(
  file: string,
  options: { workers?: number; onProgress?: (checked: number) => void } = {},
): Promise<AuditVerifyResult> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  const bounds = db
    .prepare('SELECT min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM audit_events')
    .get() as {
    lo: number | null;
    hi: number | null;
    n: number;
  };
  db.close();
  if (bounds.lo === null || bounds.hi === null) return stitchSegments([]);
  const workers = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), 8));
  if (workers === 1 || bounds.n < PARALLEL_FROM) {
    return stitchSegments([verifySqliteRange(file, bounds.lo - 1, bounds.hi, options.onProgress)]);
  }
  const width = Math.ceil((bounds.hi - bounds.lo + 1) / workers);
  const progress = new Array<number>(workers).fill(0);
  const segments = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const lo = bounds.lo! - 1 + i * width;
      return runWorker(file, lo, Math.min(bounds.hi!, lo + width), (n) => {
        progress[i] = n;
        options.onProgress?.(progress.reduce((a, b) => a + b, 0));
      });
    }),
  );
  return stitchSegments(segments);
}
