/**
 * Contract between monitoring (window checks, owned by `governance/monitoring`) and alerting
 * (`governance/alerts`): after each window is computed, monitoring hands every check's outcome
 * to the alerts service as a `CheckSignal`, with the plan's routing.
 */
import { z } from 'zod';

export const CheckSignal = z.object({
  deploymentId: z.string(),
  modelId: z.string(),
  versionId: z.string(),
  planId: z.string(),
  planVersion: z.number().int(),
  check: z.string(), // the check's name in the plan, e.g. "drift:age", "performance:roc_auc"
  kind: z.enum(['drift', 'data_quality', 'volume', 'performance', 'estimated_performance']),
  metric: z.string(),
  feature: z.string().nullable(),
  windowStart: z.string(), // ISO UTC
  windowEnd: z.string(), // ISO UTC
  value: z.number().nullable(),
  warning: z.number().nullable(),
  critical: z.number().nullable(),
  direction: z.enum(['above', 'below']), // which side of the threshold is bad
  severity: z.enum(['ok', 'warning', 'critical', 'no_data']),
  forWindows: z.number().int().min(1), // consecutive bad windows before firing
  runbookUrl: z.string().nullable(),
  evidence: z.object({ windowId: z.string(), url: z.string() }),
});
export type CheckSignal = z.infer<typeof CheckSignal>;

export const AlertRoute = z.discriminatedUnion('type', [
  z.object({ type: z.literal('webhook'), url: z.string().url() }),
  z.object({ type: z.literal('alertmanager'), url: z.string().url() }),
]);
export type AlertRoute = z.infer<typeof AlertRoute>;

export const AlertRouting = z.object({
  routes: z.array(AlertRoute),
  repeatIntervalSeconds: z.number().int().positive(),
});
export type AlertRouting = z.infer<typeof AlertRouting>;
