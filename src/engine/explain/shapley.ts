import type { Matrix } from '../model/features.ts';
import type { Predict } from './permutation-importance.ts';

/** Largest feature count for exact Shapley values by enumeration (2^M coalitions). */
export const EXACT_MAX_FEATURES = 12;

const FACTORIAL: number[] = [1];
for (let i = 1; i <= 170; i++) FACTORIAL.push((FACTORIAL[i - 1] as number) * i);
export const factorial = (n: number): number => FACTORIAL[n] as number;

/** Shapley values of one row, and the two ends of the game: E[f(background)] and f(x). */
export interface RowShapley {
  values: number[];
  expected: number;
  prediction: number;
}

/**
 * Exact interventional Shapley values by enumeration: v(S) = mean over background rows b of
 * f(x_S, b_rest), for every coalition S (2^M), and φ_i = Σ_S |S|!(M−|S|−1)!/M! (v(S∪i) − v(S)).
 * Costs 2^M × background model evaluations per row.
 */
export async function exactShapley(
  predict: Predict,
  x: Matrix,
  row: number,
  background: Matrix,
): Promise<RowShapley> {
  const m = x.cols;
  const coalitions = 1 << m;
  const b = background.rows;
  const v = new Float64Array(coalitions);
  // coalitions in chunks of about a million rows
  const chunk = Math.max(1, Math.floor(1_000_000 / b));
  const xr = x.data.subarray(row * m, (row + 1) * m);
  for (let start = 0; start < coalitions; start += chunk) {
    const end = Math.min(coalitions, start + chunk);
    const batch: Matrix = { rows: (end - start) * b, cols: m, data: new Float64Array((end - start) * b * m) };
    for (let s = start; s < end; s++) {
      const offset = (s - start) * b * m;
      batch.data.set(background.data, offset);
      for (let j = 0; j < m; j++) {
        if (!((s >> j) & 1)) continue;
        for (let k = 0; k < b; k++) batch.data[offset + k * m + j] = xr[j] as number;
      }
    }
    const scores = await predict(batch);
    for (let s = start; s < end; s++) {
      let sum = 0;
      for (let k = 0; k < b; k++) sum += scores[(s - start) * b + k] as number;
      v[s] = sum / b;
    }
  }
  return { values: shapleyFromGame(v, m), expected: v[0] as number, prediction: v[coalitions - 1] as number };
}

/** φ from a game given on every coalition (bit j of the index = feature j present). */
export function shapleyFromGame(v: Float64Array, m: number): number[] {
  const weight = Array.from({ length: m }, (_, s) => (factorial(s) * factorial(m - s - 1)) / factorial(m));
  const phi = new Array<number>(m).fill(0);
  for (let s = 0; s < 1 << m; s++) {
    const size = popcount(s);
    for (let i = 0; i < m; i++) {
      if ((s >> i) & 1) continue;
      phi[i] =
        (phi[i] as number) + (weight[size] as number) * ((v[s | (1 << i)] as number) - (v[s] as number));
    }
  }
  return phi;
}

export function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
