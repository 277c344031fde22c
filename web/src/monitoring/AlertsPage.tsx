import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link, useLocation } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { AlertRow } from './AlertRow.tsx';
import { type SilenceDraft, SilencesPanel } from './SilencesPanel.tsx';

const STATES = ['firing', 'resolved', 'all'] as const;

/** The alert inbox: firing (or resolved) alerts of the models the caller may see, with their evidence. */
export function AlertsPage() {
  const { client } = useSession();
  const { query } = useLocation();
  const [draft, setDraft] = useState<SilenceDraft | null>(null);
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
          <p>
            Monitoring alerts of production checks: acknowledge, assign, triage into a finding or an incident,
            silence, follow the evidence.
          </p>
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
                  <AlertRow
                    key={a.id}
                    a={a}
                    onSilence={(x) => {
                      setDraft({ deploymentId: x.deploymentId, check: x.check });
                      document.getElementById('silences-h')?.scrollIntoView();
                    }}
                  />
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
      <SilencesPanel draft={draft} onDraft={setDraft} />
    </>
  );
}
