import type { ValidationThreshold } from '../../contracts/policy.ts';
import type { SuggestedFinding, ValidationEvidence } from '../../contracts/validation-evidence.ts';

/** Every number at a dotted path (`*` matches any key), with the concrete path it was found at. */
function numbersAt(root: unknown, path: string[]): { path: string; value: number }[] {
  const out: { path: string; value: number }[] = [];
  const walk = (node: unknown, i: number, at: string[]) => {
    if (i === path.length) {
      if (typeof node === 'number' && Number.isFinite(node)) out.push({ path: at.join('.'), value: node });
      return;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const key = path[i] as string;
    const entries =
      key === '*' ? Object.entries(node) : key in node ? [[key, (node as Record<string, unknown>)[key]]] : [];
    for (const [k, v] of entries) walk(v, i + 1, [...at, k as string]);
  };
  walk(root, 0, []);
  return out;
}

const breaches = (value: number, op: ValidationThreshold['op'], threshold: number): boolean =>
  op === '<'
    ? value < threshold
    : op === '<='
      ? value <= threshold
      : op === '>'
        ? value > threshold
        : value >= threshold;

/**
 * The policy's validation thresholds applied to an evidence document: one suggested finding per
 * breached rule and concrete metric (e.g. per group column), in rule order. `tier` selects the
 * rules that apply to the model's tier (rules without tiers always apply; with no tier known,
 * only those). Pure: the same evidence and rules give the same suggestions.
 */
export function suggestFindings(
  evidence: Pick<ValidationEvidence, 'performance' | 'fairness' | 'drift' | 'data_quality'>,
  rules: readonly ValidationThreshold[],
  tier: number | null,
): SuggestedFinding[] {
  const out: SuggestedFinding[] = [];
  for (const rule of rules) {
    if (rule.tiers && (tier === null || !rule.tiers.includes(tier))) continue;
    for (const hit of numbersAt(evidence, rule.metric.split('.'))) {
      if (!breaches(hit.value, rule.op, rule.threshold)) continue;
      out.push({
        id: `${rule.id}:${hit.path}`,
        rule: rule.id,
        metric: hit.path,
        value: hit.value,
        op: rule.op,
        threshold: rule.threshold,
        category: rule.category,
        severity: rule.severity,
        title: `${rule.title} (${hit.path} = ${formatValue(hit.value)}, ${rule.op} ${rule.threshold})`,
        description: [
          rule.description ?? rule.title,
          `Measured ${hit.path} = ${hit.value}; the policy rule '${rule.id}' flags values ${rule.op} ${rule.threshold}.`,
        ].join('\n\n'),
      });
    }
  }
  return out;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
