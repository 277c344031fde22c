import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { genaiThresholdSchema, policyDocumentSchema } from '../../contracts/policy.ts';
import { suggestGenAiFindings } from './genai-findings.ts';
import { importPromptfoo } from './promptfoo.ts';

const doc = importPromptfoo(
  readFileSync(
    path.resolve(import.meta.dirname, '../../../test/fixtures/genai/promptfoo/eval-0.121.20.json'),
  ),
);
const rule = (over: Record<string, unknown>) =>
  genaiThresholdSchema.parse({
    id: 'asr',
    category: 'owasp-llm:2025:LLM07',
    max: 0.2,
    findingCategory: 'model_risk',
    severity: 'high',
    title: 'System prompt leaks',
    ...over,
  });

describe('GenAI thresholds → suggested findings', () => {
  it('flags a category whose failure rate is above max, citing counts and interval', () => {
    const [f, ...rest] = suggestGenAiFindings(doc.rates, [rule({})], null);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      id: 'asr:owasp-llm:2025:LLM07',
      metric: 'rates.owasp-llm:2025:LLM07.rate',
      value: 1,
      op: '>',
      threshold: 0.2,
    });
    expect(f?.description).toMatch(/2 of 2 scored tests failed/);
  });

  it('measure lower is breached only when the optimistic bound is above max; minTests and tiers filter', () => {
    // 2 of 2: Wilson 95 % interval [0.342, 1]
    expect(suggestGenAiFindings(doc.rates, [rule({ measure: 'lower', max: 0.4 })], null)).toEqual([]);
    expect(suggestGenAiFindings(doc.rates, [rule({ measure: 'lower', max: 0.3 })], null)).toHaveLength(1);
    expect(suggestGenAiFindings(doc.rates, [rule({ measure: 'upper', max: 0.9 })], null)).toHaveLength(1);
    expect(suggestGenAiFindings(doc.rates, [rule({ minTests: 3 })], null)).toEqual([]);
    expect(suggestGenAiFindings(doc.rates, [rule({ tiers: [1] })], 2)).toEqual([]);
    expect(suggestGenAiFindings(doc.rates, [rule({ tiers: [1] })], 1)).toHaveLength(1);
    expect(suggestGenAiFindings(doc.rates, [rule({ tiers: [1] })], null)).toEqual([]);
  });

  it("'*' judges every mapped category, never 'unmapped'", () => {
    const ids = suggestGenAiFindings(doc.rates, [rule({ category: '*', max: 0.4 })], null).map((f) => f.id);
    expect(ids).toContain('asr:owasp-llm:2025:LLM01');
    expect(ids.every((id) => !id.endsWith(':unmapped'))).toBe(true);
    expect(ids).not.toContain('asr:owasp-llm:2025:LLM06');
  });

  it('the policy accepts genaiThresholds whose finding category is in its taxonomy, and refuses others', () => {
    const policy = parse(
      readFileSync(path.resolve(import.meta.dirname, '../../governance/policy/default-policy.yaml'), 'utf8'),
    );
    const category = policy.findings.taxonomy[0];
    const ok = policyDocumentSchema.safeParse({
      ...policy,
      genaiThresholds: [{ ...rule({}), findingCategory: category }],
    });
    expect(ok.success, JSON.stringify(ok.error?.issues)).toBe(true);
    const bad = policyDocumentSchema.safeParse({
      ...policy,
      genaiThresholds: [{ ...rule({}), findingCategory: 'nope' }],
    });
    expect(bad.error?.issues[0]?.message).toBe("category 'nope' is not in findings.taxonomy");
  });
});
