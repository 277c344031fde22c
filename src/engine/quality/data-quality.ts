import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataQualityResult, Leakage, SchemaChanges } from '../../contracts/validation-drift.ts';
import { categoricalExpr, count, ident, isNumberType, queryRows } from '../drift/sql.ts';
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
  // start the sorted numeric reads (their sorts run on a worker) and the reference's category
  // counts, then keep DuckDB busy with the row-level checks while the worker sorts
  currentScan.prefetchNumeric(current.columns.filter((c) => c.kind === 'numeric').map((c) => c.name));
  referenceScan?.prefetchCategories(
    reference?.columns.filter((c) => c.kind === 'categorical').map((c) => c.name) ?? [],
  );
  const duplicates = await duplicateRows(conn, current);
  const overlap = referenceScan ? await rowsInReference(conn, currentScan, referenceScan) : null;
  const profile = await profileColumns(currentScan, iqrMultiplier);
  return {
    rows: current.rows,
    columns: current.columns.length,
    reference_rows: reference ? reference.rows : null,
    missing: profile.missing,
    duplicates: { count: duplicates, share: current.rows > 0 ? duplicates / current.rows : 0 },
    constant_columns: profile.constant,
    outliers: profile.outliers,
    schema_changes: referenceScan ? await schemaChanges(currentScan, referenceScan) : null,
    leakage: await leakage(currentScan, overlap, options, label, leakageAuc),
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
  scan: TableScan,
  overlap: number | null,
  options: DataQualityOptions,
  label: { values: string[]; positive: string | null } | null,
  threshold: number,
): Promise<Leakage> {
  const current = scan.table;
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
/**
 * Rows equal (missing equal to missing) to an earlier row. A 64-bit hash of every row finds the
 * candidates in one cheap pass; only rows whose hash repeats are then compared column by column,
 * so the count is exact.
 */
async function duplicateRows(conn: DuckDBConnection, table: LoadedTable): Promise<number> {
  const hash = `hash(${table.columns.map((c) => ident(c.name)).join(', ')})`;
  const repeated = `SELECT ${hash} AS h FROM ${table.table} GROUP BY h HAVING count(*) > 1`;
  const [any] = await queryRows(conn, `SELECT count(*) AS n FROM (${repeated})`);
  if (count(any?.n) === 0) return 0;
  const [row] = await queryRows(
    conn,
    `WITH cand AS (SELECT * FROM ${table.table} WHERE ${hash} IN (${repeated}))
     SELECT (SELECT count(*) FROM cand) - (SELECT count(*) FROM (SELECT DISTINCT * FROM cand)) AS n`,
  );
  return count(row?.n);
}

/**
 * Current rows equal (missing equal to missing) on every common column to some reference row.
 * Hashes of the rows pick the candidates; the candidates are then compared column by column.
 */
async function rowsInReference(
  conn: DuckDBConnection,
  currentScan: TableScan,
  referenceScan: TableScan,
): Promise<number> {
  const current = currentScan.table;
  const reference = referenceScan.table;
  const currentTypes = await currentScan.columnTypes();
  const referenceTypes = await referenceScan.columnTypes();
  const common = current.columns.map((c) => c.name).filter((n) => referenceTypes.has(n));
  if (common.length === 0) return 0;
  // native types compare fastest; numbers typed differently compare as doubles, anything else as text
  const select = common
    .map((n, i) => {
      const a = currentTypes.get(n) ?? '';
      const b = referenceTypes.get(n) ?? '';
      const expr =
        a === b
          ? ident(n)
          : isNumberType(a) && isNumberType(b)
            ? `CAST(${ident(n)} AS DOUBLE)`
            : `CAST(${ident(n)} AS VARCHAR)`;
      return `${expr} AS c${i}`;
    })
    .join(', ');
  const hash = `hash(${common.map((_, i) => `c${i}`).join(', ')})`;
  const hashed = (table: string) => `(SELECT *, ${hash} AS __h FROM (SELECT ${select} FROM ${table}))`;
  const [any] = await queryRows(
    conn,
    `SELECT count(*) AS n FROM ${hashed(current.table)} WHERE __h IN (SELECT __h FROM ${hashed(reference.table)})`,
  );
  if (count(any?.n) === 0) return 0;
  const on = common.map((_, i) => `cur.c${i} IS NOT DISTINCT FROM ref.c${i}`).join(' AND ');
  const [row] = await queryRows(
    conn,
    `WITH rh AS (SELECT DISTINCT __h FROM ${hashed(reference.table)}),
          cur AS (SELECT * FROM ${hashed(current.table)} WHERE __h IN (SELECT __h FROM rh)),
          ref AS (SELECT DISTINCT * FROM ${hashed(reference.table)} WHERE __h IN (SELECT __h FROM cur))
     SELECT count(*) AS n FROM cur SEMI JOIN ref ON cur.__h = ref.__h AND ${on}`,
  );
  return count(row?.n);
}
