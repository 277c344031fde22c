import { z } from 'zod';
import { pageQuery } from './identity.ts';
import { MODEL_STATUSES } from './vocabulary.ts';

/** Model types. */
export const modelTypeSchema = z.enum([
  'classification',
  'regression',
  'ranking',
  'forecasting',
  'clustering',
  'llm_application',
  'agent',
  'rules_euc',
  'other',
]);
export type ModelType = z.infer<typeof modelTypeSchema>;

/** Lifecycle status of a model. */
export const modelStatusSchema = z.enum(MODEL_STATUSES);
export type ModelStatus = z.infer<typeof modelStatusSchema>;

/** A model key: a lower-case slug. */
export const modelKeySchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    'must be a slug: 2-63 of a-z, 0-9 and -, starting with a letter or digit',
  );

const text = (max: number) => z.string().trim().max(max);
const username = z.string().min(1).max(63);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SHA-256)');
const isoTime = z.iso.datetime({ offset: true });

/** Links of a model to other systems. */
export const modelLinksSchema = z.strictObject({
  repository: z.url().max(2000).nullable().optional(),
  registry: z.string().max(2000).nullable().optional(),
  dashboard: z.url().max(2000).nullable().optional(),
});

/** Fields a caller may set on a model. */
const modelFields = {
  name: text(200).min(1),
  description: text(10_000).nullable().optional(),
  purpose: text(5_000).nullable().optional(),
  intendedUse: text(5_000).nullable().optional(),
  intendedUsers: text(2_000).nullable().optional(),
  outOfScopeUses: text(5_000).nullable().optional(),
  type: modelTypeSchema,
  businessUnit: text(200).nullable().optional(),
  owner: username.optional(),
  developers: z.array(username).max(50).optional(),
  vendor: z.boolean().optional(),
  vendorName: text(200).nullable().optional(),
  genai: z.boolean().optional(),
  decisionImpact: text(2_000).nullable().optional(),
  tags: z
    .array(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$/, 'tags are 1-63 of letters, digits, _ . : -'),
    )
    .max(50)
    .optional(),
  links: modelLinksSchema.optional(),
};

/** POST /api/v1/models */
export const modelCreateSchema = z.strictObject({
  key: modelKeySchema,
  ...modelFields,
  status: z.enum(['proposed', 'development']).optional(),
});
export type ModelCreate = z.infer<typeof modelCreateSchema>;

/** PATCH /api/v1/models/{key}: any subset of the fields (status goes through /transition). */
export const modelUpdateSchema = z.strictObject({
  ...modelFields,
  name: modelFields.name.optional(),
  type: modelTypeSchema.optional(),
});
export type ModelUpdate = z.infer<typeof modelUpdateSchema>;

/** POST /api/v1/models/{key}/transition */
export const modelTransitionSchema = z.strictObject({
  to: modelStatusSchema,
  reason: text(2000).optional(),
  /** For a move to production: the approved version that goes (default: the newest approved active version). */
  version: z.string().min(1).max(63).optional(),
});

/** PUT /api/v1/models/{key}/relations */
export const modelRelationsSchema = z.strictObject({
  owner: username,
  developers: z.array(username).max(50),
  validators: z.array(username).max(50),
});

/** Completeness of a model's inventory record. */
export const completenessSchema = z.object({ score: z.number(), missing: z.array(z.string()) });

/** A model as the API shows it. */
export const modelSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  purpose: z.string().nullable(),
  intendedUse: z.string().nullable(),
  intendedUsers: z.string().nullable(),
  outOfScopeUses: z.string().nullable(),
  type: modelTypeSchema,
  businessUnit: z.string().nullable(),
  owner: z.string().nullable(),
  developers: z.array(z.string()),
  validators: z.array(z.string()),
  vendor: z.boolean(),
  vendorName: z.string().nullable(),
  genai: z.boolean(),
  decisionImpact: z.string().nullable(),
  status: modelStatusSchema,
  tier: z.number().int().nullable(),
  /** The EU AI Act class of the latest effective tiering (null: never tiered). */
  euAiActClass: z.enum(['prohibited', 'high_risk', 'limited_risk', 'minimal']).nullable(),
  tags: z.array(z.string()),
  links: z.object({
    repository: z.string().nullable().optional(),
    registry: z.string().nullable().optional(),
    dashboard: z.string().nullable().optional(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  retiredAt: z.string().nullable(),
  rowVersion: z.number().int(),
});
export type Model = z.infer<typeof modelSchema>;

/** The valid lifecycle exception a model stands on (who allowed what until when is at /api/v1/exceptions/{id}). */
export const modelExceptionSchema = z.object({ id: z.string(), until: z.string(), reason: z.string() });
export type ModelException = z.infer<typeof modelExceptionSchema>;

/**
 * A model with its derived completeness, and (on reads) the valid lifecycle exception it stands on:
 * null when none, absent where the answer does not say.
 */
export const modelDetailSchema = modelSchema.extend({
  completeness: completenessSchema,
  /** GET /api/v1/models/{key}: when the next periodic review is due (docs/workflow.md, "Next review date"). */
  nextReviewDate: z.string().nullable().optional(),
  exception: modelExceptionSchema.nullable().optional(),
});
export type ModelDetail = z.infer<typeof modelDetailSchema>;

/** Unresolved findings (open, in remediation, ready for verification) of a model, by severity. */
export const openFindingCountsSchema = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
});
export type OpenFindingCounts = z.infer<typeof openFindingCountsSchema>;

/**
 * One row of the inventory list: the model, its completeness, its unresolved findings by severity
 * and its next review date (the earliest over its approved versions of the next periodic review,
 * from the policy's reviewFrequencyMonths for its tier; null when nothing is approved or the model
 * is retired).
 */
export const modelListItemSchema = modelDetailSchema.extend({
  openFindings: openFindingCountsSchema,
  nextReviewDate: z.string().nullable(),
});
export type ModelListItem = z.infer<typeof modelListItemSchema>;

/** Sort keys of the inventory list. */
export const modelSortSchema = z.enum(['name', 'key', 'updatedAt', 'createdAt', 'status', 'tier']);

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** GET /api/v1/models query. */
export const modelListQuerySchema = z.strictObject({
  ...pageQuery,
  q: z.string().max(200).optional(),
  status: modelStatusSchema.optional(),
  tier: z.coerce.number().int().min(0).max(9).optional(),
  euAiActClass: z.enum(['prohibited', 'high_risk', 'limited_risk', 'minimal']).optional(),
  owner: username.optional(),
  type: modelTypeSchema.optional(),
  tag: z.string().max(63).optional(),
  vendor: boolParam.optional(),
  genai: boolParam.optional(),
  businessUnit: z.string().max(200).optional(),
  sort: modelSortSchema.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ModelListQuery = z.infer<typeof modelListQuerySchema>;

/** GET /api/v1/models/{key} query: `asOf` reads the model as it was. */
export const modelGetQuerySchema = z.strictObject({ asOf: isoTime.optional() });

/** Version statuses. */
export const versionStatusSchema = z.enum(['active', 'superseded']);

const versionFields = {
  artifactUri: z.string().max(2000).nullable().optional(),
  artifactSha256: sha256.nullable().optional(),
  codeRepo: z.string().max(2000).nullable().optional(),
  codeCommit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, 'must be a commit hash')
    .nullable()
    .optional(),
  registryRef: z.string().max(2000).nullable().optional(),
  trainingDatasetIds: z.array(z.string().max(64)).max(50).optional(),
  evaluationDatasetIds: z.array(z.string().max(64)).max(50).optional(),
  changeSummary: text(5_000).nullable().optional(),
  materialChange: z.boolean().optional(),
};

/** POST /api/v1/models/{key}/versions */
export const versionCreateSchema = z.strictObject({
  label: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,62}$/, 'must be 1-63 of letters, digits, . _ + -'),
  ...versionFields,
});
export type VersionCreate = z.infer<typeof versionCreateSchema>;

/** PATCH /api/v1/models/{key}/versions/{label} */
export const versionUpdateSchema = z.strictObject(versionFields);

/** A version as the API shows it. */
export const versionSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  label: z.string(),
  artifactUri: z.string().nullable(),
  artifactSha256: z.string().nullable(),
  codeRepo: z.string().nullable(),
  codeCommit: z.string().nullable(),
  registryRef: z.string().nullable(),
  trainingDatasetIds: z.array(z.string()),
  evaluationDatasetIds: z.array(z.string()),
  changeSummary: z.string().nullable(),
  materialChange: z.boolean(),
  status: versionStatusSchema,
  supersededBy: z.string().nullable(),
  frozen: z.boolean(),
  frozenAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rowVersion: z.number().int(),
});
export type Version = z.infer<typeof versionSchema>;

/** Dataset roles. */
export const datasetRoleSchema = z.enum(['training', 'validation', 'test', 'monitoring', 'reference']);
export const datasetColumnSchema = z.strictObject({
  name: z.string().min(1).max(200),
  type: z.string().min(1).max(50),
});

const datasetFields = {
  role: datasetRoleSchema,
  locationUri: z.string().max(2000).nullable().optional(),
  sha256: sha256.nullable().optional(),
  schema: z.array(datasetColumnSchema).max(2000).nullable().optional(),
  rowCount: z.number().int().min(0).nullable().optional(),
  owner: username.nullable().optional(),
  containsPii: z.boolean().optional(),
  piiColumns: z.array(z.string().max(200)).max(2000).optional(),
  derivedFrom: z.array(z.string().max(64)).max(50).optional(),
  retentionNote: text(2000).nullable().optional(),
};

/** POST /api/v1/datasets */
export const datasetCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  ...datasetFields,
});
export type DatasetCreate = z.infer<typeof datasetCreateSchema>;
/** PATCH /api/v1/datasets/{id} */
export const datasetUpdateSchema = z.strictObject({ ...datasetFields, role: datasetRoleSchema.optional() });

/** A dataset as the API shows it. */
export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: datasetRoleSchema,
  locationUri: z.string().nullable(),
  sha256: z.string().nullable(),
  schema: z.array(z.object({ name: z.string(), type: z.string() })).nullable(),
  rowCount: z.number().nullable(),
  owner: z.string().nullable(),
  containsPii: z.boolean(),
  piiColumns: z.array(z.string()),
  derivedFrom: z.array(z.string()),
  retentionNote: z.string().nullable(),
  status: z.enum(['active', 'archived']),
  createdAt: z.string(),
  updatedAt: z.string(),
  rowVersion: z.number().int(),
});
export type Dataset = z.infer<typeof datasetSchema>;

/** GET /api/v1/datasets query. */
export const datasetListQuerySchema = z.strictObject({
  ...pageQuery,
  q: z.string().max(200).optional(),
  role: datasetRoleSchema.optional(),
  pii: boolParam.optional(),
  status: z.enum(['active', 'archived']).optional(),
});

/** POST /api/v1/models/{key}/deployments */
export const deploymentCreateSchema = z.strictObject({
  version: z.string().min(1).max(63),
  environment: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a slug such as dev, staging, production'),
  endpoint: z.string().max(2000).nullable().optional(),
  startedAt: isoTime.optional(),
});

/** A deployment as the API shows it. */
export const deploymentSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  modelId: z.string(),
  version: z.string(),
  versionId: z.string(),
  environment: z.string(),
  endpoint: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  createdBy: z.string(),
  rowVersion: z.number().int(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

/** A model's lineage: versions with datasets (ancestors included) and deployments. */
export const modelLineageSchema = z.object({
  model: z.object({ key: z.string(), name: z.string() }),
  versions: z.array(versionSchema.extend({ deployments: z.array(deploymentSchema) })),
  datasets: z.array(datasetSchema),
});

/** A dataset's lineage both ways. */
export const datasetLineageSchema = z.object({
  dataset: datasetSchema,
  ancestors: z.array(datasetSchema),
  descendants: z.array(datasetSchema),
  usedBy: z.array(
    z.object({ modelKey: z.string(), modelName: z.string(), version: z.string(), usage: z.string() }),
  ),
});

/** A model as it was at a past time, with its deployments then. */
export const modelAsOfSchema = z.object({
  asOf: z.string(),
  model: modelSchema,
  deployments: z.array(deploymentSchema),
});

/** One event of a model's history. */
export const historyEventSchema = z.object({
  seq: z.number(),
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
