import type { Metrics } from '../../contracts/metrics.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import { writeCsv } from '../inventory/transfer/csv-codec.ts';
import type { ReviewScheduleService } from '../reviews/review-schedule.service.ts';
import {
  acceptanceFigures,
  acceptanceLinks,
  activeModels,
  carryForwards,
  evidenceValidity,
  finalDecisionTimes,
  findingFigures,
  overdueConditions,
  retiredModelCount,
  submittedReviews,
} from './metrics.queries.ts';
import { ageBuckets, daysBetween, evidenceValidAt, median, metricsRows, ratio } from './metrics-rules.ts';

const DAY = 86_400_000;
const UNRESOLVED = ['open', 'in_remediation', 'ready_for_verification'];

/** The portfolio KPIs, computed from the data with the clock. */
export class MetricsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly models: ModelsService,
    private readonly schedule: ReviewScheduleService,
    private readonly exceptionReport: { compute(): Promise<{ counts: Metrics['exceptions'] }> },
    private readonly monitoring: { compute(): Promise<Metrics['monitoring']> },
  ) {}

  /** Every KPI at now. */
  async compute(caller: Caller): Promise<Metrics> {
    if (decide(caller.principal, 'metrics.read') !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not read portfolio metrics`);
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const k = this.db.kysely;
    const modelRows = await activeModels(k);
    let complete = 0;
    for (const m of modelRows) {
      const detail = this.models.detail(await this.models.view(m));
      if (detail.completeness.score === 1) complete++;
    }
    const tiered = modelRows.filter((m) => m.tier !== null).length;
    const byTier: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    const byEuAiActClass: Record<string, number> = {};
    for (const m of modelRows) {
      const t = m.tier === null ? 'untiered' : String(m.tier);
      byTier[t] = (byTier[t] ?? 0) + 1;
      const c = m.eu_ai_act_class ?? 'unclassified';
      byEuAiActClass[c] = (byEuAiActClass[c] ?? 0) + 1;
      byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
    }
    const retired = await retiredModelCount(k);
    if (retired > 0) byStatus.retired = retired;

    const finals = await finalDecisionTimes(k);
    const turnaround = finals
      .filter((d) => d.submitted_at && d.finalized_at)
      .map((d) => daysBetween(d.submitted_at!, d.finalized_at!));

    const submitted = await submittedReviews(k);
    const evidence = await evidenceValidity(k);
    const carried = await carryForwards(k);
    let firstPass = 0;
    for (const r of submitted) {
      const required = JSON.parse(r.checklist_json) as string[];
      const at = r.submitted_at!;
      // A periodic, change or incident review counts only evidence of its own cycle (as its checklist does).
      const ofCycle = (e: (typeof evidence)[number]) =>
        r.type === 'initial' ||
        e.created_at >= r.created_at ||
        e.review_id === r.id ||
        carried.some((c) => c.review_id === r.id && c.evidence_id === e.id && c.created_at <= at);
      const ok = required.every((t) =>
        evidence.some(
          (e) => e.version_id === r.version_id && e.type === t && evidenceValidAt(e, at) && ofCycle(e),
        ),
      );
      if (ok) firstPass++;
    }

    const findings = await findingFigures(k);
    const open = findings.filter((f) => UNRESOLVED.includes(f.state));
    const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const f of open) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    const closed = findings.filter((f) => f.state === 'closed' && f.closed_at);
    const onTime = closed.filter((f) => f.closed_at! <= f.due_at).length;

    const conditionsOverdue = await overdueConditions(k, nowIso);

    // Periodic review compliance, overdue and due reviews all follow the review schedule (the
    // policy's reviewFrequencyMonths per tier), the same rule as the inventory and the scheduler.
    const schedule = await this.schedule.periodicSchedule(k);
    const current = schedule.filter((r) => r.dueAt > nowIso).length;
    const dueWithin = (days: number) =>
      schedule.filter((r) => r.dueAt > nowIso && Date.parse(r.dueAt) <= now.getTime() + days * DAY).length;

    const acceptances = await acceptanceFigures(k);
    const links = await acceptanceLinks(k);

    return {
      asOf: nowIso,
      inventory: {
        models: modelRows.length,
        complete,
        completeness: ratio(complete, modelRows.length),
        byTier,
        byStatus,
        byEuAiActClass,
      },
      tiering: { models: modelRows.length, tiered, completeness: ratio(tiered, modelRows.length) },
      submissionToDecision: { decisions: turnaround.length, medianDays: median(turnaround) },
      firstPassEvidence: {
        reviews: submitted.length,
        completeAtSubmission: firstPass,
        rate: ratio(firstPass, submitted.length),
      },
      findings: {
        open: open.length,
        bySeverity,
        byAge: ageBuckets(
          open.map((f) => f.created_at),
          now,
        ),
      },
      remediationSla: {
        closed: closed.length,
        closedOnTime: onTime,
        adherence: ratio(onTime, closed.length),
      },
      overdue: {
        findings: open.filter((f) => f.due_at < nowIso).length,
        conditions: conditionsOverdue.length,
        reviews: schedule.length - current,
      },
      periodicReview: {
        approvedVersions: schedule.length,
        current,
        compliance: ratio(current, schedule.length),
      },
      reviewsDue: { d30: dueWithin(30), d60: dueWithin(60), d90: dueWithin(90) },
      riskAcceptances: acceptances.map((a) => ({
        id: a.id,
        modelKey: a.key,
        requestedBy: a.requested_by,
        approvedBy: a.approved_by,
        rationale: a.rationale,
        state: a.state,
        expiresAt: a.expires_at,
        findingCount: links.filter((l) => l.acceptance_id === a.id).length,
      })),
      exceptions: (await this.exceptionReport.compute()).counts,
      monitoring: await this.monitoring.compute(),
    };
  }

  /** The same KPIs as `metric,value` CSV (formula-like cells escaped). */
  async csv(caller: Caller): Promise<string> {
    return writeCsv(['metric', 'value'], metricsRows(await this.compute(caller)));
  }
}
