import { useQuery } from '@tanstack/react-query';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { QueryView } from '../components/DataState.tsx';

/** Minutes as a short duration (`45 min`, `3.5 h`, `2.1 d`), or a dash when there is nothing to average. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}

function Kpi({
  label,
  value,
  tone,
  to,
}: {
  label: string;
  value: string | number;
  tone?: string;
  to?: string;
}) {
  const body = (
    <>
      <div className="label">{label}</div>
      <div className={`value ${tone ?? ''}`} data-testid={`kpi-${label}`}>
        {value}
      </div>
    </>
  );
  return <div className="kpi">{to ? <Link to={to}>{body}</Link> : body}</div>;
}

/** Polls the KPIs every few seconds while the server computes windows in the background (the demo's first start). */
function useMonitoringKpis() {
  const { client } = useSession();
  return useQuery({
    queryKey: monitoringKeys.kpis(),
    queryFn: () => client.monitoringKpis(),
    refetchInterval: (q) => (q.state.data?.backgroundWindows ? 5000 : false),
  });
}

/** Windows the server is still computing in the background, or null (the tab polls its series meanwhile). */
export function useBackgroundWindows(): { computed: number; expected: number } | null {
  return useMonitoringKpis().data?.backgroundWindows ?? null;
}

/** Says that monitoring windows are still being computed in the background, and how far it got; nothing otherwise. */
export function BackgroundWindowsNotice() {
  const background = useBackgroundWindows();
  if (!background) return null;
  return (
    <p className="notice" role="status" data-testid="background-windows">
      Monitoring windows are still being computed in the background: {background.computed} of{' '}
      {background.expected} so far. Charts, alerts and incidents fill in as they are.
    </p>
  );
}

/** The dashboard's production-monitoring row: coverage, open alerts by severity, MTTD, MTTR, time to acknowledge. */
export function MonitoringKpis() {
  const kpis = useMonitoringKpis();
  return (
    <section className="panel" aria-labelledby="monitoring-kpis-h">
      <h2 id="monitoring-kpis-h">Production monitoring</h2>
      <BackgroundWindowsNotice />
      <QueryView query={kpis} what="Loading the monitoring KPIs">
        {(k) => (
          <div className="grid grid-4">
            <Kpi
              label="Monitoring coverage"
              value={
                k.coverage.ratio === null
                  ? '—'
                  : `${Math.round(k.coverage.ratio * 100)}% (${k.coverage.monitored}/${k.coverage.productionDeployments})`
              }
            />
            <Kpi
              label="Open alerts"
              value={`${k.openAlerts.critical} critical · ${k.openAlerts.warning} warning`}
              tone={k.openAlerts.critical ? 'sev-critical' : ''}
              to="/alerts"
            />
            <Kpi label="MTTD" value={duration(k.incidents.mttdMinutes)} to="/incidents" />
            <Kpi label="MTTR" value={duration(k.incidents.mttrMinutes)} to="/incidents" />
            <Kpi label="Time to acknowledge (alerts)" value={duration(k.alertTimeToAcknowledgeMinutes)} />
            <Kpi
              label="Time to acknowledge (incidents)"
              value={duration(k.incidents.timeToAcknowledgeMinutes)}
            />
            <Kpi label="Open incidents" value={k.incidents.open} to="/incidents" />
            <Kpi
              label="Serious-incident reports overdue"
              value={k.incidents.seriousReportsOverdue}
              tone={k.incidents.seriousReportsOverdue ? 'sev-critical' : ''}
            />
          </div>
        )}
      </QueryView>
    </section>
  );
}
