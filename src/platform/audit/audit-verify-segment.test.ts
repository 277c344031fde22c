import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillAuditChain } from '../../../test/support/audit-fixture.ts';
import {
  AUDIT_ROW_COLUMNS,
  type AuditEventRecord,
  computeAuditHash,
  GENESIS_HASH,
  quoteJson,
} from './audit-hash.ts';
import { type StoredAuditEvent, verifyAuditChain } from './audit-verify.ts';
import { verifySqliteChain } from './audit-verify-parallel.ts';
import { SegmentVerifier, stitchSegments, verifySegment } from './audit-verify-segment.ts';

function chain(n: number): StoredAuditEvent[] {
  const out: StoredAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const rec: AuditEventRecord = {
      seq: i,
      id: `e${i}`,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actor: 'u',
      action: 'a.b',
      entity_type: 't',
      entity_id: `x${i}`,
      model_id: null,
      request_id: null,
      before_json: null,
      after_json: `{"v":${i}}`,
      prev_hash: prev,
    };
    const hash = computeAuditHash(rec);
    out.push({ ...rec, hash });
    prev = hash;
  }
  return out;
}

type Tamper = 'none' | 'content' | 'hash' | 'prev' | 'drop';

function tamper(events: StoredAuditEvent[], at: number, kind: Tamper): StoredAuditEvent[] {
  const copy = events.map((e) => ({ ...e }));
  const e = copy[at]!;
  if (kind === 'content') e.actor = `${e.actor}x`;
  if (kind === 'hash') e.hash = `${e.hash.slice(0, -1)}${e.hash.endsWith('0') ? '1' : '0'}`;
  if (kind === 'prev') e.prev_hash = GENESIS_HASH.replace(/^0/, '1');
  if (kind === 'drop') copy.splice(at, 1);
  return copy;
}

describe('the hash fast paths', () => {
  it('quoteJson is JSON.stringify for every string, including controls and lone surrogates', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constant(null)),
        (v) => {
          expect(quoteJson(v)).toBe(JSON.stringify(v));
        },
      ),
      { numRuns: 2000 },
    );
    for (const v of ['\u2028', '\ud800', 'a"b', 'back\\slash', '\u007f', 'é☃😀', ''])
      expect(quoteJson(v)).toBe(JSON.stringify(v));
  });

  it('the raw-row path accepts and rejects exactly what the object path does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.nat(),
        fc.constantFrom<Tamper>('none', 'content', 'hash', 'prev', 'drop'),
        (n, where, kind) => {
          const events = tamper(chain(n), where % n, kind);
          const v = new SegmentVerifier();
          for (const e of events) if (!v.pushRow(AUDIT_ROW_COLUMNS.map((c) => e[c]))) break;
          expect(v.result()).toEqual(verifySegment(events));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('segmented verify', () => {
  it('gives exactly the single-pass result for any split and any single tamper', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        fc.constantFrom<Tamper>('none', 'content', 'hash', 'prev', 'drop'),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (n, where, kind, cuts) => {
          const events = tamper(chain(n), where % n, kind);
          const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
          const bounds = [0, ...points, events.length];
          const segments = bounds.slice(1).map((end, i) => verifySegment(events.slice(bounds[i], end)));
          expect(stitchSegments(segments)).toEqual(await verifyAuditChain(events));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('verifySqliteChain with worker threads', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-verify-'));
    file = path.join(dir, 'assay.db');
    await fillAuditChain(file, 210_000);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('verifies a long chain in parallel and names a changed event past the split', async () => {
    const ok = await verifySqliteChain(file, { workers: 2 });
    expect(ok).toMatchObject({ ok: true, checked: 210_000, lastSeq: 210_000 });
    const single = await verifySqliteChain(file, { workers: 1 });
    expect(single).toEqual(ok);

    const h = new SQLite(file);
    h.exec('DROP TRIGGER audit_events_no_update');
    h.prepare("UPDATE audit_events SET actor = actor || '!' WHERE seq = 150001").run();
    h.close();
    const broken = await verifySqliteChain(file, { workers: 2 });
    expect(broken.ok).toBe(false);
    expect(broken.firstBreak).toMatchObject({ seq: 150_001, id: 'evt-0000150001', reason: 'hash_mismatch' });
    expect(broken.checked).toBe(150_000);
  }, 120_000);
});
