import { z } from 'zod';
import { cardSectionIdSchema, datasheetSectionIdSchema } from './documentation.ts';
import { roleSchema } from './identity.ts';
import { EVIDENCE_TYPES, GATES } from './vocabulary.ts';

/** The gates a model version passes: validation (into independent validation) and production. */
export const gateSchema = z.enum(GATES);
export type Gate = z.infer<typeof gateSchema>;

/** Evidence types a checklist can require. */
export const evidenceTypeSchema = z.enum(EVIDENCE_TYPES);
export type EvidenceType = z.infer<typeof evidenceTypeSchema>;

/** Finding severities, most severe first. */
export const severitySchema = z.enum(['critical', 'high', 'medium', 'low']);
export type Severity = z.infer<typeof severitySchema>;

/** Tier numbers: 1 is the highest risk. */
export const tierSchema = z.number().int().min(1).max(9);

const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case (a-z, 0-9, _), starting with a letter');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** One answer option of a tiering question; its weight adds to the score when chosen. */
export const tieringAnswerSchema = z.strictObject({
  id: slug,
  label: z.string().min(1).max(300),
  weight: z.number().min(0).max(1000),
});

/** One tiering question (materiality, autonomy, population, data sensitivity, …). */
export const tieringQuestionSchema = z.strictObject({
  id: slug,
  text: z.string().min(1).max(500),
  help: z.string().max(2000).optional(),
  answers: z.array(tieringAnswerSchema).min(2).max(20),
});

/** A tier is assigned when the score is at least `minScore`; the highest-risk matching tier wins. */
export const tierThresholdSchema = z.strictObject({ tier: tierSchema, minScore: z.number().min(0) });

/** How many people of a role must sign an approval. */
export const signOffRequirementSchema = z.strictObject({
  role: roleSchema,
  count: z.number().int().min(1).max(10),
});

/** What one tier demands. */
export const tierRequirementsSchema = z.strictObject({
  tier: tierSchema,
  name: z.string().min(1).max(100),
  description: z.string().max(1000).optional(),
  validationDepth: z.enum(['full', 'targeted', 'light', 'self_assessment']),
  requiredEvidence: z.strictObject({
    validation: z.array(evidenceTypeSchema),
    production: z.array(evidenceTypeSchema),
  }),
  signOff: z.array(signOffRequirementSchema).min(1),
  monitoringRequired: z.boolean(),
  reviewFrequencyMonths: z.number().int().min(1).max(120),
  approvalValidityMonths: z.number().int().min(1).max(120),
  /** Older policies: the card sections a tier requires. Superseded by `documentation`; used only when that is absent. */
  modelCardSections: z.array(slug).optional(),
});

/** Remediation SLA and who may accept the residual risk of a finding of one severity. */
export const severityRuleSchema = z.strictObject({
  remediationDays: z.number().int().min(1).max(3650),
  /** Roles that may approve a risk acceptance; empty means the severity cannot be accepted. */
  acceptanceRoles: z.array(roleSchema),
  /** The longest a risk acceptance may last, in days. */
  maxAcceptanceDays: z.number().int().min(0).max(3650),
  /**
   * How many times an accepted finding's acceptance may be renewed (accepted again after it
   * expired); 0 = once only. Older policies without it get 1.
   */
  maxRenewals: z.number().int().min(0).max(100).default(1),
});

/** An EU AI Act provision as data: which article, what it covers, from when it applies. */
export const euProvisionSchema = z.strictObject({
  id: slug,
  article: z.string().min(1).max(100),
  description: z.string().min(1).max(1000),
  appliesFrom: isoDate,
});

/**
 * An obligation the EU AI Act puts on a class, as a checklist requirement: the evidence types that
 * satisfy it (every one is required) at the gates listed.
 */
export const euObligationSchema = z.strictObject({
  id: slug,
  article: z.string().min(1).max(100),
  title: z.string().min(1).max(300),
  /** Evidence types that satisfy it; the checklist requires each of them. */
  evidence: z.array(evidenceTypeSchema).min(1).max(10),
  /** The gates whose checklist requires it. */
  gates: z.array(gateSchema).min(1),
  /** Only when the classification says a fundamental rights impact assessment is due (Art. 27). */
  onlyWhenArt27: z.boolean().optional(),
  /** Only when one of these provisions matched (e.g. the paragraph of Art. 50 that applies). */
  ifMatched: z.array(slug).optional(),
});
export type EuObligation = z.infer<typeof euObligationSchema>;

/** Obligations per class. `prohibited` needs none: it can never be approved nor pass a gate (not configurable). */
export const euObligationsSchema = z.strictObject({
  high_risk: z.array(euObligationSchema).max(50),
  limited_risk: z.array(euObligationSchema).max(50),
  minimal: z.array(euObligationSchema).max(50).optional(),
});

/** EU AI Act classification data (Regulation (EU) 2024/1689 as amended). Dates are data, not code. */
export const euAiActSchema = z.strictObject({
  instrument: z.string().min(1).max(300),
  prohibitedPractices: z.array(euProvisionSchema),
  annexIIIAreas: z.array(euProvisionSchema),
  annexIProducts: z.array(euProvisionSchema),
  transparency: z.array(euProvisionSchema),
  /** What each class requires (optional in older policies: then no class adds checklist items). */
  obligations: euObligationsSchema.optional(),
});

/** Lists in a model card whose number of entries the policy can require a minimum of. */
export const cardListMinimumsSchema = z.strictObject({
  users: z.number().int().min(0).max(100).optional(),
  out_of_scope_uses: z.number().int().min(0).max(100).optional(),
  hyperparameters: z.number().int().min(0).max(100).optional(),
  training_datasets: z.number().int().min(0).max(100).optional(),
  evaluation_datasets: z.number().int().min(0).max(100).optional(),
  metrics: z.number().int().min(0).max(1000).optional(),
  assumptions: z.number().int().min(0).max(100).optional(),
  limitations: z.number().int().min(0).max(100).optional(),
  risks: z.number().int().min(0).max(100).optional(),
  monitoring_metrics: z.number().int().min(0).max(100).optional(),
});
export type CardListMinimums = z.infer<typeof cardListMinimumsSchema>;

/** What documentation one tier requires (model cards and datasheets; see docs/documentation.md). */
export const documentationTierSchema = z.strictObject({
  tier: tierSchema,
  /** Card sections that must have content. */
  cardSections: z.array(cardSectionIdSchema),
  /** The least number of characters a required section needs (its text plus its structured fields). */
  minSectionChars: z.number().int().min(0).max(10_000),
  /** The least number of entries of lists (e.g. limitations: 1). */
  minEntries: cardListMinimumsSchema,
  /** The evaluation section must cite the latest validation_report evidence of the version (when there is any). */
  evaluationMustCiteLatestValidation: z.boolean(),
  /** Datasheet sections that must have content. */
  datasheetSections: z.array(datasheetSectionIdSchema),
  /** The data_sheet checklist item needs a passing published datasheet for every training and evaluation dataset of the version. */
  datasheetsForEveryDataset: z.boolean(),
  /** Whether uploaded model_card / data_sheet evidence files still satisfy the checklist (false: only passing structured documents do). */
  uploadedDocumentsCount: z.boolean(),
});
export type DocumentationTier = z.infer<typeof documentationTierSchema>;

/**
 * A threshold on a number of the validation evidence (assay.validation/v1) whose breach becomes a
 * suggested finding. `metric` is a dotted path into the evidence; `*` matches any one key (e.g.
 * `fairness.*.demographic_parity_ratio` checks every group column). Breach: `value <op> threshold`.
 */
export const validationThresholdSchema = z.strictObject({
  id: slug,
  metric: z
    .string()
    .regex(
      /^(performance|fairness|drift|data_quality|robustness)(\.([A-Za-z0-9_+-]+|\*))+$/,
      'a dotted path such as performance.roc_auc',
    ),
  op: z.enum(['<', '<=', '>', '>=']),
  threshold: z.number(),
  /** Tiers the rule applies to (default: every tier). */
  tiers: z.array(tierSchema).optional(),
  category: slug,
  severity: severitySchema,
  title: z.string().min(3).max(300),
  description: z.string().max(2000).optional(),
});
export type ValidationThreshold = z.infer<typeof validationThresholdSchema>;

/**
 * A GenAI threshold: the failure (attack success) rate of a taxonomy category in a GenAI
 * evaluation (assay.genai/v1) above `max` becomes a suggested finding. `category` is a reference
 * such as `owasp-llm:2025:LLM01` (or `*`: every category but `unmapped`); `measure` compares the
 * rate itself or a bound of its Wilson interval (`lower`: breached only when even the optimistic
 * bound is above `max`; `upper`: when the pessimistic bound is). Categories with fewer than
 * `minTests` scored tests are not judged.
 */
export const genaiThresholdSchema = z.strictObject({
  id: slug,
  category: z
    .string()
    .regex(/^(\*|[a-z0-9-]+:[A-Za-z0-9:._-]+)$/, 'a category such as owasp-llm:2025:LLM01, or *'),
  measure: z.enum(['rate', 'lower', 'upper']).default('rate'),
  max: z.number().min(0).max(1),
  minTests: z.number().int().min(1).default(1),
  tiers: z.array(tierSchema).optional(),
  findingCategory: slug,
  severity: severitySchema,
  title: z.string().min(3).max(300),
  description: z.string().max(2000).optional(),
});
export type GenAiThreshold = z.infer<typeof genaiThresholdSchema>;

/** The whole policy document (YAML). */
/** Assay records that can satisfy a compliance requirement (see docs/compliance.md). */
export const complianceRecordSchema = z.enum([
  'inventory',
  'tiering',
  'eu_classification',
  'independent_validation',
  'approval',
  'review_schedule',
]);
export type ComplianceRecord = z.infer<typeof complianceRecordSchema>;

/**
 * What satisfies one catalog requirement (`<catalog>:<requirement>`): every thing listed is needed
 * for "met"; some of them give "partly met". Evidence types count uploaded, current, unexpired
 * evidence of the version (with its hash); checklist items count as the review checklist counts
 * them (published model cards and datasheets included); card and datasheet sections must be
 * written in the published card / every dataset's datasheet; controls are Assay's own (shown as
 * support, never enough alone).
 */
export const complianceMappingSchema = z.strictObject({
  requirement: z
    .string()
    .regex(/^[a-z][a-z0-9-]*:[A-Za-z_][A-Za-z0-9._-]*$/, 'must be <catalog>:<requirement>'),
  evidence: z.array(evidenceTypeSchema).max(20).optional(),
  checklist: z.array(evidenceTypeSchema).max(20).optional(),
  cardSections: z.array(slug).max(20).optional(),
  datasheetSections: z.array(slug).max(20).optional(),
  records: z.array(complianceRecordSchema).max(10).optional(),
  controls: z.array(z.string().min(1).max(40)).max(10).optional(),
});
export type ComplianceMapping = z.infer<typeof complianceMappingSchema>;

/** The compliance section of the policy: the roles the organisation holds and the mapping. */
export const complianceSectionSchema = z.strictObject({
  /** EU AI Act roles the organisation holds for its systems (provider and/or deployer obligations apply). */
  euAiActRoles: z
    .array(z.enum(['provider', 'deployer']))
    .min(1)
    .default(['provider', 'deployer']),
  /**
   * Catalog scope: a catalog listed here applies to a model only when its tiering answers match
   * (question id → answer ids); its requirements are otherwise not applicable, with that reason.
   */
  catalogs: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(40),
        tieringAnswers: z.record(slug, z.array(slug).min(1)).optional(),
      }),
    )
    .max(50)
    .default([]),
  mappings: z.array(complianceMappingSchema).max(1000),
});
export type ComplianceSection = z.infer<typeof complianceSectionSchema>;

export const policyDocumentSchema = z
  .strictObject({
    policyFormat: z.literal(1),
    name: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    tiering: z.strictObject({
      questions: z.array(tieringQuestionSchema).min(1).max(50),
      thresholds: z.array(tierThresholdSchema).min(1),
    }),
    tiers: z.array(tierRequirementsSchema).min(1),
    findings: z.strictObject({
      severities: z.strictObject({
        critical: severityRuleSchema,
        high: severityRuleSchema,
        medium: severityRuleSchema,
        low: severityRuleSchema,
      }),
      taxonomy: z.array(slug).min(1),
    }),
    euAiAct: euAiActSchema,
    /** Documentation rules per tier (optional in older policies; see docs/documentation.md). */
    documentation: z.strictObject({ tiers: z.array(documentationTierSchema).min(1) }).optional(),
    /** Breaches of these thresholds in validation evidence become suggested findings (optional). */
    validationThresholds: z.array(validationThresholdSchema).max(200).optional(),
    /**
     * Alerting rules (optional): `driftReview` opens a change-triggered review (production gate)
     * of the deployed version once a drift check has been critical for `criticalWindows`
     * consecutive windows (only for the listed tiers, when given). See docs/monitoring.md.
     */
    alerting: z
      .strictObject({
        driftReview: z
          .strictObject({
            criticalWindows: z.number().int().min(1).max(365),
            tiers: z.array(tierSchema).optional(),
          })
          .optional(),
      })
      .optional(),
    /** Compliance mapping: which Assay records satisfy which catalog requirement (optional; see docs/compliance.md). */
    compliance: complianceSectionSchema.optional(),
    /** Breaches of these GenAI attack-success-rate thresholds become suggested findings (optional). */
    genaiThresholds: z.array(genaiThresholdSchema).max(200).optional(),
  })
  .superRefine((doc, ctx) => {
    const dup = <T>(items: readonly T[], key: (t: T) => string | number, path: (string | number)[]) => {
      const seen = new Set<string | number>();
      items.forEach((item, i) => {
        const k = key(item);
        if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `duplicate '${k}'`, path: [...path, i] });
        seen.add(k);
      });
    };
    dup(doc.tiering.questions, (q) => q.id, ['tiering', 'questions']);
    doc.tiering.questions.forEach((q, qi) => {
      dup(q.answers, (a) => a.id, ['tiering', 'questions', qi, 'answers']);
    });
    dup(doc.tiering.thresholds, (t) => t.tier, ['tiering', 'thresholds']);
    dup(doc.tiers, (t) => t.tier, ['tiers']);
    dup(doc.findings.taxonomy, (t) => t, ['findings', 'taxonomy']);
    dup(doc.validationThresholds ?? [], (t) => t.id, ['validationThresholds']);
    dup(doc.compliance?.mappings ?? [], (m) => m.requirement, ['compliance', 'mappings']);
    const provisions = new Set(
      [...doc.euAiAct.annexIIIAreas, ...doc.euAiAct.annexIProducts, ...doc.euAiAct.transparency].map(
        (p) => p.id,
      ),
    );
    for (const cls of ['high_risk', 'limited_risk', 'minimal'] as const) {
      const list = doc.euAiAct.obligations?.[cls] ?? [];
      dup(list, (o) => o.id, ['euAiAct', 'obligations', cls]);
      list.forEach((o, i) => {
        (o.ifMatched ?? []).forEach((id, j) => {
          if (!provisions.has(id))
            ctx.addIssue({
              code: 'custom',
              message: `'${id}' is not a provision of euAiAct (annexIIIAreas, annexIProducts, transparency)`,
              path: ['euAiAct', 'obligations', cls, i, 'ifMatched', j],
            });
        });
      });
    }
    (doc.validationThresholds ?? []).forEach((t, i) => {
      if (!doc.findings.taxonomy.includes(t.category))
        ctx.addIssue({
          code: 'custom',
          message: `category '${t.category}' is not in findings.taxonomy`,
          path: ['validationThresholds', i, 'category'],
        });
    });
    (doc.genaiThresholds ?? []).forEach((t, i) => {
      if (!doc.findings.taxonomy.includes(t.findingCategory))
        ctx.addIssue({
          code: 'custom',
          message: `category '${t.findingCategory}' is not in findings.taxonomy`,
          path: ['genaiThresholds', i, 'findingCategory'],
        });
    });
    const defined = new Set(doc.tiers.map((t) => t.tier));
    if (doc.documentation) {
      dup(doc.documentation.tiers, (t) => t.tier, ['documentation', 'tiers']);
      doc.documentation.tiers.forEach((t, i) => {
        if (!defined.has(t.tier))
          ctx.addIssue({
            code: 'custom',
            message: `tier ${t.tier} has no entry in tiers`,
            path: ['documentation', 'tiers', i, 'tier'],
          });
        dup(t.cardSections, (x) => x, ['documentation', 'tiers', i, 'cardSections']);
        dup(t.datasheetSections, (x) => x, ['documentation', 'tiers', i, 'datasheetSections']);
      });
      for (const t of doc.tiers)
        if (!doc.documentation.tiers.some((d) => d.tier === t.tier))
          ctx.addIssue({
            code: 'custom',
            message: `tier ${t.tier} has no documentation rules`,
            path: ['documentation', 'tiers'],
          });
    }
    doc.tiering.thresholds.forEach((t, i) => {
      if (!defined.has(t.tier))
        ctx.addIssue({
          code: 'custom',
          message: `tier ${t.tier} has no entry in tiers`,
          path: ['tiering', 'thresholds', i, 'tier'],
        });
    });
    // Every score must land somewhere: the lowest-risk threshold has to start at 0.
    if (!doc.tiering.thresholds.some((t) => t.minScore === 0))
      ctx.addIssue({
        code: 'custom',
        message: 'one threshold must have minScore 0',
        path: ['tiering', 'thresholds'],
      });
    // Higher-risk tiers (smaller numbers) need strictly higher scores.
    const sorted = [...doc.tiering.thresholds].sort((a, b) => a.tier - b.tier);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (prev && cur && prev.minScore <= cur.minScore) {
        const idx = doc.tiering.thresholds.indexOf(cur);
        ctx.addIssue({
          code: 'custom',
          message: `tier ${cur.tier} must need a lower score than tier ${prev.tier} (${prev.minScore})`,
          path: ['tiering', 'thresholds', idx, 'minScore'],
        });
      }
    }
  });
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type TierRequirements = z.infer<typeof tierRequirementsSchema>;
export type TieringQuestion = z.infer<typeof tieringQuestionSchema>;
export type EuProvision = z.infer<typeof euProvisionSchema>;

/** A stored policy version as the API shows it. */
export const policyVersionSchema = z.object({
  version: z.number().int(),
  sha256: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  active: z.boolean(),
  /** proposed → approved (by a second person) or rejected; the active policy is the newest approved. */
  state: z.enum(['proposed', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The active version a proposal was made against. */
  baseVersion: z.number().int().nullable(),
});
export type PolicyVersion = z.infer<typeof policyVersionSchema>;

/** The active policy: the parsed document, its YAML text and its version. */
export const activePolicySchema = policyVersionSchema.extend({ yaml: z.string(), document: z.unknown() });
export type ActivePolicy = z.infer<typeof activePolicySchema>;

/** PUT /api/v1/policy with a JSON body. */
export const policyPutJsonSchema = z.strictObject({ yaml: z.string().min(1) });

/** POST /api/v1/policy/versions/{version}/approve and /reject. */
export const policyDecisionSchema = z.strictObject({ note: z.string().trim().min(1).max(2000).optional() });

/** One problem in a policy document: where (line, column, field path) and what. */
export const policyIssueSchema = z.object({
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  field: z.string(),
  message: z.string(),
});
export type PolicyIssue = z.infer<typeof policyIssueSchema>;

/** Answers about a use case for the EU AI Act classification (ids from the policy's euAiAct data). */
export const euAiActAnswersSchema = z.strictObject({
  prohibitedPractices: z.array(z.string().max(64)).max(50).default([]),
  annexIIIAreas: z.array(z.string().max(64)).max(50).default([]),
  annexIProducts: z.array(z.string().max(64)).max(50).default([]),
  transparency: z.array(z.string().max(64)).max(50).default([]),
  /** The provider relies on the Art. 6(3) derogation (narrow procedural task, preparatory task, …). */
  art6_3Derogation: z.boolean().default(false),
  /** The system profiles natural persons (then an Annex III system is always high-risk). */
  profilesNaturalPersons: z.boolean().default(false),
  /** Art. 27(1): the deployer is a body governed by public law or a private entity providing public services. */
  publicServiceDeployer: z.boolean().default(false),
  /** Art. 27(1) with Annex III 5(b)/(c): creditworthiness or credit scoring of natural persons, or life and health insurance risk assessment and pricing. */
  creditOrInsuranceAssessment: z.boolean().default(false),
});
export type EuAiActAnswers = z.infer<typeof euAiActAnswersSchema>;

/** EU AI Act risk classes. */
export const euAiActClassSchema = z.enum(['prohibited', 'high_risk', 'limited_risk', 'minimal']);
export type EuAiActClass = z.infer<typeof euAiActClassSchema>;

/** A matched provision with whether it already applies at the classification time. */
export const euMatchSchema = z.object({
  group: z.enum(['prohibitedPractices', 'annexIIIAreas', 'annexIProducts', 'transparency']),
  id: z.string(),
  article: z.string(),
  description: z.string(),
  appliesFrom: z.string(),
  applies: z.boolean(),
});

/** The EU AI Act classification of a use case. */
export const euClassificationSchema = z.object({
  class: euAiActClassSchema,
  instrument: z.string(),
  matched: z.array(euMatchSchema),
  /** The earliest date from which the deciding class's obligations apply (null for minimal). */
  obligationsFrom: z.string().nullable(),
  notes: z.array(z.string()),
  /** A fundamental rights impact assessment is due before deployment (Art. 27; absent in older tierings: false). */
  fundamentalRightsImpactAssessment: z.boolean().optional(),
  /** The obligations the policy attaches to this classification (absent in older tierings). */
  obligations: z
    .array(
      z.object({
        id: z.string(),
        article: z.string(),
        title: z.string(),
        evidence: z.array(evidenceTypeSchema),
        gates: z.array(gateSchema),
      }),
    )
    .optional(),
});
export type EuClassification = z.infer<typeof euClassificationSchema>;

/** One answer's contribution to the tiering score. */
export const tieringContributionSchema = z.object({
  questionId: z.string(),
  question: z.string(),
  answerId: z.string(),
  answer: z.string(),
  weight: z.number(),
  maxWeight: z.number(),
});

/** POST …/tiering: the questionnaire answers (questionId → answerId) and the EU AI Act answers. */
export const tieringRequestSchema = z.strictObject({
  answers: z.record(z.string().max(64), z.string().max(64)),
  euAiAct: euAiActAnswersSchema.optional(),
});
export type TieringRequest = z.infer<typeof tieringRequestSchema>;

/** A stored tiering of one model version. */
export const tieringSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  versionLabel: z.string(),
  policyVersion: z.number().int(),
  answers: z.record(z.string(), z.string()),
  score: z.number(),
  maxScore: z.number(),
  computedTier: z.number().int(),
  /** The contributions, largest first: the answers that drove the tier. */
  rationale: z.array(tieringContributionSchema),
  summary: z.string(),
  euAiAct: euClassificationSchema,
  /** The EU AI Act answers the classification used (kept: a re-tiering without them reuses these). */
  euAiActAnswers: euAiActAnswersSchema,
  assessedBy: z.string(),
  assessedAt: z.string(),
  /**
   * effective: it set the model's tier and class; pending: a re-tiering of a frozen or approved
   * version that lowers the tier or class, waiting for a second governance person; rejected.
   */
  status: z.enum(['effective', 'pending', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  rowVersion: z.number().int(),
});
export type Tiering = z.infer<typeof tieringSchema>;

/** POST /api/v1/tierings/{id}/approve|reject. */
export const tieringDecisionSchema = z.strictObject({ note: z.string().max(2000).optional() });

/** POST /api/v1/models/{key}/tier-overrides: ask for a different tier than the computed one. */
export const tierOverrideRequestSchema = z.strictObject({
  tier: tierSchema,
  justification: z.string().trim().min(20).max(4000),
});

/** POST /api/v1/tier-overrides/{id}/approve|reject. */
export const tierOverrideDecisionSchema = z.strictObject({ note: z.string().max(2000).optional() });

/** A tier override request and its decision. */
export const tierOverrideSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  tieringId: z.string(),
  fromTier: z.number().int(),
  toTier: z.number().int(),
  justification: z.string(),
  /** superseded: a re-tiering computed a different tier than the one the override argued against. */
  status: z.enum(['pending', 'approved', 'rejected', 'superseded']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The latest re-tiering the approved override survived (it computed the tier the override argued against). */
  carriedToTieringId: z.string().nullable(),
  /** The re-tiering that superseded it (it computed another tier), and when. */
  supersededByTieringId: z.string().nullable(),
  supersededAt: z.string().nullable(),
  rowVersion: z.number().int(),
});
export type TierOverride = z.infer<typeof tierOverrideSchema>;
