import type { Kysely } from 'kysely';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import type { AcceptancesService } from '../acceptances/acceptances.service.ts';
import type { ReviewScheduleService } from '../reviews/review-schedule.service.ts';
import type { ReviewsService } from '../reviews/reviews.service.ts';
import { enqueueWebhookEvent } from '../webhooks/webhook-outbox.ts';
import type { WebhooksService } from '../webhooks/webhooks.service.ts';
import {
  DEFAULT_SCHEDULE,
  type DueJob,
  dueJobs,
  type ScheduleConfig,
  type ScheduleSnapshot,
} from './due-jobs.ts';
import {
  activeAcceptances,
  expiringEvidence,
  modelOfFlagged,
  modelOfVersion,
  unmetConditions,
  unresolvedFindings,
} from './scheduler.queries.ts';
import { claimJob } from './scheduler.store.ts';

const SYSTEM: AuditContext = { actor: 'system', requestId: null };

/** The outcome of one tick. */
export interface TickResult {
  fired: DueJob[];
  failed: { job: DueJob; error: string }[];
  deliveries: number;
}

/**
 * Re-reviews and expiries: finds what is due at a moment (pure `dueJobs`) and fires each job at
 * most once. The fired key is inserted in the same write transaction as the job's effects, so a
 * job that fails fires again next tick, and a job that committed never fires again — on several
 * processes too (writes are serialised by BEGIN IMMEDIATE / the writers' advisory lock, and the key
 * is a primary key).
 */
export class SchedulerService {
  private running: Promise<TickResult> | null = null;
  /** Periodic work of other features run on every tick (audit checkpoints); each handles its own errors. */
  private readonly tickTasks: (() => Promise<unknown>)[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      reviews: ReviewsService;
      schedule: ReviewScheduleService;
      acceptances: AcceptancesService;
      webhooks: Pick<WebhooksService, 'deliverDue'>;
    },
    private readonly config: ScheduleConfig = DEFAULT_SCHEDULE,
  ) {}

  /** What the scheduler looks at, read now. */
  async snapshot(tx: Kysely<Database> = this.db.kysely): Promise<ScheduleSnapshot> {
    const periodic = await this.deps.schedule.periodicSchedule(tx);
    const findings = await unresolvedFindings(tx);
    const evidence = await expiringEvidence(tx);
    const acceptances = await activeAcceptances(tx);
    const conditions = await unmetConditions(tx);
    return {
      periodicReviews: periodic.map((r) => ({
        versionId: r.versionId,
        cycleStart: r.cycleStart,
        dueAt: r.dueAt,
      })),
      findings: findings.map((f) => ({ id: f.id, state: f.state, dueAt: f.due_at })),
      evidence: evidence.map((e) => ({ id: e.id, validUntil: e.valid_until! })),
      acceptances: acceptances.map((a) => ({ id: a.id, state: a.state, expiresAt: a.expires_at })),
      conditions: conditions.map((c) => ({ id: c.id, dueAt: c.due_at, met: c.met_at !== null })),
    };
  }

  /**
   * Fires every job due at `now` that has not fired yet, then sends due webhook deliveries. Ticks
   * of one process never overlap.
   */
  async runDueJobs(now: Date = this.clock.now()): Promise<TickResult> {
    if (this.running) await this.running.catch(() => undefined);
    this.running = this.tick(now);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  /** Adds work to every tick, run after the due jobs and before webhook deliveries. */
  addTickTask(task: () => Promise<unknown>): void {
    this.tickTasks.push(task);
  }

  /** Checks the caller may run the scheduler by hand (admin). */
  authorize(caller: Caller): void {
    if (decide(caller.principal, 'scheduler.run') !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not run the scheduler`);
  }

  /** Waits for a tick in flight (shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async tick(now: Date): Promise<TickResult> {
    const fired: DueJob[] = [];
    const failed: TickResult['failed'] = [];
    // A job can make another due (an expired acceptance reopens an overdue finding): look again
    // while something fired, a bounded number of times.
    for (let pass = 0; pass < 3; pass++) {
      const before = fired.length;
      await this.firePass(now, fired, failed);
      if (fired.length === before) break;
    }
    for (const task of this.tickTasks) await task().catch(() => undefined);
    const deliveries = await this.deps.webhooks.deliverDue(now);
    return { fired, failed, deliveries };
  }

  private async firePass(now: Date, fired: DueJob[], failed: TickResult['failed']): Promise<void> {
    const jobs = dueJobs(await this.snapshot(), now, this.config);
    for (const job of jobs) {
      try {
        const didFire = await this.db.write(async (tx) => {
          if (!(await claimJob(tx, job, this.clock.now().toISOString()))) return false;
          await this.fire(tx, job);
          return true;
        });
        if (didFire) fired.push(job);
      } catch (err) {
        if (!failed.some((f) => f.job.key === job.key))
          failed.push({ job, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private async fire(tx: Kysely<Database>, job: DueJob): Promise<void> {
    switch (job.kind) {
      case 'review.periodic':
        return this.openPeriodicReview(tx, job.entityId);
      case 'acceptance.expired':
        return this.deps.acceptances.expireIn(tx, SYSTEM, job.entityId);
      case 'finding.overdue':
        return this.flag(tx, job, 'finding', 'findings', 'finding.overdue');
      case 'acceptance.expiring':
        return this.flag(tx, job, 'acceptance', 'risk_acceptances', 'acceptance.expiring');
      case 'evidence.expired':
        return this.flag(tx, job, 'evidence', 'evidence', null);
      case 'condition.overdue':
        return this.flag(tx, job, 'condition', 'decision_conditions', null);
    }
  }

  private async openPeriodicReview(tx: Kysely<Database>, versionId: string): Promise<void> {
    const modelId = await modelOfVersion(tx, versionId);
    const due = (await this.deps.schedule.periodicSchedule(tx, [modelId])).find(
      (r) => r.versionId === versionId,
    );
    if (!due) return;
    const tier = due.tier === null ? 'untiered' : `Tier ${due.tier}`;
    // openReviewIn queues the `review.opened` webhook event when it creates the review.
    await this.deps.reviews.openReviewIn(
      tx,
      { principal: null, audit: SYSTEM },
      {
        modelKey: due.modelKey,
        versionLabel: due.versionLabel,
        type: 'periodic',
        gate: 'production',
        reason: `periodic review due ${due.dueAt} (${tier}: every ${due.frequencyMonths} months since ${due.cycleStart}); approval ${due.decisionId} expires ${due.approvalExpiresAt}`,
      },
      { reuseOpen: true },
    );
  }

  /** Records a flag (overdue, expiring, expired) as an audit event and, for some, a webhook event. */
  private async flag(
    tx: Kysely<Database>,
    job: DueJob,
    entityType: string,
    table: 'findings' | 'risk_acceptances' | 'evidence' | 'decision_conditions',
    event: 'finding.overdue' | 'acceptance.expiring' | null,
  ): Promise<void> {
    const modelId = await modelOfFlagged(tx, table, job.entityId);
    const at = this.clock.now().toISOString();
    await appendAuditEvent(tx, this.clock, SYSTEM, {
      action: `${job.kind}_flagged`,
      entityType,
      entityId: job.entityId,
      modelId,
      after: { job: job.key, flaggedAt: at },
    });
    if (event)
      await enqueueWebhookEvent(tx, this.clock, event, { [`${entityType}Id`]: job.entityId, job: job.key });
  }
}
