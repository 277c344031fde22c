import { describe, expect, it } from 'vitest';
import type { Tiering, TierOverride } from '../../src/contracts/policy.ts';
import { tierRationale } from '../../web/src/model/tier-rationale.ts';

function tiering(p: Partial<Tiering>): Tiering {
  return {
    id: 't1',
    modelKey: 'm',
    versionLabel: '1.0',
    policyVersion: 1,
    answers: {},
    score: 70,
    maxScore: 100,
    computedTier: 1,
    rationale: [],
    summary: 'score 70 of 100 reaches Tier 1 (from 60)',
    euAiAct: { class: 'high_risk', instrument: 'EU AI Act', matched: [], obligationsFrom: null, notes: [] },
    euAiActAnswers: {} as Tiering['euAiActAnswers'],
    assessedBy: 'gina',
    assessedAt: '2026-01-01T00:00:00.000Z',
    status: 'effective',
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    rowVersion: 1,
    ...p,
  };
}

function override(p: Partial<TierOverride>): TierOverride {
  return {
    id: 'o1',
    modelKey: 'm',
    tieringId: 't1',
    fromTier: 1,
    toTier: 2,
    justification: 'Compensating controls reduce the impact materially.',
    status: 'approved',
    requestedBy: 'olivia',
    requestedAt: '2026-02-01T00:00:00.000Z',
    decidedBy: 'gabe',
    decidedAt: '2026-02-02T00:00:00.000Z',
    decisionNote: null,
    carriedToTieringId: null,
    supersededByTieringId: null,
    supersededAt: null,
    rowVersion: 2,
    ...p,
  };
}

describe('the overview’s tier rationale', () => {
  it('is null for a model never tiered, or tiered only by a pending or rejected re-tiering', () => {
    expect(tierRationale([], [])).toBeNull();
    expect(tierRationale([tiering({ status: 'pending' }), tiering({ status: 'rejected' })], [])).toBeNull();
  });

  it('is the newest effective tiering’s summary, with its version and assessor', () => {
    const older = tiering({ id: 'a', summary: 'old', assessedAt: '2025-01-01T00:00:00.000Z' });
    const newer = tiering({ id: 'b', versionLabel: '2.0', assessedAt: '2026-03-01T00:00:00.000Z' });
    const pending = tiering({
      id: 'c',
      summary: 'pending',
      assessedAt: '2026-04-01T00:00:00.000Z',
      status: 'pending',
    });
    expect(tierRationale([pending, newer, older], [])).toBe(
      'score 70 of 100 reaches Tier 1 (from 60) (version 2.0, by gina).',
    );
  });

  it('names the approved override in force, with its justification, before the computed tier', () => {
    const r = tierRationale(
      [tiering({})],
      [override({}), override({ id: 'x', status: 'rejected', toTier: 4 })],
    );
    expect(r).toMatch(
      /^Tier 2 by an approved override of the computed Tier 1 \(requested by olivia, approved by gabe\)/,
    );
    expect(r).toContain('Compensating controls');
    expect(r).toContain('Computed: score 70 of 100');
  });

  it('as of a past time: the tiering and override in force then', () => {
    const first = tiering({ id: 'a', summary: 'first', assessedAt: '2025-01-01T00:00:00.000Z' });
    const second = tiering({ id: 'b', summary: 'second', assessedAt: '2026-06-01T00:00:00.000Z' });
    // superseded by the second tiering in June: in force in March, not now
    const o = override({
      status: 'superseded',
      decidedAt: '2026-02-02T00:00:00.000Z',
      supersededAt: '2026-06-01T00:00:00.000Z',
    });
    expect(tierRationale([second, first], [o], '2026-03-01T00:00:00.000Z')).toMatch(
      /^Tier 2 by .*Computed: first/,
    );
    expect(tierRationale([second, first], [o])).toBe('second (version 1.0, by gina).');
    expect(tierRationale([second, first], [o], '2024-01-01T00:00:00.000Z')).toBeNull();
  });
});
