import type { Kysely } from 'kysely';
import type { Alert } from '../../contracts/alerts.ts';
import type { AlertRouting } from '../../contracts/monitoring-signals.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { AlertDeliveriesTable } from '../../platform/db/tables/alerts.ts';
import { newId } from '../../platform/ids.ts';
import { checkTarget } from '../webhooks/target-address.ts';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '../webhooks/webhook-signing.ts';
import { alertmanagerBody, alertmanagerUrl } from './alert-payloads.ts';
import { deliveriesOf, dueDeliveries, insertDelivery, updateDelivery } from './alerts.store.ts';

/** A claimed delivery is not picked up by another process for this long. */
const CLAIM_MS = 5 * 60_000;

/**
 * The outbox of a monitoring plan's alert routes: notifications are queued in the transaction
 * that changes the alert, then sent (with bounded retries) by `deliverDue`. A `webhook` route gets
 * the Assay event (`{id, event, occurredAt, data: {alert}}`); an `alertmanager` route gets the
 * Alertmanager v2 body POSTed to `<url>/api/v2/alerts`.
 */
export class AlertNotifier {
  private readonly fetchImpl: typeof fetch;
  private readonly allowPrivate: boolean;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: { allowPrivateRoutes: boolean; fetchImpl?: typeof fetch },
  ) {
    this.allowPrivate = options.allowPrivateRoutes;
    this.fetchImpl = options.fetchImpl ?? ((...args) => globalThis.fetch(...args));
  }

  async enqueueIn(
    tx: Kysely<Database>,
    alert: Alert,
    routing: AlertRouting,
    status: 'firing' | 'resolved',
  ): Promise<void> {
    const now = this.clock.now();
    for (const route of routing.routes) {
      const am = route.type === 'alertmanager';
      const payload = am
        ? canonicalJson(alertmanagerBody(alert, now, routing.repeatIntervalSeconds))
        : canonicalJson({
            id: newId(),
            event: status === 'firing' ? 'alert.firing' : 'alert.resolved',
            occurredAt: now.toISOString(),
            data: { alert },
          });
      const row: AlertDeliveriesTable = {
        id: newId(),
        alert_id: alert.id,
        route_type: route.type,
        url: am ? alertmanagerUrl(route.url) : route.url,
        status_sent: status,
        payload,
        status: 'pending',
        attempts: 0,
        last_error: null,
        next_attempt_at: now.toISOString(),
        created_at: now.toISOString(),
        delivered_at: null,
      };
      await insertDelivery(tx, row);
    }
  }

  /** Sends every queued notification due now; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.db.write(async (tx) => {
      const due = await dueDeliveries(tx, now.toISOString(), 50);
      const lease = new Date(now.getTime() + CLAIM_MS).toISOString();
      for (const d of due) await updateDelivery(tx, d.id, { next_attempt_at: lease });
      return due;
    });
    for (const d of claimed) {
      let error: string | null = null;
      try {
        await checkTarget(d.url, this.allowPrivate);
        const res = await this.fetchImpl(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'assay-alerts',
            ...(d.route_type === 'webhook' ? { 'x-assay-event': `alert.${d.status_sent}` } : {}),
          },
          body: d.payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      const attempts = Number(d.attempts) + 1;
      const at = this.clock.now();
      const done = error === null;
      const failed = !done && attempts >= MAX_DELIVERY_ATTEMPTS;
      await this.db.write((tx) =>
        updateDelivery(tx, d.id, {
          status: done ? 'delivered' : failed ? 'failed' : 'pending',
          attempts,
          last_error: error?.slice(0, 500) ?? null,
          next_attempt_at:
            done || failed ? null : new Date(at.getTime() + retryDelayMs(attempts)).toISOString(),
          delivered_at: done ? at.toISOString() : null,
        }),
      );
    }
    return claimed.length;
  }

  /** The notifications queued for one alert, oldest first. */
  async deliveries(alertId: string) {
    const rows = await deliveriesOf(this.db.kysely, alertId);
    return rows.map((r) => ({
      id: r.id,
      routeType: r.route_type as 'webhook' | 'alertmanager',
      url: r.url,
      status: r.status as 'pending' | 'delivered' | 'failed',
      sent: r.status_sent as 'firing' | 'resolved',
      attempts: Number(r.attempts),
      lastError: r.last_error,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
    }));
  }
}
