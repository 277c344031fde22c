import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Incident } from '../../../src/contracts/incidents.ts';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, MutationError, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { CorrectiveActionsPanel, SeriousIncidentPanel } from './IncidentActions.tsx';
import { duration } from './MonitoringKpis.tsx';

const NEXT: Record<Incident['state'], ('acknowledged' | 'mitigated' | 'resolved')[]> = {
  open: ['acknowledged', 'mitigated', 'resolved'],
  acknowledged: ['mitigated', 'resolved'],
  mitigated: ['resolved'],
  resolved: [],
};
const VERB = { acknowledged: 'Acknowledge', mitigated: 'Mark mitigated', resolved: 'Resolve' } as const;

/** Every incident, newest detection first. */
export function IncidentsPage() {
  const { client } = useSession();
  const list = useQuery({
    queryKey: monitoringKeys.incidents(),
    queryFn: () => client.incidents.list({ limit: 200 }),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Incidents</h1>
          <p>From detection to resolution, with MTTD and MTTR computed from the recorded times.</p>
        </div>
        <Link to="/alerts">Alert inbox</Link>
      </div>
      <QueryView query={list} what="Loading incidents">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No incidents." />
          ) : (
            <table className="data" aria-label="Incidents">
              <thead>
                <tr>
                  {[
                    'Incident',
                    'Severity',
                    'State',
                    'Detected',
                    'Time to detect',
                    'Time to resolve',
                    'Serious (Art. 73)',
                  ].map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.items.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link to={`/incidents/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                    </td>
                    <td>{i.severity}</td>
                    <td>{i.state}</td>
                    <td>
                      <Time value={i.detectedAt} />
                    </td>
                    <td>{duration(i.timeToDetectMinutes)}</td>
                    <td>{duration(i.timeToResolveMinutes)}</td>
                    <td>
                      {i.serious ? (
                        <>
                          report due <Time value={i.reportingDueAt} />
                        </>
                      ) : (
                        <span className="muted">no</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </>
  );
}

function Facts({ i }: { i: Incident }) {
  const rows: [string, React.ReactNode][] = [
    ['Severity', i.severity],
    [
      'State',
      <span data-testid="incident-state" key="s">
        {i.state}
      </span>,
    ],
    ['Impact began', <Time key="a" value={i.impactBeganAt} />],
    ['Detected', <Time key="b" value={i.detectedAt} />],
    ['Acknowledged', <Time key="c" value={i.acknowledgedAt} />],
    ['Mitigated', <Time key="d" value={i.mitigatedAt} />],
    ['Resolved', <Time key="e" value={i.resolvedAt} />],
    ['Time to detect', duration(i.timeToDetectMinutes)],
    ['Time to acknowledge', duration(i.timeToAcknowledgeMinutes)],
    [
      'Time to resolve',
      <span data-testid="incident-ttr" key="t">
        {duration(i.timeToResolveMinutes)}
      </span>,
    ],
    [
      'EU AI Act serious incident',
      i.serious ? (
        <span key="r" className={i.reportingOverdue ? 'sev-critical' : ''}>
          {i.seriousCategory} · report due <Time value={i.reportingDueAt} /> ({i.reportingRule})
          {i.reportedAt ? (
            <>
              {' '}
              · reported <Time value={i.reportedAt} />
            </>
          ) : null}
        </span>
      ) : (
        'no'
      ),
    ],
  ];
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One incident: its times, deployments, alerts, corrective actions and timeline; move it and add notes. */
export function IncidentPage({ incidentId }: { incidentId: string }) {
  const { client, can } = useSession();
  const qc = useQueryClient();
  const incident = useQuery({
    queryKey: monitoringKeys.incident(incidentId),
    queryFn: () => client.incidents.get(incidentId),
  });
  const done = () => void qc.invalidateQueries({ queryKey: monitoringKeys.all });
  const move = useMutation({
    mutationFn: (to: 'acknowledged' | 'mitigated' | 'resolved') =>
      client.incidents.transition(incidentId, { to }),
    onSuccess: done,
  });
  const [note, setNote] = useState('');
  const addNote = useMutation({
    mutationFn: () => client.incidents.note(incidentId, note),
    onSuccess: () => {
      setNote('');
      done();
    },
  });
  const writable = can.manageIncidents;
  return (
    <QueryView query={incident} what="Loading the incident">
      {(i) => (
        <>
          <div className="page-head">
            <div>
              <h1>{i.title}</h1>
              <p>{i.description}</p>
            </div>
            <div className="row-actions">
              {writable
                ? NEXT[i.state].map((to) => (
                    <button key={to} type="button" onClick={() => move.mutate(to)} disabled={move.isPending}>
                      {VERB[to]}
                    </button>
                  ))
                : null}
            </div>
          </div>
          <MutationError error={move.error} />
          <div className="stack">
            <section className="panel" aria-labelledby="inc-facts-h">
              <h2 id="inc-facts-h">Times</h2>
              <Facts i={i} />
            </section>
            <section className="panel" aria-labelledby="inc-dep-h">
              <h2 id="inc-dep-h">Affected deployments</h2>
              <ul>
                {i.deployments.map((d) => (
                  <li key={d.id}>
                    <Link to={`/models/${encodeURIComponent(d.modelKey)}`}>{d.modelKey}</Link>{' '}
                    {d.versionLabel} · {d.environment}
                  </li>
                ))}
              </ul>
              <p className="small">
                {i.alerts.length} alert(s) · <Link to="/alerts?state=all">alert inbox</Link>
              </p>
            </section>
            <SeriousIncidentPanel i={i} />
            <CorrectiveActionsPanel i={i} />
            <section className="panel" aria-labelledby="inc-tl-h">
              <h2 id="inc-tl-h">Timeline</h2>
              <ol className="timeline" aria-label="Timeline">
                {i.timeline.map((e) => (
                  <li key={e.id} data-kind={e.kind}>
                    <Time value={e.at} /> <strong>{e.kind.replace('_', ' ')}</strong> by {e.actor}
                    {e.note ? <> — {e.note}</> : null}
                  </li>
                ))}
              </ol>
              {writable ? (
                <form
                  onSubmit={(ev) => {
                    ev.preventDefault();
                    if (note.trim()) addNote.mutate();
                  }}
                >
                  <label>
                    Note
                    <input value={note} onChange={(ev) => setNote(ev.target.value)} maxLength={5000} />
                  </label>
                  <button type="submit" disabled={addNote.isPending || !note.trim()}>
                    Add to timeline
                  </button>
                  <MutationError error={addNote.error} />
                </form>
              ) : null}
            </section>
          </div>
        </>
      )}
    </QueryView>
  );
}
