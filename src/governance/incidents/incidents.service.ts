import type { Kysely } from 'kysely';
import type { Alert } from '../../contracts/alerts.ts';
import type {
  Incident,
  IncidentAction,
  IncidentCreate,
  IncidentTransition,
  SeriousCategory,
} from '../../contracts/incidents.ts';
import type { Severity } from '../../contracts/policy.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { type Action, decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { IncidentsTable } from '../../platform/db/tables/alerts.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { FindingsService } from '../findings/findings.service.ts';
import { enqueueWebhookEvent } from '../webhooks/webhook-outbox.ts';
import { canMove, type IncidentState, reportingDueAt, stampsFor } from './incident-rules.ts';
import {
  addDeployment,
  addEvent,
  deploymentsExist,
  incidentRow,
  incidentRows,
  incidentView,
  insertIncident,
  updateIncident,
} from './incidents.store.ts';

type Tx = Kysely<Database>;

/**
 * Incidents: detection to resolution with the times that make MTTD and MTTR, affected
 * deployments, a timeline, corrective actions as findings, and the EU AI Act Art. 73 serious
 * incident flag with its reporting due date. Every change is audited and on the timeline.
 */
export class IncidentsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly findings: FindingsService,
  ) {}

  async list(
    caller: Caller,
    q: { state?: IncidentState | undefined; limit: number },
  ): Promise<{ items: Incident[] }> {
    this.demand(caller, 'incident.read');
    const k = this.db.kysely;
    const now = this.clock.now();
    const rows = await incidentRows(k, q.state, q.limit);
    return { items: await Promise.all(rows.map((r) => incidentView(k, r, now))) };
  }

  async get(caller: Caller, id: string): Promise<Incident> {
    this.demand(caller, 'incident.read');
    const row = await incidentRow(this.db.kysely, id);
    if (!row) throw new NotFoundError('incident', id);
    return incidentView(this.db.kysely, row, this.clock.now());
  }

  /** Opens an incident by hand. */
  async create(caller: Caller, input: IncidentCreate): Promise<Incident> {
    this.demand(caller, 'incident.manage');
    return this.db.write(async (tx) => {
      const id = await this.openIn(tx, caller, {
        title: input.title,
        description: input.description,
        severity: input.severity,
        impactBeganAt: new Date(input.impactBeganAt).toISOString(),
        detectedAt: input.detectedAt
          ? new Date(input.detectedAt).toISOString()
          : this.clock.now().toISOString(),
        deploymentIds: input.deploymentIds,
        commander: input.commander ?? null,
      });
      return this.viewIn(tx, id);
    });
  }

  /** Opens an incident for an alert, in the alert's triage transaction: impact began when the bad windows began. */
  async openFromAlertIn(
    tx: Tx,
    caller: Caller,
    alert: Alert,
    title?: string,
    severity?: Severity,
  ): Promise<string> {
    this.demand(caller, 'incident.manage');
    const id = await this.openIn(tx, caller, {
      title:
        title ??
        `${alert.check} ${alert.severity} on ${alert.modelKey}@${alert.versionLabel} (${alert.environment})`,
      description: `Opened from monitoring alert ${alert.id}: ${alert.metric}${alert.feature ? ` of ${alert.feature}` : ''} = ${alert.value ?? 'n/a'} in the window ${alert.windowStart} – ${alert.windowEnd} (evidence ${alert.evidence.url}).`,
      severity: severity ?? (alert.severity === 'critical' ? 'high' : 'medium'),
      impactBeganAt: alert.startsAt,
      detectedAt: alert.firedAt,
      deploymentIds: [alert.deploymentId],
      commander: null,
    });
    await this.event(tx, caller, id, 'alert_linked', `alert ${alert.check} (${alert.severity})`, alert.id);
    return id;
  }

  /** Attaches an alert to an open incident (adding its deployment). */
  async linkAlertIn(tx: Tx, caller: Caller, incidentId: string, alert: Alert): Promise<string> {
    this.demand(caller, 'incident.manage');
    const row = await incidentRow(tx, incidentId);
    if (!row) throw new ValidationError(`no incident '${incidentId}'`, 'incidentId');
    if (row.state === 'resolved') throw new ConflictError(`incident ${incidentId} is resolved`);
    if (await addDeployment(tx, incidentId, alert.deploymentId))
      await this.event(tx, caller, incidentId, 'deployment_added', null, alert.deploymentId);
    await this.event(
      tx,
      caller,
      incidentId,
      'alert_linked',
      `alert ${alert.check} (${alert.severity})`,
      alert.id,
    );
    await this.touch(tx, caller, row, {}, 'incident.alert_linked');
    return incidentId;
  }

  /** Acknowledged, mitigated, resolved: forwards only, each time stamped (skipped steps at the same time). */
  async transition(caller: Caller, id: string, input: IncidentTransition): Promise<Incident> {
    this.demand(caller, 'incident.manage');
    return this.db.write(async (tx) => {
      const row = await this.rowIn(tx, id);
      const from = row.state as IncidentState;
      if (!canMove(from, input.to))
        throw new ConflictError(`incident ${id} is ${from}; it cannot become ${input.to}`);
      const at = input.at ? new Date(input.at).toISOString() : this.clock.now().toISOString();
      if (at < row.detected_at) throw new ValidationError('a step cannot be before the detection', 'at');
      if (at > this.clock.now().toISOString())
        throw new ValidationError('a step cannot be in the future', 'at');
      const s = stampsFor(
        { acknowledgedAt: row.acknowledged_at, mitigatedAt: row.mitigated_at, resolvedAt: row.resolved_at },
        input.to,
        at,
      );
      await this.event(tx, caller, id, input.to, input.note ?? null, null, at);
      const view = await this.touch(
        tx,
        caller,
        row,
        {
          state: input.to,
          acknowledged_at: s.acknowledgedAt,
          mitigated_at: s.mitigatedAt,
          resolved_at: s.resolvedAt,
        },
        `incident.${input.to}`,
      );
      await enqueueWebhookEvent(
        tx,
        this.clock,
        input.to === 'resolved' ? 'incident.resolved' : 'incident.updated',
        {
          incident: view,
        },
      );
      return view;
    });
  }

  /** Adds a note to the timeline. */
  async note(caller: Caller, id: string, note: string): Promise<Incident> {
    this.demand(caller, 'incident.manage');
    return this.db.write(async (tx) => {
      const row = await this.rowIn(tx, id);
      await this.event(tx, caller, id, 'note', note, null);
      return this.touch(tx, caller, row, {}, 'incident.noted');
    });
  }

  /** Flags (or unflags) an EU AI Act serious incident; the reporting due date follows Art. 73 from detection. */
  async setSerious(
    caller: Caller,
    id: string,
    input: { serious: boolean; category?: SeriousCategory | undefined; note?: string | undefined },
  ): Promise<Incident> {
    this.demand(caller, 'incident.manage');
    if (input.serious && !input.category)
      throw new ValidationError('a serious incident needs its Art. 73 category', 'category');
    return this.db.write(async (tx) => {
      const row = await this.rowIn(tx, id);
      const category = input.serious ? (input.category as SeriousCategory) : null;
      const due = category ? reportingDueAt(category, row.detected_at) : null;
      await this.event(
        tx,
        caller,
        id,
        input.serious ? 'serious_flagged' : 'serious_cleared',
        input.note ?? (category ? `${category}; report due ${due}` : null),
        null,
      );
      const view = await this.touch(
        tx,
        caller,
        row,
        { serious: input.serious ? 1 : 0, serious_category: category, reporting_due_at: due },
        'incident.serious',
      );
      await enqueueWebhookEvent(tx, this.clock, 'incident.updated', { incident: view });
      return view;
    });
  }

  /** Records that the serious-incident report was made (with its reference). */
  async markReported(
    caller: Caller,
    id: string,
    input: { at?: string | undefined; reference: string },
  ): Promise<Incident> {
    this.demand(caller, 'incident.manage');
    return this.db.write(async (tx) => {
      const row = await this.rowIn(tx, id);
      if (Number(row.serious) !== 1)
        throw new ConflictError(`incident ${id} is not flagged as a serious incident`);
      const at = input.at ? new Date(input.at).toISOString() : this.clock.now().toISOString();
      await this.event(tx, caller, id, 'reported', input.reference, null, at);
      return this.touch(tx, caller, row, { reported_at: at }, 'incident.reported');
    });
  }

  /** A post-incident corrective action, raised as a finding of the named version and linked on the timeline. */
  async addAction(caller: Caller, id: string, input: IncidentAction): Promise<Incident> {
    this.demand(caller, 'finding.raise');
    if (!(await incidentRow(this.db.kysely, id))) throw new NotFoundError('incident', id);
    const finding = await this.findings.raise(caller, input.modelKey, input.versionLabel, {
      title: input.title,
      description: `${input.description}\n\nCorrective action of incident ${id}.`,
      category: input.category,
      severity: input.severity,
      owner: input.owner,
    });
    return this.db.write(async (tx) => {
      const row = await this.rowIn(tx, id);
      await this.event(tx, caller, id, 'action_added', input.title, finding.id);
      return this.touch(tx, caller, row, {}, 'incident.action_added');
    });
  }

  private async openIn(
    tx: Tx,
    caller: Caller,
    input: {
      title: string;
      description: string;
      severity: Severity;
      impactBeganAt: string;
      detectedAt: string;
      deploymentIds: string[];
      commander: string | null;
    },
  ): Promise<string> {
    if (input.detectedAt < input.impactBeganAt)
      throw new ValidationError('an incident cannot be detected before its impact began', 'detectedAt');
    if (input.detectedAt > this.clock.now().toISOString())
      throw new ValidationError('an incident cannot be detected in the future', 'detectedAt');
    const ids = [...new Set(input.deploymentIds)];
    const found = await deploymentsExist(tx, ids);
    const missing = ids.find((d) => !found.has(d));
    if (missing) throw new ValidationError(`no deployment '${missing}'`, 'deploymentIds');
    const now = this.clock.now().toISOString();
    const row: IncidentsTable = {
      id: newId(),
      title: input.title.slice(0, 300),
      description: input.description,
      severity: input.severity,
      state: 'open',
      impact_began_at: input.impactBeganAt,
      detected_at: input.detectedAt,
      acknowledged_at: null,
      mitigated_at: null,
      resolved_at: null,
      serious: 0,
      serious_category: null,
      reporting_due_at: null,
      reported_at: null,
      commander: input.commander,
      created_by: caller.audit.actor,
      created_at: now,
      updated_at: now,
      row_version: 1,
    };
    await insertIncident(tx, row);
    for (const d of ids) await addDeployment(tx, row.id, d);
    await this.event(tx, caller, row.id, 'opened', input.title, null);
    const view = await this.viewIn(tx, row.id);
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action: 'incident.opened',
      entityType: 'incident',
      entityId: row.id,
      after: view,
    });
    await enqueueWebhookEvent(tx, this.clock, 'incident.opened', { incident: view });
    return row.id;
  }

  private async touch(
    tx: Tx,
    caller: Caller,
    row: IncidentsTable,
    patch: Partial<IncidentsTable>,
    action: string,
  ): Promise<Incident> {
    const now = this.clock.now();
    const before = await incidentView(tx, row, now);
    await updateIncident(tx, row.id, {
      ...patch,
      updated_at: now.toISOString(),
      row_version: Number(row.row_version) + 1,
    });
    const after = await this.viewIn(tx, row.id);
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action,
      entityType: 'incident',
      entityId: row.id,
      before,
      after,
    });
    return after;
  }

  private async event(
    tx: Tx,
    caller: Caller,
    incidentId: string,
    kind: string,
    note: string | null,
    ref: string | null,
    at?: string,
  ): Promise<void> {
    await addEvent(tx, {
      id: newId(),
      incident_id: incidentId,
      at: at ?? this.clock.now().toISOString(),
      actor: caller.audit.actor,
      kind,
      note,
      ref,
    });
  }

  private async rowIn(tx: Tx, id: string): Promise<IncidentsTable> {
    const row = await incidentRow(tx, id);
    if (!row) throw new NotFoundError('incident', id);
    return row;
  }

  private async viewIn(tx: Tx, id: string): Promise<Incident> {
    return incidentView(tx, await this.rowIn(tx, id), this.clock.now());
  }

  private demand(caller: Caller, action: Action): void {
    if (decide(caller.principal, action) !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not ${action.replace('.', ' ')}`);
  }
}
