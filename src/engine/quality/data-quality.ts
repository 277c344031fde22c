import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataQualityResult, Leakage, SchemaChanges } from '../../contracts/validation-drift.ts';
import { categoricalExpr, count, ident, literal, numericExpr, queryRows } from '../drift/sql.ts';
import type { ColumnInfo, LoadedTable } from '../table.ts';
import { profileColumns } from './column-profile.ts';

/** Defaults: Tukey's 1.5 × IQR fences; a single feature with ROC AUC ≥ 0.95 is a leakage suspect. */
export const DEFAULT_IQR_MULTIPLIER = 1.5;
export const DEFAULT_LEAKAGE_AUC = 0.95;

/** Options of computeDataQuality. */
export interface DataQualityOptions {
  /** The label column, for the single-feature AUC leakage check. */
  label?: string;
  /** Which label value is positive (default: 1 for 0/1 labels, else the greater value in sort order). */
  positiveLabel?: string;
  /** Features checked for leakage (default: every numeric column except the label). */
  columns?: ColumnInfo[];
  iqrMultiplier?: number;
  leakageAuc?: number;
}

/** Data quality of the current data, and its schema and overlap against the reference when given. */
export async function computeDataQuality(
  conn: DuckDBConnection,
  current: LoadedTable,
  reference: LoadedTable | undefined,
  options: DataQualityOptions = {},
): Promise<DataQualityResult> {
  const iqrMultiplier = options.iqrMultiplier ?? DEFAULT_IQR_MULTIPLIER;
  const leakageAuc = options.leakageAuc ?? DEFAULT_LEAKAGE_AUC;
  const profile = await profileColumns(conn, current, iqrMultiplier);
  const [distinctRows] = await queryRows(
    conn,
    `SELECT count(*) AS n FROM (SELECT DISTINCT * FROM ${current.table})`,
  );
  const duplicates = current.rows - count(distinctRows?.n);
  return {
    rows: current.rows,
    columns: current.columns.length,
    reference_rows: reference ? reference.rows : null,
    missing: profile.missing,
    duplicates: { count: duplicates, share: current.rows > 0 ? duplicates / current.rows : 0 },
    constant_columns: profile.constant,
    outliers: profile.outliers,
    schema_changes: reference ? await schemaChanges(conn, current, reference) : null,
    leakage: await leakage(conn, current, reference, options, leakageAuc),
    thresholds: { iqr_multiplier: iqrMultiplier, leakage_auc: leakageAuc },
  };
}

async function schemaChanges(
  conn: DuckDBConnection,
  current: LoadedTable,
  reference: LoadedTable,
): Promise<SchemaChanges> {
  const referenceKinds = new Map(reference.columns.map((c) => [c.name, c.kind]));
  const currentNames = new Set(current.columns.map((c) => c.name));
  const retyped: SchemaChanges['retyped_columns'] = [];
  const unseen: SchemaChanges['unseen_categories'] = {};
  for (const column of current.columns) {
    const referenceKind = referenceKinds.get(column.name);
    if (referenceKind === undefined) continue;
    if (referenceKind !== column.kind) {
      retyped.push({ column: column.name, reference_kind: referenceKind, current_kind: column.kind });
      continue;
    }
    if (column.kind !== 'categorical') continue;
    const expr = categoricalExpr(column.name);
    const [row] = await queryRows(
      conn,
      `WITH cur AS (SELECT v, count(*) AS c FROM (SELECT ${expr} AS v FROM ${current.table}) WHERE v IS NOT NULL GROUP BY v),
            ref AS (SELECT DISTINCT ${expr} AS v FROM ${reference.table})
       SELECT count(*) AS d, sum(c) AS r, list(v ORDER BY c DESC, v)[1:20] AS examples
       FROM cur WHERE NOT EXISTS (SELECT 1 FROM ref WHERE ref.v = cur.v)`,
    );
    const distinct = count(row?.d);
    if (distinct > 0) {
      const examples = Array.isArray(row?.examples) ? (row.examples as unknown[]).map(String) : [];
      unseen[column.name] = { distinct, rows: count(row?.r), examples };
    }
  }
  return {
    new_columns: current.columns.filter((c) => !referenceKinds.has(c.name)).map((c) => c.name),
    missing_columns: reference.columns.filter((c) => !currentNames.has(c.name)).map((c) => c.name),
    retyped_columns: retyped,
    unseen_categories: unseen,
  };
}

/** Chooses the positive label among exactly two label values; null when the label is not binary. */
function positiveOf(values: string[], requested: string | undefined): string | null {
  if (values.length !== 2) return null;
  if (requested !== undefined) return values.includes(requested) ? requested : null;
  const numeric = values.map(Number);
  if (numeric.every((v) => Number.isFinite(v)))
    return (numeric[0] as number) > (numeric[1] as number) ? (values[0] as string) : (values[1] as string);
  return [...values].sort()[1] as string;
}

async function leakage(
  conn: DuckDBConnection,
  current: LoadedTable,
  reference: LoadedTable | undefined,
  options: DataQualityOptions,
  threshold: number,
): Promise<Leakage> {
  const overlap = reference ? await rowsInReference(conn, current, reference) : null;
  const base: Leakage = {
    label: options.label ?? null,
    positive_label: null,
    feature_auc: {},
    suspicious_features: [],
    rows_in_reference: overlap,
    rows_in_reference_share: overlap === null ? null : current.rows > 0 ? overlap / current.rows : 0,
    note: null,
  };
  if (!options.label) return { ...base, note: 'no label: single-feature AUC not computed' };
  const label = categoricalExpr(options.label);
  const values = (
    await queryRows(conn, `SELECT DISTINCT ${label} AS y FROM ${current.table} WHERE ${label} IS NOT NULL`)
  ).map((r) => String(r.y));
  const positive = positiveOf(values, options.positiveLabel);
  if (positive === null) {
    return {
      ...base,
      note: `label has ${values.length} distinct values; single-feature AUC needs a binary label`,
    };
  }
  const features = (options.columns ?? current.columns).filter(
    (c) => c.kind === 'numeric' && c.name !== options.label,
  );
  const featureAuc: Record<string, number | null> = {};
  for (const feature of features) {
    const auc = await singleFeatureAuc(conn, current, feature.name, label, positive);
    featureAuc[feature.name] = auc === null ? null : Math.max(auc, 1 - auc);
  }
  const suspicious = Object.entries(featureAuc)
    .filter(([, auc]) => auc !== null && auc >= threshold)
    .map(([name]) => name);
  return { ...base, positive_label: positive, feature_auc: featureAuc, suspicious_features: suspicious };
}

/** ROC AUC of a feature's values as scores (ties count one half, as sklearn), by exact integer sums. */
async function singleFeatureAuc(
  conn: DuckDBConnection,
  table: LoadedTable,
  feature: string,
  label: string,
  positive: string,
): Promise<number | null> {
  const v = numericExpr(feature);
  // DuckDB counts positives and negatives per distinct value; the running sum is done here
  // because a global ORDER BY window is single-threaded in DuckDB and slow on many groups.
  const result = await conn.run(
    `SELECT CAST(count(*) FILTER (WHERE y = ${literal(positive)}) AS DOUBLE) AS p,
            CAST(count(*) FILTER (WHERE y <> ${literal(positive)}) AS DOUBLE) AS n
     FROM (SELECT ${v} AS v, ${label} AS y FROM ${table.table})
     WHERE y IS NOT NULL AND isfinite(v) GROUP BY v ORDER BY v`,
  );
  let below = 0;
  let twiceWins = 0;
  let pos = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const pv = chunk.getColumnVector(0) as unknown as { getItem(i: number): unknown };
    const nv = chunk.getColumnVector(1) as unknown as { getItem(i: number): unknown };
    for (let i = 0; i < chunk.rowCount; i++) {
      const p = pv.getItem(i) as number;
      const n = nv.getItem(i) as number;
      // integer arithmetic, exact below 2^53
      twiceWins += p * (2 * below + n);
      below += n;
      pos += p;
    }
  }
  const neg = below;
  if (pos === 0 || neg === 0) return null;
  return twiceWins / (2 * pos * neg);
}

/** Current rows equal (missing equal to missing) on every common column to some reference row. */
async function rowsInReference(
  conn: DuckDBConnection,
  current: LoadedTable,
  reference: LoadedTable,
): Promise<number> {
  const types = async (table: string) =>
    new Map(
      (await queryRows(conn, `DESCRIBE ${table}`)).map((r) => [String(r.column_name), String(r.column_type)]),
    );
  const currentTypes = await types(current.table);
  const referenceTypes = await types(reference.table);
  const common = current.columns.map((c) => c.name).filter((n) => referenceTypes.has(n));
  if (common.length === 0) return 0;
  // native types compare fastest; a column typed differently in the two files is compared as text
  const select = common
    .map((n, i) => {
      const same = currentTypes.get(n) === referenceTypes.get(n);
      return `${same ? ident(n) : `CAST(${ident(n)} AS VARCHAR)`} AS c${i}`;
    })
    .join(', ');
  const on = common.map((_, i) => `cur.c${i} IS NOT DISTINCT FROM ref.c${i}`).join(' AND ');
  const [row] = await queryRows(
    conn,
    `SELECT count(*) AS n FROM (SELECT ${select} FROM ${current.table}) cur
     SEMI JOIN (SELECT DISTINCT ${select} FROM ${reference.table}) ref ON ${on}`,
  );
  return count(row?.n);
}
