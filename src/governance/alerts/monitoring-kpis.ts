import type { MonitoringKpis } from '../../contracts/metrics.ts';
import { mean, minutesBetween } from '../incidents/incident-rules.ts';

/** What the monitoring KPIs are computed from (plain rows, read by `monitoring-kpis.queries.ts`). */
export interface KpiInputs {
  /** Ids of deployments in production now (environment `production`, not ended). */
  productionDeployments: readonly string[];
  /** Ids of deployments with monitoring (an active plan, or signals in the last week). */
  monitored: ReadonlySet<string>;
  alerts: readonly { state: string; severity: string; fired_at: string; acknowledged_at: string | null }[];
  incidents: readonly {
    impact_began_at: string;
    detected_at: string;
    acknowledged_at: string | null;
    resolved_at: string | null;
    state: string;
    serious: number;
    reported_at: string | null;
    reporting_due_at: string | null;
  }[];
  now: Date;
}

/**
 * The monitoring KPIs, pure: coverage of production deployments, open alerts by severity, and the
 * incident means (MTTD = impact began → detected, MTTR = detected → resolved, time to acknowledge
 * = detected → acknowledged for incidents, fired → acknowledged for alerts), in minutes.
 */
export function monitoringKpis(x: KpiInputs): Omit<MonitoringKpis, 'backgroundWindows'> {
  const covered = x.productionDeployments.filter((d) => x.monitored.has(d)).length;
  const firing = x.alerts.filter((a) => a.state === 'firing');
  const nowIso = x.now.toISOString();
  return {
    coverage: {
      productionDeployments: x.productionDeployments.length,
      monitored: covered,
      ratio: x.productionDeployments.length === 0 ? null : covered / x.productionDeployments.length,
    },
    openAlerts: {
      total: firing.length,
      warning: firing.filter((a) => a.severity === 'warning').length,
      critical: firing.filter((a) => a.severity === 'critical').length,
      unacknowledged: firing.filter((a) => a.acknowledged_at === null).length,
    },
    alertTimeToAcknowledgeMinutes: mean(x.alerts.map((a) => minutesBetween(a.fired_at, a.acknowledged_at))),
    incidents: {
      open: x.incidents.filter((i) => i.state !== 'resolved').length,
      resolved: x.incidents.filter((i) => i.state === 'resolved').length,
      mttdMinutes: mean(x.incidents.map((i) => minutesBetween(i.impact_began_at, i.detected_at))),
      mttrMinutes: mean(x.incidents.map((i) => minutesBetween(i.detected_at, i.resolved_at))),
      timeToAcknowledgeMinutes: mean(
        x.incidents.map((i) => minutesBetween(i.detected_at, i.acknowledged_at)),
      ),
      seriousOpenReports: x.incidents.filter((i) => Number(i.serious) === 1 && i.reported_at === null).length,
      seriousReportsOverdue: x.incidents.filter(
        (i) =>
          Number(i.serious) === 1 &&
          i.reported_at === null &&
          i.reporting_due_at !== null &&
          i.reporting_due_at < nowIso,
      ).length,
    },
  };
}
