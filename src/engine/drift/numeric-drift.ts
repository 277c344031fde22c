import type { DuckDBConnection } from '@duckdb/node-api';
import type { LoadedTable } from '../table.ts';
import { ksTwoSamplePValue } from './kolmogorov.ts';
import { count, doubleLiteral, num, numericExpr, queryRows, tempTableName } from './sql.ts';
import { linearQuantile, populationStabilityIndex } from './statistics.ts';

/** Raw numeric drift statistics of one column (the decision is made by the caller). */
export interface NumericDriftStats {
  referenceCount: number;
  currentCount: number;
  ksStatistic: number | null;
  ksPvalue: number | null;
  ksMethod: 'exact' | 'asymp' | null;
  wassersteinDistance: number | null;
  wassersteinNormed: number | null;
  referenceStd: number | null;
  psi: number | null;
  psiEdges: number[];
  histogram: { edges: number[]; reference: number[]; current: number[] };
}

const DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i / 10);

/**
 * KS, Wasserstein and decile PSI of a numeric column. DuckDB groups each sample to (value, count)
 * once; everything else runs on the joined distinct values, so rows never become JS objects.
 */
export async function numericDrift(
  conn: DuckDBConnection,
  reference: LoadedTable,
  current: LoadedTable,
  column: string,
  histogramBins: number,
): Promise<NumericDriftStats> {
  const values = tempTableName('num');
  const expr = numericExpr(column);
  const grouped = (table: string) =>
    `SELECT v, count(*) AS c FROM (SELECT ${expr} AS v FROM ${table}) WHERE v IS NOT NULL AND isfinite(v) GROUP BY v`;
  await conn.run(
    `CREATE TEMP TABLE ${values} AS
     WITH r AS (${grouped(reference.table)}), c AS (${grouped(current.table)}),
     j AS (SELECT coalesce(r.v, c.v) AS v, coalesce(r.c, 0) AS rc, coalesce(c.c, 0) AS cc
           FROM r FULL OUTER JOIN c ON r.v = c.v)
     SELECT v, rc, cc,
            sum(rc) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS rcum,
            sum(cc) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS ccum,
            lead(v) OVER (ORDER BY v) AS next_v
     FROM j`,
  );
  try {
    const [totals] = await queryRows(
      conn,
      `SELECT sum(rc) AS n1, sum(cc) AS n2, min(v) AS lo, max(v) AS hi,
              sum(v * rc) / sum(rc) AS mean FROM ${values}`,
    );
    const n1 = count(totals?.n1);
    const n2 = count(totals?.n2);
    const empty: NumericDriftStats = {
      referenceCount: n1,
      currentCount: n2,
      ksStatistic: null,
      ksPvalue: null,
      ksMethod: null,
      wassersteinDistance: null,
      wassersteinNormed: null,
      referenceStd: null,
      psi: null,
      psiEdges: [],
      histogram: { edges: [], reference: [], current: [] },
    };
    if (n1 === 0 || n2 === 0) return empty;
    const mean = num(totals?.mean) as number;
    const [shape] = await queryRows(
      conn,
      `SELECT max(CAST(rcum AS DOUBLE) / ${n1} - CAST(ccum AS DOUBLE) / ${n2}) AS max_diff,
              min(CAST(rcum AS DOUBLE) / ${n1} - CAST(ccum AS DOUBLE) / ${n2}) AS min_diff,
              sum(abs(CAST(rcum AS DOUBLE) / ${n1} - CAST(ccum AS DOUBLE) / ${n2}) * (next_v - v)) AS wasserstein,
              sqrt(sum(rc * (v - ${doubleLiteral(mean)}) * (v - ${doubleLiteral(mean)})) / ${n1}) AS std
       FROM ${values}`,
    );
    const maxDiff = num(shape?.max_diff) as number;
    const minS = Math.min(Math.max(-(num(shape?.min_diff) as number), 0), 1);
    const d = Math.max(minS, maxDiff);
    const ks = ksTwoSamplePValue(n1, n2, d);
    const wasserstein = num(shape?.wasserstein) ?? 0;
    const std = num(shape?.std) ?? 0;
    const edges = await decileEdges(conn, values, n1);
    const binCounts = await binnedCounts(conn, values, edges);
    const histogram = await equalWidthHistogram(
      conn,
      values,
      num(totals?.lo) as number,
      num(totals?.hi) as number,
      histogramBins,
      n1,
      n2,
    );
    return {
      ...empty,
      ksStatistic: ks.statistic,
      ksPvalue: ks.pvalue,
      ksMethod: ks.method,
      wassersteinDistance: wasserstein,
      wassersteinNormed: wasserstein / Math.max(std, 0.001),
      referenceStd: std,
      psi: populationStabilityIndex(binCounts.reference, binCounts.current),
      psiEdges: edges,
      histogram,
    };
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${values}`);
  }
}

/** Unique reference deciles (numpy.quantile, linear), read from the cumulative reference counts. */
async function decileEdges(conn: DuckDBConnection, values: string, n1: number): Promise<number[]> {
  const ranks = new Set<number>();
  for (const q of DECILES) {
    const virtual = (n1 - 1) * q;
    const previous = Math.min(Math.floor(virtual), n1 - 1);
    ranks.add(previous);
    ranks.add(Math.min(previous + 1, n1 - 1));
  }
  const rankList = [...ranks].sort((a, b) => a - b);
  const rows = await queryRows(
    conn,
    `SELECT k, min(v) AS v FROM (SELECT unnest([${rankList.join(',')}]) AS k) ranks
     JOIN ${values} ON rc > 0 AND rcum > k GROUP BY k`,
  );
  const byRank = new Map<number, number>();
  for (const row of rows) byRank.set(count(row.k), num(row.v) as number);
  const valueAt = (rank: number) => byRank.get(rank) as number;
  const edges = DECILES.map((q) => linearQuantile(n1, q, valueAt));
  return [...new Set(edges)].sort((a, b) => a - b);
}

/** Reference and current counts in the bins (−∞, e1], (e1, e2], …, (ek, +∞). */
async function binnedCounts(
  conn: DuckDBConnection,
  values: string,
  edges: number[],
): Promise<{ reference: number[]; current: number[] }> {
  const cases = edges.map((e, i) => `WHEN v <= ${doubleLiteral(e)} THEN ${i}`).join(' ');
  const bin = edges.length === 0 ? '0' : `CASE ${cases} ELSE ${edges.length} END`;
  const rows = await queryRows(
    conn,
    `SELECT ${bin} AS b, sum(rc) AS r, sum(cc) AS c FROM ${values} GROUP BY b`,
  );
  const reference = new Array<number>(edges.length + 1).fill(0);
  const current = new Array<number>(edges.length + 1).fill(0);
  for (const row of rows) {
    const b = count(row.b);
    reference[b] = count(row.r);
    current[b] = count(row.c);
  }
  return { reference, current };
}

/** Proportions of both samples in equal-width bins over the combined range (for the report). */
async function equalWidthHistogram(
  conn: DuckDBConnection,
  values: string,
  lo: number,
  hi: number,
  bins: number,
  n1: number,
  n2: number,
): Promise<{ edges: number[]; reference: number[]; current: number[] }> {
  const k = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / k : 1;
  const rows = await queryRows(
    conn,
    `SELECT least(CAST(floor((v - ${doubleLiteral(lo)}) / ${doubleLiteral(width)}) AS BIGINT), ${k - 1}) AS b,
            sum(rc) AS r, sum(cc) AS c FROM ${values} GROUP BY b`,
  );
  const reference = new Array<number>(k).fill(0);
  const current = new Array<number>(k).fill(0);
  for (const row of rows) {
    const b = count(row.b);
    reference[b] = count(row.r) / n1;
    current[b] = count(row.c) / n2;
  }
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? hi : lo + i * width));
  return { edges, reference, current };
}
