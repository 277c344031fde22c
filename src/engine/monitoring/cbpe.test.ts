import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrateDescending, cbpeEstimate, fitIsotonic, isotonicFit } from './cbpe.ts';

interface Case {
  name: string;
  threshold: number;
  reference: { score: number[]; label: number[] };
  window: number[];
  expected: {
    calibrated: boolean;
    rows: number;
    expected: Record<string, number>;
    metrics: Record<string, Record<string, number | null>>;
  };
}

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/reference/cbpe/expected.json');
const { cases } = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { cases: Case[] };

const close = (actual: number | null | undefined, expected: number | null | undefined, what: string) => {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThan(1e-9);
};

/** CBPE against the NumPy/scikit-learn implementation (scripts/reference/make_cbpe_fixtures.py). */
describe('CBPE', () => {
  it.each(cases.map((c) => [c.name, c] as const))('equals the reference implementation on %s', (_name, c) => {
    const reference = c.reference.score.map((score, i) => ({ score, label: String(c.reference.label[i]) }));
    const got = cbpeEstimate(reference, c.window, { threshold: c.threshold, positiveLabel: null });
    expect(got).not.toBeNull();
    expect(got?.calibrated).toBe(c.expected.calibrated);
    expect(got?.rows).toBe(c.expected.rows);
    for (const k of ['tp', 'fp', 'fn', 'tn'] as const) close(got?.expected[k], c.expected.expected[k], k);
    for (const [metric, want] of Object.entries(c.expected.metrics)) {
      const m = got?.metrics[metric as keyof NonNullable<typeof got>['metrics']];
      for (const field of ['value', 'samplingError', 'lower', 'upper']) {
        close(m?.[field as keyof typeof m] as number | null, want[field], `${metric}.${field}`);
      }
    }
  });

  it('fits isotonic regression with ties averaged and clips outside the range', () => {
    const f = fitIsotonic([0.1, 0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1, 1]);
    expect(f(0)).toBe(1 / 3);
    expect(f(0.2)).toBe(1 / 3);
    expect(f(0.35)).toBe(1);
    expect(f(1)).toBe(1);
  });

  it('has no estimate without a labelled reference', () => {
    expect(
      cbpeEstimate([{ score: 0.3, label: null }], [0.5], { threshold: 0.5, positiveLabel: null }),
    ).toBeNull();
  });

  it("calibrates a sorted window exactly as the fitted function does value by value (ties, values outside the fit's range)", () => {
    // scores on a coarse grid, so that the window repeats values and hits the fit's own x exactly
    const score = fc.integer({ min: -5, max: 105 }).map((i) => i / 100);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(score, fc.boolean()), { minLength: 1, maxLength: 60 }),
        fc.array(score, { maxLength: 300 }),
        (ref, window) => {
          const x = ref.map(([s]) => s);
          const y = ref.map(([, l]) => (l ? 1 : 0));
          const f = fitIsotonic(x, y);
          const sorted = Float64Array.from(window).sort();
          const got = calibrateDescending(isotonicFit(x, y), sorted);
          const want = Array.from(sorted, (_, k) => f(sorted[sorted.length - 1 - k] as number));
          expect(Array.from(got)).toEqual(want);
        },
      ),
    );
  });

  it('gives the same estimate from a window already sorted as from the raw scores', () => {
    const c = cases[0] as Case;
    const reference = c.reference.score.map((score, i) => ({ score, label: String(c.reference.label[i]) }));
    const raw = cbpeEstimate(reference, [...c.window, Number.NaN], {
      threshold: c.threshold,
      positiveLabel: null,
    });
    const sorted = Float64Array.from(c.window.filter((s) => Number.isFinite(s))).sort();
    expect(
      cbpeEstimate(reference, sorted, { threshold: c.threshold, positiveLabel: null, sorted: true }),
    ).toEqual(raw);
  });
});
