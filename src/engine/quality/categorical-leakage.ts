import {
  categoricalExpr,
  count,
  doubleLiteral,
  groupingSetIndex,
  ident,
  literal,
  MAX_GROUPING_SETS,
  queryRows,
} from '../drift/sql.ts';
import type { TableScan } from '../scan/table-scan.ts';
import type { ColumnInfo } from '../table.ts';

/**
 * Categories with fewer rows than this are pooled into one before their target rates are taken
 * (as scikit-learn's OneHotEncoder(min_frequency=…) pools infrequent categories): an identifier,
 * or any column of near-unique values, would otherwise "predict" the label perfectly in-sample.
 */
export const MIN_CATEGORY_ROWS = 30;

/** Rows and positive rows of one category of a column. */
export interface CategoryLabelCount {
  rows: number;
  positives: number;
}

/**
 * Rows and positives of each category of each text column (blank and NULL left out, rows without
 * a label value left out), in one grouped scan per MAX_GROUPING_SETS columns. Runs while the
 * table exists.
 */
export async function categoryLabelCounts(
  scan: TableScan,
  columns: string[],
  label: ColumnInfo,
  positive: string,
): Promise<Map<string, CategoryLabelCount[]>> {
  const out = new Map<string, CategoryLabelCount[]>();
  if (columns.length === 0) return out;
  const labelText = categoricalExpr(label.name);
  const isPositive =
    label.kind === 'numeric'
      ? `TRY_CAST(${ident(label.name)} AS DOUBLE) = ${doubleLiteral(Number(positive))}`
      : `${labelText} = ${literal(positive)}`;
  for (let start = 0; start < columns.length; start += MAX_GROUPING_SETS) {
    const batch = columns.slice(start, start + MAX_GROUPING_SETS);
    const ids = batch.map((_, i) => `g${i}`).join(', ');
    const projected = batch.map((c, i) => `${categoricalExpr(c)} AS g${i}`).join(', ');
    const rows = await queryRows(
      scan.conn,
      `SELECT grouping_id(${ids}) AS gid, coalesce(${ids}) AS v, count(*) AS n, count(*) FILTER (WHERE y) AS p
       FROM (SELECT ${projected}, ${isPositive} AS y FROM ${scan.from()} WHERE ${labelText} IS NOT NULL)
       GROUP BY GROUPING SETS (${batch.map((_, i) => `(g${i})`).join(', ')})`,
    );
    for (const c of batch) out.set(c, []);
    for (const r of rows) {
      if (r.v === null) continue;
      const column = batch[groupingSetIndex(count(r.gid), batch.length)] as string;
      out.get(column)?.push({ rows: count(r.n), positives: count(r.p) });
    }
  }
  return out;
}

/**
 * ROC AUC of each row's category target rate (positives / rows of its category, the categories
 * under MIN_CATEGORY_ROWS rows pooled into one) as a score against the label, as
 * sklearn.metrics.roc_auc_score: ties (equal rates) count one half; exact integer sums. Null
 * when the rows hold one class only.
 */
export function targetRateAuc(categories: CategoryLabelCount[]): number | null {
  const buckets: CategoryLabelCount[] = [];
  const rare: CategoryLabelCount = { rows: 0, positives: 0 };
  for (const c of categories) {
    if (c.rows >= MIN_CATEGORY_ROWS) buckets.push(c);
    else {
      rare.rows += c.rows;
      rare.positives += c.positives;
    }
  }
  if (rare.rows > 0) buckets.push(rare);
  // equal rates are one score: merged, they tie
  const byRate = new Map<number, CategoryLabelCount>();
  for (const b of buckets) {
    const rate = b.positives / b.rows;
    const seen = byRate.get(rate);
    if (seen) {
      seen.rows += b.rows;
      seen.positives += b.positives;
    } else byRate.set(rate, { ...b });
  }
  const ordered = [...byRate.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  let below = 0;
  let twiceWins = 0;
  let pos = 0;
  for (const b of ordered) {
    const n = b.rows - b.positives;
    twiceWins += b.positives * (2 * below + n);
    below += n;
    pos += b.positives;
  }
  if (pos === 0 || below === 0) return null;
  return twiceWins / (2 * pos * below);
}
