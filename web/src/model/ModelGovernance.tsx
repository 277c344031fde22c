import { useQuery } from '@tanstack/react-query';
import { findingKeys, reviewKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { isOverdue } from '../pages/FindingsPage.tsx';

/** The model's reviews and findings, with links to the workspace and the board. */
export function ModelGovernance({ modelKey }: { modelKey: string }) {
  const { client } = useSession();
  const reviews = useQuery({
    queryKey: reviewKeys.list({ model: modelKey }),
    queryFn: () => client.listReviews({ model: modelKey }),
  });
  const findings = useQuery({
    queryKey: findingKeys.list({ model: modelKey }),
    queryFn: () => client.listFindings({ model: modelKey }),
  });
  return (
    <div className="grid grid-2">
      <section className="panel" aria-labelledby="mg-reviews">
        <h2 id="mg-reviews">Reviews</h2>
        <QueryView query={reviews} what="Loading reviews">
          {(rows) =>
            rows.length === 0 ? (
              <Empty title="No reviews yet." />
            ) : (
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">Version</th>
                    <th scope="col">State</th>
                    <th scope="col">Opened</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <Link to={`/reviews/${encodeURIComponent(r.id)}`}>{r.kind}</Link>
                      </td>
                      <td>{r.versionLabel ?? '—'}</td>
                      <td>{r.state.replaceAll('_', ' ')}</td>
                      <td>
                        <Time value={r.openedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryView>
      </section>
      <section className="panel" aria-labelledby="mg-findings">
        <h2 id="mg-findings">Findings</h2>
        <QueryView query={findings} what="Loading findings">
          {(rows) =>
            rows.length === 0 ? (
              <Empty title="No findings." />
            ) : (
              <ul style={{ paddingLeft: 18, margin: 0 }}>
                {rows.map((f) => (
                  <li key={f.id} style={{ marginBottom: 6 }}>
                    <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}{' '}
                    <span className="small muted">
                      {f.state.replaceAll('_', ' ')}
                      {f.dueAt ? (
                        <>
                          {' '}
                          · due <Time value={f.dueAt} withTime={false} />
                        </>
                      ) : null}
                    </span>
                    {isOverdue(f) ? (
                      <span className="badge bad" style={{ marginLeft: 6 }}>
                        overdue
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </section>
    </div>
  );
}
