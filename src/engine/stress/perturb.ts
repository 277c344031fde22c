import type { Effect } from '../../contracts/robustness.ts';
import { RandomState } from '../explain/mt19937.ts';
import { rocAuc } from '../explain/scoring.ts';
import { InputError } from '../load/input-error.ts';
import type { FeatureSpec, Matrix } from '../model/features.ts';
import type { Shift } from './stress-spec.ts';

/** Noise scales, as shares of each numeric feature's standard deviation. */
export const NOISE_SCALES = [0.01, 0.05, 0.1, 0.25];

/** A standard normal draw (Box–Muller on numpy-compatible uniforms). */
export function gauss(rs: RandomState): number {
  const u = () => ((rs.nextUint32() >>> 5) * 67108864 + (rs.nextUint32() >>> 6)) / 9007199254740992;
  let a = u();
  while (a === 0) a = u();
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
}

export function accuracyOf(y: Float64Array, p: Float64Array, threshold: number): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) if (((p[i] as number) >= threshold ? 1 : 0) === y[i]) right++;
  return right / y.length;
}

function safeAuc(y: Float64Array, p: Float64Array): number | null {
  try {
    return rocAuc(y, p);
  } catch {
    return null;
  }
}

/**
 * What changed between the base scores and the scores after a change. A row the model gives no
 * score after the change (NaN: a linear model fed a missing value) counts in `no_score_rate`, not
 * as a flipped decision; the mean score changes are over the rows scored both times (null when none).
 */
export function effectOf(
  base: Float64Array,
  after: Float64Array,
  y: Float64Array | null,
  threshold: number,
): Effect {
  let flips = 0;
  let abs = 0;
  let signed = 0;
  let scored = 0;
  let noScore = 0;
  for (let i = 0; i < base.length; i++) {
    const b = base[i] as number;
    const a = after[i] as number;
    if (!Number.isFinite(a)) {
      if (Number.isFinite(b)) noScore++;
      continue;
    }
    if (b >= threshold !== a >= threshold) flips++;
    if (!Number.isFinite(b)) continue;
    scored++;
    abs += Math.abs(a - b);
    signed += a - b;
  }
  const n = Math.max(1, base.length);
  let accuracyChange: number | null = null;
  let aucChange: number | null = null;
  if (y) {
    accuracyChange = accuracyOf(y, after, threshold) - accuracyOf(y, base, threshold);
    const before = safeAuc(y, base);
    const now = noScore === 0 ? safeAuc(y, after) : null;
    aucChange = before !== null && now !== null ? now - before : null;
  }
  return {
    flip_rate: flips / n,
    no_score_rate: noScore / n,
    mean_abs_score_change: scored ? abs / scored : null,
    mean_score_change: scored ? signed / scored : null,
    accuracy_change: accuracyChange,
    roc_auc_change: aucChange,
  };
}

/** A copy of x with column j replaced by f(row, value). */
export function withColumn(x: Matrix, j: number, f: (i: number, v: number) => number): Matrix {
  const data = x.data.slice();
  for (let i = 0; i < x.rows; i++) data[i * x.cols + j] = f(i, data[i * x.cols + j] as number);
  return { rows: x.rows, cols: x.cols, data };
}

/**
 * The perturbed copies of x for one feature: Gaussian noise at each scale × the feature's standard
 * deviation (numeric), missing values (unless the runner cannot send them), values beyond the
 * observed range (min − range, max + range), and each row's category swapped for another one.
 */
export function perturbations(
  x: Matrix,
  j: number,
  spec: FeatureSpec,
  seed: number,
  options: { missing: boolean },
): { name: string; data: Matrix }[] {
  const out: { name: string; data: Matrix }[] = [];
  const rs = new RandomState((seed + 7919 * (j + 1)) >>> 0);
  if (spec.categories) {
    const k = spec.categories.length;
    if (k > 1) {
      out.push({
        name: 'category_swap',
        data: withColumn(x, j, (_, v) => {
          if (Number.isNaN(v)) return v;
          const other = rs.interval(k - 2);
          return other >= v ? other + 1 : other;
        }),
      });
    }
  } else {
    let sum = 0;
    let sq = 0;
    let n = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < x.rows; i++) {
      const v = x.data[i * x.cols + j] as number;
      if (Number.isNaN(v)) continue;
      n++;
      sum += v;
      sq += v * v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const std = n > 0 ? Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2)) : 0;
    for (const scale of NOISE_SCALES) {
      out.push({
        name: `noise_${Math.round(scale * 100)}`,
        data: withColumn(x, j, (_, v) => v + scale * std * gauss(rs)),
      });
    }
    const range = hi - lo || Math.abs(hi) || 1;
    out.push({ name: 'extreme_low', data: withColumn(x, j, () => lo - range) });
    out.push({ name: 'extreme_high', data: withColumn(x, j, () => hi + range) });
  }
  if (options.missing) out.push({ name: 'missing', data: withColumn(x, j, () => Number.NaN) });
  return out;
}

/** Applies a scenario's shifts (add, multiply, set a value or category) to a copy of x. */
export function applyScenario(
  x: Matrix,
  features: FeatureSpec[],
  shift: Record<string, Shift>,
  where: string,
): Matrix {
  let out = x;
  for (const [name, change] of Object.entries(shift)) {
    const j = features.findIndex((f) => f.name === name);
    const spec = features[j];
    if (!spec) throw new InputError(`${where}: ${name} is not one of the model's features`);
    if ('set' in change) {
      let value: number;
      if (spec.categories) {
        value = spec.categories.indexOf(String(change.set));
        if (value < 0) throw new InputError(`${where}: ${name} has no category '${change.set}'`);
      } else {
        value = Number(change.set);
        if (!Number.isFinite(value)) throw new InputError(`${where}: ${name} is numeric; set it to a number`);
      }
      out = withColumn(out, j, () => value);
    } else {
      if (spec.categories) throw new InputError(`${where}: ${name} is categorical; use set`);
      out =
        'add' in change
          ? withColumn(out, j, (_, v) => v + change.add)
          : withColumn(out, j, (_, v) => v * change.multiply);
    }
  }
  return out;
}
