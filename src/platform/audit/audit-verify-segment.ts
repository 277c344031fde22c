import { GENESIS_HASH } from './audit-hash.ts';
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
 * Verifies a segment synchronously: every event's own hash, and for all but the first, its seq
 * and link to the event before. Synchronous because this is the hot loop of `audit verify`.
 */
export function verifySegment(
  events: Iterable<StoredAuditEvent>,
  onProgress?: (checked: number) => void,
): SegmentResult {
  let first: StoredAuditEvent | null = null;
  let prevHash: string | null = null;
  let lastSeq: number | null = null;
  let checked = 0;
  for (const e of events) {
    if (first === null) first = e;
    const found = checkAuditEvent(e, prevHash, lastSeq);
    if (found) return { count: checked + 1, first, firstBreak: found, checked, lastSeq, lastHash: prevHash };
    prevHash = e.hash;
    lastSeq = Number(e.seq);
    checked++;
    if (onProgress && checked % 50_000 === 0) onProgress(checked);
  }
  return { count: checked, first, firstBreak: null, checked, lastSeq, lastHash: prevHash };
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
