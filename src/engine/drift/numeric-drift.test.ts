import { describe, expect, it } from 'vitest';
import { numericDriftOfSamples, runEnd } from './numeric-drift.ts';
import type { SortedSample } from './sorted-sample.ts';

/** A deterministic pseudo-random stream (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sample = (values: number[]): SortedSample => {
  const sorted = Float64Array.from(values).sort();
  return { values: sorted, counts: null, n: sorted.length };
};

/** The report histogram the obvious way: every value's bin computed on its own. */
function histogramByValue(ref: SortedSample, cur: SortedSample, bins: number) {
  const lo = Math.min(ref.values[0] as number, cur.values[0] as number);
  const hi = Math.max(ref.values.at(-1) as number, cur.values.at(-1) as number);
  const k = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / k : 1;
  const fill = (s: SortedSample) => {
    const out = new Array<number>(k).fill(0);
    for (const v of s.values) {
      const b = Math.min(Math.floor((v - lo) / width), k - 1);
      out[b] = (out[b] as number) + 1;
    }
    return out.map((c) => c / s.n);
  };
  return { reference: fill(ref), current: fill(cur) };
}

describe('report histograms of numeric drift', () => {
  it('bin sorted samples exactly as binning every value does (ties, edges, one value, wide ranges)', () => {
    const next = random(7);
    const cases: [number[], number[]][] = [
      [[5], [5]],
      [
        [1, 1, 1, 2],
        [2, 2, 3],
      ],
      // values exactly on the equal-width edges, where floating point decides the bin
      [Array.from({ length: 201 }, (_, i) => i / 10), Array.from({ length: 101 }, (_, i) => 0.1 * i)],
      [
        Array.from({ length: 5000 }, () => Math.round(next() * 90)),
        Array.from({ length: 4000 }, () => Math.round(next() * 100)),
      ],
      [
        Array.from({ length: 5000 }, () => (next() - 0.5) * 1e300),
        Array.from({ length: 3000 }, () => next() * 1e-300),
      ],
      [
        Array.from({ length: 3000 }, () => Math.exp(next() * 40 - 20)),
        Array.from({ length: 3000 }, () => -Math.exp(next() * 40 - 20)),
      ],
    ];
    for (const [r, c] of cases) {
      for (const bins of [1, 7, 20]) {
        const ref = sample(r);
        const cur = sample(c);
        const { histogram } = numericDriftOfSamples(ref, cur, bins);
        const expected = histogramByValue(ref, cur, bins);
        expect(histogram.reference).toEqual(expected.reference);
        expect(histogram.current).toEqual(expected.current);
      }
    }
  });
});

describe('runEnd', () => {
  it('finds where every run of equal values ends, for runs of every length', () => {
    const next = random(11);
    for (const distinct of [1, 2, 3, 10, 1000, 100_000]) {
      const values = Float64Array.from({ length: 5000 }, () => Math.floor(next() * distinct)).sort();
      for (let start = 0; start <= values.length; start++) {
        const x = start < values.length ? (values[start] as number) : 0;
        let expected = start;
        while (expected < values.length && values[expected] === x) expected++;
        expect(runEnd(values, start, x)).toBe(expected);
        // a value that does not start there ends nothing
        expect(runEnd(values, start, -1)).toBe(start);
      }
    }
  });
});
