import type { RobustnessEvidence } from '../../contracts/robustness.ts';
import { modelReportPage } from './explain-report.ts';
import { escapeHtml as e, formatNumber as f } from './svg-charts.ts';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

const cell = (x: RobustnessEvidence['perturbations'][string][string] | undefined) =>
  x ? `${pct(x.flip_rate)}${x.no_score_rate > 0 ? ` (no score ${pct(x.no_score_rate)})` : ''}` : '';

/** Renders assay.robustness/v1 evidence as one self-contained HTML page. */
export function renderRobustnessReport(ev: RobustnessEvidence): string {
  const parts: string[] = [];
  const b = ev.baseline;
  parts.push(
    `<section><h2>Baseline</h2><p>${ev.config.rows_used} rows; decision = score ≥ ${ev.config.threshold}; positive rate ${pct(b.positive_rate)}; accuracy ${f(b.accuracy)}; ROC AUC ${f(b.roc_auc)}.</p></section>`,
  );
  if ((ev.suggested_findings ?? []).length > 0) {
    parts.push(
      `<section><h2>Suggested findings</h2><ul>${(ev.suggested_findings ?? []).map((s) => `<li><strong>[${e(s.severity)}]</strong> ${e(s.title)}</li>`).join('')}</ul></section>`,
    );
  }
  if (ev.properties.length > 0) {
    const rows = ev.properties
      .map((p) => {
        const c = p.counterexamples[0];
        const example = c
          ? `row ${c.row}: ${e(c.feature)} ${e(c.labels?.[0] ?? f(c.from))} → ${e(c.labels?.[1] ?? f(c.to))}, score ${f(c.score_from)} → ${f(c.score_to)}`
          : '';
        return `<tr class="${p.passed ? 'pass' : 'fail'}"><td>${e(p.name)}</td><td>${e(p.description)}</td><td>${p.passed ? 'holds' : 'violated'}</td><td>${p.violating_rows} (${pct(p.violation_rate)})</td><td>${example}</td></tr>`;
      })
      .join('');
    parts.push(
      `<section><h2>Declared properties</h2><table><thead><tr><th>property</th><th>checks</th><th>result</th><th>violating rows</th><th>worst counterexample</th></tr></thead><tbody>${rows}</tbody></table></section>`,
    );
  }
  if (ev.slices) {
    const cond = (s: RobustnessEvidence['slices'] & object) =>
      s.worst.map((sl) => {
        const text = sl.conditions
          .map((c) =>
            typeof c.value === 'string'
              ? `${c.feature} = ${c.value}`
              : `${c.value[0] === null ? '' : `${f(c.value[0])} ≤ `}${c.feature}${c.value[1] === null ? '' : ` < ${f(c.value[1])}`}`,
          )
          .join(' and ');
        return `<tr><td>${e(text)}</td><td>${sl.rows}</td><td>${f(sl.accuracy)} [${f(sl.interval[0])}, ${f(sl.interval[1])}]</td><td>${pct(sl.relative_drop)}</td><td>${f(sl.mean_log_loss)}</td></tr>`;
      });
    parts.push(`<section><h2>Failure slices</h2><p>The one- and two-feature slices where accuracy drops most below the overall ${f(ev.slices.global_accuracy)} (${ev.slices.candidates} slices of 5%–95% of the rows examined).</p>
<table><thead><tr><th>slice</th><th>rows</th><th>accuracy [95% interval]</th><th>relative drop</th><th>log loss</th></tr></thead><tbody>${cond(ev.slices).join('')}</tbody></table></section>`);
  }
  const kinds = [...new Set(Object.values(ev.perturbations).flatMap((r) => Object.keys(r)))];
  if (kinds.length > 0) {
    const rows = Object.entries(ev.perturbations)
      .map(
        ([feature, r]) =>
          `<tr><td>${e(feature)}</td>${kinds.map((k) => `<td>${cell(r[k])}</td>`).join('')}</tr>`,
      )
      .join('');
    parts.push(`<section><h2>Perturbations</h2><p>Share of decisions flipped when each feature is perturbed (noise_N: Gaussian noise of N% of the feature's standard deviation; extremes beyond the observed range; missing; another category; "no score" is the share of rows the model returned no number for, e.g. a linear model fed a missing value).</p>
<table><thead><tr><th>feature</th>${kinds.map((k) => `<th>${e(k)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></section>`);
  }
  if (ev.scenarios.length > 0) {
    const rows = ev.scenarios
      .map(
        (s) =>
          `<tr><td>${e(s.name)}</td><td>${e(s.description ?? JSON.stringify(s.shift))}</td><td>${pct(s.positive_rate_before)} → ${pct(s.positive_rate_after)}</td><td>${f(s.effect.mean_score_change)}</td><td>${pct(s.effect.flip_rate)}</td><td>${f(s.effect.accuracy_change)}</td></tr>`,
      )
      .join('');
    parts.push(
      `<section><h2>Scenarios</h2><table><thead><tr><th>scenario</th><th>shift</th><th>positive rate</th><th>mean score change</th><th>decisions flipped</th><th>accuracy change</th></tr></thead><tbody>${rows}</tbody></table></section>`,
    );
  }
  if (ev.warnings.length > 0)
    parts.push(
      `<section><h2>Notes</h2><ul>${ev.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></section>`,
    );
  return modelReportPage('Model robustness report', ev, parts.join('\n'));
}
