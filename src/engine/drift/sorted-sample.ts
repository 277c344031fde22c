import type { DuckDBConnection } from '@duckdb/node-api';
import { count, typedNumericExpr } from './sql.ts';

/**
 * The finite values of a numeric column in ascending order: either every value (`counts` null)
 * or its distinct values with their counts. Low-cardinality columns are grouped by DuckDB (a few
 * rows cross into JS); high-cardinality ones are streamed as doubles and radix-sorted.
 */
export interface SortedSample {
  values: Float64Array;
  counts: Float64Array | null;
  n: number;
}

/** Above this many distinct values (approximate), a column is streamed and sorted instead of grouped. */
export const GROUPED_MAX_DISTINCT = 100_000;

/** Approximate distinct finite values of each numeric column, in one scan of the table. */
export async function approxDistinct(
  conn: DuckDBConnection,
  table: string,
  columns: string[],
  types: Map<string, string>,
): Promise<number[]> {
  if (columns.length === 0) return [];
  const parts = columns.map((c, i) => `approx_count_distinct(${typedNumericExpr(c, types.get(c))}) AS d${i}`);
  const reader = await conn.runAndReadAll(`SELECT ${parts.join(', ')} FROM ${table}`);
  const row = reader.getRowObjectsJS()[0] ?? {};
  return columns.map((_, i) => count(row[`d${i}`]));
}

interface NumberVector {
  itemCount: number;
  getItem(index: number): unknown;
}

/** Loads a column's finite values, grouped or streamed depending on its cardinality. */
export async function loadSortedSample(
  conn: DuckDBConnection,
  table: string,
  column: string,
  distinctEstimate: number,
  rows: number,
  type?: string,
): Promise<SortedSample> {
  const v = typedNumericExpr(column, type);
  if (distinctEstimate <= GROUPED_MAX_DISTINCT) {
    const result = await conn.run(
      `SELECT v, CAST(count(*) AS DOUBLE) AS c FROM (SELECT ${v} AS v FROM ${table}) WHERE isfinite(v) GROUP BY v ORDER BY v`,
    );
    const values: number[] = [];
    const counts: number[] = [];
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const vv = chunk.getColumnVector(0) as unknown as NumberVector;
      const cv = chunk.getColumnVector(1) as unknown as NumberVector;
      for (let i = 0; i < chunk.rowCount; i++) {
        values.push(vv.getItem(i) as number);
        const c = cv.getItem(i) as number;
        counts.push(c);
        n += c;
      }
    }
    return { values: Float64Array.from(values), counts: Float64Array.from(counts), n };
  }
  const result = await conn.run(`SELECT ${v} AS v FROM ${table}`);
  const buffer = new Float64Array(rows);
  let n = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const vector = chunk.getColumnVector(0) as unknown as NumberVector;
    for (let i = 0; i < chunk.rowCount; i++) {
      const x = vector.getItem(i);
      // NULL, NaN and ±inf are missing
      if (typeof x === 'number' && Number.isFinite(x)) buffer[n++] = x;
    }
  }
  return { values: sortFloat64(buffer.subarray(0, n)), counts: null, n };
}

/** Sorts doubles ascending with an LSD radix sort on their order-preserving bit patterns (little-endian). */
export function sortFloat64(input: Float64Array): Float64Array {
  const n = input.length;
  if (n < 4096) return Float64Array.from(input).sort();
  const a = new Float64Array(input);
  const au = new Uint32Array(a.buffer);
  for (let i = 0; i < n; i++) {
    const hi = au[2 * i + 1] as number;
    if (hi & 0x80000000) {
      au[2 * i + 1] = ~hi >>> 0;
      au[2 * i] = ~(au[2 * i] as number) >>> 0;
    } else {
      au[2 * i + 1] = (hi | 0x80000000) >>> 0;
    }
  }
  const b = new Float64Array(n);
  let src = au;
  let dst = new Uint32Array(b.buffer);
  const histogram = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1;
    const shift = (pass % 2) * 16;
    histogram.fill(0);
    for (let i = 0; i < n; i++) {
      const digit = ((src[2 * i + word] as number) >>> shift) & 0xffff;
      histogram[digit] = (histogram[digit] as number) + 1;
    }
    // a pass where every key has the same digit changes nothing
    if ((histogram[((src[word] as number) >>> shift) & 0xffff] as number) === n) continue;
    let offset = 0;
    for (let d = 0; d < 65536; d++) {
      const c = histogram[d] as number;
      histogram[d] = offset;
      offset += c;
    }
    for (let i = 0; i < n; i++) {
      const digit = ((src[2 * i + word] as number) >>> shift) & 0xffff;
      const pos = histogram[digit] as number;
      histogram[digit] = pos + 1;
      dst[2 * pos] = src[2 * i] as number;
      dst[2 * pos + 1] = src[2 * i + 1] as number;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1] as number;
    if (hi & 0x80000000) {
      src[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    } else {
      src[2 * i + 1] = ~hi >>> 0;
      src[2 * i] = ~(src[2 * i] as number) >>> 0;
    }
  }
  return new Float64Array(src.buffer);
}
