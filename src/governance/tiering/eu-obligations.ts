import type {
  EuAiActAnswers,
  EuAiActClass,
  EuClassification,
  EuObligation,
  EvidenceType,
  Gate,
  PolicyDocument,
} from '../../contracts/policy.ts';

/** The facts of a classification that decide its obligations. */
export type ObligationFacts = Pick<
  EuClassification,
  'class' | 'matched' | 'fundamentalRightsImpactAssessment'
>;

/** How strict a class is: smaller is stricter. A re-tiering to a larger rank lowers the class. */
export const EU_CLASS_RANK: Record<EuAiActClass, number> = {
  prohibited: 0,
  high_risk: 1,
  limited_risk: 2,
  minimal: 3,
};

function applies(o: EuObligation, facts: ObligationFacts): boolean {
  if (o.onlyWhenArt27 && !facts.fundamentalRightsImpactAssessment) return false;
  if (o.ifMatched && !o.ifMatched.some((id) => facts.matched.some((m) => m.id === id))) return false;
  return true;
}

/**
 * The obligations the policy attaches to a classification: its class's list (filtered by Art. 27
 * and the matched provisions), and for a high-risk system also the limited-risk (Art. 50)
 * obligations whose paragraph matched, since Art. 50 applies whatever the class. Prohibited has
 * none: it can never be approved. Pure.
 */
export function euObligationsFor(policy: PolicyDocument, facts: ObligationFacts | null): EuObligation[] {
  const lists = policy.euAiAct.obligations;
  if (!facts || !lists || facts.class === 'prohibited') return [];
  const own = (lists[facts.class] ?? []).filter((o) => applies(o, facts));
  if (facts.class !== 'high_risk') return own;
  const art50 = lists.limited_risk.filter((o) => o.ifMatched !== undefined && applies(o, facts));
  return [...own, ...art50.filter((o) => !own.some((x) => x.id === o.id))];
}

/** The evidence types the obligations require at one gate, in policy order, without repeats. Pure. */
export function obligationEvidence(obligations: readonly EuObligation[], gate: Gate): EvidenceType[] {
  return [...new Set(obligations.filter((o) => o.gates.includes(gate)).flatMap((o) => o.evidence))];
}

/** For each evidence type, the obligations (`article title`) that require it at one gate. Pure. */
export function obligationLabels(
  obligations: readonly EuObligation[],
  gate: Gate,
): Partial<Record<EvidenceType, string[]>> {
  const out: Partial<Record<EvidenceType, string[]>> = {};
  for (const o of obligations) {
    if (!o.gates.includes(gate)) continue;
    for (const type of o.evidence) out[type] = [...(out[type] ?? []), `${o.article} ${o.title}`];
  }
  return out;
}

/**
 * Whether a fundamental rights impact assessment is due (Art. 27(1)): a high-risk Annex III system
 * (point 2, critical infrastructure, excepted) deployed by a public body or a private entity
 * providing public services, or used for creditworthiness / credit scoring or life and health
 * insurance pricing (Annex III 5(b), 5(c)). Pure.
 */
export function fundamentalRightsAssessmentDue(
  cls: EuAiActClass,
  highRiskAnnexIII: readonly string[],
  answers: Pick<EuAiActAnswers, 'publicServiceDeployer' | 'creditOrInsuranceAssessment'>,
): boolean {
  if (cls !== 'high_risk') return false;
  if (!highRiskAnnexIII.some((id) => id !== 'critical_infrastructure')) return false;
  return answers.publicServiceDeployer || answers.creditOrInsuranceAssessment;
}

/**
 * The answers a classification was made from, for tierings stored before answers were kept: the
 * matched provisions by group, and the Art. 6(3) flags from the notes the classifier wrote. Pure.
 */
export function answersFromClassification(eu: EuClassification): EuAiActAnswers {
  const ids = (g: EuClassification['matched'][number]['group']) =>
    eu.matched.filter((m) => m.group === g).map((m) => m.id);
  const derogationApplied = eu.notes.some((n) =>
    n.startsWith('Annex III area with the Art. 6(3) derogation'),
  );
  const derogationRefused = eu.notes.some((n) => n.startsWith('Art. 6(3) derogation does not apply'));
  return {
    prohibitedPractices: ids('prohibitedPractices'),
    annexIIIAreas: ids('annexIIIAreas'),
    annexIProducts: ids('annexIProducts'),
    transparency: ids('transparency'),
    art6_3Derogation: derogationApplied || derogationRefused,
    profilesNaturalPersons: derogationRefused,
    publicServiceDeployer: false,
    creditOrInsuranceAssessment: false,
  };
}
