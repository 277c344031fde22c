import type { Kysely } from 'kysely';
import type { Alert, AlertListQuery, AlertTriage, SignalOutcome } from '../../contracts/alerts.ts';
import { AlertRouting, CheckSignal } from '../../contracts/monitoring-signals.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { type Action, decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { AlertsTable } from '../../platform/db/tables/alerts.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { visibleModelIds } from '../access/visibility.ts';
import type { FindingsService } from '../findings/findings.service.ts';
import type { IncidentsService } from '../incidents/incidents.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ReviewsService } from '../reviews/reviews.service.ts';
import { enqueueWebhookEvent } from '../webhooks/webhook-outbox.ts';
import { AlertNotifier } from './alert-notifier.ts';
import {
  driftReviewDue,
  driftReviewInput,
  findingFromAlert,
  newAlertRow,
  windowFieldsOf,
} from './alert-rows.ts';
import {
  EMPTY_STATE,
  findingCategoryFor,
  fingerprintOf,
  repeatDue,
  silenceActive,
  silenceMatches,
  step,
} from './alert-rules.ts';
import {
  type AlertRow,
  alertById,
  alertView,
  checkState,
  deploymentLabels,
  firingByFingerprint,
  firingRows,
  insertAlert,
  listAlertRows,
  liveSilences,
  saveCheckState,
  updateAlert,
  userExists,
} from './alerts.store.ts';

type Tx = Kysely<Database>;
const SYSTEM: AuditContext = { actor: 'system', requestId: null };

export interface AlertsDeps {
  models: ModelsService;
  policy: PolicyService;
  findings: FindingsService;
  incidents: IncidentsService;
  reviews: ReviewsService;
}

/**
 * Alerts from monitoring checks: the state machine (fire after `forWindows` bad windows, one alert
 * per fingerprint while firing, resolve on an ok window), acknowledgement, assignment, silences,
 * notifications (Assay webhook events and the plan's routes, repeated per the repeat interval) and
 * triage into a finding or an incident. Every alert state change is audited.
 */
export class AlertsService {
  readonly notifier: AlertNotifier;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: AlertsDeps,
    options: { allowPrivateRoutes: boolean; fetchImpl?: typeof fetch },
  ) {
    this.notifier = new AlertNotifier(db, clock, options);
  }

  /**
   * Takes every check's outcome for a window (what monitoring calls after each window) and moves
   * the alerts: fires, updates, resolves. Idempotent for a replayed window. Audited as the system.
   */
  async ingestSignals(
    signals: CheckSignal[],
    routing: AlertRouting,
    audit: AuditContext = SYSTEM,
  ): Promise<SignalOutcome> {
    const parsed = signals.map((s, i) => {
      const r = CheckSignal.safeParse(s);
      if (!r.success)
        throw new ValidationError(
          `signal ${i}: ${r.error.issues[0]?.message}`,
          `signals.${i}.${r.error.issues[0]?.path.join('.')}`,
        );
      return r.data;
    });
    const route = AlertRouting.parse(routing);
    const sorted = [...parsed].sort((a, b) =>
      a.windowEnd < b.windowEnd ? -1 : a.windowEnd > b.windowEnd ? 1 : 0,
    );
    return this.db.write(async (tx) => {
      const out: SignalOutcome = { fired: [], updated: [], resolved: [], ignored: 0 };
      const policy = await this.deps.policy.active(tx);
      const driftRule = policy.document.alerting?.driftReview;
      const silences = await liveSilences(tx, this.clock.now());
      for (const [i, s] of sorted.entries()) {
        const dep = await deploymentLabels(tx, s.deploymentId);
        if (!dep) throw new ValidationError(`no deployment '${s.deploymentId}'`, `signals.${i}.deploymentId`);
        if (dep.model_id !== s.modelId || dep.version_id !== s.versionId)
          throw new ValidationError(
            `deployment '${s.deploymentId}' is not of model ${s.modelId} version ${s.versionId}`,
            `signals.${i}.versionId`,
          );
        const fingerprint = fingerprintOf(s);
        const prev = (await checkState(tx, fingerprint)) ?? { ...EMPTY_STATE, criticalStreak: 0 };
        const { state, transition } = step(prev, s);
        if (transition.kind === 'ignored_stale') {
          out.ignored++;
          continue;
        }
        const now = this.clock.now().toISOString();
        const criticalStreak =
          s.severity === 'no_data'
            ? prev.criticalStreak
            : s.severity === 'critical'
              ? prev.criticalStreak + 1
              : 0;
        await saveCheckState(tx, {
          fingerprint,
          deployment_id: s.deploymentId,
          check_name: s.check,
          streak: state.streak,
          streak_start: state.streakStart,
          firing: state.firing ? 1 : 0,
          severity: state.severity,
          last_window_end: state.lastWindowEnd,
          critical_streak: criticalStreak,
          updated_at: now,
        });
        const windowFields = windowFieldsOf(s, route, now);
        if (transition.kind === 'fire') {
          const row = newAlertRow(s, fingerprint, transition, now, windowFields);
          await insertAlert(tx, row);
          const view = await this.viewIn(tx, row.id, silences);
          await appendAuditEvent(tx, this.clock, audit, {
            action: 'alert.fired',
            entityType: 'alert',
            entityId: row.id,
            modelId: row.model_id,
            after: view,
          });
          if (!view.silenced) await this.notifyIn(tx, view, route, 'firing');
          out.fired.push(row.id);
        } else if (transition.kind === 'update' || transition.kind === 'resolve') {
          const current = await firingByFingerprint(tx, fingerprint);
          if (!current) continue; // the state says firing but the alert row is gone: nothing to move
          const before = this.view(current, silences);
          const resolving = transition.kind === 'resolve';
          const patch: Partial<AlertsTable> = resolving
            ? { state: 'resolved', resolved_at: now, ...windowFields }
            : { severity: transition.severity, ...windowFields };
          patch.row_version = Number(current.row_version) + 1;
          await updateAlert(tx, current.id, patch);
          const after = await this.viewIn(tx, current.id, silences);
          await appendAuditEvent(tx, this.clock, audit, {
            action: resolving ? 'alert.resolved' : 'alert.updated',
            entityType: 'alert',
            entityId: current.id,
            modelId: current.model_id,
            before,
            after,
          });
          if (resolving) {
            if (before.notifications > 0) await this.notifyIn(tx, after, route, 'resolved');
            out.resolved.push(current.id);
          } else {
            if (transition.escalated && !after.silenced) await this.notifyIn(tx, after, route, 'firing');
            out.updated.push(current.id);
          }
        }
        // Sustained critical drift opens a change-triggered review when the policy says so.
        if (driftReviewDue(driftRule, s, criticalStreak, dep.tier))
          await this.deps.reviews.openReviewIn(
            tx,
            { principal: null, audit: { actor: 'system', requestId: audit.requestId } },
            driftReviewInput(s, dep, criticalStreak),
            { reuseOpen: true },
          );
      }
      return out;
    });
  }

  /** Alerts of models the caller may see, newest first. */
  async list(caller: Caller, q: AlertListQuery): Promise<{ items: Alert[] }> {
    const k = this.db.kysely;
    const rows = await listAlertRows(k, q, await visibleModelIds(k, caller.principal));
    const silences = await liveSilences(k, this.clock.now());
    return { items: rows.map((r) => this.view(r, silences)) };
  }

  async get(caller: Caller, id: string): Promise<Alert> {
    const k = this.db.kysely;
    const row = await this.authorized(caller, id, 'alert.read', k);
    return this.view(row, await liveSilences(k, this.clock.now()));
  }

  /** Acknowledges an alert (someone is on it); stops nothing but is shown and counted (time to acknowledge). */
  async acknowledge(caller: Caller, id: string, note?: string): Promise<Alert> {
    return this.change(
      caller,
      id,
      'alert.acknowledged',
      (row) => {
        if (row.acknowledged_at !== null)
          throw new ConflictError(`alert ${id} is already acknowledged by ${row.acknowledged_by}`);
        return { acknowledged_by: caller.audit.actor, acknowledged_at: this.clock.now().toISOString() };
      },
      note,
    );
  }

  /** Assigns an alert to a user. */
  async assign(caller: Caller, id: string, assignee: string): Promise<Alert> {
    if (!(await userExists(this.db.kysely, assignee)))
      throw new ValidationError(`no user '${assignee}'`, 'assignee');
    return this.change(caller, id, 'alert.assigned', () => ({ assignee }));
  }

  /**
   * Triage: into a finding of the deployed version (category from the check kind and the policy's
   * taxonomy, citing the window's evidence), or into an incident (a new one, or an open one).
   */
  async triage(caller: Caller, id: string, input: AlertTriage): Promise<Alert> {
    const row = await this.authorized(caller, id, 'alert.triage', this.db.kysely);
    if (row.triage !== null)
      throw new ConflictError(`alert ${id} was already triaged into ${row.triage} ${row.triage_ref}`);
    if (input.to === 'finding') {
      const policy = await this.deps.policy.active();
      const category = findingCategoryFor(row.kind as CheckSignal['kind'], policy.document.findings.taxonomy);
      const alert = this.view(row, []);
      const finding = await this.deps.findings.raise(
        caller,
        row.model_key,
        row.version_label,
        findingFromAlert(alert, category, input),
      );
      return this.change(
        caller,
        id,
        'alert.triaged',
        (r) => {
          if (r.triage !== null) throw new ConflictError(`alert ${id} was already triaged`);
          return { triage: 'finding', triage_ref: finding.id };
        },
        undefined,
        'alert.triage',
      );
    }
    return this.db.write(async (tx) => {
      const current = await this.authorized(caller, id, 'alert.triage', tx);
      if (current.triage !== null) throw new ConflictError(`alert ${id} was already triaged`);
      const alert = this.view(current, []);
      const incidentId = input.incidentId
        ? await this.deps.incidents.linkAlertIn(tx, caller, input.incidentId, alert)
        : await this.deps.incidents.openFromAlertIn(tx, caller, alert, input.title, input.severity);
      return this.changeIn(tx, caller, current, 'alert.triaged', {
        triage: 'incident',
        triage_ref: incidentId,
      });
    });
  }

  /**
   * Repeats the notification of every firing, unsilenced alert whose last one is older than its
   * routing's repeat interval (also the first notification of an alert whose silence ended).
   * Returns how many alerts were notified. Run by the scheduler's tick.
   */
  async notifyDue(): Promise<number> {
    const now = this.clock.now();
    return this.db.write(async (tx) => {
      const silences = await liveSilences(tx, now);
      let n = 0;
      for (const row of await firingRows(tx)) {
        const routing = AlertRouting.parse(JSON.parse(row.routing_json));
        const view = this.view(row, silences);
        if (view.silenced || !repeatDue(row.last_notified_at, routing.repeatIntervalSeconds, now)) continue;
        await this.notifyIn(tx, view, routing, 'firing', true);
        n++;
      }
      return n;
    });
  }

  private async notifyIn(
    tx: Tx,
    alert: Alert,
    routing: AlertRouting,
    status: 'firing' | 'resolved',
    repeat = false,
  ) {
    if (!repeat)
      await enqueueWebhookEvent(tx, this.clock, status === 'firing' ? 'alert.firing' : 'alert.resolved', {
        alert,
      });
    await this.notifier.enqueueIn(tx, alert, routing, status);
    await updateAlert(tx, alert.id, {
      last_notified_at: this.clock.now().toISOString(),
      notifications: alert.notifications + 1,
    });
  }

  private view(row: AlertRow, silences: Awaited<ReturnType<typeof liveSilences>>): Alert {
    const now = this.clock.now();
    const labels = {
      deploymentId: row.deployment_id,
      modelKey: row.model_key,
      check: row.check_name,
      kind: row.kind,
      severity: row.severity as Alert['severity'],
    };
    const silenced = silences.some((s) => silenceActive(s.window, now) && silenceMatches(s.matchers, labels));
    return alertView(row, silenced);
  }

  private async viewIn(
    tx: Tx,
    id: string,
    silences: Awaited<ReturnType<typeof liveSilences>>,
  ): Promise<Alert> {
    const row = await alertById(tx, id);
    if (!row) throw new NotFoundError('alert', id);
    return this.view(row, silences);
  }

  private demand(caller: Caller, action: Action): void {
    if (decide(caller.principal, action) !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not ${action.replace('.', ' ')}`);
  }

  /** The alert if the caller may do `action` on its model (404 when the model is hidden). */
  private async authorized(caller: Caller, id: string, action: Action, tx: Tx): Promise<AlertRow> {
    const row = await alertById(tx, id);
    if (!row) throw new NotFoundError('alert', id);
    try {
      await this.deps.models.authorize(caller.principal, row.model_key, action, tx);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('alert', id);
      throw err;
    }
    return row;
  }

  private async change(
    caller: Caller,
    id: string,
    action: string,
    patch: (row: AlertRow) => Partial<AlertsTable>,
    note?: string,
    permission: Action = 'alert.respond',
  ): Promise<Alert> {
    return this.db.write(async (tx) => {
      const row = await this.authorized(caller, id, permission, tx);
      return this.changeIn(tx, caller, row, action, patch(row), note);
    });
  }

  private async changeIn(
    tx: Tx,
    caller: Caller,
    row: AlertRow,
    action: string,
    patch: Partial<AlertsTable>,
    note?: string,
  ): Promise<Alert> {
    const silences = await liveSilences(tx, this.clock.now());
    const before = this.view(row, silences);
    await updateAlert(tx, row.id, {
      ...patch,
      updated_at: this.clock.now().toISOString(),
      row_version: Number(row.row_version) + 1,
    });
    const after = await this.viewIn(tx, row.id, silences);
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action,
      entityType: 'alert',
      entityId: row.id,
      modelId: row.model_id,
      before,
      after: note ? { ...after, note } : after,
    });
    return after;
  }
}
