import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { auditKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { Empty, ErrorState, errorMessage, Loading } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { changedFields } from '../model/ModelHistory.tsx';

/** The whole audit trail, filterable, with an on-demand verification of the hash chain. */
export function AuditTrail() {
  const { client } = useSession();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState('');
  const filters = {
    actor: actor.trim() || undefined,
    action: action.trim() || undefined,
    entityType: entityType.trim() || undefined,
  };
  const events = useInfiniteQuery({
    queryKey: auditKeys.events(filters),
    queryFn: ({ pageParam }) => client.auditEvents({ ...filters, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const verify = useMutation({ mutationFn: () => client.verifyAudit() });
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="stack">
      <section className="panel row" aria-label="Verify the audit chain">
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
          Verify the hash chain
        </button>
        <span role="status">
          {verify.isPending ? 'Verifying…' : null}
          {verify.data ? (
            verify.data.ok ? (
              <span className="badge ok">
                intact: {verify.data.checked.toLocaleString()} events checked in{' '}
                {Math.round(verify.data.elapsedMs)} ms
              </span>
            ) : (
              <span className="badge bad">
                broken at event {verify.data.firstBreak?.seq}: {verify.data.firstBreak?.message}
              </span>
            )
          ) : null}
          {verify.error ? <span className="sev-critical">{errorMessage(verify.error)}</span> : null}
        </span>
      </section>
      <div className="toolbar">
        <label className="field">
          Actor
          <input value={actor} onChange={(e) => setActor(e.target.value)} placeholder="username" />
        </label>
        <label className="field">
          Action <span className="hint">e.g. model.* or token.revoked</span>
          <input value={action} onChange={(e) => setAction(e.target.value)} />
        </label>
        <label className="field">
          Entity type
          <input
            value={entityType}
            onChange={(e) => setEntityType(e.target.value)}
            placeholder="model, user, token…"
          />
        </label>
      </div>
      {events.isPending ? (
        <Loading what="Loading the audit trail" />
      ) : events.error ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : rows.length === 0 ? (
        <Empty title="No events match." />
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Entity</th>
              <th scope="col">Changed</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td className="mono">{e.seq}</td>
                <td>
                  <Time value={e.at} />
                </td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="small">
                  {e.entityType}{' '}
                  <span className="mono muted" title={e.entityId}>
                    …{e.entityId.slice(-8)}
                  </span>
                </td>
                <td className="small">{changedFields(e.before, e.after).join(', ') || '—'}</td>
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
    </div>
  );
}
