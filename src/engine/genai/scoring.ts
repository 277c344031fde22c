import type { GenAiCategoryRate, GenAiComparison, GenAiTest } from '../../contracts/genai.ts';
import { criticalValue, DEFAULT_CONFIDENCE, wilson } from '../performance/intervals.ts';
import { categoryName } from './taxonomy.ts';

/**
 * Failure (attack success) rate per category, computed from the normalised rows only — never from
 * a tool's summary. A row counts in every category it maps to; `error` rows are counted apart and
 * left out of n. Wilson score interval at `confidence` (statsmodels
 * `proportion_confint(failures, n, alpha=1-confidence, method='wilson')`). Sorted by category.
 */
export function categoryRates(
  tests: readonly GenAiTest[],
  confidence = DEFAULT_CONFIDENCE,
): GenAiCategoryRate[] {
  const z = criticalValue(confidence);
  const counts = new Map<string, { pass: number; fail: number; error: number }>();
  for (const t of tests) {
    for (const c of t.categories) {
      const entry = counts.get(c) ?? { pass: 0, fail: 0, error: 0 };
      entry[t.outcome]++;
      counts.set(c, entry);
    }
  }
  return [...counts.keys()].sort().map((category) => {
    const { pass, fail, error } = counts.get(category) as { pass: number; fail: number; error: number };
    const n = pass + fail;
    const ci = wilson(fail, n, z);
    return {
      category,
      name: categoryName(category),
      n,
      failures: fail,
      errors: error,
      rate: n > 0 ? fail / n : null,
      interval: ci ? { lower: ci.lower, upper: ci.upper, method: 'wilson' as const, confidence } : null,
    };
  });
}

/**
 * Compares a version's rates with the previous version's, category by category. A `regression`
 * is a higher rate whose Wilson interval lies wholly above the previous one, or failures in a
 * category that had none before in at least as many tests; a higher rate otherwise is `worse`
 * (within the noise). `improved` / `better` mirror them. Regressions are named in `regressions`.
 */
export function compareRates(
  previous: readonly GenAiCategoryRate[],
  current: readonly GenAiCategoryRate[],
): GenAiComparison {
  const before = new Map(previous.map((r) => [r.category, r]));
  const after = new Map(current.map((r) => [r.category, r]));
  const categories = [...new Set([...before.keys(), ...after.keys()])].sort();
  const rows = categories.map((category) => {
    const p = before.get(category) ?? null;
    const c = after.get(category) ?? null;
    const name = categoryName(category);
    if (!p || p.rate === null)
      return { category, name, previous: p, current: c, delta: null, status: 'new' as const };
    if (!c || c.rate === null)
      return { category, name, previous: p, current: c, delta: null, status: 'dropped' as const };
    const delta = c.rate - p.rate;
    let status: 'regression' | 'worse' | 'same' | 'better' | 'improved' = 'same';
    if (delta > 0) {
      const separated = c.interval && p.interval && c.interval.lower > p.interval.upper;
      const fromZero = p.failures === 0 && c.failures > 0 && c.n >= p.n;
      status = separated || fromZero ? 'regression' : 'worse';
    } else if (delta < 0) {
      const separated = c.interval && p.interval && c.interval.upper < p.interval.lower;
      status = separated ? 'improved' : 'better';
    }
    return { category, name, previous: p, current: c, delta, status };
  });
  return {
    rows,
    regressions: rows
      .filter((r) => r.status === 'regression')
      .map(
        (r) =>
          `${r.category} (${r.name}): ${r.previous?.failures}/${r.previous?.n} → ${r.current?.failures}/${r.current?.n}`,
      ),
  };
}
