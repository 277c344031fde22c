import { type AuditEventRecord, computeAuditHash, GENESIS_HASH } from './audit-hash.ts';

/** Where the chain first breaks, and why. */
export interface AuditBreak {
  seq: number;
  id: string;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';
  message: string;
}

/** The result of checking a chain of audit events. */
export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  lastSeq: number | null;
  lastHash: string;
  firstBreak: AuditBreak | null;
}

/** A stored event with its stored hash. */
export type StoredAuditEvent = AuditEventRecord & { hash: string };

/**
 * Re-computes the chain over events in `seq` order and reports the first event whose hash,
 * link to its predecessor, or sequence number does not match. Pure: works on rows from the
 * database or from an exported package.
 *
 * @param start the seq and hash expected before the first event (genesis by default), so a
 *   segment of the chain (one model's events in an audit package) can be checked on its own.
 */
export async function verifyAuditChain(
  events: AsyncIterable<StoredAuditEvent> | Iterable<StoredAuditEvent>,
  start: { seq: number; hash: string } | null = null,
): Promise<AuditVerifyResult> {
  let expectedPrev = start?.hash ?? GENESIS_HASH;
  let lastSeq: number | null = start?.seq ?? null;
  let checked = 0;
  for await (const e of events) {
    const found = checkAuditEvent(e, expectedPrev, lastSeq);
    if (found) return { ok: false, checked, lastSeq, lastHash: expectedPrev, firstBreak: found };
    expectedPrev = e.hash;
    lastSeq = Number(e.seq);
    checked++;
  }
  return { ok: true, checked, lastSeq, lastHash: expectedPrev, firstBreak: null };
}

/**
 * Checks one event against its predecessor's seq and hash (`expectedPrev` null skips the link check,
 * for the first event of a segment whose predecessor another worker read). Null when it holds.
 */
export function checkAuditEvent(
  e: StoredAuditEvent,
  expectedPrev: string | null,
  lastSeq: number | null,
): AuditBreak | null {
  const seq = Number(e.seq);
  if (lastSeq !== null && seq !== lastSeq + 1) {
    return {
      seq,
      id: e.id,
      reason: 'sequence_gap',
      message: `event ${seq} follows ${lastSeq}: events are missing`,
    };
  }
  if (expectedPrev !== null && e.prev_hash !== expectedPrev) {
    return {
      seq,
      id: e.id,
      reason: 'prev_hash_mismatch',
      message: `event ${seq} (${e.id}) does not link to the event before it`,
    };
  }
  const actual = computeAuditHash({ ...e, seq });
  if (actual !== e.hash) {
    return {
      seq,
      id: e.id,
      reason: 'hash_mismatch',
      message: `event ${seq} (${e.id}) was changed after it was written: stored hash ${e.hash.slice(0, 12)}…, content hashes to ${actual.slice(0, 12)}…`,
    };
  }
  return null;
}
