import type { ExplainEvidence } from '../../contracts/explain.ts';
import { barChart, rangeLineChart } from './model-charts.ts';
import { REPORT_CSS } from './report-style.ts';
import { escapeHtml as e, formatNumber as f } from './svg-charts.ts';

/** The page head and model facts shared by the explanation and robustness reports. */
export function modelReportPage(
  title: string,
  evidence: {
    schema: string;
    created_at: string;
    engine: { version: string };
    inputs: { role: string; path: string; sha256: string; rows: number }[];
    model: { kind: string; source: string; artifact_sha256: string | null; evaluations: number };
  },
  body: string,
): string {
  const inputs = evidence.inputs
    .map(
      (i) =>
        `<tr><td>${e(i.role)}</td><td>${e(i.path)}</td><td>${i.rows}</td><td><code>${e(i.sha256)}</code></td></tr>`,
    )
    .join('');
  const m = evidence.model;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Assay ${e(title.toLowerCase())}</title><style>${REPORT_CSS}</style></head>
<body><main>
<header><h1>${e(title)}</h1>
<p class="meta">${e(evidence.created_at)} · assay ${e(evidence.engine.version)} · ${e(evidence.schema)}</p></header>
<section><h2>Model and inputs</h2>
<table><tbody>
<tr><th>runner</th><td>${e(m.kind)}</td></tr>
<tr><th>model</th><td>${e(m.source)}</td></tr>
<tr><th>artifact SHA-256</th><td><code>${e(m.artifact_sha256 ?? '— (not available for this runner)')}</code></td></tr>
<tr><th>model evaluations</th><td>${m.evaluations}</td></tr>
</tbody></table>
<table><thead><tr><th>role</th><th>file</th><th>rows</th><th>SHA-256</th></tr></thead><tbody>${inputs}</tbody></table>
</section>
${body}
</main></body></html>
`;
}

/** Renders assay.explain/v1 evidence as one self-contained HTML page. */
export function renderExplainReport(evidence: ExplainEvidence): string {
  const parts: string[] = [];
  const pi = evidence.permutation_importance;
  if (pi) {
    const sorted = [...pi.features].sort((a, b) => b.mean - a.mean);
    parts.push(`<section><h2>Permutation importance</h2>
<p>Drop in ${e(pi.scoring)} (baseline ${f(pi.baseline)}) when a feature's values are permuted: mean ± standard deviation over ${pi.n_repeats} repeats on ${pi.rows} rows (seed ${pi.seed}, scikit-learn's algorithm).</p>
${barChart({ title: `Permutation importance (${pi.scoring})`, bars: sorted.map((r) => ({ label: r.feature, value: r.mean, error: r.std })) })}
</section>`);
  }
  const shap = evidence.shap;
  if (shap) {
    const rows = shap.rows
      .slice(0, 10)
      .map(
        (r) =>
          `<tr><td>${r.row}</td><td>${f(r.prediction)}</td>${r.values.map((v) => `<td>${f(v, 3)}</td>`).join('')}</tr>`,
      )
      .join('');
    parts.push(`<section><h2>Shapley values (${e(shap.method)})</h2>
<p>${shap.method === 'tree_path_dependent' ? "Path-dependent TreeSHAP: conditional expectations from the trees' node covers, no background" : `Against ${shap.background_rows} background rows`} (expected value ${f(shap.expected_value)}); ${shap.rows.length} rows explained; additivity error at most ${f(shap.additivity_max_error)}.${shap.method === 'tree' ? ` Interventional TreeSHAP on the ensemble read from the ONNX graph (it scores within ${f(shap.tree_check_max_difference)} of ONNX Runtime).` : ''}${shap.method === 'kernel' ? ` KernelSHAP as shap's KernelExplainer: ${shap.nsamples ?? 0} coalitions per row at most, l1_reg ${e(shap.l1_reg ?? 'none')}${shap.kernel_selected_max !== null && shap.kernel_selected_max !== undefined ? ` (at most ${shap.kernel_selected_max} features kept per row; the others get 0)` : ''}.` : ''}${shap.method === 'tree_path_dependent' ? ` The ensemble read from the ONNX graph scores within ${f(shap.tree_check_max_difference)} of ONNX Runtime.` : ''}</p>
${barChart({ title: 'Global importance: mean |SHAP value|', bars: shap.global.map((g) => ({ label: g.feature, value: g.mean_abs })) })}
<table><thead><tr><th>row</th><th>prediction</th>${evidence.model.features.map((ft) => `<th>${e(ft.name)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
</section>`);
  }
  if (evidence.partial_dependence.length > 0) {
    const charts = evidence.partial_dependence.map((pd) =>
      rangeLineChart({
        title: `Partial dependence: ${pd.feature}`,
        xLabel: pd.feature,
        yLabel: 'score',
        x: pd.grid,
        lines: [
          ...pd.ice.map((c) => ({ y: c.values, color: '#bbb', width: 1 })),
          { y: pd.average, color: '#2c7fb8', width: 3 },
        ],
        ...(pd.categories
          ? { xTicks: pd.grid.map((g) => ({ value: g, label: pd.categories?.[g] ?? String(g) })) }
          : {}),
      }),
    );
    parts.push(`<section><h2>Partial dependence and ICE</h2>
<p>Average score with the feature set to each grid value (blue), and the curves of ${evidence.partial_dependence[0]?.ice.length ?? 0} individual rows (grey); scikit-learn's brute method and grid.</p>
<div class="charts">${charts.join('')}</div></section>`);
  }
  if (evidence.warnings.length > 0) {
    parts.push(
      `<section><h2>Notes</h2><ul>${evidence.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></section>`,
    );
  }
  return modelReportPage('Model explanation report', evidence, parts.join('\n'));
}
