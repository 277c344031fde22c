import { z } from 'zod';

/** Outbound events a webhook can subscribe to. */
export const webhookEventSchema = z.enum([
  'review.opened',
  'decision.signed',
  'finding.overdue',
  'acceptance.expiring',
  'gate.denied',
  'audit.checkpoint',
  'alert.firing',
  'alert.resolved',
  'incident.opened',
  'incident.updated',
  'incident.resolved',
]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** POST /api/v1/webhooks. The secret signs every delivery (HMAC-SHA256); it is shown only here. */
export const webhookCreateSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(webhookEventSchema).min(1).max(20),
  secret: z.string().min(16).max(200),
  /** Allow a private, loopback or link-local target (admin only; refused otherwise). */
  allowPrivate: z.boolean().default(false),
});
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  allowPrivate: z.boolean(),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  rowVersion: z.number().int(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  event: webhookEventSchema,
  eventId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** POST /api/v1/scheduler/run: the due jobs that fired or failed, and the webhook deliveries made. */
export const schedulerTickSchema = z.object({
  fired: z.array(z.object({ key: z.string(), kind: z.string(), entityId: z.string() })),
  failed: z.array(z.object({ key: z.string(), error: z.string() })),
  deliveries: z.number().int(),
});
export type SchedulerTick = z.infer<typeof schedulerTickSchema>;
