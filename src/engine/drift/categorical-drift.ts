import type { DuckDBConnection } from '@duckdb/node-api';
import type { LoadedTable } from '../table.ts';
import { categoricalExpr, count } from './sql.ts';
import {
  type ChiSquareResult,
  chiSquareContingency,
  jensenShannonDistance,
  populationStabilityIndex,
} from './statistics.ts';

/** Raw categorical drift statistics of one column. */
export interface CategoricalDriftStats {
  referenceCount: number;
  currentCount: number;
  categories: number;
  chi2: ChiSquareResult | null;
  jsDistance: number | null;
  psi: number | null;
  histogram: { labels: string[]; otherLabel: string | null; reference: number[]; current: number[] };
}

const OTHER_LABEL = '(other)';

/** Chi-square, Jensen–Shannon and PSI over the categories of either sample (counted by DuckDB). */
export async function categoricalDrift(
  conn: DuckDBConnection,
  reference: LoadedTable,
  current: LoadedTable,
  column: string,
  histogramBins: number,
): Promise<CategoricalDriftStats> {
  const expr = categoricalExpr(column);
  const grouped = (table: string) =>
    `SELECT v, count(*) AS c FROM (SELECT ${expr} AS v FROM ${table}) WHERE v IS NOT NULL GROUP BY v`;
  const reader = await conn.runAndReadAll(
    `WITH r AS (${grouped(reference.table)}), c AS (${grouped(current.table)})
     SELECT coalesce(r.v, c.v) AS v, coalesce(r.c, 0) AS rc, coalesce(c.c, 0) AS cc
     FROM r FULL OUTER JOIN c ON r.v = c.v ORDER BY v`,
  );
  const [labelsCol, refCol, curCol] = reader.getColumnsJS() as [unknown[], unknown[], unknown[]];
  const labels = (labelsCol ?? []).map((v) => String(v));
  const referenceCounts = (refCol ?? []).map(count);
  const currentCounts = (curCol ?? []).map(count);
  const n1 = referenceCounts.reduce((a, b) => a + b, 0);
  const n2 = currentCounts.reduce((a, b) => a + b, 0);
  const bothPresent = n1 > 0 && n2 > 0;
  return {
    referenceCount: n1,
    currentCount: n2,
    categories: labels.length,
    chi2: bothPresent ? chiSquareContingency(referenceCounts, currentCounts) : null,
    jsDistance: bothPresent ? jensenShannonDistance(referenceCounts, currentCounts) : null,
    psi: bothPresent ? populationStabilityIndex(referenceCounts, currentCounts) : null,
    histogram: topCategories(labels, referenceCounts, currentCounts, n1, n2, histogramBins),
  };
}

/** The most frequent categories (by combined count) and a pooled rest, as proportions. */
function topCategories(
  labels: string[],
  referenceCounts: number[],
  currentCounts: number[],
  n1: number,
  n2: number,
  bins: number,
): CategoricalDriftStats['histogram'] {
  const order = labels
    .map((_, i) => i)
    .sort((a, b) => {
      const diff =
        (referenceCounts[b] as number) +
        (currentCounts[b] as number) -
        (referenceCounts[a] as number) -
        (currentCounts[a] as number);
      return diff !== 0 ? diff : a - b;
    });
  const keep = labels.length > bins ? order.slice(0, bins - 1) : order;
  const rest = labels.length > bins ? order.slice(bins - 1) : [];
  const share = (c: number, n: number) => (n > 0 ? c / n : 0);
  const reference = keep.map((i) => share(referenceCounts[i] as number, n1));
  const current = keep.map((i) => share(currentCounts[i] as number, n2));
  if (rest.length > 0) {
    reference.push(
      share(
        rest.reduce((s, i) => s + (referenceCounts[i] as number), 0),
        n1,
      ),
    );
    current.push(
      share(
        rest.reduce((s, i) => s + (currentCounts[i] as number), 0),
        n2,
      ),
    );
  }
  return {
    labels: keep.map((i) => labels[i] as string),
    otherLabel: rest.length > 0 ? OTHER_LABEL : null,
    reference,
    current,
  };
}
