import type { DuckDBConnection } from '@duckdb/node-api';
import {
  categoricalExpr,
  columnTypes,
  count,
  exclusive,
  ident,
  queryRows,
  returnFreedMemory,
  typedNumericExpr,
} from '../duckdb/sql.ts';
import type { LoadedTable } from '../table.ts';
import {
  type LabelSpec,
  type NumericColumn,
  type NumericMissing,
  readNumericColumns,
} from './numeric-column.ts';
import { readRowHashes } from './row-hashes.ts';
import { SortPool } from './sort-pool.ts';

/** Columns whose categories are counted in one query. */
const CATEGORY_BATCH = 30;

/** Rows and positive rows of one category of a column (rows without a label value left out). */
export interface CategoryLabelCount {
  rows: number;
  positives: number;
}

/**
 * The label's classes as SQL over the label's raw value aliased `__l`: `present` when the row has
 * a label value, `positive` when that value is the positive class.
 */
export interface CategoryLabelSql {
  column: string;
  present: string;
  positive: string;
}

/** A text column's missing values as counted with its categories: NULL, and blank text. */
export interface CategoryMissing {
  null: number;
  blank: number;
}

/** The non-missing values of a column as text with their counts, in DuckDB's (byte) order. */
export interface CategoryCounts {
  values: string[];
  counts: number[];
  /** Sum of counts: the non-missing rows. */
  total: number;
}

/**
 * Reads the columns of one loaded table once for every analysis that needs them: data quality,
 * drift and leakage share the sorted numeric samples and the category counts instead of each
 * scanning the table again. Results are cached until released.
 */
export class TableScan {
  private types: Promise<Map<string, string>> | undefined;
  private readonly numericCache = new Map<string, Promise<NumericColumn>>();
  private readonly categoryCache = new Map<string, Promise<CategoryCounts>>();
  private readonly categoryLabelCache = new Map<string, Promise<CategoryLabelCount[]>>();
  private readonly numericMissingCache = new Map<string, Promise<NumericMissing>>();
  private readonly categoryMissingCache = new Map<string, Promise<CategoryMissing>>();
  private categoryLabel: CategoryLabelSql | undefined;
  private label: LabelSpec | undefined;
  /** Set once everything needed was read and the table may be dropped (see detach). */
  private detached = false;
  /** Numeric reads started, to wait for before the table is dropped. */
  private readonly reads: Promise<unknown>[] = [];
  /** Row hashes to read with the next numeric read (planRowHashes), and the read that has them. */
  private hashPlan: { expr: string; read?: Promise<BigUint64Array | null> } | undefined;

  constructor(
    readonly conn: DuckDBConnection,
    readonly table: LoadedTable,
    private readonly sorter: SortPool = new SortPool(),
  ) {}

  /** DuckDB column types of the table. */
  columnTypes(): Promise<Map<string, string>> {
    this.types ??= columnTypes(this.conn, this.table.table);
    return this.types;
  }

  /**
   * Reads the label beside every numeric column from now on (for single-feature AUC); set it
   * before the first numeric read, or columns already read are read again when asked with labels.
   */
  setLabel(label: LabelSpec): void {
    this.label = label;
  }

  /**
   * The sorted finite values of a numeric column, with their label classes when a label is set.
   * `needLabels` re-reads a column that was read before the label was set.
   */
  numeric(column: string, needLabels = false): Promise<NumericColumn> {
    const cached = this.numericCache.get(column);
    if (cached) {
      const label = this.label;
      if (!needLabels || label === undefined) return cached;
      return cached.then((c) =>
        c.labels ? c : this.readNumeric([column]).then((r) => r.sorted[0] as Promise<NumericColumn>),
      );
    }
    this.prefetchNumeric([column]);
    return this.numericCache.get(column) as Promise<NumericColumn>;
  }

  /** Reads several numeric columns in one pass over the table (columns already read are skipped). */
  prefetchNumeric(columns: string[]): void {
    const todo = [...new Set(columns)].filter((c) => !this.numericCache.has(c));
    if (todo.length === 0) return;
    const all = this.readNumeric(todo);
    todo.forEach((column, i) => {
      // each column is ready when its own sort is done
      const entry = all.then((r) => r.sorted[i] as Promise<NumericColumn>);
      // a failure surfaces where the column is asked for; one never asked for is not unhandled
      entry.catch(() => {});
      this.numericCache.set(column, entry);
      // its missing values are known as soon as it is read
      const missing = all.then((r) => r.missing[i] as NumericMissing);
      missing.catch(() => {});
      this.numericMissingCache.set(column, missing);
    });
    // a failure surfaces through each column's promise; do not leave it unhandled here
    all.then(
      (r) => {
        for (const sort of r.sorted) sort.catch(() => {});
      },
      () => {},
    );
  }

  /**
   * The NULL, NaN and infinite values of a numeric column, counted when it was read (resolves
   * once DuckDB has delivered it, before its sort); undefined when it has not been read.
   */
  numericMissing(column: string): Promise<NumericMissing> | undefined {
    return this.numericMissingCache.get(column);
  }

  /**
   * The NULL and blank values of a column, counted with its categories (for a text column:
   * missing values as data quality counts them); undefined when its categories were not counted.
   */
  categoryMissing(column: string): Promise<CategoryMissing> | undefined {
    return this.categoryMissingCache.get(column);
  }

  /**
   * Reads the rows' hashes `expr` (a SQL `hash(...)` over the row) in the same pass as the next
   * numeric read, instead of a pass of their own; rowHashes(expr) then takes them. Without a
   * numeric read before rowHashes is asked, they are read alone as before.
   */
  planRowHashes(expr: string): void {
    if (this.hashPlan?.expr === expr) return;
    this.hashPlan = { expr };
  }

  /**
   * The hashes `expr` of every row, in no particular order (the caller sorts them in place): from
   * the numeric read that carried them (planRowHashes), else read now in a pass of their own.
   * Each planned read is taken once.
   */
  async rowHashes(expr: string): Promise<BigUint64Array> {
    const plan = this.hashPlan;
    if (plan?.expr === expr && plan.read) {
      this.hashPlan = undefined;
      const read = await plan.read;
      if (read) return read;
    }
    return readRowHashes(this.conn, this.from(), expr, this.table.rows);
  }

  /** Every numeric read of the table goes through here. */
  private readNumeric(columns: string[]): ReturnType<typeof readNumericColumns> {
    const label = this.label;
    // planned row hashes ride along with the first numeric read after the plan
    const plan = this.hashPlan && !this.hashPlan.read ? this.hashPlan : undefined;
    // resolves once DuckDB has delivered the values (their sorts may still be running)
    const read = (async () => {
      const types = await this.columnTypes();
      return readNumericColumns(
        this.conn,
        this.from(),
        columns.map((c) => typedNumericExpr(c, types.get(c))),
        this.table.rows,
        label,
        this.sorter,
        plan?.expr,
      );
    })();
    if (plan) {
      plan.read = read.then((r) => r.hashes);
      // a failure surfaces where the hashes are taken (rowHashes)
      plan.read.catch(() => {});
    }
    this.reads.push(read.catch(() => undefined));
    return read;
  }

  /** Forgets a column's numeric sample (frees its memory); a detached scan keeps everything. */
  release(column: string): void {
    if (!this.detached) this.numericCache.delete(column);
  }

  /**
   * Reads these numeric columns, these columns' category counts and the column types now, and
   * from then on answers from them, so that the table itself can be dropped (resolves when DuckDB
   * has delivered everything; numeric sorts may still run on the worker). The table's other
   * columns are dropped before the numeric values are read: call it when the table is no longer
   * needed otherwise. Anything else asked afterwards is read from the file again
   * (`table.source`): exact, but a whole new parse, so callers detach with everything they expect
   * to need.
   */
  async detach(numeric: string[], categorical: string[]): Promise<void> {
    this.prefetchCategories(categorical);
    await Promise.all([this.columnTypes(), ...categorical.map((c) => this.categoryCache.get(c))]);
    const toRead = [...new Set(numeric)].filter((c) => !this.numericCache.has(c));
    // (a view of a file holds nothing to free)
    if (toRead.length > 0 && this.label === undefined && !this.table.view) {
      // the numeric columns left to read are all the table is still needed for: its other columns
      // are dropped first, so that their memory is free while the values are read and sorted
      await Promise.all(this.reads);
      const keep = new Set(toRead);
      for (const column of this.table.columns) {
        if (!keep.has(column.name)) {
          await queryRows(this.conn, `ALTER TABLE ${this.table.table} DROP COLUMN ${ident(column.name)}`);
        }
      }
      await returnFreedMemory(this.conn);
    }
    this.prefetchNumeric(toRead);
    await Promise.all(this.reads);
    this.detached = true;
  }

  /**
   * What to read the table's rows from in SQL: the table, or once detached the file itself (read
   * again as it was loaded, so with the same column types).
   */
  from(): string {
    if (!this.detached) return this.table.table;
    if (this.table.source === undefined) {
      throw new Error(`internal: ${this.table.path} was detached but cannot be read again (no source)`);
    }
    return `(SELECT * FROM ${this.table.source})`;
  }

  /** Forgets everything read. */
  releaseAll(): void {
    this.numericCache.clear();
    this.categoryCache.clear();
    this.categoryLabelCache.clear();
    this.numericMissingCache.clear();
    this.categoryMissingCache.clear();
  }

  /**
   * Counts the categories read from now on by label class too, in the same pass over the table
   * (see labelCounts); set it before the first category count.
   */
  countByLabel(label: CategoryLabelSql): void {
    this.categoryLabel = label;
  }

  /**
   * The rows and positives of each category of a column (blank and NULL left out, rows without a
   * label value left out; categories without such rows left out), when its categories were
   * counted after countByLabel with the same `label`; else undefined.
   */
  labelCounts(column: string, label: CategoryLabelSql): Promise<CategoryLabelCount[]> | undefined {
    const counted = this.categoryLabel;
    if (
      counted === undefined ||
      counted.column !== label.column ||
      counted.present !== label.present ||
      counted.positive !== label.positive
    ) {
      return undefined;
    }
    return this.categoryLabelCache.get(column);
  }

  /** The category counts of a column (text values; blank and NULL are missing and not counted). */
  categories(column: string): Promise<CategoryCounts> {
    const cached = this.categoryCache.get(column);
    if (cached) return cached;
    this.prefetchCategories([column]);
    return this.categoryCache.get(column) as Promise<CategoryCounts>;
  }

  /** Counts the categories of several columns in one query (up to CATEGORY_BATCH columns a query). */
  prefetchCategories(columns: string[]): void {
    const todo = [...new Set(columns)].filter((c) => !this.categoryCache.has(c));
    for (let start = 0; start < todo.length; start += CATEGORY_BATCH) {
      const batch = todo.slice(start, start + CATEGORY_BATCH);
      const byLabel = this.detached ? undefined : this.categoryLabel;
      const all = this.countCategories(batch, byLabel);
      batch.forEach((column, k) => {
        const entry = all.then((r) => r.counts[k] as CategoryCounts);
        entry.catch(() => {});
        this.categoryCache.set(column, entry);
        const missing = all.then((r) => r.missing[k] as CategoryMissing);
        missing.catch(() => {});
        this.categoryMissingCache.set(column, missing);
        if (byLabel) {
          const labelled = all.then((r) => r.byLabel[k] as CategoryLabelCount[]);
          labelled.catch(() => {});
          this.categoryLabelCache.set(column, labelled);
        }
      });
      // a failure surfaces through each column's promise; do not leave it unhandled here
      all.catch(() => {});
    }
  }

  /**
   * Each column is grouped by its raw values first (cheap), and only their few distinct values
   * are turned into category text (blank and NULL are missing), so equal texts merge after (a
   * file read again is read once, into a temporary result all the groupings scan). With `byLabel`
   * the raw values are grouped with the label's raw value, and each category's rows with a label
   * value and positives are summed too (one pass for both counts).
   */
  private async countCategories(
    columns: string[],
    byLabel: CategoryLabelSql | undefined,
  ): Promise<{ counts: CategoryCounts[]; byLabel: CategoryLabelCount[][]; missing: CategoryMissing[] }> {
    const again = this.detached;
    const from = again ? 'src' : this.table.table;
    // the missing rows (no category: NULL or blank) are grouped too, by whether the raw value is
    // NULL (`xn`), and counted apart from the categories
    const parts = columns.map((c, i) =>
      byLabel
        ? `SELECT ${i} AS g, v, xn, sum(c) AS c, coalesce(sum(c) FILTER (WHERE pr), 0) AS n, coalesce(sum(c) FILTER (WHERE pp), 0) AS p
           FROM (SELECT ${categoricalExpr('__x')} AS v, __x IS NULL AS xn, __c AS c, (${byLabel.present}) AS pr, (${byLabel.present}) AND (${byLabel.positive}) AS pp
             FROM (SELECT ${ident(c)} AS __x, ${ident(byLabel.column)} AS __l, count(*) AS __c FROM ${from} GROUP BY ALL))
           GROUP BY v, xn`
        : `SELECT ${i} AS g, v, xn, sum(c) AS c FROM (SELECT ${categoricalExpr('__x')} AS v, __x IS NULL AS xn, __c AS c FROM (SELECT ${ident(c)} AS __x, count(*) AS __c FROM ${from} GROUP BY 1)) GROUP BY v, xn`,
    );
    const src = again
      ? `WITH src AS MATERIALIZED (SELECT ${columns.map(ident).join(', ')} FROM ${this.from()}) `
      : '';
    const reader = await exclusive(this.conn, () =>
      this.conn.runAndReadAll(`${src}${parts.join(' UNION ALL ')} ORDER BY g, v`),
    );
    const [gs, vs, xs, cs, ns, ps] = reader.getColumnsJS() as unknown[][];
    const out = columns.map((): CategoryCounts => ({ values: [], counts: [], total: 0 }));
    const labelled = columns.map((): CategoryLabelCount[] => []);
    const missing = columns.map((): CategoryMissing => ({ null: 0, blank: 0 }));
    for (let r = 0; r < (gs?.length ?? 0); r++) {
      const g = count(gs?.[r]);
      const target = out[g];
      if (!target) continue;
      const c = count(cs?.[r]);
      const v = vs?.[r];
      if (v === null || v === undefined) {
        const m = missing[g] as CategoryMissing;
        if (xs?.[r] === true) m.null += c;
        else m.blank += c;
        continue;
      }
      target.values.push(String(v));
      target.counts.push(c);
      target.total += c;
      const rows = count(ns?.[r]);
      if (byLabel && rows > 0) labelled[g]?.push({ rows, positives: count(ps?.[r]) });
    }
    return { counts: out, byLabel: labelled, missing };
  }
}
