import type { ConfidenceInterval } from '../../contracts/validation-evidence.ts';

/** The default confidence level of every interval. */
export const DEFAULT_CONFIDENCE = 0.95;

/** Checks a confidence level: a number strictly between 0 and 1. */
export function checkConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be a number strictly between 0 and 1, not ${confidence}`);
  }
  return confidence;
}

/**
 * The standard normal quantile Φ⁻¹(p) (Wichura 1988, algorithm AS 241 PPND16, relative error
 * about 1e-16): `normalQuantile(0.975)` = 1.959963984540054.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    value =
      (((((((r * 2.0103343992922881e-7 + 2.7115555687434876e-5) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 1.8463183175100548e-5) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -value : value;
}

/** The two-sided critical value z for a confidence level (1.959963984540054 at 0.95). */
export function criticalValue(confidence: number): number {
  return normalQuantile(1 - (1 - checkConfidence(confidence)) / 2);
}

/**
 * The Wilson score interval of the proportion `successes / trials` (Wilson 1927), written as
 * statsmodels' `proportion_confint(count, nobs, method='wilson')` computes it. With weights the
 * counts are weighted sums (frequency weights). Null when there are no trials.
 */
export function wilson(successes: number, trials: number, z: number): ConfidenceInterval | null {
  if (!(trials > 0)) return null;
  const q = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (q + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((q * (1 - q)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { lower: Math.max(center - half, 0), upper: Math.min(center + half, 1), method: 'wilson' };
}

/** A proportion's successes and trials (weighted sums with weights). */
export interface Proportion {
  successes: number;
  trials: number;
}

/**
 * Newcombe's hybrid score interval of p1 − p2 for independent proportions (Newcombe 1998, method
 * 10; statsmodels `confint_proportions_2indep(..., method='newcomb', compare='diff')`): from the
 * two Wilson intervals (l1, u1), (l2, u2), [d − √((p1 − l1)² + (u2 − p2)²), d + √((u1 − p1)² + (p2 − l2)²)].
 */
export function newcombe(a: Proportion, b: Proportion, z: number): ConfidenceInterval | null {
  const wa = wilson(a.successes, a.trials, z);
  const wb = wilson(b.successes, b.trials, z);
  if (!wa || !wb) return null;
  const p1 = a.successes / a.trials;
  const p2 = b.successes / b.trials;
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - wa.lower) ** 2 + (wb.upper - p2) ** 2),
    upper: d + Math.sqrt((wa.upper - p1) ** 2 + (p2 - wb.lower) ** 2),
    method: 'newcombe',
  };
}

/** A weighted running mean and sum of squared deviations (West 1979), numerically stable. */
class WeightedMoments {
  weight = 0;
  mean = 0;
  m2 = 0;

  add(value: number, weight: number): void {
    if (weight <= 0) return;
    this.weight += weight;
    const delta = value - this.mean;
    this.mean += (weight / this.weight) * delta;
    this.m2 += weight * delta * (value - this.mean);
  }
}

/** The DeLong variance of a ROC AUC and its interval. */
export interface DeLongResult {
  auc: number;
  variance: number;
  standardError: number;
}

/**
 * DeLong's variance of the ROC AUC (DeLong, DeLong & Clarke-Pearson 1988) by the fast algorithm of
 * Sun & Xu (2014): the structural components are the placements V10(x) = (negatives below x + ½
 * negatives tied with x) / n0 of each positive and V01(y) = (positives above y + ½ positives tied
 * with y) / n1 of each negative, which one walk over the distinct scores in descending order gives
 * (O(n) after the sort the ROC curve already needs, instead of O(n1 · n0) comparisons). Then
 * S10 = Σ (V10 − AUC)² / (n1 − 1), S01 = Σ (V01 − AUC)² / (n0 − 1), Var = S10 / n1 + S01 / n0.
 *
 * With sample weights, the counts are weighted sums: a row of weight k counts as k rows
 * (frequency weights), so integer weights give exactly the DeLong variance of the data with each
 * row repeated k times; n1 and n0 are the weight sums of the classes.
 */
export class DeLongAccumulator {
  private above = { pos: 0, neg: 0 };
  private readonly v10 = new WeightedMoments();
  private readonly v01 = new WeightedMoments();

  /** The weight sums of the two classes. */
  constructor(
    private readonly pos: number,
    private readonly neg: number,
  ) {}

  /** The next distinct score (lower than every score before it), with its positive and negative weight. */
  add(tp: number, fp: number): void {
    // positives here: the negatives below them, and half the negatives tied with them
    this.v10.add((this.neg - this.above.neg - fp / 2) / this.neg, tp);
    // negatives here: the positives above them, and half the positives tied with them
    this.v01.add((this.above.pos + tp / 2) / this.pos, fp);
    this.above.pos += tp;
    this.above.neg += fp;
  }

  /** The variance, or null when a class has weight ≤ 1 (no sample variance). */
  result(): DeLongResult | null {
    if (!(this.pos > 1 && this.neg > 1)) return null;
    // the mean placement of the positives is the AUC itself
    const s10 = this.v10.m2 / (this.pos - 1);
    const s01 = this.v01.m2 / (this.neg - 1);
    const variance = Math.max(s10 / this.pos + s01 / this.neg, 0);
    return { auc: this.v10.mean, variance, standardError: Math.sqrt(variance) };
  }
}

/** The Wald interval AUC ± z · SE of a DeLong result, clipped to [0, 1]. */
export function delongInterval(
  auc: number,
  delong: DeLongResult,
  z: number,
): ConfidenceInterval & { standard_error: number } {
  return {
    lower: Math.max(auc - z * delong.standardError, 0),
    upper: Math.min(auc + z * delong.standardError, 1),
    method: 'delong',
    standard_error: delong.standardError,
  };
}
