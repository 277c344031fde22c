import { z } from 'zod';

/**
 * Model documentation: structured model cards (one per model version, revised, drafts and
 * published revisions) and datasheets for inventory datasets, with completeness against the
 * policy. Every section has Markdown `text`; structured fields sit beside it where they exist.
 * Shared by the server, the SDK, the CLI, the exports and the format converters: keep it stable
 * (add optional fields; never rename).
 */

/** The `schema` tag of an exported card / datasheet document. */
export const MODEL_CARD_SCHEMA = 'assay.model-card/v1';
export const DATASHEET_SCHEMA = 'assay.datasheet/v1';

const md = z.string().max(100_000).default('');
const short = z.string().trim().min(1).max(2_000);
const optionalText = z.string().max(5_000).nullable().default(null);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SHA-256)');

/** A dataset as a card refers to it: the inventory dataset's name, and its id when resolved. */
export const datasetRefSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  id: z.string().max(64).nullable().default(null),
  note: z.string().max(2_000).nullable().default(null),
});
export type DatasetRef = z.infer<typeof datasetRefSchema>;

/** A piece of evidence a card cites: its id and the SHA-256 of its file (null for a URL). */
export const evidenceRefSchema = z.strictObject({
  evidenceId: z.string().min(1).max(100),
  sha256: sha256.nullable().default(null),
});
export type EvidenceRef = z.infer<typeof evidenceRefSchema>;

/** One evaluation result: a metric, optionally for one group, with optional confidence interval. */
export const cardMetricSchema = z.strictObject({
  /** e.g. roc_auc, accuracy, selection_rate, demographic_parity_difference. */
  name: z.string().trim().min(1).max(200),
  value: z.number().nullable(),
  /** Confidence interval bounds and level (e.g. 0.95), when known. */
  lower: z.number().nullable().default(null),
  upper: z.number().nullable().default(null),
  confidenceLevel: z.number().gt(0).lt(1).nullable().default(null),
  /** The group the value is for (attribute e.g. `sex`, value e.g. `female`); null for overall. */
  group: z
    .strictObject({ attribute: z.string().min(1).max(200), value: z.string().max(200) })
    .nullable()
    .default(null),
  /** The evaluation dataset (name), when known. */
  dataset: z.string().max(200).nullable().default(null),
  /** The evidence the value came from. */
  evidenceId: z.string().max(100).nullable().default(null),
  sha256: sha256.nullable().default(null),
});
export type CardMetric = z.infer<typeof cardMetricSchema>;

/** A known risk and what mitigates it. */
export const riskMitigationSchema = z.strictObject({
  risk: short,
  mitigation: z.string().max(2_000).default(''),
});
export type RiskMitigation = z.infer<typeof riskMitigationSchema>;

/** A hyper-parameter (value as text, so any type round-trips). */
export const hyperparameterSchema = z.strictObject({
  key: z.string().trim().min(1).max(200),
  value: z.string().max(2_000),
});

const listOf = <T extends z.ZodType>(item: T, max = 200) => z.array(item).max(max).default([]);

/** The sections of a model card. Every field has a default, so a partial card parses. */
export const modelCardContentSchema = z.strictObject({
  overview: z.strictObject({ text: md }).default({ text: '' }),
  intendedUse: z.strictObject({ text: md, users: listOf(short) }).default({ text: '', users: [] }),
  outOfScopeUses: z.strictObject({ text: md, items: listOf(short) }).default({ text: '', items: [] }),
  modelDetails: z
    .strictObject({
      text: md,
      architecture: optionalText,
      trainingProcedure: optionalText,
      hyperparameters: listOf(hyperparameterSchema),
    })
    .default({ text: '', architecture: null, trainingProcedure: null, hyperparameters: [] }),
  data: z
    .strictObject({
      text: md,
      training: listOf(datasetRefSchema, 50),
      evaluation: listOf(datasetRefSchema, 50),
    })
    .default({ text: '', training: [], evaluation: [] }),
  evaluation: z
    .strictObject({
      text: md,
      /** The evidence the section reflects (freshness: it must include the latest validation). */
      evidence: listOf(evidenceRefSchema, 50),
      metrics: listOf(cardMetricSchema, 2_000),
    })
    .default({ text: '', evidence: [], metrics: [] }),
  fairness: z.strictObject({ text: md }).default({ text: '' }),
  explainability: z.strictObject({ text: md }).default({ text: '' }),
  humanOversight: z
    .strictObject({
      text: md,
      /** Who reviews outputs or decisions. */
      reviewers: optionalText,
      /** Which decisions are reviewed. */
      reviewedDecisions: optionalText,
      /** How a person overrides the model. */
      overrideProcess: optionalText,
    })
    .default({ text: '', reviewers: null, reviewedDecisions: null, overrideProcess: null }),
  assumptions: z.strictObject({ text: md, items: listOf(short) }).default({ text: '', items: [] }),
  limitations: z.strictObject({ text: md, items: listOf(short) }).default({ text: '', items: [] }),
  risks: z.strictObject({ text: md, items: listOf(riskMitigationSchema) }).default({ text: '', items: [] }),
  monitoring: z
    .strictObject({ text: md, metrics: listOf(short), frequency: optionalText })
    .default({ text: '', metrics: [], frequency: null }),
  changeLog: z
    .strictObject({
      text: md,
      previousVersion: z.string().max(63).nullable().default(null),
      items: listOf(short),
    })
    .default({ text: '', previousVersion: null, items: [] }),
});
export type ModelCardContent = z.infer<typeof modelCardContentSchema>;
export type ModelCardContentInput = z.input<typeof modelCardContentSchema>;

/** Section ids as the policy names them (snake_case), the content key, and the title. */
export const CARD_SECTIONS = [
  { id: 'overview', key: 'overview', title: 'Overview' },
  { id: 'intended_use', key: 'intendedUse', title: 'Intended use and users' },
  { id: 'out_of_scope_uses', key: 'outOfScopeUses', title: 'Out-of-scope uses' },
  { id: 'model_details', key: 'modelDetails', title: 'Model details' },
  { id: 'data', key: 'data', title: 'Data' },
  { id: 'evaluation', key: 'evaluation', title: 'Evaluation' },
  { id: 'fairness', key: 'fairness', title: 'Fairness considerations' },
  { id: 'explainability', key: 'explainability', title: 'Explainability considerations' },
  { id: 'human_oversight', key: 'humanOversight', title: 'Human oversight' },
  { id: 'assumptions', key: 'assumptions', title: 'Assumptions' },
  { id: 'limitations', key: 'limitations', title: 'Limitations' },
  { id: 'risks', key: 'risks', title: 'Known risks and mitigations' },
  { id: 'monitoring', key: 'monitoring', title: 'Monitoring plan' },
  { id: 'change_log', key: 'changeLog', title: 'Change log' },
] as const satisfies readonly { id: string; key: keyof ModelCardContent; title: string }[];
export const cardSectionIdSchema = z.enum(
  CARD_SECTIONS.map((s) => s.id) as [CardSectionId, ...CardSectionId[]],
);
export type CardSectionId = (typeof CARD_SECTIONS)[number]['id'];

/** The sections of a datasheet for a dataset (Gebru et al.), plus PII and retention. */
export const datasheetContentSchema = z.strictObject({
  motivation: z.strictObject({ text: md }).default({ text: '' }),
  composition: z
    .strictObject({
      text: md,
      rowCount: z.number().int().min(0).nullable().default(null),
      columns: listOf(short, 2_000),
    })
    .default({ text: '', rowCount: null, columns: [] }),
  collection: z.strictObject({ text: md }).default({ text: '' }),
  preprocessing: z.strictObject({ text: md }).default({ text: '' }),
  uses: z.strictObject({ text: md }).default({ text: '' }),
  distribution: z.strictObject({ text: md }).default({ text: '' }),
  maintenance: z.strictObject({ text: md }).default({ text: '' }),
  piiAndRetention: z
    .strictObject({
      text: md,
      containsPii: z.boolean().nullable().default(null),
      piiColumns: listOf(z.string().min(1).max(200), 2_000),
      retention: optionalText,
    })
    .default({ text: '', containsPii: null, piiColumns: [], retention: null }),
});
export type DatasheetContent = z.infer<typeof datasheetContentSchema>;
export type DatasheetContentInput = z.input<typeof datasheetContentSchema>;

export const DATASHEET_SECTIONS = [
  { id: 'motivation', key: 'motivation', title: 'Motivation' },
  { id: 'composition', key: 'composition', title: 'Composition' },
  { id: 'collection', key: 'collection', title: 'Collection process' },
  { id: 'preprocessing', key: 'preprocessing', title: 'Preprocessing, cleaning and labelling' },
  { id: 'uses', key: 'uses', title: 'Uses' },
  { id: 'distribution', key: 'distribution', title: 'Distribution' },
  { id: 'maintenance', key: 'maintenance', title: 'Maintenance' },
  { id: 'pii_and_retention', key: 'piiAndRetention', title: 'Personal data and retention' },
] as const satisfies readonly { id: string; key: keyof DatasheetContent; title: string }[];
export type DatasheetSectionId = (typeof DATASHEET_SECTIONS)[number]['id'];
export const datasheetSectionIdSchema = z.enum(
  DATASHEET_SECTIONS.map((s) => s.id) as [DatasheetSectionId, ...DatasheetSectionId[]],
);

/** Draft (work in progress) or published (what checklists and exports use by default). */
export const documentStatusSchema = z.enum(['draft', 'published']);
export type DocumentStatus = z.infer<typeof documentStatusSchema>;

/** One stored revision of a model card. */
export const modelCardSchema = z.object({
  schema: z.literal(MODEL_CARD_SCHEMA),
  id: z.string(),
  modelKey: z.string(),
  modelName: z.string(),
  versionLabel: z.string(),
  /** 1, 2, … per model version; every save is a new revision. */
  revision: z.number().int(),
  status: documentStatusSchema,
  note: z.string().nullable(),
  content: modelCardContentSchema,
  /** SHA-256 of the canonical JSON of `content`. */
  sha256: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type ModelCard = z.infer<typeof modelCardSchema>;

/** One stored revision of a datasheet. */
export const datasheetSchema = z.object({
  schema: z.literal(DATASHEET_SCHEMA),
  id: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  revision: z.number().int(),
  status: documentStatusSchema,
  note: z.string().nullable(),
  content: datasheetContentSchema,
  sha256: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Datasheet = z.infer<typeof datasheetSchema>;

/** A revision in a list (without content). */
export const documentRevisionSchema = z.object({
  id: z.string(),
  revision: z.number().int(),
  status: documentStatusSchema,
  note: z.string().nullable(),
  sha256: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type DocumentRevision = z.infer<typeof documentRevisionSchema>;

/** Why a document falls short of the policy. */
export const completenessGapCodeSchema = z.enum([
  /** A section the tier requires is empty. */
  'section_missing',
  /** A section has text, but less than the policy's minimum length. */
  'section_too_short',
  /** A list (limitations, risks, …) has fewer entries than the policy's minimum. */
  'too_few_entries',
  /** The evaluation section does not cite the latest validation evidence of the version. */
  'evaluation_stale',
  /** A cited evidence id does not exist on this model version, is superseded, or its SHA-256 differs. */
  'evidence_link_broken',
  /** A referenced dataset is not in the inventory. */
  'dataset_link_broken',
  /** A model card with no card, or a required dataset with no datasheet. */
  'document_missing',
  /** Only a draft exists; the checklist counts published documents only. */
  'not_published',
]);
export type CompletenessGapCode = z.infer<typeof completenessGapCodeSchema>;

export const completenessGapSchema = z.object({
  /** The section id (snake_case), or `card` / `datasheet` for the whole document. */
  section: z.string(),
  code: completenessGapCodeSchema,
  message: z.string(),
});
export type CompletenessGap = z.infer<typeof completenessGapSchema>;

/** Completeness of one document against the policy for a tier. */
export const completenessSchema = z.object({
  /** 0-100: the share of the checks that pass. */
  score: z.number().min(0).max(100),
  /** No gaps. */
  passes: z.boolean(),
  gaps: z.array(completenessGapSchema),
  /** The tier whose rules were applied (null: untiered, the strictest tier's rules). */
  tier: z.number().int().nullable(),
  policyVersion: z.number().int(),
  /** The revision checked (null when there is none). */
  revision: z.number().int().nullable(),
  status: documentStatusSchema.nullable(),
  /** The section ids the tier requires. */
  requiredSections: z.array(z.string()),
  evaluatedAt: z.string(),
});
export type Completeness = z.infer<typeof completenessSchema>;

/** PUT …/card: a new revision (draft unless `publish`). */
export const modelCardSaveSchema = z.strictObject({
  content: modelCardContentSchema,
  publish: z.boolean().default(false),
  note: z.string().trim().max(2_000).optional(),
  /** The revision the edit started from; 409 when a newer revision exists. */
  baseRevision: z.number().int().min(0).optional(),
});
export type ModelCardSave = z.input<typeof modelCardSaveSchema>;

/** PUT …/datasheet: a new revision (draft unless `publish`). */
export const datasheetSaveSchema = z.strictObject({
  content: datasheetContentSchema,
  publish: z.boolean().default(false),
  note: z.string().trim().max(2_000).optional(),
  baseRevision: z.number().int().min(0).optional(),
});
export type DatasheetSave = z.input<typeof datasheetSaveSchema>;

/** POST …/card/publish and …/datasheet/publish: publish the latest (or a given) revision as a new revision. */
export const documentPublishSchema = z.strictObject({
  revision: z.number().int().min(1).optional(),
  note: z.string().trim().max(2_000).optional(),
});

/** POST …/draft: generate a draft from what Assay knows; `save` stores it as a new draft revision. */
export const draftRequestSchema = z.strictObject({ save: z.boolean().default(false) });

/** The generated draft, where each part came from, and the saved revision when `save` was set. */
export const modelCardDraftSchema = z.object({
  content: modelCardContentSchema,
  sources: z.array(z.string()),
  saved: modelCardSchema.nullable(),
});
export type ModelCardDraft = z.infer<typeof modelCardDraftSchema>;

export const datasheetDraftSchema = z.object({
  content: datasheetContentSchema,
  sources: z.array(z.string()),
  saved: datasheetSchema.nullable(),
});
export type DatasheetDraft = z.infer<typeof datasheetDraftSchema>;

/** GET …/card, …/completeness, …/export: which revision (default: the latest; `published`: the latest published). */
export const documentReadQuerySchema = z.strictObject({
  revision: z.coerce.number().int().min(1).optional(),
  published: z.enum(['true', 'false']).optional(),
});

/** Export formats of this module (converters add their own elsewhere). */
export const documentExportFormatSchema = z.enum(['md', 'html', 'pdf', 'json']);
export type DocumentExportFormat = z.infer<typeof documentExportFormatSchema>;

export const documentExportQuerySchema = documentReadQuerySchema.extend({
  format: documentExportFormatSchema.default('md'),
});

export const documentRevisionListSchema = z.object({ items: z.array(documentRevisionSchema) });
