import type { PropertyResult } from '../../contracts/robustness.ts';
import type { Predict } from '../explain/permutation-importance.ts';
import { InputError } from '../load/input-error.ts';
import type { FeatureSpec, Matrix } from '../model/features.ts';
import { type PropertySpec, propertyName } from './stress-spec.ts';

/** Grid points per row for monotonicity checks. */
const MONOTONE_GRID = 25;
const MAX_COUNTEREXAMPLES = 5;

/**
 * Checks one declared property on the rows:
 * - monotonic: each row's score along an even grid over the feature's observed range (its ICE
 *   curve) must not decrease (increase) by more than the tolerance between neighbouring points;
 * - invariant: setting the feature to each of its categories (or to 10 values spread over its
 *   range) must not move the score by more than the tolerance;
 * - bounds: every score within [min, max].
 * Counterexamples: the largest violations, with the row, the two values and the two scores.
 */
export async function checkProperty(
  property: PropertySpec,
  predict: Predict,
  x: Matrix,
  features: FeatureSpec[],
  baseScores: Float64Array,
): Promise<PropertyResult> {
  const name = propertyName(property);
  if ('bounds' in property) {
    const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = property.bounds;
    const bad: { row: number; by: number }[] = [];
    baseScores.forEach((s, row) => {
      const by = Number.isNaN(s) ? Number.POSITIVE_INFINITY : Math.max(min - s, s - max, 0);
      if (by > 0) bad.push({ row, by });
    });
    bad.sort((a, b) => b.by - a.by);
    return {
      name,
      kind: 'bounds',
      feature: null,
      description: `scores within [${min}, ${max}]`,
      rows_checked: x.rows,
      violating_rows: bad.length,
      violation_rate: bad.length / Math.max(1, x.rows),
      worst: bad[0]?.by ?? 0,
      counterexamples: bad.slice(0, MAX_COUNTEREXAMPLES).map((b) => ({
        row: b.row,
        feature: '(score)',
        from: baseScores[b.row] as number,
        to: baseScores[b.row] as number,
        score_from: baseScores[b.row] as number,
        score_to: baseScores[b.row] as number,
      })),
      passed: bad.length === 0,
    };
  }
  const featureName = 'monotonic' in property ? property.monotonic : property.invariant;
  const j = features.findIndex((f) => f.name === featureName);
  if (j < 0)
    throw new InputError(`stress spec: property ${name}: ${featureName} is not one of the model's features`);
  const spec = features[j] as FeatureSpec;
  const col = Float64Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j] as number).filter(
    (v) => !Number.isNaN(v),
  );
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of col) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  let grid: number[];
  if (spec.categories) {
    if ('monotonic' in property)
      throw new InputError(
        `stress spec: property ${name}: ${featureName} is categorical; monotonicity needs a numeric feature`,
      );
    grid = spec.categories.map((_, c) => c);
  } else {
    const points = 'monotonic' in property ? MONOTONE_GRID : 10;
    grid = Array.from({ length: points }, (_, k) => lo + ((hi - lo) * k) / (points - 1));
  }
  const g = grid.length;
  const batch: Matrix = { rows: x.rows * g, cols: x.cols, data: new Float64Array(x.rows * g * x.cols) };
  for (let i = 0; i < x.rows; i++) {
    for (let k = 0; k < g; k++) {
      const at = (i * g + k) * x.cols;
      batch.data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), at);
      batch.data[at + j] = grid[k] as number;
    }
  }
  const scores = await predict(batch);
  const found: { row: number; a: number; b: number; by: number }[] = [];
  const tolerance = property.tolerance;
  for (let i = 0; i < x.rows; i++) {
    let worst: { a: number; b: number; by: number } | null = null;
    if ('monotonic' in property) {
      const sign = property.direction === 'increasing' ? 1 : -1;
      for (let k = 0; k + 1 < g; k++) {
        const drop = sign * ((scores[i * g + k] as number) - (scores[i * g + k + 1] as number));
        if (drop > tolerance && (!worst || drop > worst.by)) worst = { a: k, b: k + 1, by: drop };
      }
    } else {
      let min = 0;
      let max = 0;
      for (let k = 1; k < g; k++) {
        if ((scores[i * g + k] as number) < (scores[i * g + min] as number)) min = k;
        if ((scores[i * g + k] as number) > (scores[i * g + max] as number)) max = k;
      }
      const spread = (scores[i * g + max] as number) - (scores[i * g + min] as number);
      if (spread > tolerance) worst = { a: min, b: max, by: spread };
    }
    if (worst) found.push({ row: i, ...worst });
  }
  found.sort((s, t) => t.by - s.by);
  const describe =
    'monotonic' in property
      ? `score ${property.direction === 'increasing' ? 'non-decreasing' : 'non-increasing'} in ${featureName} over [${lo}, ${hi}] (tolerance ${tolerance})`
      : `score unchanged (within ${tolerance}) whatever the value of ${featureName}`;
  return {
    name,
    kind: 'monotonic' in property ? 'monotonic' : 'invariant',
    feature: featureName,
    description: describe,
    rows_checked: x.rows,
    violating_rows: found.length,
    violation_rate: found.length / Math.max(1, x.rows),
    worst: found[0]?.by ?? 0,
    counterexamples: found.slice(0, MAX_COUNTEREXAMPLES).map((f) => ({
      row: f.row,
      feature: featureName,
      from: grid[f.a] as number,
      to: grid[f.b] as number,
      ...(spec.categories
        ? {
            labels: [
              spec.categories[grid[f.a] as number] ?? '',
              spec.categories[grid[f.b] as number] ?? '',
            ] as [string, string],
          }
        : {}),
      score_from: scores[f.row * g + f.a] as number,
      score_to: scores[f.row * g + f.b] as number,
    })),
    passed: found.length === 0,
  };
}
