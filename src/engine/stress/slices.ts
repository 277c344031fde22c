import type { FeatureSpec, Matrix } from '../model/features.ts';

/** A slice of rows: one or two feature conditions. */
export interface Slice {
  conditions: { feature: string; op: '=' | 'in'; value: string | [number | null, number | null] }[];
  rows: number;
  accuracy: number;
  /** Wilson 95% interval of the slice's accuracy. */
  interval: [number, number];
  mean_log_loss: number;
  /** (global accuracy − slice accuracy) / global accuracy. */
  relative_drop: number;
}

interface Cell {
  feature: string;
  condition: Slice['conditions'][number];
  member: Uint8Array;
}

const Z = 1.959963984540054;

function wilson(right: number, n: number): [number, number] {
  const p = right / n;
  const d = 1 + (Z * Z) / n;
  const c = p + (Z * Z) / (2 * n);
  const h = Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return [(c - h) / d, (c + h) / d];
}

/** Quantile bin edges of a numeric column (up to `bins` bins, distinct edges). */
function binEdges(values: Float64Array, bins: number): number[] {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const v = sorted[Math.floor((k * sorted.length) / bins)] as number;
    if (edges.length === 0 || (edges[edges.length - 1] as number) < v) edges.push(v);
  }
  return edges;
}

/**
 * The slices of one or two features where the model does worst (Giskard's performance-bias scan,
 * on quantile bins and categories instead of a tree): every category of a categorical feature and
 * every quantile bin (5) of a numeric one, and every pair of those on two features; slices keep
 * max(5% of rows, 20) ≤ rows ≤ 95% of rows; ranked by the relative accuracy drop, with the
 * slice's Wilson interval; the per-row log loss is reported beside it.
 */
export function worstSlices(
  x: Matrix,
  features: FeatureSpec[],
  y: Float64Array,
  p: Float64Array,
  options: { threshold: number; top?: number; bins?: number },
): { global_accuracy: number; slices: Slice[]; candidates: number } {
  const n = x.rows;
  const right = new Uint8Array(n);
  const loss = new Float64Array(n);
  const eps = 1e-15;
  let totalRight = 0;
  for (let i = 0; i < n; i++) {
    const decision = (p[i] as number) >= options.threshold ? 1 : 0;
    right[i] = decision === y[i] ? 1 : 0;
    totalRight += right[i] as number;
    const q = Math.min(1 - eps, Math.max(eps, p[i] as number));
    loss[i] = -(y[i] === 1 ? Math.log(q) : Math.log(1 - q));
  }
  const globalAccuracy = totalRight / n;
  const cells: Cell[] = [];
  features.forEach((f, j) => {
    const col = Float64Array.from({ length: n }, (_, i) => x.data[i * x.cols + j] as number);
    if (f.categories) {
      f.categories.forEach((c, code) => {
        const member = Uint8Array.from(col, (v) => (v === code ? 1 : 0));
        cells.push({ feature: f.name, condition: { feature: f.name, op: '=', value: c }, member });
      });
      return;
    }
    const edges = binEdges(col, options.bins ?? 5);
    const bounds = [Number.NEGATIVE_INFINITY, ...edges, Number.POSITIVE_INFINITY];
    for (let b = 0; b + 1 < bounds.length; b++) {
      const lo = bounds[b] as number;
      const hi = bounds[b + 1] as number;
      const member = Uint8Array.from(col, (v) => (v >= lo && v < hi ? 1 : 0));
      const open = (v: number) => (Number.isFinite(v) ? v : null);
      cells.push({
        feature: f.name,
        condition: { feature: f.name, op: 'in', value: [open(lo), open(hi)] },
        member,
      });
    }
  });
  const minRows = Math.max(0.05 * n, 20);
  const maxRows = 0.95 * n;
  const found: Slice[] = [];
  let candidates = 0;
  const consider = (conditions: Slice['conditions'], member: (i: number) => boolean) => {
    let rows = 0;
    let ok = 0;
    let lossSum = 0;
    for (let i = 0; i < n; i++) {
      if (!member(i)) continue;
      rows++;
      ok += right[i] as number;
      lossSum += loss[i] as number;
    }
    if (rows < minRows || rows > maxRows) return;
    candidates++;
    const accuracy = ok / rows;
    found.push({
      conditions,
      rows,
      accuracy,
      interval: wilson(ok, rows),
      mean_log_loss: lossSum / rows,
      relative_drop: globalAccuracy > 0 ? (globalAccuracy - accuracy) / globalAccuracy : 0,
    });
  };
  for (const c of cells) consider([c.condition], (i) => c.member[i] === 1);
  for (let a = 0; a < cells.length; a++) {
    for (let b = a + 1; b < cells.length; b++) {
      const ca = cells[a] as Cell;
      const cb = cells[b] as Cell;
      if (ca.feature === cb.feature) continue;
      consider([ca.condition, cb.condition], (i) => ca.member[i] === 1 && cb.member[i] === 1);
    }
  }
  found.sort((s, t) => t.relative_drop - s.relative_drop || s.conditions.length - t.conditions.length);
  return { global_accuracy: globalAccuracy, slices: found.slice(0, options.top ?? 10), candidates };
}
