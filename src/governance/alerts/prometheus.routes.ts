import { Gauge, Registry } from 'prom-client';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/route-helpers.ts';
import type { MonitoringKpisQueries } from './monitoring-kpis.queries.ts';

const minutesToSeconds = (m: number | null) => (m === null ? Number.NaN : m * 60);

/**
 * A Prometheus registry of Assay's monitoring KPIs, its own (never prom-client's global one, so
 * two servers in one process — tests — never share or leak metrics). `scrape()` reads the KPIs
 * once, then every gauge sets its value from that snapshot.
 */
export function monitoringRegistry(kpis: MonitoringKpisQueries): {
  registry: Registry;
  scrape(): Promise<string>;
} {
  const registry = new Registry();
  let current: Awaited<ReturnType<MonitoringKpisQueries['compute']>> | null = null;
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    set: (g: Gauge, k: NonNullable<typeof current>) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        if (current) set(this, current);
      },
    });
  gauge('assay_production_deployments', 'Deployments in production now', [], (g, k) =>
    g.set(k.coverage.productionDeployments),
  );
  gauge('assay_monitored_production_deployments', 'Production deployments with monitoring', [], (g, k) =>
    g.set(k.coverage.monitored),
  );
  gauge('assay_monitoring_coverage_ratio', 'Share of production deployments with monitoring', [], (g, k) =>
    g.set(k.coverage.ratio ?? Number.NaN),
  );
  gauge('assay_alerts_firing', 'Firing alerts by severity', ['severity'], (g, k) => {
    g.set({ severity: 'warning' }, k.openAlerts.warning);
    g.set({ severity: 'critical' }, k.openAlerts.critical);
  });
  gauge('assay_alerts_unacknowledged', 'Firing alerts nobody has acknowledged', [], (g, k) =>
    g.set(k.openAlerts.unacknowledged),
  );
  gauge('assay_alert_time_to_acknowledge_seconds', 'Mean time from firing to acknowledgement', [], (g, k) =>
    g.set(minutesToSeconds(k.alertTimeToAcknowledgeMinutes)),
  );
  gauge('assay_incidents_open', 'Incidents not yet resolved', [], (g, k) => g.set(k.incidents.open));
  gauge('assay_incident_mttd_seconds', 'Mean time from impact to detection', [], (g, k) =>
    g.set(minutesToSeconds(k.incidents.mttdMinutes)),
  );
  gauge('assay_incident_mttr_seconds', 'Mean time from detection to resolution', [], (g, k) =>
    g.set(minutesToSeconds(k.incidents.mttrMinutes)),
  );
  gauge(
    'assay_incident_time_to_acknowledge_seconds',
    'Mean time from detection to acknowledgement',
    [],
    (g, k) => g.set(minutesToSeconds(k.incidents.timeToAcknowledgeMinutes)),
  );
  gauge(
    'assay_serious_incident_reports_overdue',
    'EU AI Act serious incidents past their Art. 73 due date, not reported',
    [],
    (g, k) => g.set(k.incidents.seriousReportsOverdue),
  );
  return {
    registry,
    async scrape() {
      current = await kpis.compute();
      return registry.metrics();
    },
  };
}

/**
 * `GET /metrics` in the Prometheus text format. It needs a bearer token (read scope is enough) of
 * a role allowed `monitoring.prometheus` (admin, governance, auditor): give the scraper an auditor's
 * read token (`authorization: { credentials_file: ... }` in prometheus.yml).
 */
export function registerPrometheusRoute(
  app: ApiApp,
  services: { monitoringKpis: MonitoringKpisQueries },
): void {
  const { registry, scrape } = monitoringRegistry(services.monitoringKpis);
  app.route({
    method: 'GET',
    url: '/metrics',
    schema: { hide: true },
    handler: async (req, reply) => {
      const caller = callerOf(req);
      if (decide(caller.principal, 'monitoring.prometheus') !== 'allow')
        throw new ForbiddenError(`${aRole(caller.principal.role)} may not scrape /metrics`);
      const body = await scrape();
      return reply.header('content-type', registry.contentType).send(body);
    },
  });
}
