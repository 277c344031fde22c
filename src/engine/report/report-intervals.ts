import type {
  CalibrationFit,
  ConfidenceInterval,
  FairnessResult,
  ThresholdSweep,
} from '../../contracts/validation-evidence.ts';
import type { ReportFairness, ReportPerformance } from './report-input.ts';
import { escapeHtml as e, formatNumber as f, type LineSeries, unitLineChart } from './svg-charts.ts';

/** Colours of the groups in the threshold-sweep charts (cycled). */
const GROUP_COLORS = ['#1f5fa8', '#c0392b', '#2e7d32', '#7b3fa0', '#b7791f', '#00838f', '#5d4037', '#ad1457'];

/** An interval as `[lower, upper]` (an em dash when undefined). */
export function intervalText(ci: ConfidenceInterval | null | undefined): string {
  if (!ci) return '—';
  return `[${f(ci.lower)}, ${f(ci.upper)}]`;
}

/** The confidence level as a percentage label (e.g. "95%"). */
function level(confidence: number | undefined): string {
  return confidence === undefined ? '' : `${f(confidence * 100)}%`;
}

const INTERVAL_METRICS = ['accuracy', 'precision', 'recall', 'roc_auc'] as const;

/** The interval of a performance metric, when the evidence has one (else undefined). */
export function performanceInterval(p: ReportPerformance, metric: string): string | undefined {
  const intervals = p.intervals;
  if (!intervals || !(INTERVAL_METRICS as readonly string[]).includes(metric)) return undefined;
  const ci = intervals[metric as (typeof INTERVAL_METRICS)[number]];
  return `${intervalText(ci)}${ci ? ` <span class="sub">${e(ci.method)}</span>` : ''}`;
}

/** The header of the interval column ("95% CI"), or '' without intervals. */
export function intervalHeader(p: ReportPerformance): string {
  return p.intervals ? `${level(p.intervals.confidence)} CI` : '';
}

/** Calibration slope, intercept and Hosmer–Lemeshow as metric rows (two cells each, plus the interval cell). */
export function calibrationRows(p: ReportPerformance, withIntervalColumn: boolean): string {
  const c: CalibrationFit | null | undefined = p.calibration;
  if (!c) return '';
  const pad = withIntervalColumn ? '<td></td>' : '';
  const rows = [
    ['calibration_slope', f(c.slope)],
    ['calibration_intercept', f(c.intercept)],
    [
      'hosmer_lemeshow',
      c.hosmer_lemeshow_statistic === null
        ? '—'
        : `${f(c.hosmer_lemeshow_statistic)} <span class="sub">p ${f(c.hosmer_lemeshow_pvalue)}, dof ${f(c.hosmer_lemeshow_dof)}</span>`,
    ],
  ].map(([name, value]) => `<tr><th>${e(name as string)}</th><td class="num">${value}</td>${pad}</tr>`);
  const note = c.note
    ? `<tr><td colspan="${withIntervalColumn ? 3 : 2}" class="sub">${e(c.note)}</td></tr>`
    : '';
  return rows.join('') + note;
}

/** The interval cells of a group's rates (selection rate, TPR, FPR), or '' without intervals. */
export function groupIntervalCells(
  group: NonNullable<ReportFairness['groups']>[string],
  rate: 'selection_rate' | 'true_positive_rate' | 'false_positive_rate',
): string {
  const intervals = (group as { intervals?: FairnessResult['groups'][string]['intervals'] }).intervals;
  if (!intervals) return '';
  return `<div class="sub">${intervalText(intervals[rate])}</div>`;
}

/**
 * The headline disparities (over the groups with at least min_group_size rows) with the
 * all-groups values beside them, and the Newcombe intervals of the differences.
 */
export function disparityTable(fr: ReportFairness): string {
  const judged = fr.judged;
  const all = fr.intervals;
  if (!judged) return '';
  const ci = (x: ConfidenceInterval | null | undefined) => `<div class="sub">${intervalText(x)}</div>`;
  const row = (
    name: string,
    key:
      | 'demographic_parity_difference'
      | 'demographic_parity_ratio'
      | 'equalized_odds_difference'
      | 'equalized_odds_ratio'
      | 'equal_opportunity_difference',
    interval: boolean,
  ) => {
    const intervalKey = key as 'demographic_parity_difference';
    return `<tr><th>${e(name)}</th><td class="num">${f(judged[key])}${interval ? ci(judged.intervals[intervalKey]) : ''}</td>
<td class="num">${f(fr[key] ?? null)}${interval ? ci(all?.[intervalKey]) : ''}</td></tr>`;
  };
  const small = Array.isArray(fr.small_groups) ? (fr.small_groups as string[]) : [];
  return `<table class="metrics"><caption>Disparities${fr.confidence !== undefined ? ` (${level(fr.confidence)} Newcombe intervals of the differences)` : ''}</caption>
<thead><tr><th></th><th>groups with ≥ ${f(fr.min_group_size as number | undefined)} rows (headline)</th><th>all groups${small.length > 0 ? ` (incl. ${small.map(e).join(', ')})` : ''}</th></tr></thead><tbody>
${row('demographic parity difference', 'demographic_parity_difference', true)}
${row('demographic parity ratio', 'demographic_parity_ratio', false)}
${row('equalized odds difference', 'equalized_odds_difference', true)}
${row('equalized odds ratio', 'equalized_odds_ratio', false)}
${row('equal opportunity difference', 'equal_opportunity_difference', true)}
</tbody></table>${judged.note ? `<p class="sub">${e(judged.note)}</p>` : ''}`;
}

/** Selection rate, TPR and FPR of each group across thresholds: three small line charts. */
export function sweepCharts(fr: ReportFairness): string {
  const sweep: ThresholdSweep | null | undefined = fr.threshold_sweep;
  if (!sweep) return '';
  const groups = Object.entries(sweep.groups);
  const chart = (title: string, key: 'selection_rate' | 'true_positive_rate' | 'false_positive_rate') => {
    const series: LineSeries[] = groups.map(([name, g], i) => {
      const x: number[] = [];
      const y: number[] = [];
      g[key].forEach((v, t) => {
        if (v !== null) {
          x.push(sweep.thresholds[t] as number);
          y.push(v);
        }
      });
      return { label: name, x, y, color: GROUP_COLORS[i % GROUP_COLORS.length] as string };
    });
    return unitLineChart({ title, xLabel: 'threshold (score ≥ t)', yLabel: title, series });
  };
  return `<div class="charts">${chart('selection rate', 'selection_rate')}${chart('true positive rate', 'true_positive_rate')}${chart('false positive rate', 'false_positive_rate')}</div>`;
}
