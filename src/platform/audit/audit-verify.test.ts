import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEventRecord, computeAuditHash, GENESIS_HASH } from './audit-hash.ts';
import { type StoredAuditEvent, verifyAuditChain } from './audit-verify.ts';

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
      model_id: i % 2 ? 'm' : null,
      request_id: null,
      before_json: i > 1 ? `{"v":${i - 1}}` : null,
      after_json: `{"v":${i}}`,
      prev_hash: prev,
    };
    const hash = computeAuditHash(rec);
    out.push({ ...rec, hash });
    prev = hash;
  }
  return out;
}

const FIELDS = [
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
] as const;

describe('verifyAuditChain', () => {
  it('accepts an intact chain', async () => {
    expect(await verifyAuditChain(chain(10))).toMatchObject({ ok: true, checked: 10, lastSeq: 10 });
  });

  it('detects any single-field change and names that event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(...FIELDS),
        fc.string({ minLength: 1, maxLength: 5 }),
        async (idx, field, junk) => {
          const events = chain(10);
          const victim = events[idx]!;
          const original = victim[field];
          const changed = `${original ?? ''}${junk}`;
          (victim as unknown as Record<string, unknown>)[field] = changed;
          const result = await verifyAuditChain(events);
          expect(result.ok).toBe(false);
          expect(result.firstBreak?.seq).toBe(idx + 1);
          expect(result.firstBreak?.reason).toBe('hash_mismatch');
        },
      ),
    );
  });

  it('detects a removed event and a re-linked forgery', async () => {
    const events = chain(5);
    events.splice(2, 1);
    const gap = await verifyAuditChain(events);
    expect(gap.firstBreak).toMatchObject({ seq: 4, reason: 'sequence_gap' });

    const forged = chain(5);
    forged[3] = { ...forged[3]!, prev_hash: 'f'.repeat(64) };
    const relinked = await verifyAuditChain(forged);
    expect(relinked.firstBreak).toMatchObject({ seq: 4, reason: 'prev_hash_mismatch' });
  });

  it('checks a segment from a given starting point', async () => {
    const events = chain(6);
    const start = { seq: 3, hash: events[2]!.hash };
    expect(await verifyAuditChain(events.slice(3), start)).toMatchObject({ ok: true, checked: 3 });
    expect((await verifyAuditChain(events.slice(3))).ok).toBe(false);
  });
});
