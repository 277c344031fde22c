import type { Evidence } from '../../../src/contracts/evidence.ts';
import type { ValidationEvidence } from '../../../src/contracts/validation-evidence.ts';
import type { Histogram, ValidationReport } from './api-workflow.ts';

const METRICS: [keyof NonNullable<ValidationEvidence['performance']>, string][] = [
  ['roc_auc', 'ROC AUC'],
  ['average_precision', 'Average precision'],
  ['accuracy', 'Accuracy'],
  ['balanced_accuracy', 'Balanced accuracy'],
  ['precision', 'Precision'],
  ['recall', 'Recall'],
  ['f1', 'F1'],
  ['log_loss', 'Log loss'],
  ['brier_score', 'Brier score'],
  ['ece', 'Expected calibration error'],
];

/** Histogram proportions of the drift report as paired histograms (labels of categorical bins become positions). */
function histogram(edges: number[] | null, values: number[]): Histogram {
  return { edges: edges ?? values.map((_, i) => i).concat(values.length), counts: values };
}

/** The engine's `assay.validation/v1` document as the report viewer's view. */
export function toValidationReport(
  doc: ValidationEvidence,
  meta: { modelKey: string; versionLabel: string; sha256: string | null },
): ValidationReport {
  const perf = doc.performance;
  const metrics = perf
    ? METRICS.flatMap(([k, name]) => {
        const v = perf[k];
        return typeof v === 'number' ? [{ name, value: v }] : [];
      })
    : [];
  const curve = perf?.calibration_curve;
  const calibration = curve
    ? curve.bin.map((_, i) => ({
        predicted: curve.prob_pred[i] ?? 0,
        observed: curve.prob_true[i] ?? 0,
        count: curve.count[i] ?? 0,
      }))
    : [];
  const groups = Object.entries(doc.fairness ?? {}).map(([attribute, f]) => ({
    attribute,
    metric: 'selection rate',
    disparity: f.demographic_parity_ratio,
    threshold: f.four_fifths_threshold,
    rows: Object.entries(f.groups)
      .filter(([, g]) => g.selection_rate !== null)
      .map(([group, g]) => ({ group, count: g.count, value: g.selection_rate ?? 0 })),
  }));
  const drift = Object.entries(doc.drift?.features ?? {}).map(([feature, d]) => ({
    feature,
    statistic: d.test,
    value: d.test_value ?? 0,
    drifted: d.drifted,
    reference: histogram(d.histogram.edges, d.histogram.reference),
    current: histogram(d.histogram.edges, d.histogram.current),
  }));
  return {
    modelKey: meta.modelKey,
    versionLabel: meta.versionLabel,
    generatedAt: doc.created_at,
    sha256: meta.sha256,
    datasetRows: doc.inputs.find((i) => i.role === 'data')?.rows ?? null,
    metrics,
    roc: [],
    pr: [],
    calibration,
    groups,
    drift,
  };
}

/** A piece of evidence of a version, as the evidence table lists it. */
export interface EvidenceRow {
  id: string;
  title: string;
  type: string;
  href: string;
  sha256: string | null;
  producedBy: string | null;
  uploadedBy: string;
  createdAt: string;
  validUntil: string | null;
  expired: boolean;
  /** A stored JSON file: the engine's evidence.json that the report view can draw (not a link or a PDF). */
  json: boolean;
}

/** Evidence of the API as a row of the evidence table (files link to their stored content). */
export function toEvidenceRow(e: Evidence): EvidenceRow {
  return {
    id: e.id,
    title: e.title,
    type: e.type,
    href: e.externalUrl ?? `/api/v1/evidence/${encodeURIComponent(e.id)}/content`,
    sha256: e.file?.sha256 ?? null,
    producedBy: e.producedBy ? `${e.producedBy.tool} ${e.producedBy.version ?? ''}`.trim() : null,
    uploadedBy: e.uploadedBy,
    createdAt: e.createdAt,
    validUntil: e.validUntil,
    expired: e.expired,
    json: e.file?.mediaType === 'application/json' || /\.json$/i.test(e.file?.filename ?? ''),
  };
}
