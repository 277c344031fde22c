import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { BackgroundWindowsNotice, useBackgroundWindows } from './MonitoringKpis.tsx';
import { CompletenessStrip, SeriesChart } from './SeriesChart.tsx';
import { chartsOf, windowsOf } from './series-view.ts';

const RANGES = [
  { id: '30', label: '30 days' },
  { id: '90', label: '90 days' },
  { id: '365', label: '1 year' },
  { id: 'all', label: 'all' },
] as const;

/** The monitoring of one deployment: every check over time, label completeness and its alerts. */
export function DeploymentMonitoring({ modelKey, deploymentId }: { modelKey: string; deploymentId: string }) {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const range = RANGES.find((r) => r.id === query.get('range'))?.id ?? 'all';
  // The window of "now" is fixed per range choice so the query key stays stable between renders.
  const from = useMemo(
    () => (range === 'all' ? undefined : new Date(Date.now() - Number(range) * 86_400_000).toISOString()),
    [range],
  );
  // While windows are computed in the background the series and alerts are read again as they grow.
  const refetchInterval = useBackgroundWindows() ? 10_000 : false;
  const series = useQuery({
    queryKey: monitoringKeys.series(deploymentId, range),
    queryFn: () => client.monitoring.series(deploymentId, from ? { from } : {}),
    refetchInterval,
  });
  const alerts = useQuery({
    queryKey: monitoringKeys.deploymentAlerts(deploymentId),
    queryFn: () => client.alerts.list({ deploymentId, limit: 500 }),
    refetchInterval,
  });
  return (
    <section className="panel" aria-labelledby="mon-h" data-testid="deployment-monitoring">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="mon-h">Monitoring</h2>
        <nav className="row-actions mon-range" aria-label="Time range">
          {RANGES.map((r) => (
            <button
              key={r.id}
              type="button"
              className="link"
              aria-pressed={r.id === range}
              onClick={() => update({ range: r.id === 'all' ? null : r.id })}
            >
              {r.label}
            </button>
          ))}
        </nav>
      </div>
      <BackgroundWindowsNotice />
      <QueryView query={series} what="Loading the time series">
        {(s) => {
          if (s.series.length === 0)
            return (
              <Empty title="No monitoring windows yet.">
                {s.planVersion === null
                  ? 'Apply a monitoring plan (assay monitor plan apply) and ingest predictions.'
                  : `Plan v${s.planVersion} is active; windows appear once predictions are ingested and a run computes them.`}
              </Empty>
            );
          const firing = (alerts.data?.items ?? []).filter((a) => a.state === 'firing');
          const windows = windowsOf(s.series);
          const last = windows[windows.length - 1];
          return (
            <>
              <p className="small" data-testid="monitoring-summary">
                Plan v{s.planVersion ?? '—'} · {windows.length} window(s)
                {last ? (
                  <>
                    {' '}
                    · latest ends <Time value={last.end} />
                  </>
                ) : null}{' '}
                · <Link to="/alerts">{firing.length} firing alert(s)</Link>. Each point opens its window's
                evidence.
              </p>
              <CompletenessStrip windows={windows} modelKey={modelKey} deploymentId={deploymentId} />
              {chartsOf(s.series).map((spec) => (
                <SeriesChart
                  key={spec.id}
                  spec={spec}
                  modelKey={modelKey}
                  deploymentId={deploymentId}
                  alerts={alerts.data?.items ?? []}
                />
              ))}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

/** The model page's monitoring tab: its deployments, and the chosen one's monitoring. */
export function MonitoringTab({ modelKey }: { modelKey: string }) {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const deployments = useQuery({
    queryKey: monitoringKeys.deployments(modelKey),
    queryFn: () => client.deployments(modelKey),
  });
  return (
    <QueryView query={deployments} what="Loading deployments">
      {(list) => {
        if (list.items.length === 0) return <Empty title="This model has no deployments to monitor." />;
        // Running deployments first, newest first; the chosen one is in the URL.
        const sorted = [...list.items].sort(
          (a, b) =>
            Number(a.endedAt !== null) - Number(b.endedAt !== null) || b.startedAt.localeCompare(a.startedAt),
        );
        const chosen = sorted.find((d) => d.id === query.get('deployment')) ?? sorted[0]!;
        return (
          <div className="stack">
            <label className="field" style={{ maxWidth: 480 }}>
              Deployment
              <select value={chosen.id} onChange={(e) => update({ deployment: e.target.value })}>
                {sorted.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.version} · {d.environment}
                    {d.endedAt ? ' (ended)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <DeploymentMonitoring key={chosen.id} modelKey={modelKey} deploymentId={chosen.id} />
          </div>
        );
      }}
    </QueryView>
  );
}
