import { categoricalExpr, count, doubleLiteral, ident, literal, queryRows } from '../duckdb/sql.ts';
import type { CategoryLabelCount, CategoryLabelSql, TableScan } from '../scan/table-scan.ts';
import type { ColumnInfo } from '../table.ts';

export type { CategoryLabelCount } from '../scan/table-scan.ts';

/**
 * Categories with fewer rows than this are pooled into one before their target rates are taken
 * (as scikit-learn's OneHotEncoder(min_frequency=…) pools infrequent categories): an identifier,
 * or any column of near-unique values, would otherwise "predict" the label perfectly in-sample.
 */
export const MIN_CATEGORY_ROWS = 30;

/**
 * The label's classes as SQL over its raw value aliased `__l` (TableScan.countByLabel): present
 * unless blank, NULL or (numeric label) NaN; positive when equal to `positive` (as a number for a
 * numeric label).
 */
export function categoryLabelSql(label: ColumnInfo, positive: string): CategoryLabelSql {
  const l = '__l';
  const present =
    label.kind === 'numeric'
      ? `${categoricalExpr(l)} IS NOT NULL AND NOT coalesce(isnan(TRY_CAST(${ident(l)} AS DOUBLE)), false)`
      : `${categoricalExpr(l)} IS NOT NULL`;
  const isPositive =
    label.kind === 'numeric'
      ? `TRY_CAST(${ident(l)} AS DOUBLE) = ${doubleLiteral(Number(positive))}`
      : `${categoricalExpr(l)} = ${literal(positive)}`;
  return { column: label.name, present, positive: isPositive };
}

/**
 * Rows and positives of each category of each text column (blank and NULL left out, rows without
 * a label value left out). Each column is grouped by its raw values and the label first (cheap),
 * and only those few groups are turned into category text and label classes, as TableScan counts
 * categories. Runs while the table exists.
 */
export async function categoryLabelCounts(
  scan: TableScan,
  columns: string[],
  label: ColumnInfo,
  positive: string,
): Promise<Map<string, CategoryLabelCount[]>> {
  const out = new Map<string, CategoryLabelCount[]>();
  // counted with the categories already (TableScan.countByLabel with this label)
  const sql = categoryLabelSql(label, positive);
  const counted = columns.map((c) => scan.labelCounts(c, sql));
  if (counted.every((c) => c !== undefined)) {
    const lists = await Promise.all(counted);
    columns.forEach((c, i) => {
      out.set(c, lists[i] as CategoryLabelCount[]);
    });
    return out;
  }
  if (columns.length === 0) return out;
  const { present, positive: isPositive } = sql;
  const l = '__l';
  const parts = columns.map(
    (c, i) =>
      `SELECT ${i} AS g, ${categoricalExpr('__v')} AS v, sum(__n) AS n, coalesce(sum(__n) FILTER (WHERE ${isPositive}), 0) AS p
       FROM (SELECT ${ident(c)} AS __v, ${ident(label.name)} AS ${l}, count(*) AS __n FROM ${scan.from()} GROUP BY ALL)
       WHERE ${present} GROUP BY 1, 2`,
  );
  const rows = await queryRows(scan.conn, parts.join(' UNION ALL '));
  for (const c of columns) out.set(c, []);
  for (const r of rows) {
    if (r.v === null) continue;
    out.get(columns[count(r.g)] as string)?.push({ rows: count(r.n), positives: count(r.p) });
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
