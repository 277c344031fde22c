import { describe, expect, it } from 'vitest';
import type { StoredAuditEvent } from '../../platform/audit/audit-verify.ts';
import { PackageState } from './package-state.ts';

function event(seq: number, action: string, after: unknown): StoredAuditEvent {
  return {
    seq,
    id: `e${seq}`,
    at: '2026-01-01T00:00:00.000Z',
    actor: 'system',
    action,
    entity_type: 'finding',
    entity_id: 'f1',
    model_id: 'm1',
    request_id: null,
    before_json: null,
    after_json: JSON.stringify(after),
    prev_hash: '0'.repeat(64),
    hash: '1'.repeat(64),
  };
}

describe('the package state replay', () => {
  it('keeps the finding as its last snapshot when the scheduler flags it overdue afterwards', () => {
    const state = new PackageState(null);
    state.push(event(1, 'finding.raised', { id: 'f1', title: 'Calibration drifts', state: 'open' }));
    expect(
      state.push(event(2, 'finding.overdue_flagged', { job: 'finding.overdue:f1:x', flaggedAt: 't' })),
    ).toBe(true);
    expect(state.ofType('finding')[0]).toMatchObject({
      state: { id: 'f1', title: 'Calibration drifts' },
      source: { seq: 1 },
    });
  });
});
