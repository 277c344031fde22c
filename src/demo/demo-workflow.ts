import type { Decision } from '../contracts/decisions.ts';
import { type EvidenceType, euAiActAnswersSchema, type Gate } from '../contracts/policy.ts';
import type { ReviewType } from '../contracts/reviews.ts';
import { ReviewCyclesService } from '../governance/reviews/review-cycles.service.ts';
import { ReviewScheduleService } from '../governance/reviews/review-schedule.service.ts';
import { DEFAULT_SCHEDULE } from '../governance/scheduler/due-jobs.ts';
import { SchedulerService } from '../governance/scheduler/scheduler.service.ts';
import { TieringService } from '../governance/tiering/tiering.service.ts';
import { WebhooksService } from '../governance/webhooks/webhooks.service.ts';
import type { Caller } from '../platform/auth/caller.ts';
import type { Role } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { daysAfter, LEGACY_EXCEPTIONS, recordLegacyException } from './demo-exceptions.ts';
import { demoServices } from './demo-services.ts';

/** The seed's clock: it steps forward at every reading, and the workflow demo can make months pass. */
export interface DemoClock extends Clock {
  /** Jumps forward to `t` (never back). */
  advanceTo(t: Date): void;
}

const DAY = 86_400_000;

/** What the deployment gate answers for the demo's versions at the end of the seed (and until time moves on). */
export const DEMO_GATES: readonly {
  model: string;
  version: string;
  env: string;
  allowed: boolean;
  /** The reason codes, exactly (sorted). */
  codes: readonly string[];
  why: string;
}[] = [
  {
    model: 'income-propensity',
    version: '2.0.0',
    env: 'production',
    allowed: true,
    codes: [],
    why: 'approved, evidence complete, its medium finding remediated and verified',
  },
  {
    model: 'churn-retail-banking',
    version: '2.1',
    env: 'production',
    allowed: true,
    codes: [],
    why: 'its high fairness finding is covered by a valid risk acceptance',
  },
  {
    model: 'next-best-offer',
    version: '1.2',
    env: 'staging',
    allowed: true,
    codes: [],
    why: 'approved at the validation gate, which staging uses',
  },
  {
    model: 'next-best-offer',
    version: '1.2',
    env: 'production',
    allowed: false,
    codes: ['evidence_missing'],
    why: 'production needs the validation report, fairness assessment and monitoring plan',
  },
  {
    model: 'retail-credit-pd',
    version: '4.0',
    env: 'production',
    allowed: false,
    codes: ['approval_expired'],
    why: 'the Tier 1 approval ran out after 12 months; the periodic review is open but not done',
  },
  {
    model: 'card-fraud-realtime',
    version: '6.0',
    env: 'production',
    allowed: false,
    codes: ['condition_overdue'],
    why: 'a condition of the approval (drift monitoring) is past due',
  },
  {
    model: 'motor-claims-severity',
    version: '3.1',
    env: 'production',
    allowed: false,
    codes: ['finding_open'],
    why: 'a high finding raised by monitoring is in remediation',
  },
  {
    model: 'aml-transaction-monitoring',
    version: '2026.1',
    env: 'production',
    allowed: false,
    codes: ['finding_open'],
    why: 'the risk acceptance of its high finding expired; the finding reopened',
  },
  {
    model: 'retail-credit-lgd',
    version: '1.1',
    env: 'production',
    allowed: false,
    codes: ['evidence_missing', 'finding_open', 'not_approved'],
    why: 'still in validation: no approval, production evidence missing, a high finding unresolved',
  },
];

type Answers = Record<string, string>;

/** Questionnaire answers per model (the current version), scored by the default policy. */
const TIERING: readonly { key: string; answers: Answers; euAiAct?: Record<string, unknown> }[] = [
  {
    key: 'income-propensity',
    answers: a(
      'supports_decisions',
      'human_on_the_loop',
      'customers',
      'personal',
      'machine_learning',
      'in_house',
      'sector_guidance',
      'moderate',
    ),
  },
  {
    key: 'card-fraud-realtime',
    answers: a(
      'material_automated',
      'fully_automated',
      'public_large',
      'personal',
      'machine_learning',
      'in_house',
      'sector_guidance',
      'high',
    ),
  },
  {
    key: 'aml-transaction-monitoring',
    answers: a(
      'supports_decisions',
      'human_on_the_loop',
      'public_large',
      'personal',
      'rules',
      'in_house',
      'regulated_use',
      'moderate',
    ),
  },
  {
    key: 'motor-claims-severity',
    answers: a(
      'supports_decisions',
      'human_in_the_loop',
      'customers',
      'personal',
      'statistical',
      'in_house',
      'sector_guidance',
      'moderate',
    ),
  },
  {
    key: 'churn-retail-banking',
    answers: a(
      'supports_decisions',
      'human_in_the_loop',
      'customers',
      'personal',
      'machine_learning',
      'in_house',
      'none',
      'low',
    ),
  },
  {
    key: 'next-best-offer',
    answers: a(
      'supports_decisions',
      'human_on_the_loop',
      'customers',
      'personal',
      'machine_learning',
      'in_house',
      'none',
      'low',
    ),
  },
  {
    key: 'support-assistant-llm',
    answers: a(
      'supports_decisions',
      'human_in_the_loop',
      'customers',
      'personal',
      'deep_or_generative',
      'vendor_black_box',
      'sector_guidance',
      'low',
    ),
    euAiAct: { transparency: ['synthetic_content'] },
  },
  {
    key: 'complaints-triage-agent',
    answers: a(
      'supports_decisions',
      'human_on_the_loop',
      'customers',
      'personal',
      'deep_or_generative',
      'in_house',
      'sector_guidance',
      'low',
    ),
  },
  {
    key: 'cash-demand-forecast',
    answers: a(
      'informational',
      'human_in_the_loop',
      'internal_many',
      'internal',
      'statistical',
      'in_house',
      'none',
      'moderate',
    ),
  },
  {
    key: 'customer-segmentation',
    answers: a(
      'informational',
      'human_in_the_loop',
      'internal_few',
      'internal',
      'machine_learning',
      'in_house',
      'none',
      'low',
    ),
  },
  {
    key: 'life-underwriting-risk',
    answers: a(
      'legal_or_safety',
      'human_on_the_loop',
      'customers',
      'special_category',
      'machine_learning',
      'in_house',
      'regulated_use',
      'moderate',
    ),
    // Life insurance risk assessment and pricing: Annex III 5(c), so Art. 27 applies.
    euAiAct: {
      annexIIIAreas: ['essential_services'],
      profilesNaturalPersons: true,
      creditOrInsuranceAssessment: true,
    },
  },
  {
    key: 'liquidity-stress-forecast',
    answers: a(
      'supports_decisions',
      'human_in_the_loop',
      'internal_few',
      'internal',
      'statistical',
      'in_house',
      'regulated_use',
      'high',
    ),
  },
  {
    key: 'mortgage-affordability',
    answers: a(
      'supports_decisions',
      'human_in_the_loop',
      'customers',
      'personal',
      'rules',
      'in_house',
      'regulated_use',
      'high',
    ),
    // Creditworthiness of natural persons: Annex III 5(b), so Art. 27 applies.
    euAiAct: {
      annexIIIAreas: ['essential_services'],
      profilesNaturalPersons: true,
      creditOrInsuranceAssessment: true,
    },
  },
  {
    key: 'collections-prioritisation',
    answers: a(
      'supports_decisions',
      'human_on_the_loop',
      'customers',
      'personal',
      'machine_learning',
      'in_house',
      'sector_guidance',
      'moderate',
    ),
  },
  {
    key: 'call-summarisation',
    answers: a(
      'informational',
      'human_in_the_loop',
      'internal_many',
      'personal',
      'deep_or_generative',
      'vendor_black_box',
      'none',
      'low',
    ),
    euAiAct: { transparency: ['synthetic_content'] },
  },
  {
    key: 'merchant-risk',
    answers: a(
      'supports_decisions',
      'human_in_the_loop',
      'customers',
      'personal',
      'machine_learning',
      'in_house',
      'sector_guidance',
      'moderate',
    ),
  },
];

function a(
  decision_impact: string,
  autonomy: string,
  population_affected: string,
  data_sensitivity: string,
  complexity: string,
  vendor_opacity: string,
  regulatory_exposure: string,
  financial_exposure: string,
): Answers {
  return {
    decision_impact,
    autonomy,
    population_affected,
    data_sensitivity,
    complexity,
    vendor_opacity,
    regulatory_exposure,
    financial_exposure,
  };
}

/** Who produces which kind of evidence in the demo organisation. */
const PRODUCER: Record<EvidenceType, 'maker' | 'validator' | 'steward'> = {
  model_card: 'maker',
  data_sheet: 'maker',
  test_results: 'maker',
  monitoring_plan: 'maker',
  validation_report: 'validator',
  fairness_assessment: 'validator',
  security_review: 'steward',
  privacy_assessment: 'steward',
  approval_record: 'steward',
  other: 'maker',
  // EU AI Act obligations: the provider's records by the model's makers, the legal steps by governance.
  risk_management_system: 'maker',
  data_governance: 'maker',
  technical_documentation: 'maker',
  record_keeping: 'maker',
  instructions_for_use: 'maker',
  human_oversight: 'maker',
  conformity_assessment: 'steward',
  eu_database_registration: 'steward',
  post_market_monitoring_plan: 'maker',
  fundamental_rights_impact_assessment: 'steward',
  transparency_notice: 'maker',
  // GenAI red-team / evaluation results: independent testing, like validation.
  genai_evaluation: 'validator',
};

/**
 * Takes the seeded portfolio through the governance workflow with the real services, letting time
 * pass on the seed's clock: questionnaires answered (tiers), reviews opened, validated by
 * independent validators and closed by decisions signed by independent approvers (one with
 * conditions), findings in every state, a risk acceptance that expired (its finding reopened and an
 * incident review opened), a periodic review opened by the scheduler before an approval expired,
 * and a material change that opened a change review. `now` is the seed's end; everything happens
 * before it. Returns a one-line summary.
 */
export async function seedDemoWorkflow(db: Db, clock: DemoClock, now: Date): Promise<string> {
  const { policy, models, versions, evidence, reviews, findings, decisions, acceptances, exceptions } =
    demoServices(db, clock);
  await policy.ensureDefault({ actor: 'system', requestId: 'demo-seed' });
  const tiering = new TieringService(db, clock, policy, models, versions);
  const cycles = new ReviewCyclesService(db, clock, models);
  const webhooks = new WebhooksService(db, clock);
  const schedule = new ReviewScheduleService(db, policy);
  const scheduler = new SchedulerService(
    db,
    clock,
    { reviews, schedule, acceptances, webhooks },
    DEFAULT_SCHEDULE,
  );

  const users = new Map(
    (await db.kysely.selectFrom('users').select(['id', 'username', 'role']).execute()).map((u) => [
      u.username,
      u,
    ]),
  );
  const as = (username: string): Caller => {
    const u = users.get(username);
    if (!u) throw new Error(`demo user '${username}' is missing`);
    return {
      principal: { userId: u.id, username, role: u.role as Role, scope: 'write', tokenId: 'demo-seed' },
      audit: { actor: username, requestId: 'demo-seed' },
    };
  };
  const steward = as('grace.hopper');
  /** Moves the clock to `days` before the end of the seed (never back). */
  const at = (days: number) => clock.advanceTo(new Date(now.getTime() - days * DAY));
  const inDays = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString();
  const counts = { tiered: 0, reviews: 0, decisions: 0, findings: 0, evidence: 0 };

  const relationsOf = async (key: string) => {
    const m = await models.get(steward.principal, key);
    return { owner: m.owner!, makers: [m.owner!, ...m.developers] };
  };

  /** Attaches evidence for every checklist item of the review that is not satisfied. */
  const completeChecklist = async (reviewId: string, validator: string) => {
    const review = await reviews.getReview(steward, reviewId);
    const { makers } = await relationsOf(review.modelKey);
    const maker = makers[makers.length - 1]!;
    for (const item of review.checklist.items) {
      if (item.status === 'satisfied') continue;
      const who = { maker, validator, steward: 'grace.hopper' }[PRODUCER[item.evidenceType]];
      await evidence.create(as(who), review.modelKey, review.versionLabel, {
        type: item.evidenceType,
        title: `${item.evidenceType.replace(/_/g, ' ')} of ${review.modelKey} ${review.versionLabel}`,
        externalUrl: `https://mrm.northwind.example/evidence/${review.modelKey}/${review.versionLabel}/${item.evidenceType}`,
        ...(item.evidenceType === 'validation_report'
          ? { producedBy: { tool: 'assay-validate', version: '0.1.0' } }
          : {}),
      });
      counts.evidence++;
    }
  };

  /** Opens a review (by the owner), submits it, assigns an independent validator and starts validation. */
  const startReview = async (
    key: string,
    label: string,
    type: ReviewType,
    gate: Gate,
    validator: string,
    reason: string,
  ) => {
    const { owner } = await relationsOf(key);
    const { review } = await reviews.openReview(
      as(owner),
      { modelKey: key, versionLabel: label, type, gate, reason },
      { reuseOpen: true },
    );
    counts.reviews++;
    await reviews.submit(as(owner), review.id);
    await reviews.assignValidator(steward, review.id, validator);
    await reviews.transition(as(validator), review.id, 'start_validation');
    return review.id;
  };

  /** Completes the evidence and asks for a decision. */
  const readyForDecision = async (reviewId: string, validator: string) => {
    await completeChecklist(reviewId, validator);
    await reviews.transition(as(validator), reviewId, 'request_decision', undefined, 'validation complete');
  };

  /** Proposes a decision and has it signed by the given people (never the owner, developers or submitter). */
  const decide = async (
    reviewId: string,
    outcome: 'approve' | 'approve_with_conditions',
    rationale: string,
    signers: readonly string[],
    conditions: { text: string; owner: string; dueAt: string }[] = [],
  ): Promise<Decision> => {
    let d = await decisions.propose(as(signers[0]!), reviewId, {
      outcome,
      rationale,
      ...(conditions.length ? { conditions } : {}),
    });
    for (const s of signers)
      d = await decisions.sign(as(s), d.id, 'Reviewed the validation report and open findings');
    counts.decisions++;
    return d;
  };

  /**
   * After its approval, governance moves a model to production (the production gate passes at that
   * moment) and records where it runs there.
   */
  const release = async (key: string, label: string) => {
    await models.transition(steward, key, 'production', 'Released after approval', undefined, label);
    await versions.deploy(steward, key, {
      version: label,
      environment: 'production',
      endpoint: `https://production.ml.northwind.example/${key}`,
    });
  };

  /** A legacy model's owner asks to renew its exception; governance approves (or has not yet). */
  const renew = async (e: (typeof LEGACY_EXCEPTIONS)[number]) => {
    const r = e.renewal!;
    at(r.daysBeforeEnd);
    const m = await models.get(steward.principal, e.key);
    const current = (await versions.list(steward, e.key)).filter((v) => v.status === 'active').at(-1)!;
    await recordLegacyException(exceptions, as(m.owner!), as('gov.tariq'), {
      key: e.key,
      version: current.label,
      status: m.status,
      reason: r.reason,
      until: daysAfter(clock.now(), r.days),
      approve: r.approved,
      note: 'Renewed with the compensating control described',
    });
  };

  const raise = async (
    by: string,
    key: string,
    label: string,
    f: {
      title: string;
      description: string;
      category: string;
      severity: 'critical' | 'high' | 'medium' | 'low';
      owner: string;
    },
    reviewId?: string,
  ) => {
    counts.findings++;
    return findings.raise(as(by), key, label, { ...f, ...(reviewId ? { reviewId } : {}) });
  };

  /** The finding's owner asks to accept its risk for `days`; `approver` approves with `note`. */
  const acceptRisk = async (
    findingId: string,
    a: { owner: string; rationale: string; days: number; approver: string; note: string },
  ) => {
    const acceptance = await acceptances.request(as(a.owner), {
      findingIds: [findingId],
      rationale: a.rationale,
      expiresAt: inDays(a.days),
    });
    await acceptances.approve(as(a.approver), acceptance.id, a.note);
  };

  const closureEvidence = async (by: string, key: string, label: string, title: string) => {
    counts.evidence++;
    return evidence.create(as(by), key, label, {
      type: 'other',
      title,
      externalUrl: `https://mrm.northwind.example/remediation/${key}/${label}/${encodeURIComponent(title.toLowerCase().replace(/\s+/g, '-'))}`,
    });
  };

  // ~16 months before the end: the portfolio's questionnaires are answered (the two credit models
  // were tiered with their documentation).
  at(500);
  for (const t of TIERING) {
    const m = await models.get(steward.principal, t.key);
    const list = await versions.list(steward, t.key);
    const current = list.filter((v) => v.status === 'active').at(-1) ?? list.at(-1);
    if (!current || m.status === 'retired') continue;
    await tiering.assess(as(m.owner ?? 'grace.hopper'), t.key, current.label, {
      answers: t.answers,
      ...(t.euAiAct ? { euAiAct: euAiActAnswersSchema.parse(t.euAiAct) } : {}),
    });
    counts.tiered++;
  }

  // income-propensity 2.0.0 (Tier 2): a full loop; a medium finding is remediated by the developer
  // and verified by the validator; approved by an approver and governance. The gate opens.
  at(485);
  const income = await startReview(
    'income-propensity',
    '2.0.0',
    'initial',
    'production',
    'val.victor',
    'Initial validation before production',
  );
  const incomeFinding = await raise(
    'val.victor',
    'income-propensity',
    '2.0.0',
    {
      title: 'Calibration drifts for incomes near the threshold',
      description: 'Predicted probabilities between 0.4 and 0.6 are 6 points too high on the holdout sample.',
      category: 'performance',
      severity: 'medium',
      owner: 'olivia.chen',
    },
    income,
  );
  await findings.transition(as('dev.priya'), incomeFinding.id, {
    event: 'start_remediation',
    remediationPlan: 'Isotonic recalibration on the 2026-03 training sample; re-run the validation suite.',
  });
  at(478);
  const recal = await closureEvidence('dev.priya', 'income-propensity', '2.0.0', 'Recalibration results');
  await findings.transition(as('dev.priya'), incomeFinding.id, {
    event: 'submit_for_verification',
    closureEvidenceId: recal.id,
  });
  await findings.transition(as('val.victor'), incomeFinding.id, {
    event: 'verify',
    note: 'Calibration error now below 1 point',
  });
  await readyForDecision(income, 'val.victor');
  at(470);
  await decide(income, 'approve', 'Independent validation passed; calibration finding closed.', [
    'appr.amy',
    'gov.tariq',
  ]);
  await release('income-propensity', '2.0.0');

  // retail-credit-pd 4.0 (Tier 1): approved by two approvers and governance; the approval lasts
  // 12 months and Tier 1 is re-reviewed every 12 months. The scheduler opens the periodic review 60
  // days before it is due; it waits for fresh evidence, so the approval expires first and the gate
  // now says so.
  at(455);
  const pd = await startReview(
    'retail-credit-pd',
    '4.0',
    'initial',
    'production',
    'val.wen',
    'Re-estimated scorecard: full validation',
  );
  await readyForDecision(pd, 'val.wen');
  at(445);
  await decide(pd, 'approve', 'Full independent validation passed; IRB use approved.', [
    'appr.amy',
    'appr.raj',
    'gov.tariq',
  ]);
  await release('retail-credit-pd', '4.0');

  // aml-transaction-monitoring 2026.1 (Tier 2): approved; then a high finding is risk-accepted for
  // 85 days. The acceptance expires, the finding reopens and an incident review opens.
  at(430);
  const aml = await startReview(
    'aml-transaction-monitoring',
    '2026.1',
    'initial',
    'production',
    'val.wen',
    'Annual scenario recalibration',
  );
  await readyForDecision(aml, 'val.wen');
  at(420);
  await decide(aml, 'approve', 'Scenario thresholds validated against 2025 SAR outcomes.', [
    'appr.raj',
    'grace.hopper',
  ]);
  await release('aml-transaction-monitoring', '2026.1');
  at(385);
  const amlFinding = await raise('val.wen', 'aml-transaction-monitoring', '2026.1', {
    title: 'Structuring scenario misses split cash deposits across branches',
    description: 'Below-threshold deposits at several branches on one day are not aggregated per customer.',
    category: 'compliance',
    severity: 'high',
    owner: 'sofia.garcia',
  });
  await acceptRisk(amlFinding.id, {
    owner: 'sofia.garcia',
    rationale: 'Compensating control: daily manual review of cash deposits until the scenario change ships.',
    days: 85,
    approver: 'gov.tariq',
    note: 'Accepted with the manual control, 85 days',
  });

  // motor-claims-severity 3.1 (Tier 2): approved; much later monitoring raises a high finding,
  // now in remediation, which shuts the gate.
  at(370);
  const motor = await startReview(
    'motor-claims-severity',
    '3.1',
    'initial',
    'production',
    'val.victor',
    'Reserving model refresh',
  );
  await readyForDecision(motor, 'val.victor');
  at(360);
  await decide(motor, 'approve', 'GLM refresh validated on 2025 claims.', ['appr.raj', 'gov.tariq']);
  await release('motor-claims-severity', '3.1');

  // churn-retail-banking 2.1 (Tier 3): approved by one approver.
  at(350);
  const churn = await startReview(
    'churn-retail-banking',
    '2.1',
    'initial',
    'production',
    'val.victor',
    'Initial validation',
  );
  await readyForDecision(churn, 'val.victor');
  await decide(churn, 'approve', 'Light validation passed.', ['appr.amy']);
  await release('churn-retail-banking', '2.1');

  // card-fraud-realtime 6.0 (Tier 1): approved with two conditions; one is met, the other is overdue.
  at(330);
  const fraud = await startReview(
    'card-fraud-realtime',
    '6.0',
    'initial',
    'production',
    'val.victor',
    'New merchant-category features',
  );
  await readyForDecision(fraud, 'val.victor');
  at(315);
  const fraudDecision = await decide(
    fraud,
    'approve_with_conditions',
    'Approved: detection gains outweigh the new false-positive risk, with conditions.',
    ['appr.amy', 'appr.raj', 'grace.hopper'],
    [
      {
        text: 'Publish the false-positive rate by merchant category to the fraud committee',
        owner: 'sofia.garcia',
        dueAt: inDays(30),
      },
      {
        text: 'Deploy drift monitoring on the new merchant-category features',
        owner: 'dev.amara',
        dueAt: inDays(60),
      },
    ],
  );
  await release('card-fraud-realtime', '6.0');
  at(295);
  await decisions.meetCondition(
    as('sofia.garcia'),
    fraudDecision.conditions[0]!.id,
    'Reported to the committee',
  );

  // The scheduler, ticking: the AML acceptance expires (finding reopens, incident review opens),
  // the overdue AML finding is flagged.
  at(280);
  await scheduler.runDueJobs();

  // next-best-offer 1.2 (Tier 2): approved at the validation gate (staging), not for production.
  at(220);
  const nbo = await startReview(
    'next-best-offer',
    '1.2',
    'initial',
    'validation',
    'val.wen',
    'Validation before the staging pilot',
  );
  await readyForDecision(nbo, 'val.wen');
  at(210);
  await decide(nbo, 'approve', 'Approved for the staging pilot only.', ['appr.raj', 'gov.tariq']);

  // The legacy models' exceptions run out: their owners ask for renewals, governance approves them
  // (the ATM cash forecast's renewal comes later, and late).
  for (const e of [...LEGACY_EXCEPTIONS]
    .filter((x) => x.renewal && x.renewal.daysBeforeEnd > 100)
    .sort((x, y) => y.renewal!.daysBeforeEnd - x.renewal!.daysBeforeEnd))
    await renew(e);

  // retail-credit-lgd 1.1 (Tier 1): its initial validation review (opened with the documentation)
  // is submitted and in validation; the validator raised two findings, one fixed and waiting for
  // verification, one open.
  at(160);
  const lgd = (
    await reviews.list(steward, { modelKey: 'retail-credit-lgd', state: 'draft', limit: 10 })
  ).items.find((r) => r.versionLabel === '1.1');
  if (lgd) {
    await reviews.submit(as('marcus.owusu'), lgd.id);
    await reviews.assignValidator(steward, lgd.id, 'val.wen');
    await reviews.transition(as('val.wen'), lgd.id, 'start_validation');
    at(150);
    const downturn = await raise(
      'val.wen',
      'retail-credit-lgd',
      '1.1',
      {
        title: 'Downturn LGD not calibrated to the 2009 recession',
        description:
          'The downturn adjustment uses 2020 data only; regulatory guidance expects the worst observed period.',
        category: 'compliance',
        severity: 'high',
        owner: 'marcus.owusu',
      },
      lgd.id,
    );
    await raise(
      'val.wen',
      'retail-credit-lgd',
      '1.1',
      {
        title: 'Model card lacks limitations and risks',
        description:
          'The published card has no limitations, risks or explainability sections (Tier 1 rules).',
        category: 'documentation',
        severity: 'medium',
        owner: 'marcus.owusu',
      },
      lgd.id,
    );
    await findings.transition(as('dev.lukas'), downturn.id, {
      event: 'start_remediation',
      remediationPlan: 'Re-estimate the downturn add-on on 2008-2010 recoveries from the legacy system.',
    });
    at(140);
    const note = await closureEvidence(
      'dev.lukas',
      'retail-credit-lgd',
      '1.1',
      'Downturn recalibration note',
    );
    await findings.transition(as('dev.lukas'), downturn.id, {
      event: 'submit_for_verification',
      closureEvidenceId: note.id,
    });
  }

  // The scheduler again: the PD's periodic review (Tier 1: every 12 months since its approval) is
  // due within 60 days, so it opens; the fraud condition is overdue.
  at(130);
  await scheduler.runDueJobs();
  // The periodic review asks for fresh evidence: last cycle's reports do not count for it. Its
  // validator carries one unchanged item forward with a reason; the rest waits for new work.
  at(125);
  const [pdPeriodic] = (
    await reviews.list(steward, { modelKey: 'retail-credit-pd', type: 'periodic', limit: 1 })
  ).items;
  if (!pdPeriodic)
    throw new Error('demo: the scheduler did not open the periodic review of retail-credit-pd');
  await reviews.assignValidator(steward, pdPeriodic.id, 'val.wen');
  const pdItems = (await reviews.getReview(steward, pdPeriodic.id)).checklist.items;
  const earlier = pdItems.find((i) => i.evidenceType === 'security_review')?.earlierCycleEvidence?.[0];
  if (!earlier) throw new Error('demo: retail-credit-pd 4.0 has no earlier security review to carry forward');
  await cycles.carryForward(as('val.wen'), pdPeriodic.id, {
    evidenceId: earlier,
    reason: 'No change to the hosting or access model since the last security review; still valid.',
  });

  // support-assistant-llm 1.0-rc1 (Tier 2): waiting for its decision; one of two signatures given.
  at(100);
  const assistant = await startReview(
    'support-assistant-llm',
    '1.0-rc1',
    'initial',
    'production',
    'val.wen',
    'Initial validation of the RAG assistant',
  );
  await readyForDecision(assistant, 'val.wen');
  const pending = await decisions.propose(as('appr.amy'), assistant, {
    outcome: 'approve',
    rationale: 'Hallucination rate within tolerance on the golden set; agents review every draft.',
  });
  await decisions.sign(as('appr.amy'), pending.id, 'Approver sign-off; governance to sign');
  counts.decisions++;

  // motor-claims-severity: monitoring finds large bodily-injury claims under-reserved.
  at(90);
  const motorFinding = await raise('val.victor', 'motor-claims-severity', '3.1', {
    title: 'Severity underestimated for large bodily-injury claims',
    description: 'Claims above EUR 250,000 are under-reserved by 18% on average since Q2.',
    category: 'performance',
    severity: 'high',
    owner: 'sofia.garcia',
  });
  await findings.transition(as('dev.amara'), motorFinding.id, {
    event: 'start_remediation',
    remediationPlan: 'Add a large-loss loading and refit on 2024-2026 claims.',
  });

  // liquidity-stress-forecast 1.0: a review submitted, waiting for a validator.
  at(70);
  const { review: liquidity } = await reviews.openReview(
    as('marcus.owusu'),
    {
      modelKey: 'liquidity-stress-forecast',
      versionLabel: '1.0',
      type: 'initial',
      gate: 'production',
      reason: 'LCR model first validation',
    },
    { reuseOpen: true },
  );
  await reviews.submit(as('marcus.owusu'), liquidity.id);
  counts.reviews++;

  // churn-retail-banking: a high fairness finding, risk-accepted by governance for 85 days.
  at(55);
  const churnFinding = await raise('val.victor', 'churn-retail-banking', '2.1', {
    title: 'Retention offers skew away from customers over 65',
    description: 'Selection rate for customers over 65 is 0.71 of the rate for 25-40 year olds.',
    category: 'fairness',
    severity: 'high',
    owner: 'olivia.chen',
  });
  await acceptRisk(churnFinding.id, {
    owner: 'olivia.chen',
    rationale: 'Offers are marketing only; a manual top-up campaign for over-65s runs until the retrain.',
    days: 85,
    approver: 'grace.hopper',
    note: 'Accepted until the Q1 retrain',
  });

  // collections-prioritisation: a new version flagged as a material change opens a change review.
  at(40);
  await versions.create(as('dev.lukas'), 'collections-prioritisation', {
    label: '0.4',
    changeSummary: 'Adds open-banking affordability features',
    materialChange: true,
  });

  // The last tick of the seed: flags whatever is due by now.
  at(20);
  await scheduler.runDueJobs();

  // The ATM cash forecast's exception lapsed months ago; its owner asks for a renewal nobody has
  // approved yet, so it stands in the exception report without cover.
  for (const e of LEGACY_EXCEPTIONS.filter((x) => x.renewal && x.renewal.daysBeforeEnd <= 100))
    await renew(e);

  return `${counts.tiered} tierings, ${counts.reviews} reviews, ${counts.findings} findings, ${counts.decisions} decisions, ${counts.evidence} evidence`;
}

/** The gate's answers for DEMO_GATES at the clock's current time. */
export async function demoGateResults(
  db: Db,
  clock: Clock,
): Promise<{ model: string; version: string; env: string; allowed: boolean; codes: string[] }[]> {
  const { gate } = demoServices(db, clock);
  const auditor = await db.kysely
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', 'audit.alex')
    .executeTakeFirstOrThrow();
  const caller: Caller = {
    principal: {
      userId: auditor.id,
      username: auditor.username,
      role: 'auditor',
      scope: 'read',
      tokenId: 'demo',
    },
    audit: { actor: auditor.username, requestId: 'demo-gates' },
  };
  const out = [];
  for (const g of DEMO_GATES) {
    const r = await gate.check(caller, { model: g.model, version: g.version, env: g.env });
    out.push({ ...g, allowed: r.allowed, codes: [...new Set(r.reasons.map((x) => x.code))].sort() });
  }
  return out;
}
