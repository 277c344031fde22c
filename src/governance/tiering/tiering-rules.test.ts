import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EuAiActAnswers, PolicyDocument } from '../../contracts/policy.ts';
import { ValidationError } from '../../platform/errors.ts';
import { defaultPolicyYaml, parsePolicyYaml } from '../policy/policy-document.ts';
import { classifyEuAiAct, scoreTiering, tierForScore } from './tiering-rules.ts';

const policy = parsePolicyYaml(defaultPolicyYaml());
const questions = policy.tiering.questions;

/** Random complete answers as answer indexes per question. */
const answerIndexes = fc.tuple(...questions.map((q) => fc.nat({ max: q.answers.length - 1 })));

function answersOf(p: PolicyDocument, idx: readonly number[]): Record<string, string> {
  return Object.fromEntries(p.tiering.questions.map((q, i) => [q.id, q.answers[idx[i] ?? 0]!.id]));
}

describe('tiering score', () => {
  it('is the sum of the chosen weights, within [0, maxScore], with every question in the rationale', () => {
    fc.assert(
      fc.property(answerIndexes, (idx) => {
        const r = scoreTiering(policy, answersOf(policy, idx));
        const expected = questions.reduce((s, q, i) => s + q.answers[idx[i]!]!.weight, 0);
        expect(r.score).toBe(expected);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(r.maxScore);
        expect(r.rationale.map((c) => c.questionId).sort()).toEqual(questions.map((q) => q.id).sort());
        for (let i = 1; i < r.rationale.length; i++)
          expect(r.rationale[i - 1]!.weight).toBeGreaterThanOrEqual(r.rationale[i]!.weight);
      }),
    );
  });

  it('choosing a riskier answer never lowers the risk (tier number never rises)', () => {
    fc.assert(
      fc.property(
        answerIndexes,
        fc.nat({ max: questions.length - 1 }),
        fc.nat({ max: 10 }),
        (idx, qi, pick) => {
          const q = questions[qi]!;
          const current = q.answers[idx[qi]!]!;
          const heavier = q.answers.filter((a) => a.weight >= current.weight);
          const chosen = heavier[pick % heavier.length]!;
          const before = scoreTiering(policy, answersOf(policy, idx));
          const after = scoreTiering(policy, { ...answersOf(policy, idx), [q.id]: chosen.id });
          expect(after.score).toBeGreaterThanOrEqual(before.score);
          expect(after.tier).toBeLessThanOrEqual(before.tier);
        },
      ),
    );
  });

  it('raising an answer weight in the policy is monotone in score and tier', () => {
    fc.assert(
      fc.property(
        answerIndexes,
        fc.nat({ max: questions.length - 1 }),
        fc.integer({ min: 1, max: 50 }),
        (idx, qi, bump) => {
          const answers = answersOf(policy, idx);
          const bumped: PolicyDocument = structuredClone(policy);
          const q = bumped.tiering.questions[qi]!;
          const a = q.answers.find((x) => x.id === answers[q.id])!;
          a.weight += bump;
          const before = scoreTiering(policy, answers);
          const after = scoreTiering(bumped, answers);
          expect(after.score).toBe(before.score + bump);
          expect(after.tier).toBeLessThanOrEqual(before.tier);
        },
      ),
    );
  });

  it('tierForScore is antitone and every score lands in a defined tier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(tierForScore(policy, hi)).toBeLessThanOrEqual(tierForScore(policy, lo));
        expect(policy.tiers.map((t) => t.tier)).toContain(tierForScore(policy, lo));
      }),
    );
  });

  it('the boundaries of the default thresholds', () => {
    for (const t of policy.tiering.thresholds) {
      expect(tierForScore(policy, t.minScore)).toBe(t.tier);
      if (t.minScore > 0) expect(tierForScore(policy, t.minScore - 0.5)).toBeGreaterThan(t.tier);
    }
  });

  it('refuses missing, unknown and invalid answers naming the field', () => {
    const all = answersOf(
      policy,
      questions.map(() => 0),
    );
    const { autonomy: _drop, ...missing } = all;
    expect(() => scoreTiering(policy, missing)).toThrow(
      expect.objectContaining({ details: { field: 'answers.autonomy' } }),
    );
    expect(() => scoreTiering(policy, { ...all, bogus: 'x' })).toThrow(ValidationError);
    expect(() => scoreTiering(policy, { ...all, autonomy: 'nope' })).toThrow(/not an answer of 'autonomy'/);
  });
});

const none: EuAiActAnswers = {
  prohibitedPractices: [],
  annexIIIAreas: [],
  annexIProducts: [],
  transparency: [],
  art6_3Derogation: false,
  profilesNaturalPersons: false,
  publicServiceDeployer: false,
  creditOrInsuranceAssessment: false,
};
const eu = policy.euAiAct;
const subset = (ids: string[]) => fc.subarray(ids);
const euAnswers = fc.record({
  prohibitedPractices: subset(eu.prohibitedPractices.map((p) => p.id)),
  annexIIIAreas: subset(eu.annexIIIAreas.map((p) => p.id)),
  annexIProducts: subset(eu.annexIProducts.map((p) => p.id)),
  transparency: subset(eu.transparency.map((p) => p.id)),
  art6_3Derogation: fc.boolean(),
  profilesNaturalPersons: fc.boolean(),
  publicServiceDeployer: fc.boolean(),
  creditOrInsuranceAssessment: fc.boolean(),
});
const RANK = { prohibited: 0, high_risk: 1, limited_risk: 2, minimal: 3 } as const;

describe('EU AI Act classification', () => {
  const at = new Date('2027-01-01T00:00:00Z');

  it('credit scoring (Annex III point 5) is high-risk with obligations from 2027-12-02, not yet applying in 2027-01', () => {
    const r = classifyEuAiAct(policy, { ...none, annexIIIAreas: ['essential_services'] }, at);
    expect(r.class).toBe('high_risk');
    expect(r.obligationsFrom).toBe('2027-12-02');
    expect(r.matched[0]?.applies).toBe(false);
    expect(
      classifyEuAiAct(
        policy,
        { ...none, annexIIIAreas: ['essential_services'] },
        new Date('2027-12-02T00:00:00Z'),
      ).matched[0]?.applies,
    ).toBe(true);
  });

  it('the Art. 6(3) derogation lowers an Annex III use unless it profiles people', () => {
    const base = { ...none, annexIIIAreas: ['employment'], art6_3Derogation: true };
    expect(classifyEuAiAct(policy, base, at).class).toBe('minimal');
    expect(classifyEuAiAct(policy, { ...base, profilesNaturalPersons: true }, at).class).toBe('high_risk');
  });

  it('a chatbot is limited risk under Art. 50(1)', () => {
    const r = classifyEuAiAct(policy, { ...none, transparency: ['interacts_with_people'] }, at);
    expect(r).toMatchObject({ class: 'limited_risk', obligationsFrom: '2026-08-02' });
  });

  it('properties: prohibited dominates, adding provisions never lowers the class, nothing matched is minimal', () => {
    fc.assert(
      fc.property(euAnswers, fc.constantFrom(...GROUP_IDS()), (a, extra) => {
        const r = classifyEuAiAct(policy, a, at);
        if (a.prohibitedPractices.length > 0) expect(r.class).toBe('prohibited');
        if (a.annexIProducts.length > 0) expect(RANK[r.class]).toBeLessThanOrEqual(RANK.high_risk);
        const total =
          a.prohibitedPractices.length +
          a.annexIIIAreas.length +
          a.annexIProducts.length +
          a.transparency.length;
        if (total === 0) expect(r.class).toBe('minimal');
        const [group, id] = extra;
        const more = { ...a, [group]: [...new Set([...a[group], id])] };
        expect(RANK[classifyEuAiAct(policy, more, at).class]).toBeLessThanOrEqual(RANK[r.class]);
      }),
    );
  });

  it('an id the policy does not define is refused', () => {
    expect(() => classifyEuAiAct(policy, { ...none, annexIIIAreas: ['astrology'] }, at)).toThrow(
      ValidationError,
    );
  });
});

function GROUP_IDS(): [
  'prohibitedPractices' | 'annexIIIAreas' | 'annexIProducts' | 'transparency',
  string,
][] {
  return [
    ...eu.prohibitedPractices.map((p) => ['prohibitedPractices', p.id] as const),
    ...eu.annexIIIAreas.map((p) => ['annexIIIAreas', p.id] as const),
    ...eu.annexIProducts.map((p) => ['annexIProducts', p.id] as const),
    ...eu.transparency.map((p) => ['transparency', p.id] as const),
  ].map(([g, id]) => [g, id]);
}

describe('EU AI Act obligations in the policy', () => {
  const at = new Date('2027-01-01T00:00:00Z');
  const types = (r: ReturnType<typeof classifyEuAiAct>, gate: 'validation' | 'production') =>
    (r.obligations ?? []).filter((o) => o.gates.includes(gate)).flatMap((o) => o.evidence);

  it('high-risk carries Art. 9-15, 43, 49, 72; Art. 27 only for public-service deployers or Annex III 5(b)/(c)', () => {
    const credit = classifyEuAiAct(policy, { ...none, annexIIIAreas: ['essential_services'] }, at);
    expect((credit.obligations ?? []).map((o) => o.article)).toEqual([
      'Art. 9',
      'Art. 10',
      'Art. 11, Annex IV',
      'Art. 12',
      'Art. 13',
      'Art. 14',
      'Art. 15',
      'Art. 43',
      'Art. 49, Art. 71',
      'Art. 72',
    ]);
    expect(credit.fundamentalRightsImpactAssessment).toBe(false);
    const withFria = classifyEuAiAct(
      policy,
      { ...none, annexIIIAreas: ['essential_services'], creditOrInsuranceAssessment: true },
      at,
    );
    expect(types(withFria, 'production')).toContain('fundamental_rights_impact_assessment');
    // Critical infrastructure (Annex III point 2) is excepted from Art. 27.
    const grid = classifyEuAiAct(
      policy,
      { ...none, annexIIIAreas: ['critical_infrastructure'], publicServiceDeployer: true },
      at,
    );
    expect(grid.fundamentalRightsImpactAssessment).toBe(false);
    expect(types(credit, 'validation')).toEqual(['risk_management_system', 'data_governance']);
  });

  it('properties: prohibited and minimal carry none; limited risk only the Art. 50 paragraphs matched; a high-risk system also gets its matched Art. 50 ones', () => {
    fc.assert(
      fc.property(euAnswers, (a) => {
        const r = classifyEuAiAct(policy, a, at);
        const obligations = r.obligations ?? [];
        if (r.class === 'prohibited' || r.class === 'minimal') expect(obligations).toEqual([]);
        const art50 = obligations.filter((o) => o.article.startsWith('Art. 50'));
        if (r.class === 'high_risk' || r.class === 'limited_risk')
          expect(art50.length).toBe(a.transparency.length);
        if (r.class === 'high_risk') expect(obligations.map((o) => o.article)).toContain('Art. 9');
        if (r.class === 'limited_risk') expect(obligations.length).toBe(art50.length);
      }),
    );
  });
});
