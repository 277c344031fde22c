import type { CheckResult, MonitoringPlanDocument } from '../../contracts/monitoring.ts';
import type { AlertRouting, CheckSignal } from '../../contracts/monitoring-signals.ts';
import {
  type BaselineRows,
  computeWindow,
  emptyWindow,
  type WindowComputation,
} from '../../engine/monitoring/window.ts';
import { metricValue } from '../../engine/monitoring/window-metrics.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type {
  MonitoringBatchesTable,
  MonitoringPlansTable,
  MonitoringResultsTable,
} from '../../platform/db/tables/monitoring.ts';
import { ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import {
  activePlan,
  activePlans,
  batches,
  deploymentRow,
  saveWindow,
  windowsOf,
} from './monitoring.store.ts';
import { MonitoringCompaction } from './monitoring-compaction.ts';
import type { MonitoringIngestService } from './monitoring-ingest.service.ts';
import type { MonitoringPlansService } from './monitoring-plans.service.ts';
import { type PlanCheck, planChecks } from './plan-document.ts';
import { closedWindows, judge, type WindowSpan, windowMs } from './window-rules.ts';

/** Where check results go after each window (the alerts feature, wired by the composition root). */
export interface MonitoringSignalSink {
  ingestSignals(signals: CheckSignal[], routing: AlertRouting): Promise<unknown>;
}

/** A computed window as the run reports it. */
export interface ComputedWindow {
  id: string;
  start: string;
  end: string;
  rows: number;
}

const SYSTEM: AuditContext = { actor: 'system', requestId: null };

/** The evidence URL of a window (the API's window read). */
export function windowUrl(deploymentId: string, windowId: string): string {
  return `/api/v1/deployments/${encodeURIComponent(deploymentId)}/monitoring/windows/${encodeURIComponent(windowId)}`;
}

const overlaps = (b: MonitoringBatchesTable, from: number, to: number) =>
  b.from_ts !== null && b.to_ts !== null && Date.parse(b.from_ts) < to && Date.parse(b.to_ts) >= from;

/**
 * Scheduled checks: computes each due window of every active plan with the engine (the same
 * `validate` as `assay validate` on the window's rows), stores the results as a time series,
 * recomputes windows whose rows or labels changed since, and hands each window's check results
 * (in window order) to the signal sink.
 */
export class MonitoringRunsService {
  private sink: MonitoringSignalSink | null = null;
  /** The compaction job, run on the tick before the windows. */
  readonly compaction: MonitoringCompaction;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly plans: MonitoringPlansService,
    private readonly ingest: MonitoringIngestService,
  ) {
    this.compaction = new MonitoringCompaction(db, clock, ingest);
  }

  /** Sets where check results go (the composition root wires the alerts service here). */
  setSignalSink(sink: MonitoringSignalSink): void {
    this.sink = sink;
  }

  /**
   * Holds the scheduled windows until `until` settles: the demo's monitoring story computes its
   * windows on its own clock after the server listens, and a tick on today's clock meanwhile would
   * compute the same windows before the story's traffic has arrived. The rest of the tick (due
   * jobs, alerts, webhook deliveries) goes on.
   */
  holdScheduledWindows(until: Promise<unknown>): void {
    const held = until.then(
      () => undefined,
      () => undefined,
    );
    this.held = held;
    void held.then(() => {
      if (this.held === held) this.held = null;
    });
  }

  private held: Promise<void> | null = null;

  /** The scheduler's tick: `runDue`, unless the scheduled windows are held (above). */
  async runScheduled(): Promise<ComputedWindow[]> {
    return this.held ? [] : this.runDue();
  }

  /** Every active plan's due (new or stale) windows. */
  async runDue(): Promise<ComputedWindow[]> {
    const out: ComputedWindow[] = [];
    for (const plan of await activePlans(this.db.kysely)) {
      // one deployment's failure (an unreadable segment) must not stop the others
      try {
        await this.compaction.compact(plan.deployment_id, SYSTEM);
        out.push(...(await this.runPlan(plan, SYSTEM, {})));
      } catch (err) {
        process.stderr.write(
          `assay: monitoring of deployment ${plan.deployment_id} failed: ${(err as Error).message}\n`,
        );
      }
    }
    return out;
  }

  /** Runs one deployment now (due windows), or backfills [from, to) on request. */
  async run(
    caller: Caller,
    deploymentId: string,
    options: { from?: string | undefined; to?: string | undefined; recompute?: boolean | undefined },
    progress?: (done: number, total: number) => void,
  ): Promise<ComputedWindow[]> {
    const dep = await this.plans.deployment(caller, deploymentId, 'monitoring.run');
    const plan = await activePlan(this.db.kysely, dep.id);
    if (!plan)
      throw new ValidationError(`deployment '${deploymentId}' has no monitoring plan`, 'deploymentId');
    return this.runPlan(plan, caller.audit, options, progress);
  }

  private async runPlan(
    plan: MonitoringPlansTable,
    audit: AuditContext,
    options: { from?: string | undefined; to?: string | undefined; recompute?: boolean | undefined },
    progress?: (done: number, total: number) => void,
  ): Promise<ComputedWindow[]> {
    const doc = JSON.parse(plan.document_json) as MonitoringPlanDocument;
    const all = await batches(this.db.kysely, plan.deployment_id);
    const predictions = all.filter((b) => b.kind === 'predictions');
    const firstTs = predictions
      .map((b) => b.from_ts)
      .filter((t): t is string => t !== null)
      .sort()[0];
    const start = options.from ?? doc.schedule.start ?? firstTs;
    if (!start) return [];
    const now = this.clock.now();
    const until = options.to ? new Date(Math.min(Date.parse(options.to), now.getTime())) : now;
    const spans = closedWindows(
      doc.window,
      new Date(start),
      until,
      options.to ? 0 : doc.schedule.delayMinutes,
    );
    const stored = new Map(
      (await windowsOf(this.db.kysely, plan.deployment_id)).map((w) => [w.window_start, w]),
    );
    const maxSeq = all.reduce((m, b) => Math.max(m, b.seq), 0);
    const due = spans.filter((span) => {
      const w = stored.get(span.start.toISOString());
      if (!w || options.recompute || w.plan_id !== plan.id) return true;
      return all.some((b) => b.seq > w.computed_seq && this.affects(b, span, doc));
    });
    const out: ComputedWindow[] = [];
    const signals: CheckSignal[] = [];
    for (const span of due) {
      const { window, results } = await this.computeAndStore(plan, doc, span, all, maxSeq, audit);
      out.push(window);
      signals.push(...(await this.signalsOf(plan, doc, window, results)));
      progress?.(out.length, due.length);
    }
    if (this.sink && signals.length > 0) {
      await this.sink.ingestSignals(signals, {
        routes: doc.alerting.routes,
        repeatIntervalSeconds: doc.alerting.repeatIntervalSeconds,
      });
    }
    return out;
  }

  /** Whether a batch changes what a window is computed from (its rows, labels or baseline). */
  private affects(b: MonitoringBatchesTable, span: WindowSpan, doc: MonitoringPlanDocument): boolean {
    if (b.kind === 'reference')
      return doc.baseline.type === 'reference' || doc.baseline.type === 'validation';
    const base = this.baselinePeriod(doc, span);
    return (
      overlaps(b, span.start.getTime(), span.end.getTime()) ||
      (base !== null && overlaps(b, base.from, base.to))
    );
  }

  private baselinePeriod(doc: MonitoringPlanDocument, span: WindowSpan): { from: number; to: number } | null {
    const b = doc.baseline;
    if (b.type === 'fixed') return { from: Date.parse(b.from), to: Date.parse(b.to) };
    if (b.type === 'trailing') {
      return { from: span.start.getTime() - b.windows * windowMs(doc.window), to: span.start.getTime() };
    }
    return null;
  }

  private async computeAndStore(
    plan: MonitoringPlansTable,
    doc: MonitoringPlanDocument,
    span: WindowSpan,
    all: MonitoringBatchesTable[],
    maxSeq: number,
    audit: AuditContext,
  ): Promise<{ window: ComputedWindow; results: CheckResult[] }> {
    const checks = planChecks(doc);
    const base = this.baselinePeriod(doc, span);
    const from = span.start.getTime();
    const to = span.end.getTime();
    const files = (pick: (b: MonitoringBatchesTable) => boolean) => [
      ...new Set(all.filter(pick).map((b) => this.ingest.segmentPath(b))),
    ];
    const predictions = files(
      (b) =>
        b.kind === 'predictions' &&
        (overlaps(b, from, to) || (base !== null && overlaps(b, base.from, base.to))),
    );
    const outcomes = files((b) => b.kind === 'outcomes');
    const baseline: BaselineRows = base
      ? { type: 'period', ...base }
      : {
          type: 'reference',
          // a validation run's input: only the reference batches with its bytes
          files: files(
            (b) =>
              b.kind === 'reference' &&
              (doc.baseline.type !== 'validation' || b.sha256 === doc.baseline.sha256),
          ),
        };
    const perf = checks.filter((c) => c.kind === 'performance');
    const empty = baseline.type === 'reference' && baseline.files.length === 0;
    const computation: WindowComputation =
      predictions.length === 0
        ? emptyWindow()
        : await computeWindow({
            predictions,
            outcomes,
            baseline: empty ? { type: 'period', from: 0, to: 0 } : baseline,
            start: from,
            end: to,
            label: doc.columns.label,
            score: doc.columns.score ?? null,
            prediction: doc.columns.prediction ?? null,
            positiveLabel: doc.columns.positiveLabel ?? null,
            threshold: doc.columns.threshold ?? null,
            features: doc.features ?? null,
            categorical: doc.categorical ?? [],
            performanceMinRows: perf.length > 0 ? Math.min(...perf.map((c) => c.minLabelledRows)) : null,
            estimate: checks.some((c) => c.kind === 'estimated_performance'),
            now: this.clock.now(),
          });
    const output = doc.columns.score ?? doc.columns.prediction ?? null;
    const results: CheckResult[] = checks.map((c) => this.result(c, computation, output));
    const id = newId(this.clock.now().getTime());
    const row = {
      id,
      deployment_id: plan.deployment_id,
      plan_id: plan.id,
      plan_version: plan.version,
      window_start: span.start.toISOString(),
      window_end: span.end.toISOString(),
      rows: computation.rows,
      labelled_rows: computation.labelledRows,
      computed_seq: maxSeq,
      computed_at: this.clock.now().toISOString(),
      evidence_json: JSON.stringify({
        drift: computation.drift,
        performance: computation.performance,
        cbpe: computation.cbpe,
        note: computation.note,
      }),
    };
    const resultRows = (windowId: string): MonitoringResultsTable[] =>
      results.map((r) => ({
        window_id: windowId,
        deployment_id: plan.deployment_id,
        check_name: r.check,
        kind: r.kind,
        metric: r.metric,
        feature: r.feature,
        window_start: row.window_start,
        value: r.value,
        lower: r.lower,
        upper: r.upper,
        warning: r.warning,
        critical: r.critical,
        direction: r.direction,
        severity: r.severity,
        note: r.note,
      }));
    const savedId = await this.db.write(async (tx) => {
      const saved = await saveWindow(tx, row, resultRows(id));
      await appendAuditEvent(tx, this.clock, audit, {
        action: 'monitoring.window_computed',
        entityType: 'monitoring_window',
        entityId: saved,
        modelId: plan.model_id,
        after: {
          id: saved,
          deploymentId: plan.deployment_id,
          planId: plan.id,
          planVersion: plan.version,
          start: row.window_start,
          end: row.window_end,
          rows: row.rows,
          labelledRows: row.labelled_rows,
          results: results.map((r) => ({ check: r.check, value: r.value, severity: r.severity })),
        },
      });
      return saved;
    });
    return {
      window: { id: savedId, start: row.window_start, end: row.window_end, rows: row.rows },
      results,
    };
  }

  private result(c: PlanCheck, w: WindowComputation, output: string | null): CheckResult {
    const m = metricValue(c, w, output);
    return {
      check: c.name,
      kind: c.kind,
      metric: c.metric,
      feature: c.feature,
      value: m.value,
      lower: m.lower,
      upper: m.upper,
      warning: c.warning,
      critical: c.critical,
      direction: c.direction,
      severity: judge(m.value, c.warning, c.critical, c.direction),
      note: m.note,
    };
  }

  private async signalsOf(
    plan: MonitoringPlansTable,
    doc: MonitoringPlanDocument,
    window: ComputedWindow,
    results: CheckResult[],
  ): Promise<CheckSignal[]> {
    const dep = await deploymentRow(this.db.kysely, plan.deployment_id);
    const checks = new Map(planChecks(doc).map((c) => [c.name, c]));
    return results.map((r) => ({
      deploymentId: plan.deployment_id,
      modelId: plan.model_id,
      versionId: dep?.version_id ?? '',
      planId: plan.id,
      planVersion: plan.version,
      check: r.check,
      kind: r.kind,
      metric: r.metric,
      feature: r.feature,
      windowStart: window.start,
      windowEnd: window.end,
      value: r.value,
      warning: r.warning,
      critical: r.critical,
      direction: r.direction,
      severity: r.severity,
      forWindows: checks.get(r.check)?.forWindows ?? 1,
      runbookUrl: doc.alerting.runbookUrl ?? null,
      evidence: { windowId: window.id, url: windowUrl(plan.deployment_id, window.id) },
    }));
  }
}
