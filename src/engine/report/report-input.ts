import type { DataQualityResult, DriftResult } from '../../contracts/validation-drift.ts';
import type {
  FairnessResult,
  PerformanceResult,
  SuggestedFinding,
} from '../../contracts/validation-evidence.ts';

/**
 * The parts of an `assay.validation/v1` evidence document the report reads. Every section is
 * optional so that a document with only some sections (e.g. no label, no reference) renders.
 * Field names follow the evidence document (scikit-learn / Fairlearn names).
 */
export interface ReportEvidence {
  schema?: string;
  engine?: { name?: string; version?: string } | string;
  created_at?: string;
  timestamp?: string;
  inputs?:
    | Record<string, { path?: string; file?: string; sha256?: string; rows?: number }>
    | ReportInputFile[];
  config?: Record<string, unknown>;
  performance?: ReportPerformance | null;
  fairness?: Record<string, ReportFairness> | null;
  drift?: DriftResult | null;
  data_quality?: DataQualityResult | null;
  suggested_findings?: SuggestedFinding[] | null;
  judged_by?: { policy_version: number | null; source: string; tier: number | null } | null;
}

/** One input file as listed in the evidence. */
export interface ReportInputFile {
  role?: string;
  path?: string;
  file?: string;
  sha256?: string;
  rows?: number;
}

/** Binary-classification performance (a subset; anything else is listed generically). */
export interface ReportPerformance {
  count?: number;
  accuracy?: number | null;
  balanced_accuracy?: number | null;
  precision?: number | null;
  recall?: number | null;
  f1?: number | null;
  roc_auc?: number | null;
  average_precision?: number | null;
  log_loss?: number | null;
  brier_score?: number | null;
  ece?: number | null;
  threshold?: number | null;
  task?: 'binary' | 'multiclass' | 'regression';
  multiclass?: {
    classes: string[];
    confusion_matrix: number[][];
    per_class: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  } | null;
  confusion_matrix?: { tn?: number; fp?: number; fn?: number; tp?: number } | number[][] | null;
  roc_curve?: { fpr: number[]; tpr: number[] } | null;
  precision_recall_curve?: { precision: number[]; recall: number[] } | null;
  pr_curve?: { precision: number[]; recall: number[] } | null;
  calibration_curve?: { prob_true: number[]; prob_pred: number[]; count?: number[] } | null;
  intervals?: PerformanceResult['intervals'];
  calibration?: PerformanceResult['calibration'];
  [metric: string]: unknown;
}

/** Fairness of one group column. */
export interface ReportFairness {
  demographic_parity_difference?: number | null;
  demographic_parity_ratio?: number | null;
  equalized_odds_difference?: number | null;
  equalized_odds_ratio?: number | null;
  equal_opportunity_difference?: number | null;
  four_fifths_violation?: boolean;
  four_fifths_flag?: boolean;
  groups?: Record<
    string,
    {
      count?: number;
      selection_rate?: number | null;
      true_positive_rate?: number | null;
      false_positive_rate?: number | null;
      accuracy?: number | null;
      too_small?: boolean;
      impact_ratio?: number | null;
      intervals?: FairnessResult['groups'][string]['intervals'];
    }
  >;
  confidence?: number;
  intervals?: FairnessResult['intervals'];
  judged?: FairnessResult['judged'];
  threshold_sweep?: FairnessResult['threshold_sweep'];
  [key: string]: unknown;
}
