import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataQualityResult, Leakage, SchemaChanges } from '../../contracts/validation-drift.ts';
import { count, ident, isNumberType, numericExpr, queryRows } from '../duckdb/sql.ts';
import { LABEL_NEGATIVE, LABEL_POSITIVE, labelSpecOf, type NumericColumn } from '../scan/numeric-column.ts';
import {
  hasRepeat,
  queriesDispatched,
  type SortedHashes,
  shareAHash,
  sortHashes,
} from '../scan/row-hashes.ts';
import { TableScan } from '../scan/table-scan.ts';
import type { ColumnInfo, LoadedTable } from '../table.ts';
import {
  type CategoryLabelCount,
  categoryLabelCounts,
  categoryLabelSql,
  targetRateAuc,
} from './categorical-leakage.ts';
import { missingCounts, profileColumns } from './column-profile.ts';
import { hashedColumns } from './hashed-columns.ts';

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

/**
 * What data quality learns from the current data alone, while its table exists: everything but
 * the comparison with the reference (schema changes, rows found in the reference).
 */
export interface CurrentQuality {
  /** Resolves once the numeric sorts it needs are done (the table itself is no longer needed). */
  result: Promise<Omit<DataQualityResult, 'reference_rows' | 'schema_changes'>>;
  /**
   * The sorted hashes of every current row, kept for the overlap with a reference loaded later
   * (see referenceOverlap); null unless asked for.
   */
  rowHashes: SortedHashes | null;
}

/**
 * Data quality of the current data: missing values, duplicates, constant columns, outliers and
 * single-feature leakage. With `keepRowHashes` the sorted row hashes are kept for
 * referenceOverlap.
 */
export async function currentDataQuality(
  conn: DuckDBConnection,
  currentScan: TableScan,
  options: Omit<DataQualityOptions, 'scans'> & { keepRowHashes?: boolean } = {},
): Promise<CurrentQuality> {
  const current = currentScan.table;
  const iqrMultiplier = options.iqrMultiplier ?? DEFAULT_IQR_MULTIPLIER;
  const leakageAuc = options.leakageAuc ?? DEFAULT_LEAKAGE_AUC;
  const numeric = current.columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
  const labelColumn = options.label ? current.columns.find((c) => c.name === options.label) : undefined;
  const types = await currentScan.columnTypes();
  // the row hashes ride along with the first numeric read (validate may have planned it earlier)
  currentScan.planRowHashes(await rowHash(currentScan));
  // The label is read beside each numeric column for the single-feature AUC. With the positive
  // label known (from the scored rows), the sorted numeric reads start first, so that the worker
  // sorts while DuckDB runs the other checks.
  if (labelColumn && options.positiveLabel !== undefined) {
    currentScan.setLabel(labelSpecOf(labelColumn, types.get(labelColumn.name), options.positiveLabel));
    currentScan.prefetchNumeric(numeric);
    // the categories are counted by label class in the same pass (categorical leakage)
    currentScan.countByLabel(categoryLabelSql(labelColumn, options.positiveLabel));
  }
  // one query counts the categories of every text column and of the label
  currentScan.prefetchCategories([
    ...current.columns.filter((c) => c.kind === 'categorical').map((c) => c.name),
    ...(labelColumn ? [labelColumn.name] : []),
  ]);
  const label = labelColumn ? await binaryLabel(currentScan, labelColumn, options.positiveLabel) : null;
  if (labelColumn && label?.positive && options.positiveLabel === undefined) {
    currentScan.setLabel(labelSpecOf(labelColumn, types.get(labelColumn.name), label.positive));
  }
  currentScan.prefetchNumeric(numeric);
  // the text features' category counts by label class (categorical leakage), while the table exists
  const categoryCounts =
    labelColumn && label?.positive
      ? await categoryLabelCounts(
          currentScan,
          leakageFeatures(current, options)
            .filter((c) => c.kind === 'categorical')
            .map((c) => c.name),
          labelColumn,
          label.positive,
        )
      : new Map<string, CategoryLabelCount[]>();
  // the row hashes are read, then sorted here while DuckDB counts the missing values
  const hashes = await currentScan.rowHashes(await rowHash(currentScan));
  const missingQuery = missingCounts(currentScan);
  await queriesDispatched();
  const rows = await rowChecks(conn, currentScan, sortHashes(hashes));
  const missing = await missingQuery;
  // every query of the table is done: the rest waits only for the sorts and runs in JS, while the
  // caller may go on (drop the table, load the next)
  const result = (async (): Promise<Awaited<CurrentQuality['result']>> => {
    const profile = await profileColumns(currentScan, missing, iqrMultiplier);
    return {
      rows: current.rows,
      columns: current.columns.length,
      missing: profile.missing,
      duplicates: {
        count: rows.duplicates,
        share: current.rows > 0 ? rows.duplicates / current.rows : 0,
      },
      constant_columns: profile.constant,
      outliers: profile.outliers,
      leakage: await leakage(currentScan, options, label, leakageAuc, categoryCounts),
      thresholds: { iqr_multiplier: iqrMultiplier, leakage_auc: leakageAuc },
    };
  })();
  // a failure surfaces where the result is awaited
  result.catch(() => {});
  return { result, rowHashes: options.keepRowHashes ? rows.hashes : null };
}

/**
 * The data quality document: the current data's own quality, and with a reference its schema
 * changes and the current rows found in it (`overlap`, from referenceOverlap).
 */
export async function withReference(
  quality: CurrentQuality,
  currentScan: TableScan,
  reference: { scan: TableScan; overlap: number } | undefined,
): Promise<DataQualityResult> {
  const result = await quality.result;
  const overlap = reference ? reference.overlap : null;
  const rows = currentScan.table.rows;
  return {
    ...result,
    reference_rows: reference ? reference.scan.table.rows : null,
    schema_changes: reference ? await schemaChanges(currentScan, reference.scan) : null,
    leakage: {
      ...result.leakage,
      rows_in_reference: overlap,
      rows_in_reference_share: overlap === null ? null : rows > 0 ? overlap / rows : 0,
    },
  };
}

/** Data quality of the current data, and its schema and overlap against the reference when given. */
export async function computeDataQuality(
  conn: DuckDBConnection,
  current: LoadedTable,
  reference: LoadedTable | undefined,
  options: DataQualityOptions = {},
): Promise<DataQualityResult> {
  const currentScan = options.scans?.current ?? new TableScan(conn, current);
  const referenceScan = reference ? (options.scans?.reference ?? new TableScan(conn, reference)) : undefined;
  const quality = await currentDataQuality(conn, currentScan, options);
  if (!referenceScan) return withReference(quality, currentScan, undefined);
  const overlap = await referenceOverlap(conn, currentScan, referenceScan, null);
  return withReference(quality, currentScan, { scan: referenceScan, overlap });
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
 * Chooses the positive label among exactly two label values (their text); null when the label
 * is not binary. The requested value must be one of them (numerically for a numeric label);
 * by default, as for the scored rows, 1 when a numeric label has it, else the greater value.
 */
function positiveOf(values: string[], requested: string | undefined, numeric: boolean): string | null {
  if (values.length !== 2) return null;
  const same = (v: string, w: string) => (numeric ? Number(v) === Number(w) : v === w);
  if (requested !== undefined) return values.some((v) => same(v, requested)) ? requested : null;
  if (numeric) {
    const [a, b] = values.map(Number) as [number, number];
    if (a === 1 || b === 1) return a === 1 ? (values[0] as string) : (values[1] as string);
    return a > b ? (values[0] as string) : (values[1] as string);
  }
  return [...values].sort()[1] as string;
}

/** The label's distinct values and, when it has exactly two, the positive one. */
async function binaryLabel(
  scan: TableScan,
  label: ColumnInfo,
  requested: string | undefined,
): Promise<{ values: string[]; positive: string | null }> {
  const { values } = await scan.categories(label.name);
  return { values, positive: positiveOf(values, requested, label.kind === 'numeric') };
}

/** The features checked for leakage: the given columns (or all), never the label. */
function leakageFeatures(current: LoadedTable, options: DataQualityOptions): ColumnInfo[] {
  return (options.columns ?? current.columns).filter((c) => c.name !== options.label);
}

async function leakage(
  scan: TableScan,
  options: DataQualityOptions,
  label: { values: string[]; positive: string | null } | null,
  threshold: number,
  categoryCounts: Map<string, CategoryLabelCount[]>,
): Promise<Leakage> {
  const current = scan.table;
  const base: Leakage = {
    label: options.label ?? null,
    positive_label: null,
    feature_auc: {},
    suspicious_features: [],
    // filled in by withReference
    rows_in_reference: null,
    rows_in_reference_share: null,
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
  const featureAuc: Record<string, number | null> = {};
  for (const feature of leakageFeatures(current, options)) {
    // a text feature: the AUC of its categories' target rates (src/engine/quality/categorical-leakage.ts)
    const counts = feature.kind === 'categorical' ? categoryCounts.get(feature.name) : undefined;
    if (feature.kind === 'categorical' && !counts) continue;
    const auc = counts ? targetRateAuc(counts) : singleFeatureAuc(await scan.numeric(feature.name, true));
    featureAuc[feature.name] = auc === null ? null : Math.max(auc, 1 - auc);
  }
  const suspicious = Object.entries(featureAuc)
    .filter(([, auc]) => auc !== null && auc >= threshold)
    .map(([name]) => name);
  const undefinedAuc = Object.entries(featureAuc)
    .filter(([, auc]) => auc === null)
    .map(([name]) => name);
  return {
    ...base,
    positive_label: positive,
    feature_auc: featureAuc,
    suspicious_features: suspicious,
    note:
      undefinedAuc.length > 0
        ? `feature_auc is null for ${undefinedAuc.join(', ')}: the rows with a value hold one label class only (AUC undefined)`
        : null,
  };
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
 * Duplicate rows, from 64-bit hashes of the rows (read and sorted by readRowHashes): only when a
 * hash repeats are the candidate rows compared column by column, so the count is exact.
 */
async function rowChecks(
  conn: DuckDBConnection,
  currentScan: TableScan,
  hashes: SortedHashes,
): Promise<{ duplicates: number; hashes: SortedHashes }> {
  const current = currentScan.table;
  const types = await currentScan.columnTypes();
  const duplicates = hasRepeat(hashes)
    ? await duplicateRows(conn, current, await rowHash(currentScan), comparedColumns(current, types))
    : 0;
  return { duplicates, hashes };
}

/**
 * A column as rows are compared (duplicates, overlap): in a numeric column a NaN is missing and
 * equal to a blank (NULL), as pandas reads both as NaN and `duplicated()` counts NaN equal to NaN.
 */
function comparedExpr(column: ColumnInfo, type: string | undefined): string {
  const c = ident(column.name);
  if (type === 'DOUBLE' || type === 'FLOAT') return nanIsNull(c);
  // a numeric column stored as text is compared by its numbers, as pandas parses it
  if (column.kind === 'numeric' && !isNumberType(type)) return nanIsNull(numericExpr(column.name));
  return c;
}

function nanIsNull(value: string): string {
  return `CASE WHEN isnan(${value}) THEN NULL ELSE ${value} END`;
}

/** Every column of the table as rows are compared, in order. */
function comparedColumns(table: LoadedTable, types: Map<string, string>): string[] {
  return table.columns.map((c) => comparedExpr(c, types.get(c.name)));
}

/**
 * Plans the current rows' hashes (duplicates, overlap) to be read with the table's first numeric
 * read (TableScan.planRowHashes): call it before anything reads numeric columns.
 */
export async function planRowHashes(currentScan: TableScan): Promise<void> {
  currentScan.planRowHashes(await rowHash(currentScan));
}

/**
 * Plans the reference rows' hashes that referenceOverlap compares with the current ones kept
 * from data quality, to be read with the reference's first numeric read; nothing when it will
 * not read them (the two tables' columns or types differ).
 */
export async function planOverlapHashes(currentScan: TableScan, referenceScan: TableScan): Promise<void> {
  const hash = await overlapHash(currentScan, referenceScan);
  if (hash !== null) referenceScan.planRowHashes(hash);
}

/**
 * The hash referenceOverlap reads the reference rows' hashes with when it merges them with the
 * current rows' own (every column shared, with the same types), else null.
 */
async function overlapHash(currentScan: TableScan, referenceScan: TableScan): Promise<string | null> {
  const common = await commonColumns(currentScan, referenceScan);
  if (common.length === 0) return null;
  const current = currentScan.table;
  const own = comparedColumns(current, await currentScan.columnTypes());
  const sameHash =
    common.length === current.columns.length &&
    common.every((c, i) => c.name === current.columns[i]?.name && c.expr === own[i]);
  if (!sameHash) return null;
  // the same columns as the current rows' own hash (rowHash)
  const hashed = await hashedColumns(currentScan);
  return `hash(${common
    .filter((c) => hashed.has(c.name))
    .map((c) => c.expr)
    .join(', ')})`;
}

/**
 * The hash of a row of the table (its hashed columns in order, as rows are compared): equal rows
 * hash equal; only candidates, see hashedColumns.
 */
async function rowHash(scan: TableScan): Promise<string> {
  const types = await scan.columnTypes();
  const hashed = await hashedColumns(scan);
  return `hash(${scan.table.columns
    .filter((c) => hashed.has(c.name))
    .map((c) => comparedExpr(c, types.get(c.name)))
    .join(', ')})`;
}

/**
 * Current rows equal (missing equal to missing) on every common column to some reference row:
 * hashes find the candidates, which are then compared column by column. `currentHashes` (from
 * currentDataQuality's keepRowHashes) spares hashing the current rows again when both tables have
 * the same columns with the same types; the current rows are read (from the file, once its table
 * is dropped) only to compare candidates.
 */
export async function referenceOverlap(
  conn: DuckDBConnection,
  currentScan: TableScan,
  referenceScan: TableScan,
  currentHashes: SortedHashes | null,
): Promise<number> {
  const common = await commonColumns(currentScan, referenceScan);
  if (common.length === 0) return 0;
  const hash = `hash(${common.map((c) => c.expr).join(', ')})`;
  // the current rows' own hash, when every column is shared with the same type
  const sameHash = await overlapHash(currentScan, referenceScan);
  let candidates: boolean;
  if (currentHashes !== null && sameHash !== null) {
    // the reference rows' hashes, sorted, merged with the current ones kept from data quality
    // (read with its numeric columns when planned: planOverlapHashes)
    const referenceHashes = await referenceScan.rowHashes(sameHash);
    candidates = shareAHash(currentHashes, sortHashes(referenceHashes));
  } else {
    const [probe] = await queryRows(
      conn,
      `SELECT count(*) AS n FROM ${currentScan.from()} WHERE ${hash} IN (SELECT ${hash} FROM ${referenceScan.from()})`,
    );
    candidates = count(probe?.n) > 0;
  }
  return candidates ? rowsInReference(conn, currentScan, referenceScan, common) : 0;
}

/** Rows equal (missing equal to missing) to an earlier row, among the rows whose hash repeats. */
async function duplicateRows(
  conn: DuckDBConnection,
  table: LoadedTable,
  hash: string,
  compared: string[],
): Promise<number> {
  const repeated = `SELECT ${hash} AS h FROM ${table.table} GROUP BY 1 HAVING count(*) > 1`;
  const select = compared.map((e, i) => `${e} AS c${i}`).join(', ');
  const [row] = await queryRows(
    conn,
    `WITH cand AS (SELECT ${select} FROM ${table.table} WHERE ${hash} IN (${repeated}))
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
      // NaN equals a blank (NULL) in a number column, as in duplicates
      const expr =
        a === b
          ? a === 'DOUBLE' || a === 'FLOAT'
            ? nanIsNull(ident(n))
            : ident(n)
          : isNumberType(a) && isNumberType(b)
            ? nanIsNull(`CAST(${ident(n)} AS DOUBLE)`)
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
  const select = common.map((c, i) => `${c.expr} AS c${i}`).join(', ');
  const hash = `hash(${common.map((_, i) => `c${i}`).join(', ')})`;
  const hashed = (scan: TableScan) =>
    `(SELECT *, ${hash} AS __h FROM (SELECT ${select} FROM ${scan.from()}))`;
  const on = common.map((_, i) => `cur.c${i} IS NOT DISTINCT FROM ref.c${i}`).join(' AND ');
  const [row] = await queryRows(
    conn,
    `WITH rh AS (SELECT DISTINCT __h FROM ${hashed(referenceScan)}),
          cur AS (SELECT * FROM ${hashed(currentScan)} WHERE __h IN (SELECT __h FROM rh)),
          ref AS (SELECT DISTINCT * FROM ${hashed(referenceScan)} WHERE __h IN (SELECT __h FROM cur))
     SELECT count(*) AS n FROM cur SEMI JOIN ref ON cur.__h = ref.__h AND ${on}`,
  );
  return count(row?.n);
}
