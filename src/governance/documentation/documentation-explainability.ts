import type { EvidenceRef } from '../../contracts/documentation.ts';
import type { ExplainEvidence } from '../../contracts/explain.ts';

const n = (v: number) => String(Number(v.toPrecision(3)));

/**
 * The model card's explainability section drafted from the newest assay.explain/v1 evidence: which
 * features drive the model (mean |SHAP| and permutation importance), the methods and what they
 * were computed on, citing the evidence. Pure.
 */
export function explainabilityText(doc: ExplainEvidence, ref: EvidenceRef): string {
  const parts: string[] = [];
  const m = doc.model;
  parts.push(
    `Explanation evidence ${ref.evidenceId} (assay.explain/v1 of ${doc.created_at.slice(0, 10)}) was computed by running the model itself (${m.kind}${m.artifact_sha256 ? `, artifact SHA-256 ${m.artifact_sha256.slice(0, 12)}…` : ''}) on ${doc.config.rows_used} rows, ${m.evaluations} model evaluations, seed ${doc.config.seed}.`,
  );
  const shap = doc.shap;
  if (shap) {
    const method = {
      tree: 'interventional TreeSHAP (exact)',
      exact: 'exact Shapley values by enumeration',
      kernel:
        shap.l1_reg && shap.l1_reg !== 'none'
          ? `KernelSHAP with shap's l1_reg ${shap.l1_reg} feature selection, unselected features getting 0`
          : 'KernelSHAP',
      tree_path_dependent: "path-dependent TreeSHAP (exact, from the trees' node covers)",
    }[shap.method];
    const top = shap.global.slice(0, 5).map((g) => `${g.feature} (${n(g.mean_abs)})`);
    const against =
      shap.method === 'tree_path_dependent'
        ? 'conditional on the training distribution the trees record'
        : `against ${shap.background_rows} background rows`;
    parts.push(
      `Global importance by mean |SHAP value| (${method}, ${shap.rows.length} rows ${against}): ${top.join(', ')}.`,
    );
  }
  const pi = doc.permutation_importance;
  if (pi) {
    const top = [...pi.features]
      .sort((a, b) => b.mean - a.mean)
      .slice(0, 5)
      .map((r) => `${r.feature} (${n(r.mean)} ± ${n(r.std)})`);
    parts.push(
      `Permutation importance (drop in ${pi.scoring} from ${n(pi.baseline)}, ${pi.n_repeats} repeats): ${top.join(', ')}.`,
    );
  }
  if (doc.partial_dependence.length > 0) {
    parts.push(
      `Partial dependence and individual conditional expectation curves are in the evidence for: ${doc.partial_dependence.map((p) => p.feature).join(', ')}.`,
    );
  }
  return parts.join(' ');
}
