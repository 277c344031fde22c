import type { DuckDBConnection } from '@duckdb/node-api';
import type { FairnessResult, GroupMetrics } from '../../contracts/validation-evidence.ts';
import {
  blankText,
  count,
  groupingSetIndex,
  ident,
  MAX_GROUPING_SETS,
  num,
  queryRows,
} from '../duckdb/sql.ts';
import { criticalValue, DEFAULT_CONFIDENCE } from '../performance/intervals.ts';
import type { ScoredView } from '../performance/scored-rows.ts';
import { withIntervals } from './fairness-intervals.ts';
import { SweepCollector, sweepBinExpr } from './threshold-sweep.ts';

/** Groups with fewer rows than this are flagged as too small to judge (kept in every statistic). */
export const DEFAULT_MIN_GROUP_SIZE = 30;
/** The four-fifths rule: a selection-rate ratio below this is flagged. */
export const FOUR_FIFTHS = 0.8;
/** The key of the group of rows with no value in the group column. */
export const MISSING_GROUP = '(missing)';

/** Options of computeFairness. */
export interface FairnessOptions {
  minGroupSize?: number;
  /** Numeric group columns: a NaN in them is a missing value (the `(missing)` group), like a blank. */
  numericColumns?: readonly string[];
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
/**
 * A rate whose denominator may be empty, as Fairlearn's true_positive_rate / false_positive_rate:
 * scikit-learn's confusion_matrix(normalize='true') turns 0/0 into 0.
 */
const normalizedRate = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** max − min and min / max of the defined values (Fairlearn's between_groups difference and ratio). */
function spread(values: (number | null)[]): { difference: number | null; ratio: number | null } {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return { difference: null, ratio: null };
  const max = Math.max(...defined);
  const min = Math.min(...defined);
  return { difference: max - min, ratio: max > 0 ? min / max : null };
}

/** The separator of the values of an intersectional group (e.g. `Female | Black`). */
export const INTERSECTION_SEPARATOR = ' | ';

/** The key of a group spec in the evidence: the column, or the columns of an intersection joined by `+`. */
export function groupKey(columns: string[]): string {
  return columns.join('+');
}

interface GroupSums {
  grp: string | null;
  n: number;
  sw: number;
  sel: number;
  pos: number;
  tp: number;
  neg: number;
  fp: number;
  correct: number;
}

/**
 * A group value as text; blank (and NaN in a numeric column) is missing. For an intersection,
 * missing when any part is missing.
 */
function groupExpr(columns: string[], numeric: ReadonlySet<string>): string {
  const part = (c: string) => {
    const g = `CAST(${ident(c)} AS VARCHAR)`;
    const nan = numeric.has(c) ? ` OR isnan(TRY_CAST(${ident(c)} AS DOUBLE))` : '';
    return `CASE WHEN ${g} IS NULL OR ${blankText(g)}${nan} THEN NULL ELSE ${g} END`;
  };
  if (columns.length === 1) return part(columns[0] as string);
  // concat_ws skips NULLs, so test for a missing part explicitly
  const anyMissing = columns.map((c) => `(${part(c)}) IS NULL`).join(' OR ');
  return `CASE WHEN ${anyMissing} THEN NULL ELSE concat_ws('${INTERSECTION_SEPARATOR}', ${columns.map(part).join(', ')}) END`;
}

/**
 * Fairlearn's group metrics and disparities for several group specs at once — each a column or
 * an intersection of columns — from one grouped scan (GROUPING SETS) of the scored rows.
 */
export async function computeFairnessBySpecs(
  conn: DuckDBConnection,
  scored: ScoredView,
  specs: string[][],
  options: FairnessOptions = {},
): Promise<Record<string, FairnessResult>> {
  const out: Record<string, FairnessResult> = {};
  if (specs.length === 0) return out;
  for (let start = 0; start < specs.length; start += MAX_GROUPING_SETS) {
    const batch = specs.slice(start, start + MAX_GROUPING_SETS);
    const k = batch.length;
    const numeric = new Set(options.numericColumns ?? []);
    const projected = batch.map((spec, i) => `${groupExpr(spec, numeric)} AS g${i}`).join(', ');
    const ids = batch.map((_, i) => `g${i}`).join(', ');
    // with a score, each group is also split by threshold bin for the sweep (same pass)
    const sweep = scored.hasScore;
    const rows = await queryRows(
      conn,
      `SELECT grouping_id(${ids}) AS gid, coalesce(${ids}) AS grp,${sweep ? ' __bin AS b,' : ''} count(*) AS n,
         sum(__w) AS sw, sum(__w * __yhat) AS sel, sum(__w * __y) AS pos, sum(__w * __y * __yhat) AS tp,
         sum(__w * (1 - __y)) AS neg, sum(__w * (1 - __y) * __yhat) AS fp,
         sum(CASE WHEN __y = __yhat THEN __w ELSE 0 END) AS correct
       FROM (SELECT ${projected}, __w, __y, __yhat${sweep ? `, ${sweepBinExpr()} AS __bin` : ''} FROM ${scored.view})
       GROUP BY GROUPING SETS (${batch.map((_, i) => `(g${i}${sweep ? ', __bin' : ''})`).join(', ')})
       ORDER BY gid, grp NULLS LAST`,
    );
    const bySpec = batch.map((): GroupSums[] => []);
    const sweeps = batch.map(() => new SweepCollector());
    for (const r of rows) {
      const index = groupingSetIndex(count(r.gid), k);
      const grp = r.grp === null ? null : String(r.grp);
      if (sweep) {
        sweeps[index]?.add(
          grp ?? MISSING_GROUP,
          count(r.b),
          count(r.n),
          num(r.sw) ?? 0,
          num(r.pos) ?? 0,
          num(r.neg) ?? 0,
        );
        // a group's bins (consecutive: the rows are ordered by group) are summed into its one row
        const list = bySpec[index];
        const last = list?.[list.length - 1];
        if (last && last.grp === grp) {
          last.n += count(r.n);
          last.sw += num(r.sw) ?? 0;
          last.sel += num(r.sel) ?? 0;
          last.pos += num(r.pos) ?? 0;
          last.tp += num(r.tp) ?? 0;
          last.neg += num(r.neg) ?? 0;
          last.fp += num(r.fp) ?? 0;
          last.correct += num(r.correct) ?? 0;
          continue;
        }
      }
      bySpec[index]?.push({
        grp,
        n: count(r.n),
        sw: num(r.sw) ?? 0,
        sel: num(r.sel) ?? 0,
        pos: num(r.pos) ?? 0,
        tp: num(r.tp) ?? 0,
        neg: num(r.neg) ?? 0,
        fp: num(r.fp) ?? 0,
        correct: num(r.correct) ?? 0,
      });
    }
    batch.forEach((spec, i) => {
      const result = fairnessOfGroups(bySpec[i] ?? [], options);
      result.threshold_sweep = sweep ? (sweeps[i]?.result() ?? null) : null;
      out[groupKey(spec)] = result;
    });
  }
  return out;
}

/** Fairlearn's group metrics and disparities for one group column. */
export async function computeFairness(
  conn: DuckDBConnection,
  scored: ScoredView,
  column: string,
  options: FairnessOptions = {},
): Promise<FairnessResult> {
  const result = await computeFairnessBySpecs(conn, scored, [[column]], options);
  return result[column] as FairnessResult;
}

/**
 * The disparities over every group and, as the headline, over the groups large enough to judge
 * (count ≥ min_group_size), with Wilson intervals of each group's rates and Newcombe intervals
 * of the differences.
 */
function fairnessOfGroups(rows: GroupSums[], options: FairnessOptions): FairnessResult {
  const minGroupSize = options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const large = rows.filter((r) => r.n >= minGroupSize);
  const counts = (list: GroupSums[]) =>
    list.map((r) => ({ ...r, key: r.grp === null ? MISSING_GROUP : r.grp }));
  return withIntervals(
    disparitiesOfGroups(rows, options),
    large.length >= 2 ? disparitiesOfGroups(large, options) : null,
    counts(rows),
    counts(large),
    confidence,
    criticalValue(confidence),
  );
}

/**
 * Per group count, selection rate, TPR, FPR and accuracy (weighted when the view has weights);
 * differences max − min, ratios min / max. A group without positives (negatives) has TPR (FPR) 0,
 * as Fairlearn reports it, and the equalized-odds difference and ratio include that 0.
 */
function disparitiesOfGroups(rows: GroupSums[], options: FairnessOptions): FairnessResult {
  const minGroupSize = options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  const groups: Record<string, GroupMetrics> = {};
  for (const r of rows) {
    groups[r.grp === null ? MISSING_GROUP : r.grp] = {
      count: r.n,
      selection_rate: ratio(r.sel, r.sw),
      true_positive_rate: normalizedRate(r.tp, r.pos),
      false_positive_rate: normalizedRate(r.fp, r.neg),
      accuracy: ratio(r.correct, r.sw),
      impact_ratio: null,
      too_small: r.n < minGroupSize,
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
  const equalizedOddsRatio = worst(tpr.ratio, fpr.ratio, Math.min);
  // why a null is null (Fairlearn gives nan for these 0/0 cases)
  const reasons = [
    ...rows
      .filter((r) => r.sw === 0)
      .map(
        (r) => `group ${r.grp ?? MISSING_GROUP} has total weight 0: its selection_rate and accuracy are null`,
      ),
    ...(dp.ratio === null && metrics.length > 0
      ? ['demographic_parity_ratio and impact_ratio are null: every selection rate is 0 (0/0)']
      : []),
    ...(equalizedOddsRatio === null && metrics.length > 0
      ? ['equalized_odds_ratio is null: the largest true- and false-positive rates are 0 (0/0)']
      : []),
  ];
  return {
    groups,
    demographic_parity_difference: dp.difference,
    demographic_parity_ratio: dp.ratio,
    equalized_odds_difference: worst(tpr.difference, fpr.difference, Math.max),
    equalized_odds_ratio: equalizedOddsRatio,
    equal_opportunity_difference: tpr.difference,
    four_fifths_violation: dp.ratio !== null && dp.ratio < FOUR_FIFTHS,
    small_groups: Object.entries(groups)
      .filter(([, m]) => m.too_small)
      .map(([k]) => k),
    min_group_size: minGroupSize,
    four_fifths_threshold: FOUR_FIFTHS,
    ...(reasons.length > 0 ? { note: reasons.join('; ') } : {}),
  };
}
