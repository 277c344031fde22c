import type { DuckDBConnection } from '@duckdb/node-api';
import { exclusive } from '../duckdb/sql.ts';

/**
 * The 64-bit hashes of every row of a table, sorted (by their bit patterns), so that equal hashes
 * are neighbours. Used only to find candidates: any conclusion that rows are equal is checked
 * column by column in SQL (hashes can collide).
 */
export interface SortedHashes {
  hashes: BigUint64Array;
}

/**
 * Reads `hashExpr` (a SQL `hash(...)`, never NULL) of every row of `from` in one streamed pass, to
 * be sorted here (sortHashes). Cheaper than DuckDB grouping a million distinct hashes (a hash table of
 * that many groups) when nearly every row is distinct, as with high-cardinality numeric columns.
 */
export async function readRowHashes(
  conn: DuckDBConnection,
  from: string,
  hashExpr: string,
  rows: number,
): Promise<BigUint64Array> {
  let out = new BigUint64Array(rows);
  let n = 0;
  await exclusive(conn, async () => {
    const result = await conn.stream(`SELECT ${hashExpr} AS h FROM ${from}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const size = chunk.rowCount;
      if (n + size > out.length) {
        // more rows than counted at load (never expected): grow
        const grown = new BigUint64Array(Math.max(2 * out.length, n + size));
        grown.set(out);
        out = grown;
      }
      copyHashes(chunk.getColumnVector(0), size, out, n);
      n += size;
    }
  });
  return n === out.length ? out : out.subarray(0, n);
}

/** Copies a chunk's vector of hashes (UBIGINT, never NULL) into `out` from `at`. */
export function copyHashes(vector: unknown, size: number, out: BigUint64Array, at: number): void {
  const v = vector as { items?: unknown; getItem(i: number): unknown };
  if (v.items instanceof BigUint64Array && v.items.length === size) {
    out.set(v.items, at);
  } else {
    for (let i = 0; i < size; i++) out[at + i] = BigInt(v.getItem(i) as bigint);
  }
}

/**
 * Sorts hashes read by readRowHashes in place (a native sort of unsigned 64-bit integers, ~80 ms
 * for a million); run it while DuckDB works on the next query.
 */
export function sortHashes(hashes: BigUint64Array): SortedHashes {
  hashes.sort();
  return { hashes };
}

/** A turn of the event loop: queries issued before it have reached DuckDB after it. */
export function queriesDispatched(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether some hash occurs more than once. */
export function hasRepeat(sorted: SortedHashes): boolean {
  const h = sorted.hashes;
  // compared as 32-bit halves: reading BigUint64Array elements would allocate BigInts
  const w = new Uint32Array(h.buffer, h.byteOffset, 2 * h.length);
  for (let i = 2; i < w.length; i += 2) {
    if (w[i] === w[i - 2] && w[i + 1] === w[i - 1]) return true;
  }
  return false;
}

/** Whether the two sorted sets of hashes share a hash (a merge of the two). */
export function shareAHash(a: SortedHashes, b: SortedHashes): boolean {
  const x = a.hashes;
  const y = b.hashes;
  const xw = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  const yw = new Uint32Array(y.buffer, y.byteOffset, 2 * y.length);
  let i = 0;
  let j = 0;
  // little-endian: the high word of hash k is at 2k + 1
  while (i < x.length && j < y.length) {
    const xh = xw[2 * i + 1] as number;
    const yh = yw[2 * j + 1] as number;
    if (xh < yh) i++;
    else if (xh > yh) j++;
    else {
      const xl = xw[2 * i] as number;
      const yl = yw[2 * j] as number;
      if (xl < yl) i++;
      else if (xl > yl) j++;
      else return true;
    }
  }
  return false;
}
