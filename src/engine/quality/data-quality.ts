import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataQualityResult, Leakage, SchemaChanges } from '../../contracts/validation-drift.ts';
import { categoricalExpr, count, ident, isIntegerType, isNumberType, queryRows } from '../drift/sql.ts';
import {
  LABEL_NEGATIVE,
  LABEL_POSITIVE,
  type LabelSpec,
  type NumericColumn,
} from '../scan/numeric-column.ts';
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
  /** Rows in the reference, when counted already (by referenceOverlap, before the reference table was dropped). */
  rowsInReference?: number;
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
    currentScan.setLabel(
      labelSpec(options.label, (await currentScan.columnTypes()).get(options.label), label.positive),
    );
  }
  // start the sorted numeric reads (their sorts run on a worker) and the reference's category
  // counts, then keep DuckDB busy with the row-level checks while the worker sorts
  currentScan.prefetchNumeric(current.columns.filter((c) => c.kind === 'numeric').map((c) => c.name));
  referenceScan?.prefetchCategories(
    reference?.columns.filter((c) => c.kind === 'categorical').map((c) => c.name) ?? [],
  );
  const known = options.rowsInReference;
  const checks = await rowChecks(conn, currentScan, known === undefined ? referenceScan : undefined);
  const duplicates = checks.duplicates;
  const overlap = known ?? checks.overlap;
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

/**
 * The label as read beside the numeric columns. An integer column is compared as a number: its
 * text is the canonical integer, so `label = 1` holds exactly when its text equals '1' (and no
 * value is blank), without turning every value into text.
 */
function labelSpec(label: string, type: string | undefined, positive: string): LabelSpec {
  if (isIntegerType(type) && /^-?(0|[1-9][0-9]{0,17})$/.test(positive)) {
    return { expr: ident(label), positive };
  }
  return { expr: categoricalExpr(label), positive };
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

/**
 * Duplicate rows and rows found in the reference, from 64-bit hashes of the rows: one pass hashes
 * every current row once and answers both "does any hash repeat" and "is any hash among the
 * reference's"; only when one does are the candidate rows compared column by column, so the
 * counts are exact.
 */
async function rowChecks(
  conn: DuckDBConnection,
  currentScan: TableScan,
  referenceScan: TableScan | undefined,
): Promise<{ duplicates: number; overlap: number | null }> {
  const current = currentScan.table;
  const allHash = `hash(${current.columns.map((c) => ident(c.name)).join(', ')})`;
  const common = referenceScan ? await commonColumns(currentScan, referenceScan) : null;
  // the overlap hash is the row hash itself when every column is shared with the same type
  const sameHash =
    common !== null &&
    common.length === current.columns.length &&
    common.every((c, i) => c.name === current.columns[i]?.name && c.expr === ident(c.name));
  const commonHash = common && `hash(${common.map((c) => c.expr).join(', ')})`;
  const overlapSql =
    referenceScan && common && common.length > 0
      ? `, (SELECT count(*) FROM c WHERE ${sameHash ? 'h' : 'o'} IN (SELECT ${commonHash} FROM ${referenceScan.table.table})) AS in_ref`
      : '';
  const [probe] = await queryRows(
    conn,
    `WITH c AS MATERIALIZED (SELECT ${allHash} AS h${overlapSql && !sameHash ? `, ${commonHash} AS o` : ''} FROM ${current.table})
     SELECT (SELECT count(*) - count(DISTINCT h) FROM c) AS repeats${overlapSql}`,
  );
  const duplicates = count(probe?.repeats) === 0 ? 0 : await duplicateRows(conn, current, allHash);
  let overlap: number | null = null;
  if (referenceScan && common) {
    overlap =
      common.length === 0 || count(probe?.in_ref) === 0
        ? 0
        : await rowsInReference(conn, currentScan, referenceScan, common);
  }
  return { duplicates, overlap };
}

/**
 * Current rows equal (missing equal to missing) on every common column to some reference row:
 * hashes find the candidates, which are then compared column by column.
 */
export async function referenceOverlap(
  conn: DuckDBConnection,
  currentScan: TableScan,
  referenceScan: TableScan,
): Promise<number> {
  const common = await commonColumns(currentScan, referenceScan);
  if (common.length === 0) return 0;
  const hash = `hash(${common.map((c) => c.expr).join(', ')})`;
  const [probe] = await queryRows(
    conn,
    `SELECT count(*) AS n FROM ${currentScan.table.table} WHERE ${hash} IN (SELECT ${hash} FROM ${referenceScan.table.table})`,
  );
  return count(probe?.n) === 0 ? 0 : rowsInReference(conn, currentScan, referenceScan, common);
}

/** Rows equal (missing equal to missing) to an earlier row, among the rows whose hash repeats. */
async function duplicateRows(conn: DuckDBConnection, table: LoadedTable, hash: string): Promise<number> {
  const repeated = `SELECT ${hash} AS h FROM ${table.table} GROUP BY h HAVING count(*) > 1`;
  const [row] = await queryRows(
    conn,
    `WITH cand AS (SELECT * FROM ${table.table} WHERE ${hash} IN (${repeated}))
     SELECT (SELECT count(*) FROM cand) - (SELECT count(*) FROM (SELECT DISTINCT * FROM cand)) AS n`,
  );
  return count(row?.n);
}

/** A column both tables have, as the expression that makes its values comparable across them. */
interface CommonColumn {
  name: string;
  expr: string;
}

/**
 * The columns the current data shares with the reference, in the current order: native types
 * compare fastest; numbers typed differently compare as doubles, anything else as text.
 */
async function commonColumns(currentScan: TableScan, referenceScan: TableScan): Promise<CommonColumn[]> {
  const currentTypes = await currentScan.columnTypes();
  const referenceTypes = await referenceScan.columnTypes();
  return currentScan.table.columns
    .map((c) => c.name)
    .filter((n) => referenceTypes.has(n))
    .map((n) => {
      const a = currentTypes.get(n) ?? '';
      const b = referenceTypes.get(n) ?? '';
      const expr =
        a === b
          ? ident(n)
          : isNumberType(a) && isNumberType(b)
            ? `CAST(${ident(n)} AS DOUBLE)`
            : `CAST(${ident(n)} AS VARCHAR)`;
      return { name: n, expr };
    });
}

/**
 * Current rows equal (missing equal to missing) on every common column to some reference row,
 * among the rows whose hash is also a reference row's hash.
 */
async function rowsInReference(
  conn: DuckDBConnection,
  currentScan: TableScan,
  referenceScan: TableScan,
  common: CommonColumn[],
): Promise<number> {
  const current = currentScan.table;
  const reference = referenceScan.table;
  const select = common.map((c, i) => `${c.expr} AS c${i}`).join(', ');
  const hash = `hash(${common.map((_, i) => `c${i}`).join(', ')})`;
  const hashed = (table: string) => `(SELECT *, ${hash} AS __h FROM (SELECT ${select} FROM ${table}))`;
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
