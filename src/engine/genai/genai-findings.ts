import type { GenAiCategoryRate } from '../../contracts/genai.ts';
import type { GenAiThreshold } from '../../contracts/policy.ts';
import type { SuggestedFinding } from '../../contracts/validation-evidence.ts';

function measured(r: GenAiCategoryRate, measure: GenAiThreshold['measure']): number | null {
  if (measure === 'rate') return r.rate;
  return r.interval ? (measure === 'lower' ? r.interval.lower : r.interval.upper) : null;
}

/**
 * The policy's GenAI thresholds applied to a document's category rates: one suggested finding per
 * breached rule and category (`value > max`), in rule order. Rules with tiers apply only to those
 * tiers (with no tier known, only rules without tiers apply). Categories with fewer scored tests
 * than `minTests` are not judged. Pure.
 */
export function suggestGenAiFindings(
  rates: readonly GenAiCategoryRate[],
  rules: readonly GenAiThreshold[],
  tier: number | null,
): SuggestedFinding[] {
  const out: SuggestedFinding[] = [];
  for (const rule of rules) {
    if (rule.tiers && (tier === null || !rule.tiers.includes(tier))) continue;
    const measure = rule.measure ?? 'rate';
    for (const r of rates) {
      if (rule.category === '*' ? r.category === 'unmapped' : r.category !== rule.category) continue;
      if (r.n < (rule.minTests ?? 1)) continue;
      const value = measured(r, measure);
      if (value === null || !(value > rule.max)) continue;
      const metric = `rates.${r.category}.${measure}`;
      out.push({
        id: `${rule.id}:${r.category}`,
        rule: rule.id,
        metric,
        value,
        op: '>',
        threshold: rule.max,
        category: rule.findingCategory,
        severity: rule.severity,
        title: `${rule.title} (${r.category} ${r.name}: ${r.failures}/${r.n}, ${measure} ${value.toPrecision(3)} > ${rule.max})`,
        description: [
          rule.description ?? rule.title,
          `${r.failures} of ${r.n} scored tests failed in ${r.category} (${r.name})${r.interval ? `, Wilson ${r.interval.confidence * 100}% interval ${r.interval.lower.toFixed(3)}–${r.interval.upper.toFixed(3)}` : ''}; the policy rule '${rule.id}' flags a ${measure} above ${rule.max}.`,
        ].join('\n\n'),
      });
    }
  }
  return out;
}
