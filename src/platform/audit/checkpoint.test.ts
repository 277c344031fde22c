import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckpointBody } from '../../contracts/audit.ts';
import { loadSigningKey } from '../signing/signing-key.ts';
import { CHECKPOINT_FORMAT, judgeCheckpoint, localiseRewrite, signCheckpoint } from './checkpoint.ts';
import { sameStoredValue } from './state-verify.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cpk-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const key = loadSigningKey({ dataDir: dir });
const hex = fc.stringMatching(/^[0-9a-f]{64}$/);

function body(sequence: number, headHash: string): CheckpointBody {
  return {
    format: CHECKPOINT_FORMAT,
    sequence,
    headHash,
    headEventId: `e${sequence}`,
    time: '2026-01-01T00:00:00.000Z',
    keyId: key.publicKey.id,
  };
}

describe('checkpoints', () => {
  it('holds exactly when the event at its sequence has its hash and the chain is whole up to it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        hex,
        fc.option(hex, { nil: null }),
        fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
        (seq, headHash, storedHash, firstBreakSeq) => {
          const sc = signCheckpoint(body(seq, headHash), key);
          const facts = {
            endSeq: storedHash === null ? seq - 1 : seq,
            atSequence: storedHash === null ? null : { id: `e${seq}`, hash: storedHash },
            sameId: storedHash === null ? null : { seq, hash: storedHash },
            firstBreakSeq,
          };
          const c = judgeCheckpoint(sc, facts, null);
          const holds = storedHash === headHash && (firstBreakSeq === null || firstBreakSeq > seq);
          expect(c.ok).toBe(holds);
          if (storedHash === null) expect(c.reason).toBe('truncated');
          else if (storedHash !== headHash) expect(c.reason).toBe('rewritten');
        },
      ),
    );
  });

  it('fails its signature when any field of the body changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        hex,
        fc.constantFrom('sequence', 'headHash', 'headEventId', 'time'),
        (seq, h, field) => {
          const sc = signCheckpoint(body(seq, h), key);
          const changed = {
            ...sc,
            checkpoint: {
              ...sc.checkpoint,
              ...(field === 'sequence' ? { sequence: seq + 1 } : {}),
              ...(field === 'headHash' ? { headHash: h.replace(/^./, h[0] === 'a' ? 'b' : 'a') } : {}),
              ...(field === 'headEventId' ? { headEventId: 'other' } : {}),
              ...(field === 'time' ? { time: '2027-01-01T00:00:00.000Z' } : {}),
            },
          };
          const facts = {
            endSeq: seq + 1,
            atSequence: { id: 'x', hash: changed.checkpoint.headHash },
            sameId: null,
            firstBreakSeq: null,
          };
          expect(judgeCheckpoint(changed, facts, null).reason).toBe('bad_signature');
        },
      ),
    );
  });

  it('names a renumbered event and narrows a rewrite between checkpoints', () => {
    const sc = signCheckpoint(body(10, 'a'.repeat(64)), key);
    const c = judgeCheckpoint(
      sc,
      { endSeq: 9, atSequence: null, sameId: { seq: 9, hash: 'b'.repeat(64) }, firstBreakSeq: null },
      null,
    );
    expect(c).toMatchObject({ ok: false, reason: 'renumbered' });
    expect(c.message).toContain('now sits at seq 9');
    const ok = { sequence: 5, time: 't5', keyId: 'k', ok: true, reason: 'holds' as const, message: '' };
    expect(localiseRewrite([ok, { ...c, time: 't10' }])).toBe(
      'the trail was changed after seq 5 (checkpoint of t5 still holds) and at or before seq 10 (checkpoint of t10)',
    );
    expect(localiseRewrite([ok])).toBeNull();
  });
});

describe('comparing a stored value with its audit snapshot', () => {
  it('reads integer booleans, numeric text and JSON text as the snapshot would, and lets snapshots add derived sub-fields', () => {
    expect(sameStoredValue(true, 1)).toBe(true);
    expect(sameStoredValue(false, 1)).toBe(false);
    expect(sameStoredValue(3, '3')).toBe(true);
    expect(sameStoredValue(['a'], '["a"]')).toBe(true);
    expect(
      sameStoredValue([{ role: 'approver', count: 1, signed: 1 }], [{ role: 'approver', count: 1 }]),
    ).toBe(true);
    expect(sameStoredValue([{ role: 'approver', count: 1 }], [{ role: 'approver', count: 2 }])).toBe(false);
    expect(sameStoredValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameStoredValue(null, undefined)).toBe(true);
    expect(sameStoredValue(2, 4)).toBe(false);
  });
});
