import type {
  CheckKind,
  CheckResult,
  MonitoringSeries,
  MonitoringWindow,
} from '../../contracts/monitoring.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Db } from '../../platform/db/database.ts';
import type { MonitoringResultsTable } from '../../platform/db/tables/monitoring.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { activePlan, resultsOfWindow, seriesRows, windowById } from './monitoring.store.ts';
import type { MonitoringPlansService } from './monitoring-plans.service.ts';
import { windowUrl } from './monitoring-runs.service.ts';

function resultView(r: MonitoringResultsTable): CheckResult {
  return {
    check: r.check_name,
    kind: r.kind as CheckKind,
    metric: r.metric,
    feature: r.feature,
    value: r.value,
    lower: r.lower,
    upper: r.upper,
    warning: r.warning,
    critical: r.critical,
    direction: r.direction as 'above' | 'below',
    severity: r.severity as CheckResult['severity'],
    note: r.note,
  };
}

/** Read side of monitoring: the time series per check and one window with its evidence. */
export class MonitoringSeriesService {
  constructor(
    private readonly db: Db,
    private readonly plans: MonitoringPlansService,
  ) {}

  /** Every check's series of a deployment, oldest window first. */
  async series(
    caller: Caller,
    deploymentId: string,
    q: { from?: string | undefined; to?: string | undefined; check?: string | undefined },
  ): Promise<MonitoringSeries> {
    const dep = await this.plans.deployment(caller, deploymentId, 'monitoring.read');
    const plan = await activePlan(this.db.kysely, dep.id);
    const rows = await seriesRows(this.db.kysely, dep.id, {
      from: q.from ? new Date(q.from).toISOString() : undefined,
      to: q.to ? new Date(q.to).toISOString() : undefined,
      check: q.check,
    });
    const series: MonitoringSeries['series'] = [];
    for (const r of rows) {
      let s = series[series.length - 1];
      if (!s || s.check !== r.check_name) {
        s = {
          check: r.check_name,
          kind: r.kind as CheckKind,
          metric: r.metric,
          feature: r.feature,
          points: [],
        };
        series.push(s);
      }
      s.points.push({
        windowId: r.window_id,
        start: r.window_start,
        end: r.window_end,
        value: r.value,
        lower: r.lower,
        upper: r.upper,
        warning: r.warning,
        critical: r.critical,
        direction: r.direction as 'above' | 'below',
        severity: r.severity as CheckResult['severity'],
        labelCompleteness: r.rows > 0 ? r.labelled_rows / r.rows : null,
        url: windowUrl(dep.id, r.window_id),
      });
    }
    return { deploymentId: dep.id, planVersion: plan?.version ?? null, series };
  }

  /** One window: counts, label completeness, check results and the engine's evidence. */
  async window(caller: Caller, deploymentId: string, windowId: string): Promise<MonitoringWindow> {
    const dep = await this.plans.deployment(caller, deploymentId, 'monitoring.read');
    const w = await windowById(this.db.kysely, windowId);
    if (!w || w.deployment_id !== dep.id) throw new NotFoundError('monitoring window', windowId);
    const results = await resultsOfWindow(this.db.kysely, w.id);
    return {
      id: w.id,
      deploymentId: w.deployment_id,
      planId: w.plan_id,
      planVersion: w.plan_version,
      start: w.window_start,
      end: w.window_end,
      rows: w.rows,
      labelledRows: w.labelled_rows,
      labelCompleteness: w.rows > 0 ? w.labelled_rows / w.rows : null,
      computedAt: w.computed_at,
      results: results.map(resultView),
      evidence: JSON.parse(w.evidence_json) as Record<string, unknown>,
      url: windowUrl(dep.id, w.id),
    };
  }
}
