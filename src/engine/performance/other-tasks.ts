import type { DuckDBConnection } from '@duckdb/node-api';
import type { MulticlassResult, PerformanceResult } from '../../contracts/validation-evidence.ts';
import { compareCodePoints } from '../drift/categorical-drift.ts';
import { blankText, count, doubleLiteral, ident, isIntegerType, num, queryRows } from '../duckdb/sql.ts';
import { requireColumn } from '../load/load-table.ts';
import type { LoadedTable } from '../table.ts';
import { ALL_ZERO_WEIGHTS, NO_TASK_METRICS } from './performance.ts';
import { assertNoBadRows, presentCheck, weightOf } from './scored-rows.ts';

/** Columns of a multiclass or regression evaluation. */
export interface TaskColumns {
  label: string;
  prediction: string;
  weight?: string;
}

/** numpy.finfo(np.float64).eps: sklearn's floor for |y| in mean_absolute_percentage_error. */
const FLOAT64_EPS = 2.220446049250313e-16;

const NO_BINARY_METRICS = {
  score: null,
  positive_label: null,
  threshold: null,
  roc_auc: null,
  average_precision: null,
  log_loss: null,
  brier_score: null,
  ece: null,
  confusion_matrix: null,
  calibration_curve: null,
  roc_curve: null,
  precision_recall_curve: null,
} satisfies Partial<PerformanceResult>;

/** Whether the label is continuous, as sklearn's type_of_target: numeric with a non-integer value. */
export async function labelIsContinuous(
  conn: DuckDBConnection,
  table: LoadedTable,
  label: string,
  type?: string,
): Promise<boolean> {
  // a column stored as integers has no non-integer value
  if (requireColumn(table, label).kind !== 'numeric' || isIntegerType(type)) return false;
  const v = `TRY_CAST(${ident(label)} AS DOUBLE)`;
  const [r] = await queryRows(
    conn,
    `SELECT 1 AS x FROM ${table.table} WHERE isfinite(${v}) AND ${v} <> floor(${v}) LIMIT 1`,
  );
  return r !== undefined;
}

/**
 * Distinct non-missing label values, sorted (up to `limit`; NaN is missing): numbers for a numeric
 * label (as the scored rows compare them, without turning every value into text), else text.
 */
export async function labelClasses(
  conn: DuckDBConnection,
  table: LoadedTable,
  label: string,
  limit = 3,
): Promise<(number | string)[]> {
  const c = ident(label);
  const sql =
    requireColumn(table, label).kind === 'numeric'
      ? `SELECT DISTINCT TRY_CAST(${c} AS DOUBLE) AS v FROM ${table.table}
         WHERE TRY_CAST(${c} AS DOUBLE) IS NOT NULL AND NOT isnan(TRY_CAST(${c} AS DOUBLE)) ORDER BY v LIMIT ${limit}`
      : `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${table.table}
         WHERE ${c} IS NOT NULL AND NOT ${blankText(`CAST(${c} AS VARCHAR)`)} ORDER BY v LIMIT ${limit}`;
  return (await queryRows(conn, sql)).map((r) => r.v as number | string);
}

/**
 * Multiclass metrics as scikit-learn: accuracy, balanced accuracy (mean recall over the classes
 * that occur in the label), per-class precision/recall/f1/support over the sorted union of label
 * and predicted classes (zero_division 0), their macro and support-weighted averages, and the
 * K × K confusion matrix (rows: true class). Weighted sums when a weight column is given.
 */
export async function computeMulticlass(
  conn: DuckDBConnection,
  table: LoadedTable,
  columns: TaskColumns,
): Promise<PerformanceResult> {
  const label = requireColumn(table, columns.label);
  requireColumn(table, columns.prediction);
  const numeric = label.kind === 'numeric';
  const value = (c: string) => (numeric ? `TRY_CAST(${ident(c)} AS DOUBLE)` : `CAST(${ident(c)} AS VARCHAR)`);
  const w = weightOf(columns.weight);
  await assertNoBadRows(conn, table, [
    presentCheck('label', columns.label, numeric),
    presentCheck('prediction', columns.prediction, numeric),
    ...(numeric
      ? [
          {
            where: `${value(columns.prediction)} IS NULL`,
            message: (row: number) =>
              `prediction '${columns.prediction}' must be a number like the label '${columns.label}'; data row ${row} is not`,
          },
        ]
      : []),
    ...w.checks,
  ]);
  const rows = await queryRows(
    conn,
    `SELECT y, yhat, count(*) AS n, sum(w) AS sw FROM
       (SELECT ${value(columns.label)} AS y, ${value(columns.prediction)} AS yhat, ${w.expr} AS w FROM ${table.table})
     GROUP BY y, yhat`,
  );
  const key = (v: unknown) => (numeric ? String(num(v)) : String(v));
  const classValues = new Map<string, unknown>();
  for (const r of rows) {
    classValues.set(key(r.y), r.y);
    classValues.set(key(r.yhat), r.yhat);
  }
  const classes = [...classValues.keys()].sort((a, b) =>
    numeric
      ? (num(classValues.get(a)) as number) - (num(classValues.get(b)) as number)
      : compareCodePoints(a, b),
  );
  const index = new Map(classes.map((c, i) => [c, i]));
  const k = classes.length;
  const matrix = classes.map(() => new Array<number>(k).fill(0));
  let n = 0;
  for (const r of rows) {
    const i = index.get(key(r.y)) as number;
    const j = index.get(key(r.yhat)) as number;
    (matrix[i] as number[])[j] = ((matrix[i] as number[])[j] as number) + (num(r.sw) ?? 0);
    n += count(r.n);
  }
  const total = matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = classes.map((_, j) => matrix.reduce((s, row) => s + (row[j] as number), 0));
  const perClass: MulticlassResult['per_class'] = {};
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  classes.forEach((c, i) => {
    const tp = (matrix[i] as number[])[i] as number;
    const fp = (predicted[i] as number) - tp;
    const fn = (support[i] as number) - tp;
    const p = tp + fp > 0 ? tp / (tp + fp) : 0;
    const r = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
    precision.push(p);
    recall.push(r);
    f1.push(f);
    perClass[c] = { precision: p, recall: r, f1: f, support: support[i] as number };
  });
  const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const weighted = (xs: number[]) =>
    total > 0 ? xs.reduce((s, x, i) => s + x * (support[i] as number), 0) / total : 0;
  const presentRecalls = recall.filter((_, i) => (support[i] as number) > 0);
  const correct = classes.reduce((s, _, i) => s + ((matrix[i] as number[])[i] as number), 0);
  return {
    ...NO_BINARY_METRICS,
    ...NO_TASK_METRICS,
    task: 'multiclass',
    label: columns.label,
    prediction: columns.prediction,
    weight: columns.weight ?? null,
    count: n,
    accuracy: total > 0 ? correct / total : null,
    balanced_accuracy: presentRecalls.length > 0 ? mean(presentRecalls) : null,
    precision: mean(precision),
    recall: mean(recall),
    f1: mean(f1),
    multiclass: {
      classes,
      confusion_matrix: matrix,
      per_class: perClass,
      precision_macro: mean(precision),
      recall_macro: mean(recall),
      f1_macro: mean(f1),
      precision_weighted: weighted(precision),
      recall_weighted: weighted(recall),
      f1_weighted: weighted(f1),
    },
    note: n > 0 && total === 0 ? ALL_ZERO_WEIGHTS : null,
  };
}

/**
 * Regression metrics as scikit-learn: mean absolute error, mean squared error and its root, R²
 * (1 − SS_res / SS_tot; 1.0 or 0.0 when the label is constant, sklearn's force_finite) and mean
 * absolute percentage error (|y − ŷ| / max(|y|, float64 eps)); weighted averages with a weight column.
 */
export async function computeRegression(
  conn: DuckDBConnection,
  table: LoadedTable,
  columns: TaskColumns,
): Promise<PerformanceResult> {
  requireColumn(table, columns.label);
  requireColumn(table, columns.prediction);
  const y = `TRY_CAST(${ident(columns.label)} AS DOUBLE)`;
  const yhat = `TRY_CAST(${ident(columns.prediction)} AS DOUBLE)`;
  const w = weightOf(columns.weight);
  await assertNoBadRows(conn, table, [
    {
      where: `${y} IS NULL OR NOT isfinite(${y})`,
      message: (row) => `label '${columns.label}' must be a finite number; data row ${row} is not`,
    },
    {
      where: `${yhat} IS NULL OR NOT isfinite(${yhat})`,
      message: (row) => `prediction '${columns.prediction}' must be a finite number; data row ${row} is not`,
    },
    ...w.checks,
  ]);
  const from = `(SELECT ${y} AS y, ${yhat} AS yhat, ${w.expr} AS w FROM ${table.table})`;
  const [t] = await queryRows(
    conn,
    `SELECT count(*) AS n, fsum(w) AS sw, fsum(w * y) AS swy, fsum(w * abs(y - yhat)) AS ae,
       fsum(w * (y - yhat) * (y - yhat)) AS se,
       fsum(w * abs(y - yhat) / greatest(abs(y), ${doubleLiteral(FLOAT64_EPS)})) AS ape
     FROM ${from}`,
  );
  const sw = num(t?.sw) ?? 0;
  const ratio = (a: unknown) => (sw > 0 ? (num(a) ?? 0) / sw : null);
  const mean = ratio(t?.swy);
  const [d] =
    mean === null
      ? [undefined]
      : await queryRows(
          conn,
          `SELECT fsum(w * (y - ${doubleLiteral(mean)}) * (y - ${doubleLiteral(mean)})) AS sst FROM ${from}`,
        );
  const sse = num(t?.se) ?? 0;
  const sst = num(d?.sst) ?? 0;
  const mse = ratio(t?.se);
  // a sum that overflows float64 (values near ±1.8e308) is no number JSON can hold: null, named in the note
  const overflowed: string[] = [];
  const finite = (v: number | null, name: string): number | null => {
    if (v === null || Number.isFinite(v)) return v;
    overflowed.push(`${name} (${v})`);
    return null;
  };
  return {
    ...NO_BINARY_METRICS,
    ...NO_TASK_METRICS,
    task: 'regression',
    label: columns.label,
    prediction: columns.prediction,
    weight: columns.weight ?? null,
    count: count(t?.n),
    accuracy: null,
    balanced_accuracy: null,
    precision: null,
    recall: null,
    f1: null,
    mean_absolute_error: finite(ratio(t?.ae), 'mean_absolute_error'),
    mean_squared_error: finite(mse, 'mean_squared_error'),
    root_mean_squared_error: finite(mse === null ? null : Math.sqrt(mse), 'root_mean_squared_error'),
    r2: finite(sw > 0 ? (sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0) : null, 'r2'),
    mean_absolute_percentage_error: finite(ratio(t?.ape), 'mean_absolute_percentage_error'),
    note:
      count(t?.n) > 0 && sw === 0
        ? ALL_ZERO_WEIGHTS
        : overflowed.length > 0
          ? `not a finite number, so null: ${overflowed.join(', ')}; the values are too close to the float64 limit (±1.8e308) for the sums to stay finite`
          : null,
  };
}
