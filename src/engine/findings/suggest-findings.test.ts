import { describe, expect, it } from 'vitest';
import type { ValidationThreshold } from '../../contracts/policy.ts';
import { suggestFindings } from './suggest-findings.ts';

const rule = (
  r: Partial<ValidationThreshold> & Pick<ValidationThreshold, 'id' | 'metric' | 'op' | 'threshold'>,
) => ({ category: 'fairness', severity: 'high', title: 'Breach', ...r }) as ValidationThreshold;

const evidence = {
  performance: { roc_auc: 0.65, ece: 0.1 } as never,
  fairness: {
    sex: { demographic_parity_ratio: 0.5 },
    race: { demographic_parity_ratio: 0.9 },
    'sex+race': { demographic_parity_ratio: null },
  } as never,
  drift: null,
  data_quality: null,
};

describe('suggestFindings', () => {
  it('expands * over keys, skips nulls and compares with the rule operator', () => {
    const s = suggestFindings(
      evidence,
      [rule({ id: 'four_fifths', metric: 'fairness.*.demographic_parity_ratio', op: '<', threshold: 0.8 })],
      null,
    );
    expect(s.map((x) => [x.id, x.value])).toEqual([
      ['four_fifths:fairness.sex.demographic_parity_ratio', 0.5],
    ]);
    expect(s[0]?.description).toContain("rule 'four_fifths' flags values < 0.8");
  });

  it('applies tier-limited rules only to those tiers; boundaries follow the operator', () => {
    const rules = [
      rule({ id: 'auc_t1', metric: 'performance.roc_auc', op: '<', threshold: 0.7, tiers: [1] }),
      rule({ id: 'ece_strict', metric: 'performance.ece', op: '>', threshold: 0.1 }),
      rule({ id: 'ece_inclusive', metric: 'performance.ece', op: '>=', threshold: 0.1 }),
    ];
    expect(suggestFindings(evidence, rules, 1).map((x) => x.rule)).toEqual(['auc_t1', 'ece_inclusive']);
    expect(suggestFindings(evidence, rules, 2).map((x) => x.rule)).toEqual(['ece_inclusive']);
    expect(suggestFindings(evidence, rules, null).map((x) => x.rule)).toEqual(['ece_inclusive']);
  });

  it('finds nothing at paths the evidence does not have', () => {
    expect(
      suggestFindings(evidence, [rule({ id: 'd', metric: 'drift.drift_share', op: '>=', threshold: 0 })], 1),
    ).toEqual([]);
  });
});
