import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataQualityResult, Leakage, SchemaChanges } from '../../contracts/validation-drift.ts';
import { categoricalExpr, count, ident, queryRows } from '../drift/sql.ts';
import { LABEL_NEGATIVE, LABEL_POSITIVE, type NumericColumn } from '../scan/numeric-column.ts';
import { TableScan } from '../scan/table-scan.ts';
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
  /** Scans shared with drift (created here when absent). */
  scans?: { current: TableScan; reference?: TableScan };
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
  const currentScan = options.scans?.current ?? new TableScan(conn, current);
  const referenceScan = reference ? (options.scans?.reference ?? new TableScan(conn, reference)) : undefined;
  // one grouped scan counts the categories of every text column and of the label
  currentScan.prefetchCategories([
    ...current.columns.filter((c) => c.kind === 'categorical').map((c) => c.name),
    ...(options.label ? [options.label] : []),
  ]);
  // the label is read beside each numeric column for the single-feature AUC
  const label = options.label ? await binaryLabel(currentScan, options.label, options.positiveLabel) : null;
  if (label?.positive !== undefined && label.positive !== null && options.label) {
    currentScan.setLabel({ expr: categoricalExpr(options.label), positive: label.positive });
  }
  const profile = await profileColumns(currentScan, iqrMultiplier);
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
    schema_changes: referenceScan ? await schemaChanges(currentScan, referenceScan) : null,
    leakage: await leakage(conn, currentScan, reference, options, label, leakageAuc),
    thresholds: { iqr_multiplier: iqrMultiplier, leakage_auc: leakageAuc },
  };
}

async function schemaChanges(currentScan: TableScan, referenceScan: TableScan): Promise<SchemaChanges> {
  const current = currentScan.table;
  const reference = referenceScan.table;
  const referenceKinds = new Map(reference.columns.map((c) => [c.name, c.kind]));
  const currentNames = new Set(current.columns.map((c) => c.name));
  const retyped: SchemaChanges['retyped_columns'] = [];
  const unseen: SchemaChanges['unseen_categories'] = {};
  const categorical = current.columns.filter(
    (c) => c.kind === 'categorical' && referenceKinds.get(c.name) === 'categorical',
  );
  referenceScan.prefetchCategories(categorical.map((c) => c.name));
  for (const column of current.columns) {
    const referenceKind = referenceKinds.get(column.name);
    if (referenceKind === undefined) continue;
    if (referenceKind !== column.kind) {
      retyped.push({ column: column.name, reference_kind: referenceKind, current_kind: column.kind });
      continue;
    }
    if (column.kind !== 'categorical') continue;
    const cur = await currentScan.categories(column.name);
    const seen = new Set((await referenceScan.categories(column.name)).values);
    const found: { v: string; c: number }[] = [];
    cur.values.forEach((v, i) => {
      if (!seen.has(v)) found.push({ v, c: cur.counts[i] as number });
    });
    if (found.length > 0) {
      // most frequent first, then by value (the values arrive in DuckDB's order; the sort is stable)
      found.sort((a, b) => b.c - a.c);
      unseen[column.name] = {
        distinct: found.length,
        rows: found.reduce((s, f) => s + f.c, 0),
        examples: found.slice(0, 20).map((f) => f.v),
      };
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

/** The label's distinct values and, when it has exactly two, the positive one. */
async function binaryLabel(
  scan: TableScan,
  label: string,
  requested: string | undefined,
): Promise<{ values: string[]; positive: string | null }> {
  const { values } = await scan.categories(label);
  return { values, positive: positiveOf(values, requested) };
}

async function leakage(
  conn: DuckDBConnection,
  scan: TableScan,
  reference: LoadedTable | undefined,
  options: DataQualityOptions,
  label: { values: string[]; positive: string | null } | null,
  threshold: number,
): Promise<Leakage> {
  const current = scan.table;
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
  if (!options.label || !label) return { ...base, note: 'no label: single-feature AUC not computed' };
  const positive = label.positive;
  if (positive === null) {
    return {
      ...base,
      note: `label has ${label.values.length} distinct values; single-feature AUC needs a binary label`,
    };
  }
  const features = (options.columns ?? current.columns).filter(
    (c) => c.kind === 'numeric' && c.name !== options.label,
  );
  const featureAuc: Record<string, number | null> = {};
  for (const feature of features) {
    const auc = singleFeatureAuc(await scan.numeric(feature.name, true));
    featureAuc[feature.name] = auc === null ? null : Math.max(auc, 1 - auc);
  }
  const suspicious = Object.entries(featureAuc)
    .filter(([, auc]) => auc !== null && auc >= threshold)
    .map(([name]) => name);
  return { ...base, positive_label: positive, feature_auc: featureAuc, suspicious_features: suspicious };
}

/**
 * ROC AUC of a feature's values as scores (ties count one half, as sklearn), by exact integer
 * sums over the sorted values with their label classes; rows without a label are left out.
 */
function singleFeatureAuc(column: NumericColumn): number | null {
  const values = column.sample.values;
  const labels = column.labels;
  if (!labels) return null;
  let below = 0;
  let twiceWins = 0;
  let pos = 0;
  let i = 0;
  while (i < values.length) {
    const v = values[i] as number;
    let p = 0;
    let n = 0;
    for (; i < values.length && values[i] === v; i++) {
      const y = labels[i] as number;
      if (y === LABEL_POSITIVE) p++;
      else if (y === LABEL_NEGATIVE) n++;
    }
    // integer arithmetic, exact below 2^53
    twiceWins += p * (2 * below + n);
    below += n;
    pos += p;
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
