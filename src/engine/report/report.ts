import type { DataQualityResult, DriftResult, FeatureDrift } from '../../contracts/validation-drift.ts';
import { PERFORMANCE_METRICS } from '../../contracts/validation-evidence.ts';
import type { ReportEvidence, ReportFairness, ReportPerformance } from './report-input.ts';
import {
  calibrationRows,
  disparityTable,
  groupIntervalCells,
  intervalHeader,
  performanceInterval,
  sweepCharts,
} from './report-intervals.ts';
import { REPORT_CSS } from './report-style.ts';
import { escapeHtml as e, formatNumber as f, pairedHistogram, unitLineChart } from './svg-charts.ts';

/** Four-fifths rule: a selection-rate ratio below this is flagged (NYC Local Law 144 impact ratio). */
const FOUR_FIFTHS = 0.8;

type Verdict = 'pass' | 'warn' | 'fail' | 'none';

/** Renders the evidence as one self-contained HTML page (inline CSS and SVG; no scripts, no network). */
export function renderReport(evidence: ReportEvidence): string {
  const when = evidence.created_at ?? evidence.timestamp ?? '';
  const engine =
    typeof evidence.engine === 'string'
      ? evidence.engine
      : [evidence.engine?.name, evidence.engine?.version].filter(Boolean).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Assay validation report</title><style>${REPORT_CSS}</style></head>
<body><main>
<header><h1>Validation report</h1>
<p class="meta">${e(when)}${engine ? ` · ${e(engine)}` : ''}${evidence.schema ? ` · ${e(evidence.schema)}` : ''}</p></header>
${summarySection(evidence)}
${suggestionsSection(evidence)}
${inputsSection(evidence)}
${evidence.performance ? performanceSection(evidence.performance) : ''}
${evidence.fairness && Object.keys(evidence.fairness).length > 0 ? fairnessSection(evidence.fairness) : ''}
${evidence.drift ? driftSection(evidence.drift) : ''}
${evidence.data_quality ? qualitySection(evidence.data_quality) : ''}
</main></body></html>
`;
}

/** Policy threshold breaches, each with the rule, the measured value and how to adopt it. */
function suggestionsSection(ev: ReportEvidence): string {
  const list = ev.suggested_findings;
  if (!list) return '';
  const by = ev.judged_by
    ? ` <span class="meta">judged by ${e(ev.judged_by.source)}${ev.judged_by.policy_version !== null ? `, policy version ${f(ev.judged_by.policy_version)}` : ''}${ev.judged_by.tier !== null ? `, tier ${f(ev.judged_by.tier)}` : ''}</span>`
    : '';
  if (list.length === 0) {
    return `<section><h2>Suggested findings</h2><p>No policy threshold was breached.${by}</p></section>`;
  }
  const rows = list
    .map(
      (s) =>
        `<tr><td>${e(s.severity)}</td><td>${e(s.category)}</td><td>${e(s.title)}</td><td class="hash">${e(s.id)}</td></tr>`,
    )
    .join('');
  return `<section><h2>Suggested findings</h2><p>Breaches of the policy's validation thresholds. Adopt one with <code>assay findings adopt EVIDENCE_ID SUGGESTION_ID --owner USER</code>.${by}</p>
<table><thead><tr><th>severity</th><th>category</th><th>finding</th><th>suggestion id</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function verdictCard(title: string, verdict: Verdict, lines: string[]): string {
  const label = { pass: 'OK', warn: 'Review', fail: 'Breach', none: 'Not run' }[verdict];
  return `<div class="card ${verdict}"><h3>${e(title)}</h3><p class="verdict">${label}</p><ul>${lines.map((l) => `<li>${l}</li>`).join('')}</ul></div>`;
}

function fourFifthsFlag(fairness: ReportFairness): boolean {
  if (typeof fairness.four_fifths_violation === 'boolean') return fairness.four_fifths_violation;
  if (typeof fairness.four_fifths_flag === 'boolean') return fairness.four_fifths_flag;
  const ratio = fairness.demographic_parity_ratio;
  return typeof ratio === 'number' && ratio < FOUR_FIFTHS;
}

function summarySection(ev: ReportEvidence): string {
  const cards: string[] = [];
  const p = ev.performance;
  cards.push(
    p
      ? verdictCard('Performance', 'pass', [
          `ROC AUC ${f(p.roc_auc as number | null)}`,
          `accuracy ${f(p.accuracy as number | null)}`,
          `ECE ${f(p.ece as number | null)}`,
          `${f(p.count as number | undefined)} rows`,
        ])
      : verdictCard('Performance', 'none', ['no label and score given']),
  );
  const fairness = ev.fairness ? Object.entries(ev.fairness) : [];
  // the headline is judged over the groups large enough (newer evidence); a breach only with the
  // small groups included is a warning, never dropped
  const judgedFlag = (fr: ReportFairness) =>
    fr.judged ? fr.judged.four_fifths_violation : fourFifthsFlag(fr);
  const flagged = fairness.filter(([, fr]) => judgedFlag(fr)).map(([c]) => c);
  const smallOnly = fairness.filter(([, fr]) => !judgedFlag(fr) && fourFifthsFlag(fr)).map(([c]) => c);
  cards.push(
    fairness.length > 0
      ? verdictCard(
          'Fairness',
          flagged.length > 0 ? 'fail' : smallOnly.length > 0 ? 'warn' : 'pass',
          flagged.length > 0 || smallOnly.length > 0
            ? [
                ...(flagged.length > 0
                  ? [`four-fifths rule breached for: ${flagged.map(e).join(', ')}`]
                  : []),
                ...(smallOnly.length > 0
                  ? [
                      `selection-rate ratio below ${FOUR_FIFTHS} only with the too-small groups: ${smallOnly.map(e).join(', ')}`,
                    ]
                  : []),
              ]
            : [`${fairness.length} group column(s); no selection-rate ratio below ${FOUR_FIFTHS}`],
        )
      : verdictCard('Fairness', 'none', ['no group column given']),
  );
  const d = ev.drift;
  cards.push(
    d
      ? verdictCard('Drift', d.dataset_drifted ? 'fail' : d.drifted_count > 0 ? 'warn' : 'pass', [
          `${d.drifted_count} of ${d.feature_count} features drifted (share ${f(d.drift_share)}, threshold ${f(d.thresholds.drift_share)})`,
          d.prediction
            ? `prediction (${e(d.prediction.column)}) ${d.prediction.drift.drifted ? 'drifted' : 'stable'}`
            : 'no prediction drift computed',
        ])
      : verdictCard('Drift', 'none', ['no reference data given']),
  );
  const q = ev.data_quality;
  if (q) {
    const missingCols = Object.values(q.missing).filter((m) => m.count > 0).length;
    const leaks = q.leakage.suspicious_features.length;
    const unseen = q.schema_changes ? Object.keys(q.schema_changes.unseen_categories).length : 0;
    const schema = q.schema_changes
      ? q.schema_changes.new_columns.length +
        q.schema_changes.missing_columns.length +
        q.schema_changes.retyped_columns.length
      : 0;
    const verdict: Verdict =
      leaks > 0 || schema > 0
        ? 'fail'
        : missingCols > 0 || q.duplicates.count > 0 || unseen > 0
          ? 'warn'
          : 'pass';
    cards.push(
      verdictCard('Data quality', verdict, [
        `${f(q.rows)} rows × ${f(q.columns)} columns; ${missingCols} column(s) with missing values`,
        `${f(q.duplicates.count)} duplicate rows; ${q.constant_columns.length} constant column(s)`,
        `${leaks} leakage suspect(s)${q.leakage.rows_in_reference !== null ? `; ${f(q.leakage.rows_in_reference)} rows also in the reference` : ''}`,
        `${schema} schema change(s); ${unseen} column(s) with unseen categories`,
      ]),
    );
  } else {
    cards.push(verdictCard('Data quality', 'none', ['not computed']));
  }
  return `<section><h2>Summary</h2><div class="cards">${cards.join('')}</div></section>`;
}

function inputsSection(ev: ReportEvidence): string {
  const inputs = ev.inputs;
  if (!inputs) return '';
  const rows = (
    Array.isArray(inputs) ? inputs.map((i) => [i.role ?? '', i] as const) : Object.entries(inputs)
  ).map(
    ([role, i]) =>
      `<tr><td>${e(String(role))}</td><td>${e(i.path ?? i.file ?? '')}</td><td class="num">${f(i.rows)}</td><td class="hash">${e(i.sha256 ?? '')}</td></tr>`,
  );
  return `<section><h2>Inputs</h2><table><thead><tr><th>role</th><th>file</th><th>rows</th><th>SHA-256</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

const METRICS: (keyof ReportPerformance)[] = ['count', ...PERFORMANCE_METRICS];

/** The K × K confusion matrix and per-class metrics of a multiclass evaluation. */
function multiclassTables(p: ReportPerformance): string {
  const m = p.multiclass;
  if (!m) return '';
  const head = m.classes.map((c) => `<th>predicted ${e(c)}</th>`).join('');
  const rows = m.classes
    .map(
      (c, i) =>
        `<tr><th>actual ${e(c)}</th>${(m.confusion_matrix[i] ?? []).map((v) => `<td class="num">${f(v)}</td>`).join('')}</tr>`,
    )
    .join('');
  const perClass = m.classes
    .map((c) => {
      const k = m.per_class[c];
      return `<tr><th>${e(c)}</th><td class="num">${f(k?.precision ?? null)}</td><td class="num">${f(k?.recall ?? null)}</td><td class="num">${f(k?.f1 ?? null)}</td><td class="num">${f(k?.support ?? null)}</td></tr>`;
    })
    .join('');
  return `<table class="confusion"><caption>Confusion matrix</caption><tr><th></th>${head}</tr>${rows}</table>
<table class="metrics"><caption>Per class</caption><thead><tr><th>class</th><th>precision</th><th>recall</th><th>f1</th><th>support</th></tr></thead><tbody>${perClass}</tbody></table>`;
}

function confusion(p: ReportPerformance): string {
  const cm = p.confusion_matrix;
  if (!cm) return '';
  const [tn, fp, fn, tp] = Array.isArray(cm)
    ? [cm[0]?.[0], cm[0]?.[1], cm[1]?.[0], cm[1]?.[1]]
    : [cm.tn, cm.fp, cm.fn, cm.tp];
  return `<table class="confusion"><caption>Confusion matrix${typeof p.threshold === 'number' ? ` (score ≥ ${f(p.threshold)})` : ''}</caption>
<tr><th></th><th>predicted 0</th><th>predicted 1</th></tr>
<tr><th>actual 0</th><td class="num">${f(tn)}</td><td class="num">${f(fp)}</td></tr>
<tr><th>actual 1</th><td class="num">${f(fn)}</td><td class="num">${f(tp)}</td></tr></table>`;
}

function performanceSection(p: ReportPerformance): string {
  // with intervals (newer evidence), a third column holds them
  const ciHeader = intervalHeader(p);
  const metrics = METRICS.filter((m) => typeof p[m] === 'number' || p[m] === null).map(
    (m) =>
      `<tr><th>${e(String(m))}</th><td class="num">${f(p[m] as number | null)}</td>${ciHeader ? `<td class="num">${performanceInterval(p, String(m)) ?? ''}</td>` : ''}</tr>`,
  );
  metrics.push(calibrationRows(p, ciHeader !== ''));
  const metricsHead = ciHeader ? `<thead><tr><th></th><th></th><th>${e(ciHeader)}</th></tr></thead>` : '';
  const charts: string[] = [];
  if (p.roc_curve) {
    charts.push(
      unitLineChart({
        title: `ROC curve (AUC ${f(p.roc_auc ?? null)})`,
        xLabel: 'false positive rate',
        yLabel: 'true positive rate',
        diagonal: true,
        series: [{ label: 'model', x: p.roc_curve.fpr, y: p.roc_curve.tpr, color: '#1f5fa8' }],
      }),
    );
  }
  const pr = p.precision_recall_curve ?? p.pr_curve;
  if (pr) {
    charts.push(
      unitLineChart({
        title: `Precision–recall (AP ${f(p.average_precision ?? null)})`,
        xLabel: 'recall',
        yLabel: 'precision',
        series: [{ label: 'model', x: pr.recall, y: pr.precision, color: '#7b3fa0', step: true }],
      }),
    );
  }
  if (p.calibration_curve) {
    charts.push(
      unitLineChart({
        title: `Calibration (ECE ${f(p.ece ?? null)})`,
        xLabel: 'mean predicted probability',
        yLabel: 'fraction of positives',
        diagonal: true,
        series: [
          {
            label: 'model',
            x: p.calibration_curve.prob_pred,
            y: p.calibration_curve.prob_true,
            color: '#c0392b',
            dots: true,
          },
        ],
      }),
    );
  }
  const task = p.task && p.task !== 'binary' ? ` (${e(p.task)})` : '';
  return `<section><h2>Performance${task}</h2><div class="row"><table class="metrics">${metricsHead}<tbody>${metrics.join('')}</tbody></table>${confusion(p)}${multiclassTables(p)}</div>
<div class="charts">${charts.join('')}</div></section>`;
}

function fairnessSection(fairness: Record<string, ReportFairness>): string {
  const blocks = Object.entries(fairness).map(([column, fr]) => {
    const groups = Object.entries(fr.groups ?? {});
    // groups too small to judge are shown but do not set the reference rate
    const rates = groups
      .filter(([, g]) => !g.too_small)
      .map(([, g]) => g.selection_rate)
      .filter((r): r is number => typeof r === 'number');
    const maxRate = rates.length > 0 ? Math.max(...rates) : 0;
    const rows = groups.map(([name, g]) => {
      const ratio =
        g.impact_ratio !== undefined
          ? g.impact_ratio
          : typeof g.selection_rate === 'number' && maxRate > 0
            ? g.selection_rate / maxRate
            : null;
      const flagged = ratio !== null && !g.too_small && ratio < FOUR_FIFTHS;
      return `<tr class="${flagged ? 'flag' : ''}${g.too_small ? ' small' : ''}"><td>${e(name)}${g.too_small ? ' <span class="badge">too small</span>' : ''}</td>
<td class="num">${f(g.count)}</td><td class="num">${f(g.selection_rate)}${groupIntervalCells(g, 'selection_rate')}</td><td class="num">${f(ratio)}</td>
<td class="num">${f(g.true_positive_rate)}${groupIntervalCells(g, 'true_positive_rate')}</td><td class="num">${f(g.false_positive_rate)}${groupIntervalCells(g, 'false_positive_rate')}</td><td class="num">${f(g.accuracy)}</td></tr>`;
    });
    const flag = fourFifthsFlag(fr);
    // newer evidence: the headline (groups large enough to judge) beside all groups, with intervals
    const disparities = fr.judged
      ? disparityTable(fr)
      : `<p class="disparity">demographic parity difference <b class="${flag ? 'bad' : ''}">${f(fr.demographic_parity_difference)}</b>, ratio <b class="${flag ? 'bad' : ''}">${f(fr.demographic_parity_ratio)}</b>;
equalized odds difference <b>${f(fr.equalized_odds_difference)}</b>, ratio <b>${f(fr.equalized_odds_ratio)}</b>; equal opportunity difference <b>${f(fr.equal_opportunity_difference)}</b></p>`;
    const badge = fr.judged
      ? fr.judged.four_fifths_violation
        ? '<span class="badge bad">four-fifths breach</span>'
        : flag
          ? '<span class="badge">four-fifths ratio below 0.8 only with the too-small groups</span>'
          : ''
      : flag
        ? '<span class="badge bad">four-fifths breach</span>'
        : '';
    return `<h3>${e(column)} ${badge}</h3>
${disparities}
<table><thead><tr><th>group</th><th>count</th><th>selection rate</th><th>impact ratio</th><th>TPR</th><th>FPR</th><th>accuracy</th></tr></thead><tbody>${rows.join('')}</tbody></table>${fr.judged && groups.some(([, g]) => g.intervals) ? `<p class="sub">Rates with their Wilson intervals${fr.confidence !== undefined ? ` (${f(fr.confidence * 100)}%)` : ''}.</p>` : ''}
${sweepCharts(fr)}`;
  });
  return `<section><h2>Fairness</h2>${blocks.join('')}</section>`;
}

function driftRow(name: string, d: FeatureDrift): string {
  const stats =
    d.kind === 'numeric'
      ? `KS ${f(d.ks_statistic)} (p ${f(d.ks_pvalue)}, ${e(d.ks_method ?? '—')})<br>Wasserstein/σ ${f(d.wasserstein_normed)}`
      : `χ² p ${f(d.chi2_pvalue)} (dof ${f(d.chi2_dof)}${d.chi2_yates ? ', Yates' : ''})<br>JS ${f(d.js_distance)}`;
  const labels =
    d.histogram.labels !== null
      ? [...d.histogram.labels, ...(d.histogram.other_label ? [d.histogram.other_label] : [])]
      : (d.histogram.edges ?? [])
          .slice(0, -1)
          .map((lo, i) => `${f(lo)} – ${f((d.histogram.edges ?? [])[i + 1])}`);
  const chart = pairedHistogram({
    title: `${name} reference vs current`,
    labels,
    reference: d.histogram.reference,
    current: d.histogram.current,
  });
  return `<tr class="${d.drifted ? 'flag' : ''}"><td>${e(name)}<div class="sub">${e(d.kind)} · ${f(d.reference_count)} / ${f(d.current_count)} values${d.note ? ` · ${e(d.note)}` : ''}</div></td>
<td>${stats}</td><td class="num">${f(d.psi)}${d.psi_drifted ? ' <span class="badge">≥ PSI threshold</span>' : ''}</td>
<td>${e(d.test)} ${f(d.test_value)} vs ${f(d.test_threshold)}</td><td>${d.drifted ? '<b class="bad">drifted</b>' : 'stable'}</td><td>${chart}</td></tr>`;
}

function driftSection(d: DriftResult): string {
  const rows = Object.entries(d.features).map(([name, fd]) => driftRow(name, fd));
  if (d.prediction) rows.push(driftRow(`${d.prediction.column} (prediction)`, d.prediction.drift));
  return `<section><h2>Drift</h2>
<p>${d.drifted_count} of ${d.feature_count} features drifted; share ${f(d.drift_share)} — dataset ${d.dataset_drifted ? '<b class="bad">drifted</b>' : 'not drifted'} (threshold ${f(d.thresholds.drift_share)}).${d.excluded_features?.length ? ` Not counted (leakage suspects, shown below): ${e(d.excluded_features.join(', '))}.` : ''}
<span class="legend"><i class="ref"></i> reference <i class="cur"></i> current</span></p>
<table class="drift"><thead><tr><th>feature</th><th>statistics</th><th>PSI</th><th>decided by</th><th>verdict</th><th>distribution</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function qualitySection(q: DataQualityResult): string {
  const rows = Object.entries(q.missing).map(([column, m]) => {
    const o = q.outliers[column];
    const constant = q.constant_columns.includes(column);
    const auc = q.leakage.feature_auc[column];
    const suspicious = q.leakage.suspicious_features.includes(column);
    const unseen = q.schema_changes?.unseen_categories[column];
    return `<tr class="${suspicious ? 'flag' : ''}"><td>${e(column)}</td><td class="num">${f(m.count)}</td><td class="num">${f(m.share)}</td>
<td class="num">${o ? f(o.count) : '—'}</td><td>${constant ? 'constant' : ''}</td><td class="num">${auc === undefined ? '—' : f(auc)}${suspicious ? ' <span class="badge bad">leakage?</span>' : ''}</td>
<td>${unseen ? `${f(unseen.distinct)} unseen (${f(unseen.rows)} rows): ${unseen.examples.slice(0, 5).map(e).join(', ')}` : ''}</td></tr>`;
  });
  const sc = q.schema_changes;
  const schema = sc
    ? `<p>New columns: ${sc.new_columns.map(e).join(', ') || 'none'}. Missing columns: ${sc.missing_columns.map(e).join(', ') || 'none'}.
Retyped: ${sc.retyped_columns.map((r) => `${e(r.column)} (${e(r.reference_kind)} → ${e(r.current_kind)})`).join(', ') || 'none'}.</p>`
    : '<p>No reference: schema changes not checked.</p>';
  return `<section><h2>Data quality</h2>
<p>${f(q.rows)} rows × ${f(q.columns)} columns${q.reference_rows !== null ? ` (reference ${f(q.reference_rows)} rows)` : ''}; ${f(q.duplicates.count)} duplicate rows (${f(q.duplicates.share)});
${q.leakage.rows_in_reference !== null ? `${f(q.leakage.rows_in_reference)} rows also in the reference; ` : ''}outliers by ${f(q.thresholds.iqr_multiplier)} × IQR; leakage when a single feature's AUC ≥ ${f(q.thresholds.leakage_auc)}${q.leakage.note ? ` (${e(q.leakage.note)})` : ''}.</p>
${schema}
<table><thead><tr><th>column</th><th>missing</th><th>share</th><th>outliers</th><th>constant</th><th>single-feature AUC</th><th>unseen categories</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
