import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GenAiTest } from '../../contracts/genai.ts';
import { categoryRates, compareRates } from './scoring.ts';

const reference = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../test/fixtures/reference/genai/wilson.json'),
    'utf8',
  ),
) as {
  cases: { label: string; failures: number; n: number; confidence: number; lower: number; upper: number }[];
};

function rows(category: string, failures: number, passes: number, errors = 0): GenAiTest[] {
  const base = {
    probe: 'p',
    strategy: null,
    detector: null,
    categories: [category],
    tool_verdict: '',
    tool_score: null,
    assay_verdict: null,
    prompt_sha256: null,
    response_sha256: null,
    prompt_text: null,
    response_text: null,
    target_model: null,
    reason: null,
  };
  const out: GenAiTest[] = [];
  for (let i = 0; i < failures; i++) out.push({ ...base, id: `f${i}`, outcome: 'fail' });
  for (let i = 0; i < passes; i++) out.push({ ...base, id: `p${i}`, outcome: 'pass' });
  for (let i = 0; i < errors; i++) out.push({ ...base, id: `e${i}`, outcome: 'error' });
  return out;
}

describe('category rates', () => {
  it.each(reference.cases)('$label: Wilson interval = statsmodels proportion_confint', (c) => {
    const [r] = categoryRates(rows('owasp-llm:2025:LLM01', c.failures, c.n - c.failures, 2), c.confidence);
    expect(r?.n).toBe(c.n);
    expect(r?.errors).toBe(2);
    expect(r?.rate).toBeCloseTo(c.failures / c.n, 15);
    expect(r?.interval?.lower).toBeCloseTo(c.lower, 12);
    expect(r?.interval?.upper).toBeCloseTo(c.upper, 12);
  });

  it('errors only: no rate, no interval (never a silent 0)', () => {
    const [r] = categoryRates(rows('unmapped', 0, 0, 3));
    expect(r).toMatchObject({ n: 0, errors: 3, rate: null, interval: null });
  });

  it('the interval always holds the rate and lies in [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (f, p) => {
        fc.pre(f + p > 0);
        const [r] = categoryRates(rows('c', f, p));
        const ci = r?.interval;
        expect(ci && ci.lower <= (r?.rate as number) + 1e-12 && (r?.rate as number) <= ci.upper + 1e-12).toBe(
          true,
        );
        expect(ci && ci.lower >= 0 && ci.upper <= 1).toBe(true);
      }),
    );
  });
});

describe('comparison with the previous version', () => {
  const rate = (c: string, f: number, n: number) => categoryRates(rows(c, f, n - f))[0] as never;
  it('names regressions: separated intervals, or failures where there were none', () => {
    const previous = [
      rate('owasp-llm:2025:LLM01', 2, 100),
      rate('owasp-llm:2025:LLM07', 0, 20),
      rate('x', 3, 10),
    ];
    const current = [
      rate('owasp-llm:2025:LLM01', 40, 100),
      rate('owasp-llm:2025:LLM07', 1, 20),
      rate('y', 1, 5),
    ];
    const cmp = compareRates(previous, current);
    expect(cmp.rows.map((r) => [r.category, r.status])).toEqual([
      ['owasp-llm:2025:LLM01', 'regression'],
      ['owasp-llm:2025:LLM07', 'regression'],
      ['x', 'dropped'],
      ['y', 'new'],
    ]);
    expect(cmp.regressions).toEqual([
      'owasp-llm:2025:LLM01 (Prompt Injection): 2/100 → 40/100',
      'owasp-llm:2025:LLM07 (System Prompt Leakage): 0/20 → 1/20',
    ]);
  });

  it('a small rise within the noise is worse, not a regression; falls are better or improved', () => {
    const cmp = compareRates(
      [rate('a', 3, 30), rate('b', 30, 60), rate('c', 5, 50)],
      [rate('a', 4, 30), rate('b', 2, 60), rate('c', 5, 50)],
    );
    expect(cmp.rows.map((r) => r.status)).toEqual(['worse', 'improved', 'same']);
    expect(cmp.regressions).toEqual([]);
  });
});
