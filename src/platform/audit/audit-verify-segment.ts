import { AUDIT_ROW_COLUMNS, type AuditRow, auditHashOfRow, GENESIS_HASH } from './audit-hash.ts';
import {
  type AuditBreak,
  type AuditVerifyResult,
  checkAuditEvent,
  type StoredAuditEvent,
} from './audit-verify.ts';

/** What one worker learns about a contiguous segment of the chain (events in seq order). */
export interface SegmentResult {
  count: number;
  /** The first event, whose link to the previous segment the stitcher checks. */
  first: StoredAuditEvent | null;
  /** The first break inside the segment (the first event's link is not checked here). */
  firstBreak: AuditBreak | null;
  /** Events verified before the break (all of them when there is none). */
  checked: number;
  /** seq and hash of the last event verified before the break (or of the last event). */
  lastSeq: number | null;
  lastHash: string | null;
}

/**
 * Verifies a segment event by event: every event's own hash, and for all but the first, its seq
 * and link to the event before. `push` returns false once the segment is broken (stop reading).
 */
export class SegmentVerifier {
  private first: StoredAuditEvent | null = null;
  private prevHash: string | null = null;
  private lastSeq: number | null = null;
  private checked = 0;
  private broken: AuditBreak | null = null;

  /** Checks the next event; false when the segment is broken and reading can stop. */
  push(e: StoredAuditEvent): boolean {
    if (this.broken) return false;
    if (this.first === null) this.first = e;
    const found = checkAuditEvent(e, this.prevHash, this.lastSeq);
    if (found) {
      this.broken = found;
      return false;
    }
    this.prevHash = e.hash;
    this.lastSeq = Number(e.seq);
    this.checked++;
    return true;
  }

  /**
   * The hot-loop twin of `push` for a raw row: when seq, link and hash all hold it only advances;
   * otherwise (and for the first row) it takes the full path, so a break is named exactly as `push` names it.
   */
  pushRow(r: AuditRow): boolean {
    if (this.first !== null && !this.broken) {
      const seq = Number(r[0]);
      if (seq === this.lastSeq! + 1 && r[11] === this.prevHash && auditHashOfRow(r) === r[12]) {
        this.prevHash = r[12] as string;
        this.lastSeq = seq;
        this.checked++;
        return true;
      }
    }
    return this.push(rowToEvent(r));
  }

  /** Events verified so far. */
  get count(): number {
    return this.checked;
  }

  /** What the stitcher needs. */
  result(): SegmentResult {
    return {
      count: this.checked + (this.broken ? 1 : 0),
      first: this.first,
      firstBreak: this.broken,
      checked: this.checked,
      lastSeq: this.lastSeq,
      lastHash: this.prevHash,
    };
  }
}

/** Verifies a segment synchronously (the hot loop of `audit verify` on SQLite). */
export function verifySegment(
  events: Iterable<StoredAuditEvent>,
  onProgress?: (checked: number) => void,
): SegmentResult {
  const v = new SegmentVerifier();
  for (const e of events) {
    if (!v.push(e)) break;
    if (onProgress && v.count % 50_000 === 0) onProgress(v.count);
  }
  return v.result();
}

/**
 * Joins segment results (in seq order) into the result a single pass from genesis would give:
 * the first break by seq, whether a link between segments or a break inside one.
 */
export function stitchSegments(segments: readonly SegmentResult[]): AuditVerifyResult {
  let expectedPrev = GENESIS_HASH;
  let lastSeq: number | null = null;
  let checked = 0;
  for (const s of segments) {
    if (!s.first) continue;
    // The first event gets the full check (seq, link, hash) against the end of the previous segment.
    const boundary = checkAuditEvent(s.first, expectedPrev, lastSeq);
    if (boundary) return { ok: false, checked, lastSeq, lastHash: expectedPrev, firstBreak: boundary };
    if (s.firstBreak) {
      return {
        ok: false,
        checked: checked + s.checked,
        lastSeq: s.lastSeq,
        lastHash: s.lastHash ?? expectedPrev,
        firstBreak: s.firstBreak,
      };
    }
    checked += s.checked;
    lastSeq = s.lastSeq;
    expectedPrev = s.lastHash ?? expectedPrev;
  }
  return { ok: true, checked, lastSeq, lastHash: expectedPrev, firstBreak: null };
}

/** A raw row as a StoredAuditEvent. */
export function rowToEvent(r: AuditRow): StoredAuditEvent {
  const e: Record<string, unknown> = {};
  AUDIT_ROW_COLUMNS.forEach((c, i) => {
    e[c] = r[i];
  });
  return e as unknown as StoredAuditEvent;
}
