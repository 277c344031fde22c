import { z } from 'zod';
import { euAiActClassSchema } from './policy.ts';

/**
 * Compliance mapping (issue 18): requirement catalogs, crosswalk edges, per-model compliance
 * status and the portfolio query. Catalogs are data files in the repository that validate against
 * `catalogFileSchema`; statuses are computed from Assay's records, never typed.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** Requirement ids: OSCAL-token-safe (a letter first; letters, digits, `.`, `-`, `_`). */
export const requirementIdSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z_][A-Za-z0-9._-]*$/, 'must start with a letter and use letters, digits, ".", "-", "_"');
export const catalogIdSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case');

export const euRoleSchema = z.enum(['provider', 'deployer']);
export type EuRole = z.infer<typeof euRoleSchema>;

/** When a requirement applies to a model (absent: always). */
export const applicabilitySchema = z.strictObject({
  /** The model's EU AI Act class must be one of these. */
  euAiActClasses: z.array(euAiActClassSchema).min(1).optional(),
  /** The classification must have matched this Art. 50 paragraph (policy `euAiAct.transparency` id). */
  transparency: z.string().min(1).optional(),
  /** Only when the classification says a fundamental rights impact assessment (Art. 27) is due. */
  fundamentalRightsAssessment: z.boolean().optional(),
  /** Only for these Annex III areas (policy `euAiAct.annexIIIAreas` ids). */
  annexIIIAreas: z.array(z.string().min(1)).min(1).optional(),
});
export type Applicability = z.infer<typeof applicabilitySchema>;

export const catalogRequirementSchema = z.strictObject({
  id: requirementIdSchema,
  kind: z.enum([
    'function',
    'category',
    'subcategory',
    'obligation',
    'annex-item',
    'risk',
    'note',
    'group',
    'control',
    'principle',
  ]),
  title: z.string().min(1).max(2000),
  reference: z.string().min(1).max(200),
  parent: requirementIdSchema.optional(),
  group: z.string().min(1).max(100).optional(),
  evidenceGuidance: z.string().min(1).max(2000).optional(),
  roles: z.array(euRoleSchema).min(1).optional(),
  applicability: applicabilitySchema.optional(),
  /** Dates from which the requirement applies in law, per route (data, not code). */
  appliesFrom: z
    .array(z.strictObject({ route: z.string().min(1), date: isoDate, note: z.string().optional() }))
    .min(1)
    .optional(),
  confidence: z.enum(['primary', 'secondary', 'verify']).optional(),
});
export type CatalogRequirement = z.infer<typeof catalogRequirementSchema>;

/** One catalog file: where it comes from, its version, date and licence, and its requirements. */
export const catalogFileSchema = z.strictObject({
  id: catalogIdSchema,
  title: z.string().min(1),
  version: z.string().min(1),
  date: isoDate,
  source: z.strictObject({
    title: z.string().min(1),
    url: z.string().min(1),
    secondary: z.array(z.string().min(1)).optional(),
  }),
  licence: z.strictObject({ name: z.string().min(1), url: z.string().optional(), notice: z.string().min(1) }),
  /** What the file covers and what it leaves out, in words. */
  coverage: z.string().min(1),
  requirements: z.array(catalogRequirementSchema).min(1),
});
export type CatalogFile = z.infer<typeof catalogFileSchema>;

/** A catalog as the API lists it (without its requirements). */
export const catalogSummarySchema = catalogFileSchema
  .omit({ requirements: true })
  .extend({ requirementCount: z.number().int() });
export type CatalogSummary = z.infer<typeof catalogSummarySchema>;

/** `catalog:requirement`, e.g. `nist-ai-rmf:MEASURE-2.11`. */
export const requirementRefSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*:[A-Za-z_][A-Za-z0-9._-]*$/, 'must be <catalog>:<requirement>');

export const relationshipSchema = z.enum(['equivalent', 'subset', 'related']);
/** A crosswalk edge: `from` relates to `to` (subset: `from` is a subset of `to`). */
export const crosswalkEdgeSchema = z.strictObject({
  from: requirementRefSchema,
  to: requirementRefSchema,
  relationship: relationshipSchema,
  confidence: z.enum(['high', 'medium', 'low']),
  source: z.string().min(1),
  licence: z.string().min(1),
  note: z.string().optional(),
});
export type CrosswalkEdge = z.infer<typeof crosswalkEdgeSchema>;

export const crosswalkFileSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  source: z.string().min(1),
  licence: z.string().min(1),
  attribution: z.string().min(1),
  edges: z.array(crosswalkEdgeSchema),
});
export type CrosswalkFile = z.infer<typeof crosswalkFileSchema>;

/** "What else does evidence for X satisfy?": each reachable requirement with the path to it. */
export const crosswalkAnswerSchema = z.object({
  requirement: z.object({ ref: z.string(), title: z.string() }),
  related: z.array(
    z.object({
      ref: z.string(),
      catalog: z.string(),
      title: z.string(),
      /** The weakest relationship and confidence along the path. */
      relationship: relationshipSchema,
      confidence: z.enum(['high', 'medium', 'low']),
      path: z.array(crosswalkEdgeSchema),
    }),
  ),
});
export type CrosswalkAnswer = z.infer<typeof crosswalkAnswerSchema>;

export const complianceStateSchema = z.enum(['met', 'partly_met', 'not_met', 'not_applicable']);
export type ComplianceState = z.infer<typeof complianceStateSchema>;

/** One thing that satisfies (part of) a requirement, with what proves it. */
export const satisfierSchema = z.object({
  kind: z.enum(['evidence', 'checklist', 'card_section', 'datasheet_section', 'record', 'control']),
  name: z.string(),
  met: z.boolean(),
  /** Evidence ids, document ids or record ids that satisfy it. */
  proofs: z.array(
    z.object({ id: z.string(), hash: z.string().nullable(), date: z.string().nullable(), title: z.string() }),
  ),
  /** What would close the gap, when not met. */
  gap: z.string().nullable(),
});
export type Satisfier = z.infer<typeof satisfierSchema>;

export const requirementStatusSchema = z.object({
  catalog: z.string(),
  requirement: z.string(),
  title: z.string(),
  reference: z.string(),
  state: complianceStateSchema,
  /** Why not applicable: the classification, or a recorded reason (who, when). */
  notApplicable: z
    .object({ reason: z.string(), recordedBy: z.string().nullable(), recordedAt: z.string().nullable() })
    .nullable(),
  satisfiers: z.array(satisfierSchema),
  gaps: z.array(z.string()),
  appliesFrom: z.string().nullable(),
});
export type RequirementStatus = z.infer<typeof requirementStatusSchema>;

export const catalogStatusSchema = z.object({
  catalog: z.string(),
  title: z.string(),
  counts: z.record(complianceStateSchema, z.number().int()),
  requirements: z.array(requirementStatusSchema),
});
export type CatalogStatus = z.infer<typeof catalogStatusSchema>;

export const modelComplianceSchema = z.object({
  modelKey: z.string(),
  versionLabel: z.string(),
  tier: z.number().int().nullable(),
  euAiActClass: z.string().nullable(),
  policyVersion: z.number().int(),
  computedAt: z.string(),
  catalogs: z.array(catalogStatusSchema),
});
export type ModelCompliance = z.infer<typeof modelComplianceSchema>;

export const complianceQuerySchema = z.strictObject({
  version: z.string().min(1).max(200).optional(),
  catalog: catalogIdSchema.optional(),
});

export const portfolioQuerySchema = z.strictObject({
  catalog: catalogIdSchema.optional(),
  requirement: requirementIdSchema.optional(),
  state: complianceStateSchema.optional(),
  /** `open` = not met or partly met. */
  open: z.enum(['true', 'false']).optional(),
  tier: z.coerce.number().int().min(1).max(9).optional(),
  euAiActClass: euAiActClassSchema.optional(),
  /** `true`: only the coverage per catalog, no rows (the dashboard). */
  coverageOnly: z.enum(['true', 'false']).optional(),
});
export type PortfolioQuery = z.infer<typeof portfolioQuerySchema>;

export const portfolioRowSchema = z.object({
  modelKey: z.string(),
  modelName: z.string(),
  versionLabel: z.string().nullable(),
  tier: z.number().int().nullable(),
  euAiActClass: z.string().nullable(),
  catalog: z.string(),
  requirement: z.string(),
  title: z.string(),
  state: complianceStateSchema,
  gaps: z.array(z.string()),
});
export const portfolioAnswerSchema = z.object({
  rows: z.array(portfolioRowSchema),
  /** Per catalog: how many applicable requirement statuses are met (the dashboard's coverage). */
  coverage: z.array(
    z.object({
      catalog: z.string(),
      met: z.number().int(),
      partlyMet: z.number().int(),
      notMet: z.number().int(),
      notApplicable: z.number().int(),
    }),
  ),
});
export type PortfolioAnswer = z.infer<typeof portfolioAnswerSchema>;

export const notApplicableCreateSchema = z.strictObject({
  catalog: catalogIdSchema,
  requirement: requirementIdSchema,
  reason: z.string().trim().min(20, 'give a reason of at least 20 characters').max(2000),
});
export const notApplicableSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  catalog: z.string(),
  requirement: z.string(),
  reason: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type NotApplicable = z.infer<typeof notApplicableSchema>;
