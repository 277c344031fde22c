import type {
  ConfidenceInterval,
  FairnessResult,
  GroupMetrics,
} from '../../contracts/validation-evidence.ts';
import { newcombe, type Proportion, wilson } from '../performance/intervals.ts';

/** A group's (weighted) sums: the numerators and denominators of its rates. */
export interface GroupCounts {
  /** The group's key in `FairnessResult.groups`. */
  key: string;
  /** Rows (unweighted). */
  n: number;
  sw: number;
  sel: number;
  pos: number;
  tp: number;
  neg: number;
  fp: number;
  correct: number;
}

type RateKey = 'selection_rate' | 'true_positive_rate' | 'false_positive_rate';

/** Each rate's numerator and denominator. */
const PROPORTION: Record<RateKey | 'accuracy', (c: GroupCounts) => Proportion> = {
  selection_rate: (c) => ({ successes: c.sel, trials: c.sw }),
  true_positive_rate: (c) => ({ successes: c.tp, trials: c.pos }),
  false_positive_rate: (c) => ({ successes: c.fp, trials: c.neg }),
  accuracy: (c) => ({ successes: c.correct, trials: c.sw }),
};

/** Wilson intervals of a group's rates. */
export function groupIntervals(c: GroupCounts, z: number): NonNullable<GroupMetrics['intervals']> {
  const of = (key: RateKey | 'accuracy') => {
    const p = PROPORTION[key](c);
    return wilson(p.successes, p.trials, z);
  };
  return {
    selection_rate: of('selection_rate'),
    true_positive_rate: of('true_positive_rate'),
    false_positive_rate: of('false_positive_rate'),
    accuracy: of('accuracy'),
  };
}

/** The groups with the largest and the smallest value of a rate (first in order on ties), with the spread. */
function extremes(
  groups: FairnessResult['groups'],
  counts: GroupCounts[],
  key: RateKey,
): { max: GroupCounts; min: GroupCounts; difference: number } | null {
  let max: { c: GroupCounts; v: number } | null = null;
  let min: { c: GroupCounts; v: number } | null = null;
  for (const c of counts) {
    const v = groups[c.key]?.[key];
    if (typeof v !== 'number') continue;
    if (!max || v > max.v) max = { c, v };
    if (!min || v < min.v) min = { c, v };
  }
  if (!max || !min || max.c === min.c) return null;
  return { max: max.c, min: min.c, difference: max.v - min.v };
}

/** Newcombe's interval of max − min of a rate: the difference of the two groups that give it. */
function differenceInterval(
  groups: FairnessResult['groups'],
  counts: GroupCounts[],
  key: RateKey,
  z: number,
): { interval: ConfidenceInterval | null; difference: number } | null {
  const pair = extremes(groups, counts, key);
  if (!pair) return null;
  const rate = PROPORTION[key];
  return { interval: newcombe(rate(pair.max), rate(pair.min), z), difference: pair.difference };
}

/**
 * Newcombe intervals of the demographic parity, equal opportunity and equalized odds differences
 * (for equalized odds, of the rate — TPR, else FPR — whose difference is the larger, as the
 * difference itself is chosen). Null with fewer than two groups having the rate, or when an
 * extreme group has no rows of the rate's denominator.
 */
export function disparityIntervals(
  groups: FairnessResult['groups'],
  counts: GroupCounts[],
  z: number,
): NonNullable<FairnessResult['intervals']> {
  const dp = differenceInterval(groups, counts, 'selection_rate', z);
  const tpr = differenceInterval(groups, counts, 'true_positive_rate', z);
  const fpr = differenceInterval(groups, counts, 'false_positive_rate', z);
  const eo = tpr && (!fpr || tpr.difference >= fpr.difference) ? tpr : fpr;
  return {
    demographic_parity_difference: dp?.interval ?? null,
    equalized_odds_difference: eo?.interval ?? null,
    equal_opportunity_difference: tpr?.interval ?? null,
  };
}

/**
 * Adds the intervals and the headline (judged) disparities to a fairness result: `judgedBase` is
 * the same computation over the large groups only (`large` their counts), or null when fewer than
 * two groups are large enough.
 */
export function withIntervals(
  all: FairnessResult,
  judgedBase: FairnessResult | null,
  counts: GroupCounts[],
  large: GroupCounts[],
  confidence: number,
  z: number,
): FairnessResult {
  for (const c of counts) {
    const g = all.groups[c.key];
    if (g) g.intervals = groupIntervals(c, z);
  }
  all.confidence = confidence;
  all.intervals = disparityIntervals(all.groups, counts, z);
  all.judged = judgedBase
    ? {
        groups: large.map((c) => c.key),
        demographic_parity_difference: judgedBase.demographic_parity_difference,
        demographic_parity_ratio: judgedBase.demographic_parity_ratio,
        equalized_odds_difference: judgedBase.equalized_odds_difference,
        equalized_odds_ratio: judgedBase.equalized_odds_ratio,
        equal_opportunity_difference: judgedBase.equal_opportunity_difference,
        four_fifths_violation: judgedBase.four_fifths_violation,
        intervals: disparityIntervals(judgedBase.groups, large, z),
        note: null,
      }
    : {
        groups: large.map((c) => c.key),
        demographic_parity_difference: null,
        demographic_parity_ratio: null,
        equalized_odds_difference: null,
        equalized_odds_ratio: null,
        equal_opportunity_difference: null,
        four_fifths_violation: false,
        intervals: {
          demographic_parity_difference: null,
          equalized_odds_difference: null,
          equal_opportunity_difference: null,
        },
        note: `fewer than two groups have at least ${all.min_group_size} rows: no disparity can be judged (the all-groups values beside it include the small groups)`,
      };
  return all;
}
