import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  CategoricalFeatureDrift,
  DriftResult,
  DriftTest,
  DriftThresholds,
  FeatureDrift,
  NumericFeatureDrift,
} from '../../contracts/validation-drift.ts';
import { TableScan } from '../scan/table-scan.ts';
import type { ColumnInfo, LoadedTable } from '../table.ts';
import { categoricalDriftOfCounts } from './categorical-drift.ts';
import { type NumericDriftStats, numericDriftOfSamples } from './numeric-drift.ts';

/**
 * Default drift thresholds (Evidently-like). For a numeric column the KS p-value decides when the
 * reference has at most 1000 values, else the normed Wasserstein distance; for a categorical
 * column the chi-square p-value decides up to 1000 reference values, else the Jensen–Shannon
 * distance. PSI ≥ 0.2 is reported as `psi_drifted` but does not decide unless chosen.
 */
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = {
  numeric_test: 'auto',
  categorical_test: 'auto',
  small_sample_max: 1000,
  ks_pvalue: 0.05,
  chi2_pvalue: 0.05,
  wasserstein_normed: 0.1,
  js_distance: 0.1,
  psi: 0.2,
  drift_share: 0.5,
};

/** Memory the reference's numeric values read in one query may take (8 bytes a value). */
export const DRIFT_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Numeric columns read per reference query in drift: as many as fit in DRIFT_BATCH_BYTES (each
 * read is a pass over the table), at least 3.
 */
export function driftBatch(rows: number): number {
  return Math.max(3, Math.floor(DRIFT_BATCH_BYTES / (8 * Math.max(rows, 1))));
}

/** Options of computeDrift. */
export interface DriftOptions {
  thresholds?: Partial<DriftThresholds>;
  /** The score or prediction column, compared between the samples but not counted in drift_share. */
  prediction?: ColumnInfo;
  /** Bins of the report histograms (numeric: equal width; categorical: top categories). */
  histogramBins?: number;
  /** Scans shared with data quality (created here when absent). */
  scans?: { reference: TableScan; current: TableScan };
  /**
   * Features reported but left out of feature_count, drifted_count and drift_share (the leakage
   * suspects of data quality: a copy of the label drifts with the label, not as a feature).
   */
  excluded?: readonly string[];
}

/** Drift of each feature between reference and current, the dataset drift share and prediction drift. */
export async function computeDrift(
  conn: DuckDBConnection,
  reference: LoadedTable,
  current: LoadedTable,
  features: ColumnInfo[],
  options: DriftOptions = {},
): Promise<DriftResult> {
  const thresholds: DriftThresholds = { ...DEFAULT_DRIFT_THRESHOLDS, ...options.thresholds };
  const bins = options.histogramBins ?? 20;
  const scans = options.scans ?? {
    reference: new TableScan(conn, reference),
    current: new TableScan(conn, current),
  };
  const all = [...features, ...(options.prediction ? [options.prediction] : [])];
  const categorical = all.filter((c) => c.kind === 'categorical').map((c) => c.name);
  scans.reference.prefetchCategories(categorical);
  scans.current.prefetchCategories(categorical);
  const numeric = all.filter((c) => c.kind === 'numeric').map((c) => c.name);
  scans.current.prefetchNumeric(numeric);
  // numeric columns are read a few at a time (the next batch is read while this one is compared)
  // and forgotten once compared, so that memory holds a few columns, not all of them
  const batches: string[][] = [];
  const size = driftBatch(reference.rows);
  for (let i = 0; i < numeric.length; i += size) batches.push(numeric.slice(i, i + size));
  const batchOf = new Map(batches.flatMap((b, i) => b.map((name) => [name, i] as const)));
  const requested = new Set<number>();
  const request = (i: number) => {
    if (i >= batches.length || requested.has(i)) return;
    requested.add(i);
    scans.reference.prefetchNumeric(batches[i] as string[]);
  };
  const run = async (column: ColumnInfo) => {
    const batch = batchOf.get(column.name);
    if (batch !== undefined) {
      request(batch);
      request(batch + 1);
    }
    const drift = await columnDriftOfScans(scans, column, thresholds, bins);
    if (column.kind === 'numeric') {
      scans.reference.release(column.name);
      scans.current.release(column.name);
    }
    return drift;
  };
  const result: Record<string, FeatureDrift> = {};
  for (const feature of features) result[feature.name] = await run(feature);
  const excluded = features.filter((f) => options.excluded?.includes(f.name)).map((f) => f.name);
  const counted = features.filter((f) => !excluded.includes(f.name));
  const driftedCount = counted.filter((f) => result[f.name]?.drifted).length;
  const share = counted.length > 0 ? driftedCount / counted.length : 0;
  const prediction = options.prediction
    ? {
        column: options.prediction.name,
        drift: await run(options.prediction),
      }
    : null;
  return {
    features: result,
    feature_count: counted.length,
    drifted_count: driftedCount,
    drift_share: share,
    dataset_drifted: counted.length > 0 && share >= thresholds.drift_share,
    prediction,
    thresholds,
    ...(excluded.length > 0 ? { excluded_features: excluded } : {}),
  };
}

interface Decision {
  test: DriftTest;
  value: number | null;
  threshold: number;
  drifted: boolean;
}

function decide(test: DriftTest, value: number | null, thresholds: DriftThresholds): Decision {
  const pvalueTest = test === 'ks' || test === 'chi2';
  const threshold = {
    ks: thresholds.ks_pvalue,
    chi2: thresholds.chi2_pvalue,
    wasserstein: thresholds.wasserstein_normed,
    js: thresholds.js_distance,
    psi: thresholds.psi,
  }[test];
  const drifted = value !== null && (pvalueTest ? value < threshold : value >= threshold);
  return { test, value, threshold, drifted };
}

/** Drift of one column: its statistics and the decision by the configured test. */
export async function columnDrift(
  conn: DuckDBConnection,
  reference: LoadedTable,
  current: LoadedTable,
  column: ColumnInfo,
  thresholds: DriftThresholds,
  bins: number,
): Promise<FeatureDrift> {
  const scans = { reference: new TableScan(conn, reference), current: new TableScan(conn, current) };
  return columnDriftOfScans(scans, column, thresholds, bins);
}

async function columnDriftOfScans(
  scans: { reference: TableScan; current: TableScan },
  column: ColumnInfo,
  thresholds: DriftThresholds,
  bins: number,
): Promise<FeatureDrift> {
  const reference = scans.reference.table;
  const current = scans.current.table;
  if (column.kind === 'numeric') {
    const ref = (await scans.reference.numeric(column.name)).sample;
    const cur = (await scans.current.numeric(column.name)).sample;
    const s = finiteStats(numericDriftOfSamples(ref, cur, bins));
    const small = s.referenceCount <= thresholds.small_sample_max;
    const test: DriftTest =
      thresholds.numeric_test === 'auto' ? (small ? 'ks' : 'wasserstein') : thresholds.numeric_test;
    const value = test === 'ks' ? s.ksPvalue : test === 'wasserstein' ? s.wassersteinNormed : s.psi;
    const d = decide(test, value, thresholds);
    const drift: NumericFeatureDrift = {
      kind: 'numeric',
      reference_count: s.referenceCount,
      current_count: s.currentCount,
      reference_missing: reference.rows - s.referenceCount,
      current_missing: current.rows - s.currentCount,
      psi: s.psi,
      psi_drifted: s.psi !== null && s.psi >= thresholds.psi,
      drifted: d.drifted,
      test: d.test,
      test_value: d.value,
      test_threshold: d.threshold,
      histogram: { edges: s.histogram.edges, labels: null, other_label: null, ...pick(s.histogram) },
      note: emptyNote(s.referenceCount, s.currentCount) ?? s.overflowNote,
      ks_statistic: s.ksStatistic,
      ks_pvalue: s.ksPvalue,
      ks_method: s.ksMethod,
      wasserstein_distance: s.wassersteinDistance,
      wasserstein_normed: s.wassersteinNormed,
      reference_std: s.referenceStd,
      psi_edges: s.psiEdges,
    };
    return drift;
  }
  const s = categoricalDriftOfCounts(
    await scans.reference.categories(column.name),
    await scans.current.categories(column.name),
    bins,
  );
  const small = s.referenceCount <= thresholds.small_sample_max;
  const test: DriftTest =
    thresholds.categorical_test === 'auto' ? (small ? 'chi2' : 'js') : thresholds.categorical_test;
  const value = test === 'chi2' ? (s.chi2?.pvalue ?? null) : test === 'js' ? s.jsDistance : s.psi;
  const d = decide(test, value, thresholds);
  const drift: CategoricalFeatureDrift = {
    kind: 'categorical',
    reference_count: s.referenceCount,
    current_count: s.currentCount,
    reference_missing: reference.rows - s.referenceCount,
    current_missing: current.rows - s.currentCount,
    psi: s.psi,
    psi_drifted: s.psi !== null && s.psi >= thresholds.psi,
    drifted: d.drifted,
    test: d.test,
    test_value: d.value,
    test_threshold: d.threshold,
    histogram: {
      edges: null,
      labels: s.histogram.labels,
      other_label: s.histogram.otherLabel,
      ...pick(s.histogram),
    },
    note: emptyNote(s.referenceCount, s.currentCount),
    chi2_statistic: s.chi2?.statistic ?? null,
    chi2_pvalue: s.chi2?.pvalue ?? null,
    chi2_dof: s.chi2?.dof ?? null,
    chi2_yates: s.chi2?.yates ?? false,
    js_distance: s.jsDistance,
    categories: s.categories,
  };
  return drift;
}

function pick(h: { reference: number[]; current: number[] }): { reference: number[]; current: number[] } {
  return { reference: h.reference, current: h.current };
}

/**
 * A statistic that is not a finite number (it overflows float64: values near ±1.8e308) cannot be
 * written as JSON: it becomes null, and the note names it and says why.
 */
function finiteStats(s: NumericDriftStats): NumericDriftStats & { overflowNote: string | null } {
  const overflowed: string[] = [];
  const finite = (name: string, v: number | null): number | null => {
    if (v === null || Number.isFinite(v)) return v;
    overflowed.push(`${name} (${v})`);
    return null;
  };
  const out = {
    ...s,
    ksStatistic: finite('ks_statistic', s.ksStatistic),
    ksPvalue: finite('ks_pvalue', s.ksPvalue),
    wassersteinDistance: finite('wasserstein_distance', s.wassersteinDistance),
    referenceStd: finite('reference_std', s.referenceStd),
    wassersteinNormed: finite('wasserstein_normed', s.wassersteinNormed),
    psi: finite('psi', s.psi),
  };
  return {
    ...out,
    overflowNote:
      overflowed.length > 0
        ? `not a finite number, so null: ${overflowed.join(', ')}; the values are too close to the float64 limit (±1.8e308) for the sums to stay finite`
        : null,
  };
}

function emptyNote(referenceCount: number, currentCount: number): string | null {
  if (referenceCount === 0 && currentCount === 0) return 'no non-missing values in either sample';
  if (referenceCount === 0) return 'no non-missing values in the reference';
  if (currentCount === 0) return 'no non-missing values in the current data';
  return null;
}
