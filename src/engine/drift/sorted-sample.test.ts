import { describe, expect, it } from 'vitest';
import { sortFloat64With } from './sorted-sample.ts';

/** Values with negatives, zeros of both signs, ties, tiny and huge magnitudes; payload = value class. */
function sample(n: number, seed: number): { values: Float64Array; payload: Uint8Array } {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const values = new Float64Array(n);
  const payload = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    const v =
      r < 0.1
        ? 0
        : r < 0.15
          ? -0
          : r < 0.3
            ? Math.round(next() * 20) - 10
            : (next() - 0.5) * 10 ** (next() * 20 - 10);
    values[i] = v;
    payload[i] = v < 0 ? 0 : v === 0 ? 1 : 2;
  }
  return { values, payload };
}

function expectSorted(values: Float64Array, payload: Uint8Array | undefined, original: Float64Array): void {
  const expected = Float64Array.from(original).sort();
  expect(values.length).toBe(expected.length);
  for (let i = 0; i < values.length; i++) {
    // -0 and 0 are equal as numbers
    expect(values[i] === expected[i], `index ${i}: ${values[i]} vs ${expected[i]}`).toBe(true);
    if (payload) expect(payload[i]).toBe((values[i] as number) < 0 ? 0 : values[i] === 0 ? 1 : 2);
  }
}

describe('sortFloat64With (radix sort with a payload)', () => {
  for (const n of [10, 5000, 70_000]) {
    it(`sorts ${n} doubles and moves the payload with them (copy, in place, with a lent scratch)`, () => {
      const { values, payload } = sample(n, n);
      const copy = sortFloat64With(values, payload);
      expectSorted(copy.values, copy.payload, values);
      const small = { keys: new Uint32Array(10), payload: new Uint8Array(5) };
      const big = { keys: new Uint32Array(2 * n + 8), payload: new Uint8Array(n + 4) };
      for (const scratch of [undefined, small, big]) {
        const v = Float64Array.from(values);
        const p = Uint8Array.from(payload);
        const r = sortFloat64With(v, p, true, scratch);
        expectSorted(r.values, r.payload, values);
        if (scratch && n >= 4096) {
          // with a scratch the result is always in the caller's own arrays
          expect(r.values.buffer).toBe(v.buffer);
          expect(r.payload?.buffer).toBe(p.buffer);
        }
      }
    });
  }
});
