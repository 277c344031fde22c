import { PREDICTION_FEATURE } from '../../contracts/monitoring.ts';
import type { FeatureDrift } from '../../contracts/validation-drift.ts';
import type { WindowComputation } from './window.ts';

/** A check as the window metrics read it. */
export interface MetricSpec {
  kind: 'drift' | 'data_quality' | 'volume' | 'performance' | 'estimated_performance';
  metric: string;
  feature: string | null;
  minLabelledRows: number;
}

/** One metric of a window, with its CBPE band when it has one; null value with the reason. */
export interface MetricValue {
  value: number | null;
  lower: number | null;
  upper: number | null;
  note: string | null;
}

const none = (note: string): MetricValue => ({ value: null, lower: null, upper: null, note });
const plain = (value: number | null | undefined, note: string | null = null): MetricValue =>
  value === null || value === undefined
    ? none(note ?? 'undefined for the window')
    : { value, lower: null, upper: null, note };

function driftValue(d: FeatureDrift, metric: string): number | null {
  const record = d as unknown as Record<string, unknown>;
  const v = record[metric];
  return typeof v === 'number' ? v : null;
}

/**
 * Reads a check's metric off the window's evidence (the engine's `assay.validation/v1` documents):
 * drift per feature (the score column for `@prediction`), data quality, volume, realised
 * performance once enough labels arrived, and CBPE's estimate.
 */
export function metricValue(spec: MetricSpec, w: WindowComputation, scoreColumn: string | null): MetricValue {
  if (spec.kind === 'volume') return plain(w.rows);
  if (w.rows === 0) return none('no predictions in the window');
  if (spec.kind === 'drift' || spec.kind === 'data_quality') {
    const ev = w.drift;
    if (!ev?.drift || !ev.data_quality) return none(w.note ?? 'no baseline');
    if (spec.kind === 'drift') {
      if (spec.metric === 'drift_share') return plain(ev.drift.drift_share);
      const feature = spec.feature === PREDICTION_FEATURE ? scoreColumn : spec.feature;
      const d = feature ? ev.drift.features[feature] : undefined;
      if (!d) return none(`'${spec.feature}' is not in the window and its baseline`);
      return plain(driftValue(d, spec.metric), d.note);
    }
    const q = ev.data_quality;
    if (spec.metric === 'duplicate_share') return plain(q.duplicates.share);
    if (spec.metric === 'schema_changes') {
      const s = q.schema_changes;
      return plain(s ? s.new_columns.length + s.missing_columns.length + s.retyped_columns.length : null);
    }
    const feature = spec.feature as string;
    if (spec.metric === 'missing_share') {
      const m = q.missing[feature];
      return m ? plain(m.share) : none(`column '${feature}' is not in the window`);
    }
    // new_category_share: rows whose category the baseline never had
    const unseen = q.schema_changes?.unseen_categories[feature];
    return plain(unseen ? unseen.rows / w.rows : 0);
  }
  if (spec.kind === 'performance') {
    if (w.labelledRows < spec.minLabelledRows) {
      return none(`${w.labelledRows} labelled row(s); the check waits for ${spec.minLabelledRows}`);
    }
    const perf = w.performance?.performance as Record<string, unknown> | null | undefined;
    const v = perf?.[spec.metric];
    return plain(typeof v === 'number' ? v : null, perf?.note as string | null);
  }
  if (!w.cbpe) return none(w.note ?? 'no estimate');
  const m = w.cbpe.metrics[spec.metric as keyof typeof w.cbpe.metrics];
  if (!m) return none(`no estimate of '${spec.metric}'`);
  return {
    value: m.value,
    lower: m.lower,
    upper: m.upper,
    note: m.value === null ? 'undefined for the window' : null,
  };
}
