import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { modelKeys } from '../app/query-keys.ts';
import { useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, ErrorState, Loading } from '../components/DataState.tsx';
import { Time, userTimeZone } from '../components/Time.tsx';

/** `datetime-local` value (user's zone) → ISO instant. */
function localToIso(local: string): string | null {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** ISO instant → `datetime-local` value in the user's zone. */
function isoToLocal(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Which fields an event changed, from its before/after snapshots. */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return [];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter(
    (k) => k !== 'rowVersion' && k !== 'updatedAt' && JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
}

/** The model's audit trail, newest first, with an "as of" picker that reloads the page as it was then. */
export function ModelHistory({ modelKey, asOf }: { modelKey: string; asOf: string | undefined }) {
  const { client } = useSession();
  const update = useQueryUpdater();
  const [when, setWhen] = useState(asOf ? isoToLocal(asOf) : '');
  const events = useInfiniteQuery({
    queryKey: modelKeys.history(modelKey),
    queryFn: ({ pageParam }) => client.modelHistory(modelKey, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const iso = localToIso(when);
    if (iso) update({ asOf: iso, tab: null });
  };
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="stack">
      <form className="panel row" onSubmit={submit} aria-label="Show the model as of a date">
        <label className="field">
          Show this model as it was at
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required />
          <span className="hint">in your time zone ({userTimeZone})</span>
        </label>
        <button type="submit" className="primary">
          Show as of
        </button>
      </form>
      <section className="panel" aria-labelledby="trail-h">
        <h2 id="trail-h">Audit trail</h2>
        {events.isPending ? (
          <Loading what="Loading the history" />
        ) : events.error ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        ) : rows.length === 0 ? (
          <Empty title="No recorded changes." />
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Changed</th>
                <th scope="col">
                  <span className="sr-only">View</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Time value={e.at} />
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                    {e.entityType !== 'model' ? <span className="muted small"> ({e.entityType})</span> : null}
                  </td>
                  <td className="small">{changedFields(e.before, e.after).join(', ') || '—'}</td>
                  <td>
                    <button type="button" className="link" onClick={() => update({ asOf: e.at, tab: null })}>
                      View as of then
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {events.hasNextPage ? (
          <button
            type="button"
            onClick={() => void events.fetchNextPage()}
            disabled={events.isFetchingNextPage}
          >
            Load older events
          </button>
        ) : null}
      </section>
    </div>
  );
}
