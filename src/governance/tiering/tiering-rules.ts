import type {
  EuAiActAnswers,
  EuClassification,
  PolicyDocument,
  TieringQuestion,
} from '../../contracts/policy.ts';
import { ValidationError } from '../../platform/errors.ts';
import { euObligationsFor, fundamentalRightsAssessmentDue } from './eu-obligations.ts';

/** One answer's share of the score. */
export interface Contribution {
  questionId: string;
  question: string;
  answerId: string;
  answer: string;
  weight: number;
  maxWeight: number;
}

/** The result of scoring a questionnaire against a policy. */
export interface TierScore {
  score: number;
  maxScore: number;
  tier: number;
  /** Contributions, largest first (ties by question order): the answers that drove the tier. */
  rationale: Contribution[];
  summary: string;
}

function maxWeight(q: TieringQuestion): number {
  return Math.max(...q.answers.map((a) => a.weight));
}

/** The tier a score falls in: the highest-risk (smallest-numbered) tier whose minScore it reaches. */
export function tierForScore(policy: PolicyDocument, score: number): number {
  const reached = policy.tiering.thresholds.filter((t) => score >= t.minScore).map((t) => t.tier);
  if (reached.length === 0)
    throw new ValidationError(`no tier threshold covers score ${score}`, 'tiering.thresholds');
  return Math.min(...reached);
}

/**
 * Scores a questionnaire: every question answered with one of its answers; the score is the sum of
 * the chosen weights; the tier comes from the thresholds. Pure.
 */
export function scoreTiering(policy: PolicyDocument, answers: Readonly<Record<string, string>>): TierScore {
  const known = new Set(policy.tiering.questions.map((q) => q.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id))
      throw new ValidationError(`'${id}' is not a question of the active policy`, `answers.${id}`);
  }
  const contributions: Contribution[] = policy.tiering.questions.map((q) => {
    const chosen = answers[q.id];
    if (chosen === undefined)
      throw new ValidationError(`question '${q.id}' is not answered`, `answers.${q.id}`);
    const answer = q.answers.find((a) => a.id === chosen);
    if (!answer) {
      throw new ValidationError(
        `'${chosen}' is not an answer of '${q.id}' (one of: ${q.answers.map((a) => a.id).join(', ')})`,
        `answers.${q.id}`,
      );
    }
    return {
      questionId: q.id,
      question: q.text,
      answerId: answer.id,
      answer: answer.label,
      weight: answer.weight,
      maxWeight: maxWeight(q),
    };
  });
  const score = contributions.reduce((s, c) => s + c.weight, 0);
  const maxScore = policy.tiering.questions.reduce((s, q) => s + maxWeight(q), 0);
  const tier = tierForScore(policy, score);
  const order = new Map(contributions.map((c, i) => [c.questionId, i]));
  const rationale = [...contributions].sort(
    (a, b) => b.weight - a.weight || (order.get(a.questionId) ?? 0) - (order.get(b.questionId) ?? 0),
  );
  const drivers = rationale.filter((c) => c.weight > 0).slice(0, 3);
  const threshold = policy.tiering.thresholds.find((t) => t.tier === tier);
  const summary =
    `score ${score} of ${maxScore} reaches Tier ${tier} (from ${threshold?.minScore ?? 0})` +
    (drivers.length > 0
      ? `; driven by ${drivers.map((d) => `${d.questionId}=${d.answerId} (+${d.weight})`).join(', ')}`
      : '; no answer added risk');
  return { score, maxScore, tier, rationale, summary };
}

type Group = 'prohibitedPractices' | 'annexIIIAreas' | 'annexIProducts' | 'transparency';
const GROUPS: readonly Group[] = ['prohibitedPractices', 'annexIIIAreas', 'annexIProducts', 'transparency'];

/**
 * Classifies a use case under the EU AI Act from the policy's provision data: prohibited (Art. 5),
 * high-risk (Annex I products, or Annex III areas unless the Art. 6(3) derogation applies and the
 * system does not profile people), limited risk (Art. 50 transparency) or minimal; with whether a
 * fundamental rights impact assessment is due (Art. 27) and the obligations the policy attaches.
 * `at` decides whether each matched provision already applies. Pure.
 */
export function classifyEuAiAct(policy: PolicyDocument, answers: EuAiActAnswers, at: Date): EuClassification {
  const base = classifyClass(policy, answers, at);
  const annexIII =
    base.class === 'high_risk' && !(answers.art6_3Derogation && !answers.profilesNaturalPersons)
      ? base.matched.filter((m) => m.group === 'annexIIIAreas').map((m) => m.id)
      : [];
  const fria = fundamentalRightsAssessmentDue(base.class, annexIII, answers);
  if (fria)
    base.notes.push(
      'Art. 27: the deployer must assess the impact on fundamental rights before first use (public-service deployer or Annex III 5(b)/(c))',
    );
  const classified = { ...base, fundamentalRightsImpactAssessment: fria };
  const obligations = euObligationsFor(policy, classified).map((o) => ({
    id: o.id,
    article: o.article,
    title: o.title,
    evidence: o.evidence,
    gates: o.gates,
  }));
  return { ...classified, obligations };
}

function classifyClass(policy: PolicyDocument, answers: EuAiActAnswers, at: Date): EuClassification {
  const eu = policy.euAiAct;
  const day = at.toISOString().slice(0, 10);
  const matched: EuClassification['matched'] = [];
  for (const group of GROUPS) {
    for (const id of answers[group]) {
      const p = eu[group].find((x) => x.id === id);
      if (!p)
        throw new ValidationError(`'${id}' is not in the policy's euAiAct.${group}`, `euAiAct.${group}`);
      if (matched.some((m) => m.group === group && m.id === id)) continue;
      matched.push({ group, ...p, applies: p.appliesFrom <= day });
    }
  }
  const notes: string[] = [];
  const of = (g: Group) => matched.filter((m) => m.group === g);
  const earliest = (ms: typeof matched) => (ms.length ? ms.map((m) => m.appliesFrom).sort()[0]! : null);
  if (of('prohibitedPractices').length > 0) {
    return {
      class: 'prohibited',
      instrument: eu.instrument,
      matched,
      obligationsFrom: earliest(of('prohibitedPractices')),
      notes,
    };
  }
  const highRisk = [...of('annexIProducts')];
  if (of('annexIIIAreas').length > 0) {
    if (answers.art6_3Derogation && !answers.profilesNaturalPersons) {
      notes.push(
        'Annex III area with the Art. 6(3) derogation: document the assessment before placing on the market (Art. 6(4))',
      );
    } else {
      if (answers.art6_3Derogation)
        notes.push('Art. 6(3) derogation does not apply: the system profiles natural persons');
      highRisk.push(...of('annexIIIAreas'));
    }
  }
  if (highRisk.length > 0) {
    return {
      class: 'high_risk',
      instrument: eu.instrument,
      matched,
      obligationsFrom: earliest(highRisk),
      notes,
    };
  }
  if (of('transparency').length > 0) {
    return {
      class: 'limited_risk',
      instrument: eu.instrument,
      matched,
      obligationsFrom: earliest(of('transparency')),
      notes,
    };
  }
  return { class: 'minimal', instrument: eu.instrument, matched, obligationsFrom: null, notes };
}
