import { z } from 'zod';
import { severitySchema } from './policy.ts';

export const incidentStateSchema = z.enum(['open', 'acknowledged', 'mitigated', 'resolved']);
/** EU AI Act Art. 73 categories of serious incident (each with its own reporting deadline). */
export const seriousCategorySchema = z.enum([
  'general',
  'death',
  'widespread_infringement',
  'critical_infrastructure',
]);
export type SeriousCategory = z.infer<typeof seriousCategorySchema>;

export const incidentEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  kind: z.string(),
  note: z.string().nullable(),
  ref: z.string().nullable(),
});

/** An incident; durations are computed from its times, never entered. */
export const incidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  severity: severitySchema,
  state: incidentStateSchema,
  impactBeganAt: z.string(),
  detectedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  mitigatedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** Minutes from impact to detection / detection to acknowledgement / detection to resolution. */
  timeToDetectMinutes: z.number().nullable(),
  timeToAcknowledgeMinutes: z.number().nullable(),
  timeToResolveMinutes: z.number().nullable(),
  serious: z.boolean(),
  seriousCategory: seriousCategorySchema.nullable(),
  /** The Art. 73 reporting deadline (from detection) and the article paragraph that sets it. */
  reportingDueAt: z.string().nullable(),
  reportingRule: z.string().nullable(),
  reportedAt: z.string().nullable(),
  reportingOverdue: z.boolean(),
  commander: z.string().nullable(),
  deployments: z.array(
    z.object({ id: z.string(), modelKey: z.string(), versionLabel: z.string(), environment: z.string() }),
  ),
  alerts: z.array(z.string()),
  correctiveActions: z.array(z.string()),
  timeline: z.array(incidentEventSchema),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rowVersion: z.number().int(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentCreateSchema = z.strictObject({
  title: z.string().trim().min(3).max(300),
  description: z.string().trim().min(1).max(10_000),
  severity: severitySchema,
  impactBeganAt: z.iso.datetime(),
  /** Defaults to now. */
  detectedAt: z.iso.datetime().optional(),
  deploymentIds: z.array(z.string().min(1).max(100)).min(1).max(100),
  commander: z.string().min(1).max(100).optional(),
});
export type IncidentCreate = z.infer<typeof incidentCreateSchema>;

/** POST /api/v1/incidents/{id}/transition: acknowledge, mitigate, resolve (each stamped with the clock or `at`). */
export const incidentTransitionSchema = z.strictObject({
  to: z.enum(['acknowledged', 'mitigated', 'resolved']),
  at: z.iso.datetime().optional(),
  note: z.string().trim().max(5000).optional(),
});
export type IncidentTransition = z.infer<typeof incidentTransitionSchema>;

export const incidentNoteSchema = z.strictObject({ note: z.string().trim().min(1).max(5000) });

export const incidentSeriousSchema = z.strictObject({
  serious: z.boolean(),
  category: seriousCategorySchema.optional(),
  note: z.string().trim().max(5000).optional(),
});
export const incidentReportedSchema = z.strictObject({
  at: z.iso.datetime().optional(),
  reference: z.string().trim().min(1).max(500),
});

/** POST /api/v1/incidents/{id}/actions: a post-incident corrective action, raised as a finding. */
export const incidentActionSchema = z.strictObject({
  modelKey: z.string().min(1).max(100),
  versionLabel: z.string().min(1).max(63),
  title: z.string().trim().min(3).max(300),
  description: z.string().trim().min(1).max(10_000),
  category: z.string().min(1).max(64),
  severity: severitySchema,
  owner: z.string().min(1).max(100),
});
export type IncidentAction = z.infer<typeof incidentActionSchema>;

export const incidentListQuerySchema = z.strictObject({
  state: incidentStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const incidentPageSchema = z.object({ items: z.array(incidentSchema) });
