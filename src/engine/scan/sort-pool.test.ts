import { afterAll, describe, expect, it } from 'vitest';
import { SortPool } from './sort-pool.ts';

/** Values in random order with a payload that is a function of each value (to check it moved along). */
function column(pool: SortPool, n: number, seed: number): { values: Float64Array; payload: Uint8Array } {
  const values = pool.allocate(n);
  const payload = pool.allocatePayload(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    // negatives, repeats and a spread of magnitudes
    const v = ((x % 20011) - 10000) * (x % 3 === 0 ? 1e-3 : 1);
    values[i] = v;
    payload[i] = v > 0 ? 1 : v < 0 ? 0 : 2;
  }
  return { values, payload };
}

describe('SortPool', () => {
  const pool = new SortPool();
  afterAll(() => pool.close());

  it('sorts every queued column in place, on the worker and (with help) on this thread, payloads moving along', async () => {
    const columns = [1, 2, 3, 4, 5, 6].map((seed) => column(pool, 70_000, seed));
    const expected = columns.map((c) => Float64Array.from(c.values).sort());
    const sorts = columns.map((c) => pool.sort(c.values, c.payload));
    await pool.help();
    const results = await Promise.all(sorts);
    results.forEach((r, k) => {
      expect(r.values).toEqual(expected[k]);
      // sorted in the shared arrays themselves
      expect(r.values.buffer).toBe(columns[k]?.values.buffer);
      const payload = r.payload as Uint8Array;
      for (let i = 0; i < r.values.length; i++) {
        const v = r.values[i] as number;
        if (payload[i] !== (v > 0 ? 1 : v < 0 ? 0 : 2))
          throw new Error(`payload of column ${k} moved apart at ${i}`);
      }
    });
  });

  it('copies arrays that are not in shared memory before sorting them', async () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_003);
    const r = await pool.sort(values);
    expect(r.values).toEqual(Float64Array.from(values).sort());
  });
});
