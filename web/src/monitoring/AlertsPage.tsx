import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Alert } from '../../../src/contracts/alerts.ts';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, errorMessage, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

const STATES = ['firing', 'resolved', 'all'] as const;

function threshold(a: Alert): string {
  const t = a.severity === 'critical' ? a.critical : a.warning;
  return `${a.value ?? 'n/a'} (${a.direction === 'above' ? '>' : '<'} ${t ?? 'n/a'})`;
}

function AlertRow({ a }: { a: Alert }) {
  const { client, me } = useSession();
  const qc = useQueryClient();
  const done = () => void qc.invalidateQueries({ queryKey: monitoringKeys.all });
  const ack = useMutation({ mutationFn: () => client.alerts.acknowledge(a.id), onSuccess: done });
  const toIncident = useMutation({
    mutationFn: () => client.alerts.triage(a.id, { to: 'incident' }),
    onSuccess: (x) => {
      done();
      if (x.triageRef) navigate(`/incidents/${encodeURIComponent(x.triageRef)}`);
    },
  });
  const error = ack.error ?? toIncident.error;
  return (
    <tr data-alert={a.id} data-check={a.check}>
      <td>
        <span className={`badge ${a.severity === 'critical' ? 'bad' : 'warn'}`}>{a.severity}</span>
        {a.silenced ? (
          <span className="badge" title="A silence holds its notifications">
            {' '}
            silenced
          </span>
        ) : null}
      </td>
      <td>
        <Link to={`/models/${encodeURIComponent(a.modelKey)}`}>{a.modelKey}</Link>
        <span className="muted">
          {' '}
          {a.versionLabel} · {a.environment}
        </span>
      </td>
      <td>
        {a.check}
        <div className="muted small">
          {a.metric}
          {a.feature ? ` of ${a.feature}` : ''}
        </div>
      </td>
      <td>
        {threshold(a)}
        <div className="small">
          <a href={a.evidence.url} title="The window's evidence">
            window {a.evidence.windowId}
          </a>
          {a.runbookUrl ? (
            <>
              {' · '}
              <a href={a.runbookUrl}>runbook</a>
            </>
          ) : null}
        </div>
      </td>
      <td>
        <Time value={a.startsAt} />
        <div className="muted small">
          {a.state === 'resolved' ? (
            <>
              resolved <Time value={a.resolvedAt} />
            </>
          ) : (
            'firing'
          )}
        </div>
      </td>
      <td>
        {a.acknowledgedBy ? <>{a.acknowledgedBy}</> : <span className="muted">not yet</span>}
        {a.assignee ? <div className="small">assigned to {a.assignee}</div> : null}
      </td>
      <td>
        {a.triage === 'incident' && a.triageRef ? (
          <Link to={`/incidents/${encodeURIComponent(a.triageRef)}`}>incident</Link>
        ) : a.triage === 'finding' ? (
          <Link to="/findings">finding</Link>
        ) : (
          <span className="row-actions">
            {a.acknowledgedAt === null && a.state === 'firing' ? (
              <button
                type="button"
                onClick={() => ack.mutate()}
                disabled={ack.isPending || me.scope === 'read'}
              >
                Acknowledge
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => toIncident.mutate()}
              disabled={toIncident.isPending || me.scope === 'read'}
            >
              Open incident
            </button>
          </span>
        )}
        {error ? (
          <div className="error small" role="alert">
            {errorMessage(error)}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

/** The alert inbox: firing (or resolved) alerts of the models the caller may see, with their evidence. */
export function AlertsPage() {
  const { client } = useSession();
  const { query } = useLocation();
  const state = (STATES as readonly string[]).includes(query.get('state') ?? '')
    ? query.get('state')!
    : 'firing';
  const alerts = useQuery({
    queryKey: monitoringKeys.alerts(state),
    queryFn: () =>
      client.alerts.list({
        state: state === 'all' ? undefined : (state as 'firing' | 'resolved'),
        limit: 200,
      }),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Alert inbox</h1>
          <p>Monitoring alerts of production checks: acknowledge, open an incident, follow the evidence.</p>
        </div>
        <nav className="row-actions" aria-label="Alert state">
          {STATES.map((s) => (
            <Link key={s} to={`/alerts?state=${s}`} aria-current={s === state ? 'page' : undefined}>
              {s}
            </Link>
          ))}
          <Link to="/incidents">Incidents</Link>
        </nav>
      </div>
      <QueryView query={alerts} what="Loading alerts">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={`No ${state === 'all' ? '' : state} alerts.`} />
          ) : (
            <table className="data" aria-label="Alerts">
              <thead>
                <tr>
                  {['Severity', 'Model', 'Check', 'Value (threshold)', 'Since', 'Acknowledged', 'Triage'].map(
                    (h) => (
                      <th scope="col" key={h}>
                        {h}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {page.items.map((a) => (
                  <AlertRow key={a.id} a={a} />
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </>
  );
}
