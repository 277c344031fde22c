import SQLite from 'better-sqlite3';
import type { StoredAuditEvent } from './audit-verify.ts';
import { type SegmentResult, verifySegment } from './audit-verify-segment.ts';

/** The stored columns of an event, in the order the hash covers them. */
export const AUDIT_COLUMNS =
  'seq, id, at, actor, action, entity_type, entity_id, model_id, request_id, before_json, after_json, prev_hash, hash';

/** Verifies events with lo < seq <= hi of the SQLite store at `file` on this thread (read-only). */
export function verifySqliteRange(
  file: string,
  lo: number,
  hi: number,
  onProgress?: (checked: number) => void,
): SegmentResult {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq`)
      .iterate(lo, hi) as Iterable<StoredAuditEvent>;
    return verifySegment(rows, onProgress);
  } finally {
    db.close();
  }
}

/** min/max seq and the number of events of a SQLite store. */
export function sqliteSeqBounds(file: string): { lo: number | null; hi: number | null; n: number } {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM audit_events').get() as {
      lo: number | null;
      hi: number | null;
      n: number;
    };
  } finally {
    db.close();
  }
}
