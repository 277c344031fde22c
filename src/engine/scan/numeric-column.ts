import type { DuckDBConnection } from '@duckdb/node-api';
import type { SortedSample } from '../drift/sorted-sample.ts';
import { categoricalExpr, exclusive, ident, isIntegerType, literal } from '../duckdb/sql.ts';
import type { ColumnInfo } from '../table.ts';
import { copyHashes } from './row-hashes.ts';
import type { SortPool } from './sort-pool.ts';

/**
 * The finite values of a numeric column in ascending order, read once and shared by data quality
 * (quartiles, outliers, constancy, single-feature AUC) and drift (KS, Wasserstein, PSI).
 */
export interface NumericColumn {
  sample: SortedSample;
  /**
   * The label class of each sorted value (1 positive, 0 negative, 2 label missing), when the
   * column was read with a label; null otherwise.
   */
  labels: Uint8Array | null;
}

/**
 * The values of a numeric column that are not finite numbers, counted as its values are read:
 * NULL (`null`), NaN and ±infinity, as data quality's missing counts define them for a column
 * DuckDB stores as numbers.
 */
export interface NumericMissing {
  null: number;
  nan: number;
  infinite: number;
}

/** The label read beside a numeric column: a SQL expression and the value that counts as positive. */
export interface LabelSpec {
  expr: string;
  positive: string;
}

/**
 * The label as read beside the numeric columns, with `positive` (one of its values as text). A
 * numeric label is compared as a number (an integer column as it is: `label = 1` holds exactly
 * when its text is '1', without turning every value into text), any other as text.
 */
export function labelSpecOf(label: ColumnInfo, type: string | undefined, positive: string): LabelSpec {
  if (label.kind === 'numeric') {
    const expr = isIntegerType(type) ? ident(label.name) : `TRY_CAST(${ident(label.name)} AS DOUBLE)`;
    return { expr, positive };
  }
  return { expr: categoricalExpr(label.name), positive };
}

export const LABEL_NEGATIVE = 0;
export const LABEL_POSITIVE = 1;
export const LABEL_MISSING = 2;

interface RawVector {
  itemCount: number;
  getItem(index: number): unknown;
}

/**
 * A DOUBLE vector's values, with a mask of its NULL items (1 = NULL) when it has any: the binding's
 * own array when it exposes one, else copied into `scratch` (NULL items read as 0 there).
 */
function readDoubles(
  vector: unknown,
  size: number,
  scratch: Float64Array,
  nullScratch: Uint8Array,
): { items: Float64Array; nulls: Uint8Array | null } {
  const v = vector as {
    items?: unknown;
    validity?: { data?: unknown; itemValid?: (index: number) => boolean };
  };
  const own = v.items instanceof Float64Array && v.items.length === size ? v.items : null;
  if (own && !v.validity?.data) return { items: own, nulls: null };
  const validity = v.validity;
  const slow = vector as RawVector;
  let any = false;
  const items = own ?? scratch;
  for (let i = 0; i < size; i++) {
    let isNull: boolean;
    if (own && validity?.itemValid) {
      isNull = !validity.itemValid(i);
    } else {
      const item = slow.getItem(i);
      isNull = item === null || item === undefined;
      if (!own) scratch[i] = isNull ? 0 : (item as number);
    }
    nullScratch[i] = isNull ? 1 : 0;
    if (isNull) any = true;
  }
  return { items, nulls: any ? nullScratch : null };
}

/** The vector's values as a typed array when the binding exposes them and there are no NULLs. */
function itemsOf<T extends Float64Array | Uint8Array>(vector: unknown): T | null {
  const v = vector as { items?: unknown; validity?: { data?: unknown } };
  if (!(v.items instanceof Float64Array || v.items instanceof Uint8Array)) return null;
  if (v.validity?.data) return null; // a validity mask: read item by item
  return v.items as T;
}

/**
 * Reads several numeric columns of a table in one query (one pass, one stream of chunks) and
 * returns each column's finite values sorted (radix sort), with the label class of each value
 * when `label` is given (labels move with their values), and the count of its values that are
 * NULL, NaN or infinite (known once read, before the sorts finish). Values and labels come from
 * the same rows of the same query, so they stay aligned whatever order DuckDB scans in.
 */
export async function readNumericColumns(
  conn: DuckDBConnection,
  table: string,
  valueExprs: string[],
  rows: number,
  label: LabelSpec | undefined,
  sorter: SortPool,
  hashExpr?: string,
): Promise<{ sorted: Promise<NumericColumn>[]; missing: NumericMissing[]; hashes: BigUint64Array | null }> {
  if (valueExprs.length === 0) return { sorted: [], missing: [], hashes: null };
  // the values as they are: NULL, NaN and ±infinity are counted here and left out
  const projected = valueExprs.map((_, i) => `v${i}`).join(', ');
  const inner = valueExprs.map((e, i) => `${e} AS v${i}`).join(', ');
  const labelSql = label
    ? `, CAST(CASE WHEN y IS NULL THEN ${LABEL_MISSING} WHEN y = ${literal(label.positive)} THEN ${LABEL_POSITIVE} ELSE ${LABEL_NEGATIVE} END AS UTINYINT) AS y`
    : '';
  const k = valueExprs.length;
  // the row hashes (data quality's duplicates and overlap) in the same pass, as column k (+ 1)
  const hashSql = hashExpr !== undefined ? ', h' : '';
  const hashColumn = label ? k + 1 : k;
  let hashes = hashExpr !== undefined ? new BigUint64Array(rows) : null;
  let hashCount = 0;
  // in memory the sorting worker shares, so that each column is sorted in place
  const values = valueExprs.map(() => sorter.allocate(rows));
  const counts = new Array<number>(k).fill(0);
  const missing = valueExprs.map((): NumericMissing => ({ null: 0, nan: 0, infinite: 0 }));
  const chunkNulls = new Uint8Array(2048);
  const labels = label ? valueExprs.map(() => sorter.allocatePayload(rows)) : null;
  const chunkValues = new Float64Array(2048);
  const chunkLabels = new Uint8Array(2048);
  await exclusive(conn, async () => {
    // streamed, not materialized: DuckDB holds a few chunks at a time instead of a second copy
    // of every value until the result is garbage-collected
    const result = await conn.stream(
      `SELECT ${projected}${labelSql}${hashSql} FROM (SELECT ${inner}${label ? `, ${label.expr} AS y` : ''}${hashExpr !== undefined ? `, ${hashExpr} AS h` : ''} FROM ${table})`,
    );
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const size = chunk.rowCount;
      const y = label ? readInto(chunk.getColumnVector(k), size, chunkLabels) : null;
      if (hashes) {
        if (hashCount + size > hashes.length) {
          // more rows than counted at load (never expected): grow
          const grown = new BigUint64Array(Math.max(2 * hashes.length, hashCount + size));
          grown.set(hashes);
          hashes = grown;
        }
        copyHashes(chunk.getColumnVector(hashColumn), size, hashes, hashCount);
        hashCount += size;
      }
      for (let c = 0; c < k; c++) {
        const { items: x, nulls } = readDoubles(chunk.getColumnVector(c), size, chunkValues, chunkNulls);
        const out = values[c] as Float64Array;
        const outLabels = labels?.[c];
        let n = counts[c] as number;
        // a chunk without missing or non-finite values is copied whole
        if (!nulls) {
          let first = 0;
          while (first < size && Number.isFinite(x[first] as number)) first++;
          if (first === size) {
            out.set(x.subarray(0, size), n);
            if (outLabels && y) outLabels.set(y.subarray(0, size), n);
            counts[c] = n + size;
            continue;
          }
        }
        const m = missing[c] as NumericMissing;
        for (let i = 0; i < size; i++) {
          if (nulls && nulls[i] === 1) {
            m.null++;
            continue;
          }
          const v = x[i] as number;
          if (!Number.isFinite(v)) {
            if (Number.isNaN(v)) m.nan++;
            else m.infinite++;
            continue;
          }
          out[n] = v;
          if (outLabels && y) outLabels[n] = y[i] as number;
          n++;
        }
        counts[c] = n;
      }
    }
  });
  // the connection is free again: the sorts run on the worker while DuckDB serves the next query
  const sorted = values.map(async (v, c) => {
    const n = counts[c] as number;
    const result = await sorter.sort(v.subarray(0, n), labels?.[c]?.subarray(0, n));
    return { sample: { values: result.values, counts: null, n }, labels: result.payload ?? null };
  });
  const read = hashes && hashCount !== hashes.length ? hashes.subarray(0, hashCount) : hashes;
  return { sorted, missing, hashes: read };
}

/** A vector's items: the binding's own typed array when it exposes one, else copied into `scratch`. */
function readInto<T extends Float64Array | Uint8Array>(vector: unknown, size: number, scratch: T): T {
  const fast = itemsOf<T>(vector);
  if (fast && fast.length === size) return fast;
  const slow = vector as RawVector;
  for (let i = 0; i < size; i++) scratch[i] = slow.getItem(i) as number;
  return scratch;
}

/** A DOUBLE vector's values as a typed array (NULL reads as 0): the binding's own array when it has no NULLs. */
export function doubleItems(vector: unknown, size: number): Float64Array {
  const fast = itemsOf<Float64Array>(vector);
  return fast && fast.length === size ? fast : readInto(vector, size, new Float64Array(size));
}
