import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ValidationThreshold } from '../contracts/policy.ts';
import {
  type FairnessResult,
  VALIDATION_TASKS,
  type ValidationEvidence,
} from '../contracts/validation-evidence.ts';
import { ASSAY_VERSION } from '../version.ts';
import { computeDrift, driftBatch } from './drift/drift.ts';
import type { SortedSample } from './drift/sorted-sample.ts';
import { ident, queryRows, returnFreedMemory } from './duckdb/sql.ts';
import { computeFairnessBySpecs, DEFAULT_MIN_GROUP_SIZE, groupKey } from './fairness/fairness.ts';
import { suggestFindings } from './findings/suggest-findings.ts';
import { InputError } from './load/input-error.ts';
import { loadInput, type RelationSource } from './load/load-relation.ts';
import { checkInputFile, dropLoaded, requireColumn } from './load/load-table.ts';
import { DEFAULT_CONFIDENCE } from './performance/intervals.ts';
import {
  computeMulticlass,
  computeRegression,
  labelClasses,
  labelIsContinuous,
} from './performance/other-tasks.ts';
import { computePerformance } from './performance/performance.ts';
import { createScoredView, type ScoredView } from './performance/scored-rows.ts';
import {
  currentDataQuality,
  planOverlapHashes,
  planRowHashes,
  referenceOverlap,
  withReference,
} from './quality/data-quality.ts';
import { labelSpecOf } from './scan/numeric-column.ts';
import { SortPool } from './scan/sort-pool.ts';
import { TableScan } from './scan/table-scan.ts';
import type { ColumnInfo, LoadedTable } from './table.ts';

/** The tasks `assay validate --task` accepts. */
export const TASKS = VALIDATION_TASKS;
export type Task = (typeof TASKS)[number];

/** What to validate and how (the options of `assay validate`). */
export interface ValidateOptions {
  data: string;
  reference?: string;
  label?: string;
  score?: string;
  /** The predicted class (classification) or value (regression), instead of a score. */
  prediction?: string;
  /**
   * The task (default: inferred from the label, as scikit-learn's type_of_target, and refused
   * when that would be multiclass on predictions that are not the label's values).
   */
  task?: Task;
  threshold?: number;
  positiveLabel?: string;
  weight?: string;
  groups?: string[];
  /** Drift features (default: every column except label, score and weight). */
  features?: string[];
  categorical?: string[];
  minGroupSize?: number;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
  /**
   * Keep both tables (compressed) for the whole run instead of reading what each is needed for
   * right after loading it and dropping it (the default; the reference is kept anyway when its
   * compared numeric columns would not fit in DETACH_MAX_BYTES); both give the same evidence.
   */
  keepTables?: boolean;
  /** DuckDB's memory limit (e.g. '512MB', '4GB'); beyond it data spills to a temporary directory. */
  memoryLimit?: string;
  /** Policy thresholds that turn breaches into suggested findings, and where they came from. */
  judge?: {
    rules: readonly ValidationThreshold[];
    tier: number | null;
    policyVersion: number | null;
    policySha256: string | null;
    source: string;
  };
  /** The time stamped on the evidence (injected so runs are reproducible in tests). */
  now: Date;
  /**
   * Run in this DuckDB instance instead of a new one (monitoring computes many small windows; a new
   * instance costs more than such a window). The run works in a fresh in-memory catalog of its own,
   * detached afterwards, and `memoryLimit` does not apply (the instance has its own settings).
   */
  duckdb?: DuckDBInstance;
  /**
   * Read the data (and the reference) from SQL relations instead of the files: `data` and
   * `reference` then only name them (in the evidence and in messages), and each relation is loaded
   * as a Parquet file is, a view read in place (monitoring validates a window's rows where its
   * segments are, without exporting them to a file first).
   */
  relations?: { data?: RelationSource; reference?: RelationSource };
  /**
   * Hands the caller the data's sorted finite values of these numeric columns (the samples drift
   * and data quality read) before they are released, so that it need not read and sort them again
   * (monitoring's CBPE takes the window's scores from here).
   */
  numericSamples?: { columns: string[]; take: (column: string, sample: SortedSample) => void };
  /** Progress: the stage running and the share of the whole run done (0–1). */
  progress?: (event: ProgressEvent) => void;
}

/** Inputs (data + reference) up to this size are held compressed in memory when a table is kept. */
export const COMPRESS_MAX_BYTES = 512 * 1024 * 1024;

/**
 * DuckDB's default memory limit, at least 256 MB and at most half of the machine's memory: four
 * times the largest input file (a plain table takes about 2.2× its CSV, and at most one is held
 * plainly at a time; the rest is room for aggregates). Beyond it DuckDB spills to disk, which is
 * slower but keeps working.
 */
export function defaultMemoryLimit(largestInput = 0): string {
  const mb = (bytes: number) => Math.floor(bytes / 1024 / 1024);
  return `${Math.min(mb(totalmem() / 2), Math.max(256, mb(4 * largestInput)))}MB`;
}

/**
 * Memory the reference's numeric samples may take for the reference table to be read at once and
 * dropped: 1 GB, or an eighth of the machine's memory when that is less (beyond it the table is
 * kept and its columns are read a few at a time as drift compares them).
 */
export const DETACH_MAX_BYTES = Math.min(1024 * 1024 * 1024, Math.floor(totalmem() / 8));

/** Whether the reference's compared numeric columns (8 bytes a value) fit in DETACH_MAX_BYTES. */
function detachable(rows: number, numericColumns: number): boolean {
  return rows * numericColumns * 8 <= DETACH_MAX_BYTES;
}

/** Sizes of the input files that exist (missing ones are reported by the loader). */
async function inputSizes(files: (string | undefined)[]): Promise<number[]> {
  const sizes: number[] = [];
  for (const file of files) {
    if (file === undefined) continue;
    try {
      sizes.push((await stat(file)).size);
    } catch {
      // the loader names a missing file
    }
  }
  return sizes;
}

/** A progress report: the stage that runs now and the estimated share of the run done. */
export interface ProgressEvent {
  stage: string;
  fraction: number;
}

/**
 * Turns stage starts and within-stage fractions into one overall fraction, with each stage
 * weighted by its typical share of the run (loading and data quality dominate).
 */
class StageProgress {
  private readonly total: number;
  private done = 0;
  private current: { stage: string; weight: number } | undefined;

  constructor(
    private readonly weights: Map<string, number>,
    private readonly emit: (event: ProgressEvent) => void,
  ) {
    this.total = [...weights.values()].reduce((a, b) => a + b, 0);
  }

  /** Starts `kind` (a key of the weights), shown as `stage`. */
  start(kind: string, stage: string): void {
    if (this.current) this.done += this.current.weight;
    this.current = { stage, weight: this.weights.get(kind) ?? 0 };
    this.emit({ stage, fraction: this.done / this.total });
  }

  /** Reports the share of the current stage done. */
  within(fraction: number): void {
    if (!this.current) return;
    this.emit({
      stage: this.current.stage,
      fraction: (this.done + this.current.weight * fraction) / this.total,
    });
  }

  finish(): void {
    this.done = this.total;
    this.current = undefined;
    this.emit({ stage: 'done', fraction: 1 });
  }
}

/**
 * A `--group` value: a column, or an intersection `a+b[+c…]` of columns (a column whose own name
 * contains `+` is taken as it is).
 */
function groupSpec(table: LoadedTable, value: string): string[] {
  if (table.columns.some((c) => c.name === value)) return [value];
  const parts = value.split('+').map((p) => p.trim());
  if (parts.length < 2 || parts.some((p) => p === '')) return [value];
  return parts;
}

/**
 * The task: `--task` when given, else as scikit-learn's type_of_target decides it from the label:
 * continuous (numeric with a non-integer value) → regression; more than two classes → multiclass,
 * but only when every prediction is one of the label's values (whole-number regression targets —
 * counts, ages — look like classes); else binary.
 */
async function chooseTask(
  conn: DuckDBConnection,
  data: LoadedTable,
  options: ValidateOptions,
  labelType: string | undefined,
  classes: { values?: (number | string)[] },
): Promise<Task> {
  const label = options.label as string;
  if (options.task !== undefined) {
    if (options.task === 'multiclass' && (await labelIsContinuous(conn, data, label, labelType))) {
      throw new InputError(
        `--task multiclass: label '${label}' has non-integer values, so it is continuous; use --task regression`,
      );
    }
    return options.task;
  }
  if (await labelIsContinuous(conn, data, label, labelType)) return 'regression';
  classes.values = await labelClasses(conn, data, label);
  if (classes.values.length <= 2) return 'binary';
  if (options.prediction !== undefined) {
    const outside = await predictionsOutsideLabel(conn, data, label, options.prediction);
    if (outside.length > 0) {
      throw new InputError(
        `label '${label}' has more than two values, but prediction '${options.prediction}' has values that are not among them (${outside.join(', ')}${outside.length === 5 ? ', …' : ''}), so this is no multiclass task; for a numeric target use --task regression (or --task multiclass to score them as classes)`,
      );
    }
  }
  return 'multiclass';
}

/** Up to five distinct non-missing predictions that are none of the label's values (compared as the label is). */
async function predictionsOutsideLabel(
  conn: DuckDBConnection,
  data: LoadedTable,
  label: string,
  prediction: string,
): Promise<string[]> {
  const numeric = requireColumn(data, label).kind === 'numeric';
  requireColumn(data, prediction);
  const value = (c: string) => (numeric ? `TRY_CAST(${ident(c)} AS DOUBLE)` : `CAST(${ident(c)} AS VARCHAR)`);
  const rows = await queryRows(
    conn,
    `SELECT DISTINCT CAST(${ident(prediction)} AS VARCHAR) AS v FROM ${data.table}
     WHERE ${value(prediction)} IS NOT NULL AND ${value(prediction)} NOT IN
       (SELECT ${value(label)} FROM ${data.table} WHERE ${value(label)} IS NOT NULL)
     ORDER BY v LIMIT 5`,
  );
  return rows.map((r) => String(r.v));
}

/**
 * Performance for the task (chooseTask): regression on --prediction (or --score); multiclass on
 * --prediction; binary on --score or --prediction.
 */
async function taskPerformance(
  conn: DuckDBConnection,
  scan: TableScan,
  options: ValidateOptions,
): Promise<{
  task: Task;
  /**
   * The metrics: for a binary task still being computed (its JS part — the curves, DeLong, the
   * calibration fit — runs when the score's sort is done, while DuckDB serves the next queries).
   */
  performance: Promise<NonNullable<ValidationEvidence['performance']>>;
  scored: ScoredView | null;
}> {
  const data = scan.table;
  const label = options.label as string;
  const weight = options.weight ? { weight: options.weight } : {};
  const predicted = (options.prediction ?? options.score) as string;
  const labelType = (await scan.columnTypes()).get(label);
  const classes: { values?: (number | string)[] } = {};
  const task = await chooseTask(conn, data, options, labelType, classes);
  if (task === 'regression') {
    return {
      task,
      performance: Promise.resolve(
        await computeRegression(conn, data, { label, prediction: predicted, ...weight }),
      ),
      scored: null,
    };
  }
  if (task === 'multiclass') {
    if (options.prediction === undefined) {
      throw new InputError(
        `${options.task === 'multiclass' ? '--task multiclass' : `label '${label}' has more than two classes`}: multiclass metrics need --prediction (the predicted class); a score is one class's probability${options.task === undefined && requireColumn(data, label).kind === 'numeric' ? ' (for a numeric target, use --task regression)' : ''}`,
      );
    }
    const performance = await computeMulticlass(conn, data, {
      label,
      prediction: options.prediction,
      ...weight,
    });
    return { task, performance: Promise.resolve(performance), scored: null };
  }
  const names = {
    label,
    ...(options.score !== undefined ? { score: options.score } : { prediction: predicted }),
    ...weight,
  };
  const scored = await createScoredView(conn, data, {
    ...names,
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
    ...(options.positiveLabel !== undefined ? { positiveLabel: options.positiveLabel } : {}),
    ...(labelType !== undefined ? { labelType } : {}),
    ...(classes.values !== undefined ? { labelValues: classes.values } : {}),
  });
  // The numeric columns are read now, sorted on the worker, with the label class of each value
  // (for data quality's single-feature AUC), the score first: unweighted ROC and precision-recall
  // come from its sorted sample, and the other sorts run while DuckDB computes the rest.
  const labelColumn = requireColumn(data, label);
  scan.setLabel(labelSpecOf(labelColumn, labelType, scored.positiveLabel));
  const score =
    options.score !== undefined && requireColumn(data, options.score).kind === 'numeric'
      ? options.score
      : undefined;
  scan.prefetchNumeric([
    ...(score !== undefined ? [score] : []),
    ...data.columns.filter((c) => c.kind === 'numeric').map((c) => c.name),
  ]);
  const sortedScore =
    score !== undefined && !scored.weighted ? { sortedScore: scan.numeric(score, true) } : {};
  const performance = computePerformance(conn, scored, names, {
    ...sortedScore,
    ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
  });
  // a failure surfaces where the caller awaits it (after queueing its next queries)
  performance.catch(() => {});
  return { task, performance, scored };
}

/** Columns that the data does not have, checked before any work. */
function checkColumns(table: LoadedTable, names: string[]): void {
  for (const name of names) requireColumn(table, name);
}

/** Runs in a caller's DuckDB instance so far (names their catalogs apart). */
let sharedRuns = 0;

/** Loads the inputs and computes performance, fairness, data quality and drift into one evidence document. */

export async function validate(options: ValidateOptions): Promise<ValidationEvidence> {
  const weights = new Map<string, number>([
    ['load-data', 3],
    ['load-reference', options.reference ? 3 : 0],
    ['performance', options.label !== undefined ? 1 : 0],
    ['fairness', (options.groups ?? []).length > 0 ? 0.5 : 0],
    ['data-quality', 2.5],
    ['drift', options.reference ? 1.5 : 0],
  ]);
  const progress = new StageProgress(weights, options.progress ?? (() => {}));
  const within = (fraction: number) => progress.within(fraction);
  const predicted = options.score ?? options.prediction;
  if (options.score !== undefined && options.prediction !== undefined) {
    throw new InputError('give --score or --prediction, not both');
  }
  if ((options.label === undefined) !== (predicted === undefined)) {
    throw new InputError('performance needs --label and one of --score or --prediction');
  }
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!(confidence > 0 && confidence < 1)) {
    throw new InputError(`the confidence level must be strictly between 0 and 1, got ${confidence}`);
  }
  if ((options.groups ?? []).length > 0 && options.label === undefined) {
    throw new InputError('fairness (--group) needs --label and --score or --prediction');
  }
  // Nothing depends on row order (values read together come from one query), and DuckDB loads
  // and scans faster without keeping it.
  // DuckDB keeps at most `memoryLimit` in memory and spills the rest (table blocks, large
  // aggregates) to a private temporary directory, removed afterwards.
  // the reference is loaded after the current data is worked through: a missing, empty or unknown
  // file is named before any work
  if (options.reference !== undefined && !options.relations?.reference)
    await checkInputFile(options.reference);
  const sizes = await inputSizes([options.data, options.reference]);
  // A table kept for the whole run (the reference when its compared numeric columns are too many
  // to read at once, or both with keepTables) is compressed (~10x, for a fraction of a second) when
  // the inputs are up to COMPRESS_MAX_BYTES; larger ones stay plain, where compressing would cost
  // seconds per table.
  const compress = sizes.reduce((a, b) => a + b, 0) <= COMPRESS_MAX_BYTES;
  const given = options.duckdb;
  const spill = given ? null : await mkdtemp(path.join(tmpdir(), 'assay-validate-'));
  const instance =
    given ??
    (await DuckDBInstance.create(':memory:', {
      preserve_insertion_order: 'false',
      memory_limit: options.memoryLimit ?? defaultMemoryLimit(Math.max(0, ...sizes)),
      temp_directory: spill as string,
    }));
  const conn = await instance.connect();
  // in a shared instance the run's tables live in a catalog of its own, detached at the end
  const catalog = given ? `work_${++sharedRuns}` : 'work';
  if (compress || given) {
    await conn.run(`ATTACH ':memory:' AS ${catalog}${compress ? ' (COMPRESS)' : ''}`);
    await conn.run(`USE ${catalog}`);
  }
  // compressing a table frees its plain form: that memory is returned before the next step
  const compact = async () => {
    if (!compress) return;
    await conn.run(`CHECKPOINT ${catalog}`);
    await returnFreedMemory(conn);
  };
  const sorter = new SortPool();
  // the sorting worker starts while the first file loads (a shared instance's small runs start it
  // only when a column is large enough to need it)
  if (!given) sorter.warm();
  try {
    const categorical = options.categorical ?? [];
    progress.start('load-data', `loading ${options.data}`);
    // a Parquet file is queried where it is (a view): nothing here relies on row order or rowid
    const data = await loadInput(conn, options.data, options.relations?.data, {
      categorical,
      onProgress: within,
      parquetView: true,
    });
    const roles = [options.label, options.score, options.prediction, options.weight].filter(
      (c): c is string => c !== undefined,
    );
    const groupSpecs = (options.groups ?? []).map((g) => groupSpec(data, g));
    checkColumns(data, [...roles, ...groupSpecs.flat(), ...(options.features ?? [])]);
    const featureNames =
      options.features ?? data.columns.map((c) => c.name).filter((name) => !roles.includes(name));
    // Everything the current data is needed for is computed or read right after loading it:
    // performance and fairness, its own data quality, its sorted numeric columns and category
    // counts (shared with drift). Then its table is dropped before the reference is loaded, so
    // that memory never holds both tables. Only a column drift compares differently than data
    // quality read it (numeric here, text in the reference) is read from the file again.
    const current = new TableScan(conn, data, sorter);
    // data quality's row hashes are read in the same pass as the numeric columns (the first
    // numeric read, which performance may start), not in a pass of their own
    await planRowHashes(current);
    let scored: ScoredView | null = null;
    let performance: ValidationEvidence['performance'] = null;
    // Binary performance finishes in JS once the score's sort is done: meanwhile fairness and
    // data quality queue their queries, so that DuckDB works while the main thread computes.
    let pendingPerformance: Promise<ValidationEvidence['performance']> = Promise.resolve(null);
    let task: Task | null = null;
    if (options.label !== undefined) {
      progress.start('performance', 'performance');
      let started: Promise<NonNullable<ValidationEvidence['performance']>>;
      ({ task, performance: started, scored } = await taskPerformance(conn, current, options));
      pendingPerformance = started;
    }
    if (groupSpecs.length > 0 && task !== null && task !== 'binary') {
      await pendingPerformance;
      throw new InputError(
        `fairness (--group) needs a binary label; '${options.label}' is ${task === 'regression' ? 'continuous' : 'multiclass'}`,
      );
    }
    let fairness: Record<string, FairnessResult> | null = null;
    if (scored && groupSpecs.length > 0) {
      progress.start('fairness', `fairness by ${groupSpecs.map(groupKey).join(', ')}`);
      fairness = await computeFairnessBySpecs(conn, scored, groupSpecs, {
        minGroupSize: options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE,
        numericColumns: data.columns.filter((c) => c.kind === 'numeric').map((c) => c.name),
        ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
      });
    }
    progress.start('data-quality', 'data quality');
    const quality = await currentDataQuality(conn, current, {
      ...(options.label !== undefined ? { label: options.label } : {}),
      ...(scored ? { positiveLabel: scored.positiveLabel } : {}),
      // single-feature leakage is judged on the features, never on the model's own score
      columns: data.columns.filter((c) => featureNames.includes(c.name)),
      keepRowHashes: options.reference !== undefined,
    });
    performance = await pendingPerformance;
    if (scored) await queryRows(conn, `DROP VIEW ${scored.view}`);
    if (options.keepTables) {
      await compact();
    } else {
      await current.detach(
        data.columns.filter((c) => c.kind === 'numeric').map((c) => c.name),
        data.columns.filter((c) => c.kind === 'categorical').map((c) => c.name),
      );
      await dropLoaded(conn, data);
      await returnFreedMemory(conn);
    }

    let reference: LoadedTable | undefined;
    let referenceScan: TableScan | undefined;
    let overlap = 0;
    const kindIn = (t: LoadedTable | undefined, name: string) =>
      t?.columns.find((c) => c.name === name)?.kind;
    // A column numeric in one sample and text in the other is compared as categorical.
    const featureOf = (name: string): ColumnInfo => ({
      name,
      kind:
        kindIn(data, name) === 'numeric' && (kindIn(reference, name) ?? 'numeric') === 'numeric'
          ? 'numeric'
          : 'categorical',
    });
    let shared: string[] = [];
    let prediction: ColumnInfo | undefined;
    if (options.reference) {
      progress.start('load-reference', `loading ${options.reference}`);
      reference = await loadInput(conn, options.reference, options.relations?.reference, {
        categorical,
        onProgress: within,
        parquetView: true,
      });
      if (options.features) checkColumns(reference, options.features);
      referenceScan = new TableScan(conn, reference, sorter);
      shared = featureNames.filter((name) => kindIn(reference, name) !== undefined);
      prediction =
        predicted !== undefined && kindIn(reference, predicted) !== undefined
          ? featureOf(predicted)
          : undefined;
      const compared = [...shared.map(featureOf), ...(prediction ? [prediction] : [])];
      const comparedNumeric = compared.filter((c) => c.kind === 'numeric').map((c) => c.name);
      const detach = !options.keepTables && detachable(reference.rows, comparedNumeric.length);
      // The reference rows' hashes (the overlap) are read in one pass with its numeric columns.
      // That pass needs every column, so the text columns are not dropped before the numeric
      // values are read: only for a Parquet view (nothing to drop) or inputs small enough to be
      // compressed; larger tables keep the order that frees their text columns first (on `wide`,
      // 1M rows, riding along raised the peak from 1.99 to 2.45 GB for no CPU gain).
      if (detach && quality.rowHashes !== null && (reference.view === true || compress)) {
        await planOverlapHashes(current, referenceScan);
        referenceScan.prefetchNumeric(comparedNumeric);
      }
      overlap = await referenceOverlap(conn, current, referenceScan, quality.rowHashes);
      if (detach) {
        // Read now everything the reference is needed for (the numeric columns drift compares,
        // every category count), then drop it: cheaper than compressing a table read once.
        await referenceScan.detach(comparedNumeric, [
          ...reference.columns.filter((c) => c.kind === 'categorical').map((c) => c.name),
          ...compared.filter((c) => c.kind === 'categorical').map((c) => c.name),
        ]);
        await dropLoaded(conn, reference);
        await returnFreedMemory(conn);
      } else {
        await compact();
        // the first reference columns drift compares are read and sorted (on the worker) while
        // the schema is compared; the rest follow in batches during drift
        referenceScan.prefetchNumeric(comparedNumeric.slice(0, driftBatch(reference.rows)));
      }
    }
    // from here on the main thread only waits for the reference's sorts and compares: it sorts too
    const helping = sorter.help();
    const dataQuality = await withReference(
      quality,
      current,
      referenceScan ? { scan: referenceScan, overlap } : undefined,
    );
    let drift: ValidationEvidence['drift'] = null;
    if (reference && referenceScan) {
      progress.start('drift', 'drift');
      drift = await computeDrift(conn, reference, data, shared.map(featureOf), {
        ...(prediction ? { prediction } : {}),
        scans: { reference: referenceScan, current },
        excluded: dataQuality.leakage.suspicious_features,
      });
    }
    await helping;
    for (const name of options.numericSamples?.columns ?? []) {
      if (kindIn(data, name) === 'numeric')
        options.numericSamples?.take(name, (await current.numeric(name)).sample);
    }
    current.releaseAll();
    referenceScan?.releaseAll();
    progress.finish();
    const input = (role: 'data' | 'reference', t: LoadedTable) => ({
      role,
      path: t.path,
      sha256: t.sha256,
      rows: t.rows,
      columns: t.columns,
    });
    const measured = { performance, fairness, drift, data_quality: dataQuality };
    const judge = options.judge;
    return {
      schema: 'assay.validation/v1',
      engine: { name: 'assay', version: ASSAY_VERSION },
      created_at: options.now.toISOString(),
      inputs: [input('data', data), ...(reference ? [input('reference', reference)] : [])],
      config: {
        label: options.label ?? null,
        score: options.score ?? null,
        prediction: options.prediction ?? null,
        task: performance?.task ?? null,
        threshold: scored?.threshold ?? options.threshold ?? 0.5,
        positive_label: scored?.positiveLabel ?? options.positiveLabel ?? null,
        weight: options.weight ?? null,
        groups: options.groups ?? [],
        features: featureNames,
        categorical,
        min_group_size: options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE,
        confidence,
      },
      ...measured,
      suggested_findings: judge ? suggestFindings(measured, judge.rules, judge.tier) : null,
      judged_by: judge
        ? {
            policy_version: judge.policyVersion,
            policy_sha256: judge.policySha256,
            source: judge.source,
            tier: judge.tier,
          }
        : null,
    };
  } finally {
    await sorter.close();
    if (given) {
      await conn.run('USE memory');
      await conn.run(`DETACH ${catalog}`);
    }
    conn.closeSync();
    if (!given) instance.closeSync();
    if (spill) await rm(spill, { recursive: true, force: true });
  }
}
