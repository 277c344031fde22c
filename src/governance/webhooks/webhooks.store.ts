import type { Kysely } from 'kysely';
import type { Webhook, WebhookDelivery } from '../../contracts/webhooks.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { WebhookDeliveriesTable, WebhooksTable } from '../../platform/db/tables/workflow-decisions.ts';

// The webhooks feature's tables: webhooks (registrations) and webhook_deliveries (the outbox and its
// log; webhook-outbox.ts enqueues into it inside other features' transactions).

export function webhookView(r: WebhooksTable): Webhook {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events_json) as Webhook['events'],
    allowPrivate: r.allow_private === 1,
    active: r.active === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    rowVersion: Number(r.row_version),
  };
}

export function deliveryView(r: WebhookDeliveriesTable): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event as WebhookDelivery['event'],
    eventId: r.event_id,
    status: r.status as WebhookDelivery['status'],
    attempts: Number(r.attempts),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export async function insertWebhook(tx: Kysely<Database>, row: WebhooksTable): Promise<void> {
  await tx.insertInto('webhooks').values(row).execute();
}

export function webhookById(tx: Kysely<Database>, id: string): Promise<WebhooksTable | undefined> {
  return tx.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setWebhookActive(
  tx: Kysely<Database>,
  id: string,
  active: 0 | 1,
  rowVersion: number,
): Promise<void> {
  await tx.updateTable('webhooks').set({ active, row_version: rowVersion }).where('id', '=', id).execute();
}

/** Every webhook, oldest first. */
export function listWebhooks(tx: Kysely<Database>): Promise<WebhooksTable[]> {
  return tx.selectFrom('webhooks').selectAll().orderBy('created_at').execute();
}

/** The delivery log of one webhook, newest first, at most `limit`. */
export function deliveriesOf(tx: Kysely<Database>, webhookId: string, limit: number) {
  return tx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Claims up to 50 pending deliveries due at `nowIso` (with their webhook's target and secret): their
 * next attempt moves to `leaseIso`, so another process skips them meanwhile.
 */
export async function claimDueDeliveries(tx: Kysely<Database>, nowIso: string, leaseIso: string) {
  const due = await tx
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .selectAll('webhook_deliveries')
    .select(['webhooks.url', 'webhooks.secret', 'webhooks.allow_private'])
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', nowIso)
    .orderBy('webhook_deliveries.next_attempt_at')
    .limit(50)
    .execute();
  for (const d of due)
    await tx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseIso })
      .where('id', '=', d.id)
      .execute();
  return due;
}

/** Records the outcome of one delivery attempt. */
export async function recordDeliveryAttempt(
  tx: Kysely<Database>,
  id: string,
  outcome: Pick<
    WebhookDeliveriesTable,
    'status' | 'attempts' | 'last_status_code' | 'last_error' | 'next_attempt_at' | 'delivered_at'
  >,
): Promise<void> {
  await tx.updateTable('webhook_deliveries').set(outcome).where('id', '=', id).execute();
}
