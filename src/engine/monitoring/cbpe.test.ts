import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cbpeEstimate, fitIsotonic } from './cbpe.ts';

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
});
