import type { Kysely } from 'kysely';
import type { WebhookEvent } from '../../contracts/webhooks.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';

/**
 * Queues `event` for every active webhook subscribed to it, in the caller's transaction (an
 * outbox: the event is sent only if the change that caused it commits). Returns the event id.
 */
export async function enqueueWebhookEvent(
  tx: Kysely<Database>,
  clock: Clock,
  event: WebhookEvent,
  data: unknown,
): Promise<string> {
  const hooks = await tx
    .selectFrom('webhooks')
    .select(['id', 'events_json'])
    .where('active', '=', 1)
    .execute();
  const eventId = newId();
  const now = clock.now().toISOString();
  const payload = canonicalJson({ id: eventId, event, occurredAt: now, data });
  for (const h of hooks) {
    if (!(JSON.parse(h.events_json) as string[]).includes(event)) continue;
    await tx
      .insertInto('webhook_deliveries')
      .values({
        id: newId(),
        webhook_id: h.id,
        event,
        event_id: eventId,
        payload,
        status: 'pending',
        attempts: 0,
        last_status_code: null,
        last_error: null,
        next_attempt_at: now,
        created_at: now,
        delivered_at: null,
      })
      .execute();
  }
  return eventId;
}
