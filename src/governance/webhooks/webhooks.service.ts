import type { Webhook, WebhookCreate, WebhookDelivery } from '../../contracts/webhooks.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { WebhooksTable } from '../../platform/db/tables/workflow-decisions.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { checkTarget } from './target-address.ts';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs, signPayload } from './webhook-signing.ts';
import {
  claimDueDeliveries,
  deliveriesOf,
  deliveryView,
  insertWebhook,
  listWebhooks,
  recordDeliveryAttempt,
  setWebhookActive,
  webhookById,
  webhookView,
} from './webhooks.store.ts';

/** A claimed delivery is not picked up by another process for this long. */
const CLAIM_MS = 5 * 60_000;

/** Outbound webhooks: registration (admin), signed delivery with bounded retries, and the delivery log. */
export class WebhooksService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
  ) {}

  /** Registers a webhook; a private target needs `allowPrivate` (admins only). Audited. */
  async create(caller: Caller, input: WebhookCreate): Promise<Webhook> {
    this.authorize(caller);
    await checkTarget(input.url, input.allowPrivate);
    const row: WebhooksTable = {
      id: newId(),
      url: input.url,
      secret: input.secret,
      events_json: JSON.stringify([...new Set(input.events)]),
      allow_private: input.allowPrivate ? 1 : 0,
      active: 1,
      created_by: caller.audit.actor,
      created_at: this.clock.now().toISOString(),
      row_version: 1,
    };
    return this.db.write(async (tx) => {
      await insertWebhook(tx, row);
      const view = webhookView(row);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'webhook.created',
        entityType: 'webhook',
        entityId: row.id,
        after: view,
      });
      return view;
    });
  }

  /** Deactivates a webhook (kept for its delivery log). Audited. */
  async deactivate(caller: Caller, id: string): Promise<Webhook> {
    this.authorize(caller);
    return this.db.write(async (tx) => {
      const row = await webhookById(tx, id);
      if (!row) throw new NotFoundError('webhook', id);
      const next = { ...row, active: 0, row_version: Number(row.row_version) + 1 };
      await setWebhookActive(tx, id, 0, next.row_version);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'webhook.deactivated',
        entityType: 'webhook',
        entityId: id,
        before: webhookView(row),
        after: webhookView(next),
      });
      return webhookView(next);
    });
  }

  async list(caller: Caller): Promise<Webhook[]> {
    this.authorize(caller);
    const rows = await listWebhooks(this.db.kysely);
    return rows.map(webhookView);
  }

  /** The delivery log of one webhook, newest first. */
  async deliveries(caller: Caller, id: string, limit = 100): Promise<WebhookDelivery[]> {
    this.authorize(caller);
    const rows = await deliveriesOf(this.db.kysely, id, limit);
    return rows.map(deliveryView);
  }

  /**
   * Sends every delivery due at `now`: claimed first (so another process skips it), signed with
   * the webhook's secret, retried with exponential backoff, given up after MAX_DELIVERY_ATTEMPTS.
   * Returns how many were attempted.
   */
  async deliverDue(now: Date = this.clock.now()): Promise<number> {
    const claimed = await this.db.write((tx) =>
      claimDueDeliveries(tx, now.toISOString(), new Date(now.getTime() + CLAIM_MS).toISOString()),
    );
    for (const d of claimed) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        await checkTarget(d.url, d.allow_private === 1);
        const ts = Math.floor(this.clock.now().getTime() / 1000);
        const res = await this.fetchImpl(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'assay-webhooks',
            'x-assay-event': d.event,
            'x-assay-delivery': d.id,
            'x-assay-signature': signPayload(d.secret, ts, d.payload),
          },
          body: d.payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        await res.body?.cancel();
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      const attempts = Number(d.attempts) + 1;
      const at = this.clock.now();
      const done = error === null;
      const failed = !done && attempts >= MAX_DELIVERY_ATTEMPTS;
      await this.db.write((tx) =>
        recordDeliveryAttempt(tx, d.id, {
          status: done ? 'delivered' : failed ? 'failed' : 'pending',
          attempts,
          last_status_code: status,
          last_error: error?.slice(0, 500) ?? null,
          next_attempt_at:
            done || failed ? null : new Date(at.getTime() + retryDelayMs(attempts)).toISOString(),
          delivered_at: done ? at.toISOString() : null,
        }),
      );
    }
    return claimed.length;
  }

  private authorize(caller: Caller): void {
    if (decide(caller.principal, 'webhook.manage') !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not manage webhooks`);
  }
}
