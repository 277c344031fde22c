import type { DuckDBConnection } from '@duckdb/node-api';
import {
  blankText,
  count,
  doubleLiteral,
  ident,
  isIntegerType,
  isNumberType,
  literal,
  queryRows,
  tempTableName,
} from '../duckdb/sql.ts';
import { InputError } from '../load/input-error.ts';
import { firstRowWhere, requireColumn } from '../load/load-table.ts';
import type { LoadedTable } from '../table.ts';

/** Which columns hold the label, the score or the predicted class, and (optionally) the sample weight. */
export interface ScoredColumns {
  label: string;
  /** The probability of the positive class (exactly one of score and prediction). */
  score?: string;
  /** The predicted class, in the label's values. */
  prediction?: string;
  /** With a score, the predicted class is `score >= threshold` (default 0.5). */
  threshold?: number;
  weight?: string;
  /** The positive label value (default: 1 for a numeric label, else the greater value in sort order). */
  positiveLabel?: string;
  /** The label's DuckDB column type, when known (a number type skips the text checks). */
  labelType?: string;
  /**
   * The label's distinct non-missing values, sorted, up to three (labelClasses), when already
   * read: once every label is present they are the label's values, and no query reads them again.
   */
  labelValues?: (number | string)[];
}

/**
 * A view of the table with `__y` (1 = positive), `__p` (score), `__yhat` (score >= threshold)
 * and `__w` (weight, 1 without a weight column) next to the original columns.
 */
export interface ScoredView {
  view: string;
  threshold: number;
  positiveLabel: string;
  /** False when the predicted class came from a prediction column (no probabilities). */
  hasScore: boolean;
  weighted: boolean;
  rows: number;
}

/** A condition no row may meet, and the message naming the first row that does. */
export interface RowCheck {
  where: string;
  message: (row: number) => string;
}

/**
 * One scan counts the rows failing each check; only when some do is the file read again (in
 * order) to name the first one.
 */
export async function assertNoBadRows(
  conn: DuckDBConnection,
  table: LoadedTable,
  checks: RowCheck[],
): Promise<void> {
  if (checks.length === 0) return;
  const [bad] = await queryRows(
    conn,
    `SELECT ${checks.map((c, i) => `count(*) FILTER (WHERE ${c.where}) AS c${i}`).join(', ')} FROM ${table.table}`,
  );
  for (const [i, check] of checks.entries()) {
    if (count(bad?.[`c${i}`]) === 0) continue;
    throw new InputError(check.message((await firstRowWhere(conn, table, check.where)) ?? 0));
  }
}

/**
 * The check that a role's column ('label', 'prediction') has a value in every row. In a numeric
 * column a NaN is missing too (as pandas and data quality count it), not a class of its own.
 */
export function presentCheck(role: string, column: string, numeric = false, type?: string): RowCheck {
  const c = ident(column);
  // a column stored as numbers is never blank text, and one stored as integers never NaN
  const blank = isNumberType(type) ? '' : ` OR ${blankText(`CAST(${c} AS VARCHAR)`)}`;
  const nan = numeric && !isIntegerType(type) ? ` OR isnan(TRY_CAST(${c} AS DOUBLE))` : '';
  return {
    where: `${c} IS NULL${blank}${nan}`,
    message: (row) => `${role} '${column}' is missing in data row ${row}`,
  };
}

/** The weight expression (1 without a weight column) and the check that weights are finite and ≥ 0. */
export function weightOf(weight: string | undefined): { expr: string; checks: RowCheck[] } {
  if (!weight) return { expr: 'CAST(1 AS DOUBLE)', checks: [] };
  const w = `TRY_CAST(${ident(weight)} AS DOUBLE)`;
  return {
    expr: w,
    checks: [
      {
        where: `${w} IS NULL OR NOT isfinite(${w}) OR ${w} < 0`,
        message: (row) => `weight '${weight}' must be a finite number >= 0; data row ${row} is not`,
      },
    ],
  };
}

/** Checks label, score and weight and creates the scored view; errors name the first bad row. */
export async function createScoredView(
  conn: DuckDBConnection,
  table: LoadedTable,
  columns: ScoredColumns,
): Promise<ScoredView> {
  const label = requireColumn(table, columns.label);
  if ((columns.score === undefined) === (columns.prediction === undefined)) {
    throw new InputError('give either a score column or a prediction column');
  }
  if (columns.score !== undefined) requireColumn(table, columns.score);
  const prediction = columns.prediction !== undefined ? requireColumn(table, columns.prediction) : undefined;
  if (columns.weight) requireColumn(table, columns.weight);
  const threshold = columns.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) throw new InputError(`threshold must be a finite number`);
  const l = ident(label.name);
  const p =
    columns.score !== undefined ? `TRY_CAST(${ident(columns.score)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  const weight = weightOf(columns.weight);
  const w = weight.expr;
  const checks: RowCheck[] = [
    presentCheck('label', label.name, label.kind === 'numeric', columns.labelType),
    ...(columns.score !== undefined
      ? [
          {
            where: `${p} IS NULL OR NOT (${p} >= 0 AND ${p} <= 1)`,
            message: (row: number) =>
              `score '${columns.score}' must be a number in [0, 1]; data row ${row} is not`,
          },
        ]
      : []),
    ...(prediction ? [presentCheck('prediction', prediction.name, prediction.kind === 'numeric')] : []),
    ...weight.checks,
  ];
  await assertNoBadRows(conn, table, checks);
  const numericLabel = label.kind === 'numeric';
  const valueExpr = numericLabel ? `TRY_CAST(${l} AS DOUBLE)` : `CAST(${l} AS VARCHAR)`;
  const values =
    columns.labelValues ??
    (await queryRows(conn, `SELECT DISTINCT ${valueExpr} AS v FROM ${table.table} ORDER BY v LIMIT 3`)).map(
      (d) => d.v as number | string,
    );
  if (values.length > 2) {
    throw new InputError(
      `label '${label.name}' has more than two classes; only binary classification is supported`,
    );
  }
  let positive: number | string;
  if (columns.positiveLabel !== undefined) {
    positive = numericLabel ? Number(columns.positiveLabel) : columns.positiveLabel;
    if (!values.includes(positive)) {
      throw new InputError(
        `positive label '${columns.positiveLabel}' does not occur in '${label.name}' (values: ${values.join(', ')})`,
      );
    }
  } else {
    positive = numericLabel && values.includes(1) ? 1 : (values[values.length - 1] as number | string);
  }
  if (prediction && values.length === 2) {
    const predictedValue = numericLabel
      ? `TRY_CAST(${ident(prediction.name)} AS DOUBLE)`
      : `CAST(${ident(prediction.name)} AS VARCHAR)`;
    const known = values
      .map((v) => (typeof v === 'number' ? doubleLiteral(v) : literal(String(v))))
      .join(', ');
    const others = await queryRows(
      conn,
      `SELECT DISTINCT CAST(${ident(prediction.name)} AS VARCHAR) AS v FROM ${table.table}
       WHERE ${predictedValue} IS NULL OR ${predictedValue} NOT IN (${known}) LIMIT 5`,
    );
    if (others.length > 0) {
      throw new InputError(
        `prediction '${prediction.name}' has values that are not classes of '${label.name}' (${values.join(', ')}): ${others.map((o) => String(o.v)).join(', ')}${numericLabel ? '; for a numeric target use --task regression' : ''}`,
      );
    }
  }
  const equalsPositive = (expr: string) =>
    typeof positive === 'number' ? `${expr} = ${doubleLiteral(positive)}` : `${expr} = ${literal(positive)}`;
  const isPositive = equalsPositive(valueExpr);
  // the predicted class: the thresholded score, or the prediction column compared like the label
  const predicted = prediction
    ? `coalesce(${equalsPositive(numericLabel ? `TRY_CAST(${ident(prediction.name)} AS DOUBLE)` : `CAST(${ident(prediction.name)} AS VARCHAR)`)}, false)`
    : `${p} >= ${doubleLiteral(threshold)}`;
  const view = ident(tempTableName('scored'));
  await queryRows(
    conn,
    `CREATE OR REPLACE TEMP VIEW ${view} AS SELECT *, CAST(${isPositive} AS INTEGER) AS __y, ${p} AS __p, CAST(${predicted} AS INTEGER) AS __yhat, ${w} AS __w FROM ${table.table}`,
  );
  const [r] = await queryRows(conn, `SELECT count(*) AS n FROM ${view}`);
  return {
    view,
    threshold,
    positiveLabel: String(positive),
    hasScore: columns.score !== undefined,
    weighted: columns.weight !== undefined,
    rows: count(r?.n),
  };
}
