import { useQuery } from '@tanstack/react-query';
import { reviewKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

/** All reviews, newest first, filterable by state. */
export function ReviewsPage() {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const state = query.get('state') ?? '';
  const model = query.get('model') ?? '';
  const reviews = useQuery({
    queryKey: reviewKeys.list({ state, model }),
    queryFn: () => client.listReviews({ state: state || undefined, model: model || undefined }),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Reviews</h1>
          <p>Initial, change, periodic and incident reviews, from intake to signed decision.</p>
        </div>
      </div>
      <div className="toolbar">
        <label className="field">
          State
          <input defaultValue={state} onBlur={(e) => update({ state: e.target.value })} placeholder="any" />
        </label>
      </div>
      <QueryView query={reviews} what="Loading reviews">
        {(rows) =>
          rows.length === 0 ? (
            <Empty title="No reviews yet." />
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Review</th>
                  <th scope="col">Model</th>
                  <th scope="col">Kind</th>
                  <th scope="col">State</th>
                  <th scope="col">Opened</th>
                  <th scope="col">Due</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/reviews/${encodeURIComponent(r.id)}`}>Open review</Link>
                    </td>
                    <td>
                      <Link to={`/models/${encodeURIComponent(r.modelKey)}`}>{r.modelKey}</Link>
                      {r.versionLabel ? <span className="muted"> {r.versionLabel}</span> : null}
                    </td>
                    <td>{r.kind}</td>
                    <td>
                      <span className="badge">{r.state.replaceAll('_', ' ')}</span>
                    </td>
                    <td>
                      <Time value={r.openedAt} />
                    </td>
                    <td>
                      <Time value={r.dueAt} withTime={false} />
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
