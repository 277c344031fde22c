import type { DuckDBConnection } from '@duckdb/node-api';
import type { FairnessResult, GroupMetrics } from '../../contracts/validation-evidence.ts';
import { count, ident, num, queryRows } from '../drift/sql.ts';
import type { ScoredView } from '../performance/scored-rows.ts';

/** Groups with fewer rows than this are flagged as too small to judge (kept in every statistic). */
export const DEFAULT_MIN_GROUP_SIZE = 30;
/** The four-fifths rule: a selection-rate ratio below this is flagged. */
export const FOUR_FIFTHS = 0.8;
/** The key of the group of rows with no value in the group column. */
export const MISSING_GROUP = '(missing)';

/** Options of computeFairness. */
export interface FairnessOptions {
  minGroupSize?: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** max − min and min / max of the defined values (Fairlearn's between_groups difference and ratio). */
function spread(values: (number | null)[]): { difference: number | null; ratio: number | null } {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return { difference: null, ratio: null };
  const max = Math.max(...defined);
  const min = Math.min(...defined);
  return { difference: max - min, ratio: max > 0 ? min / max : null };
}

/**
 * Fairlearn's group metrics and disparities for one group column: per group count, selection rate,
 * TPR, FPR and accuracy (weighted when the view has weights); differences max − min, ratios min / max.
 */
export async function computeFairness(
  conn: DuckDBConnection,
  scored: ScoredView,
  column: string,
  options: FairnessOptions = {},
): Promise<FairnessResult> {
  const minGroupSize = options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  const g = `CAST(${ident(column)} AS VARCHAR)`;
  const rows = await queryRows(
    conn,
    `SELECT CASE WHEN ${g} IS NULL OR TRIM(${g}) = '' THEN NULL ELSE ${g} END AS grp, count(*) AS n,
       sum(__w) AS sw, sum(__w * __yhat) AS sel, sum(__w * __y) AS pos, sum(__w * __y * __yhat) AS tp,
       sum(__w * (1 - __y)) AS neg, sum(__w * (1 - __y) * __yhat) AS fp,
       sum(CASE WHEN __y = __yhat THEN __w ELSE 0 END) AS correct
     FROM ${scored.view} GROUP BY grp ORDER BY grp NULLS LAST`,
  );
  const groups: Record<string, GroupMetrics> = {};
  for (const r of rows) {
    const sw = num(r.sw) ?? 0;
    const n = count(r.n);
    groups[r.grp === null ? MISSING_GROUP : String(r.grp)] = {
      count: n,
      selection_rate: ratio(num(r.sel) ?? 0, sw),
      true_positive_rate: ratio(num(r.tp) ?? 0, num(r.pos) ?? 0),
      false_positive_rate: ratio(num(r.fp) ?? 0, num(r.neg) ?? 0),
      accuracy: ratio(num(r.correct) ?? 0, sw),
      impact_ratio: null,
      too_small: n < minGroupSize,
    };
  }
  const metrics = Object.values(groups);
  const dp = spread(metrics.map((m) => m.selection_rate));
  const tpr = spread(metrics.map((m) => m.true_positive_rate));
  const fpr = spread(metrics.map((m) => m.false_positive_rate));
  const maxRate = Math.max(0, ...metrics.map((m) => m.selection_rate ?? 0));
  for (const m of metrics)
    m.impact_ratio = m.selection_rate !== null && maxRate > 0 ? m.selection_rate / maxRate : null;
  const worst = (a: number | null, b: number | null, pick: (x: number, y: number) => number) =>
    a === null ? b : b === null ? a : pick(a, b);
  return {
    groups,
    demographic_parity_difference: dp.difference,
    demographic_parity_ratio: dp.ratio,
    equalized_odds_difference: worst(tpr.difference, fpr.difference, Math.max),
    equalized_odds_ratio: worst(tpr.ratio, fpr.ratio, Math.min),
    equal_opportunity_difference: tpr.difference,
    four_fifths_violation: dp.ratio !== null && dp.ratio < FOUR_FIFTHS,
    small_groups: Object.entries(groups)
      .filter(([, m]) => m.too_small)
      .map(([k]) => k),
    min_group_size: minGroupSize,
    four_fifths_threshold: FOUR_FIFTHS,
  };
}
