import { z } from 'zod';
import { AlertRouting, CheckSignal } from './monitoring-signals.ts';
import { severitySchema } from './policy.ts';

export const alertSeveritySchema = z.enum(['warning', 'critical']);
export const alertStateSchema = z.enum(['firing', 'resolved']);

/** One alert occurrence: firing until an ok window resolves it; the fingerprint names deployment × check. */
export const alertSchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  deploymentId: z.string(),
  environment: z.string(),
  modelKey: z.string(),
  versionLabel: z.string(),
  planId: z.string(),
  planVersion: z.number().int(),
  check: z.string(),
  kind: CheckSignal.shape.kind,
  metric: z.string(),
  feature: z.string().nullable(),
  severity: alertSeveritySchema,
  state: alertStateSchema,
  value: z.number().nullable(),
  warning: z.number().nullable(),
  critical: z.number().nullable(),
  direction: z.enum(['above', 'below']),
  forWindows: z.number().int(),
  runbookUrl: z.string().nullable(),
  /** Start of the first bad window of the streak that fired it (when the problem began). */
  startsAt: z.string(),
  firedAt: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  evidence: z.object({ windowId: z.string(), url: z.string() }),
  resolvedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  assignee: z.string().nullable(),
  triage: z.enum(['finding', 'incident']).nullable(),
  triageRef: z.string().nullable(),
  /** Whether a silence in force matches it now (notifications are held, the alert still shows). */
  silenced: z.boolean(),
  lastNotifiedAt: z.string().nullable(),
  notifications: z.number().int(),
  updatedAt: z.string(),
  rowVersion: z.number().int(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertListQuerySchema = z.strictObject({
  state: alertStateSchema.optional(),
  severity: alertSeveritySchema.optional(),
  deploymentId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;
export const alertPageSchema = z.object({ items: z.array(alertSchema) });

/** POST /api/v1/alerts/signals: what monitoring produced for a window (also usable by other producers). */
export const signalBatchSchema = z.strictObject({
  signals: z.array(CheckSignal).min(1).max(1000),
  routing: AlertRouting,
});
export const signalOutcomeSchema = z.object({
  fired: z.array(z.string()),
  updated: z.array(z.string()),
  resolved: z.array(z.string()),
  ignored: z.number().int(),
});
export type SignalOutcome = z.infer<typeof signalOutcomeSchema>;

export const alertAckSchema = z.strictObject({ note: z.string().trim().max(2000).optional() });
export const alertAssignSchema = z.strictObject({ assignee: z.string().min(1).max(100) });

/** POST /api/v1/alerts/{id}/triage: into a finding (citing the window's evidence) or an incident. */
export const alertTriageSchema = z.discriminatedUnion('to', [
  z.strictObject({
    to: z.literal('finding'),
    owner: z.string().min(1).max(100),
    severity: severitySchema.optional(),
    title: z.string().trim().min(3).max(300).optional(),
  }),
  z.strictObject({
    to: z.literal('incident'),
    /** Attach to an existing incident instead of opening one. */
    incidentId: z.string().min(1).max(100).optional(),
    title: z.string().trim().min(3).max(300).optional(),
    severity: severitySchema.optional(),
  }),
]);
export type AlertTriage = z.infer<typeof alertTriageSchema>;

export const silenceMatchersSchema = z
  .strictObject({
    deploymentId: z.string().min(1).max(100).optional(),
    modelKey: z.string().min(1).max(100).optional(),
    check: z.string().min(1).max(200).optional(),
    kind: CheckSignal.shape.kind.optional(),
    severity: alertSeveritySchema.optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), {
    message: 'a silence needs at least one matcher',
  });

export const silenceCreateSchema = z.strictObject({
  matchers: silenceMatchersSchema,
  reason: z.string().trim().min(10).max(2000),
  startsAt: z.iso.datetime().optional(),
  endsAt: z.iso.datetime(),
});
export type SilenceCreate = z.infer<typeof silenceCreateSchema>;

export const silenceSchema = z.object({
  id: z.string(),
  matchers: z.record(z.string(), z.string()),
  reason: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  rowVersion: z.number().int(),
});
export type Silence = z.infer<typeof silenceSchema>;
export const silencePageSchema = z.object({ items: z.array(silenceSchema) });
