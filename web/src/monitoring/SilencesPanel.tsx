import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import type { SilenceCreate } from '../../../src/contracts/alerts.ts';
import { monitoringKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { Empty, MutationError, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

/** What a new silence starts from: the matchers of the alert it was asked for (or none). */
export interface SilenceDraft {
  deploymentId?: string;
  modelKey?: string;
  check?: string;
  severity?: 'warning' | 'critical';
}

const DURATIONS = [
  { hours: 1, label: '1 hour' },
  { hours: 4, label: '4 hours' },
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
] as const;
const KINDS = ['drift', 'data_quality', 'volume', 'performance', 'estimated_performance'] as const;

function SilenceForm({ draft, onDone }: { draft: SilenceDraft; onDone: () => void }) {
  const { client } = useSession();
  const qc = useQueryClient();
  const [m, setM] = useState<Record<string, string>>({ ...draft });
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState(4);
  useEffect(() => setM({ ...draft }), [draft]);
  const create = useMutation({
    mutationFn: () => {
      const matchers = Object.fromEntries(Object.entries(m).filter(([, v]) => v.trim() !== ''));
      const input: SilenceCreate = {
        matchers: matchers as SilenceCreate['matchers'],
        reason: reason.trim(),
        endsAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
      };
      return client.alerts.silences.create(input);
    },
    onSuccess: () => {
      setReason('');
      void qc.invalidateQueries({ queryKey: monitoringKeys.all });
      onDone();
    },
  });
  const field = (key: string, label: string) => (
    <label className="field">
      {label}
      <input value={m[key] ?? ''} onChange={(e) => setM({ ...m, [key]: e.target.value })} maxLength={200} />
    </label>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const anyMatcher = Object.values(m).some((v) => v.trim() !== '');
  return (
    <form className="stack" onSubmit={submit} aria-label="New silence">
      <p className="small muted" style={{ margin: 0 }}>
        A silence holds the notifications of the alerts it matches (they still show here) until it expires.
        Fill at least one matcher.
      </p>
      <div className="grid">
        {field('deploymentId', 'Deployment id')}
        {field('modelKey', 'Model key')}
        {field('check', 'Check')}
        <label className="field">
          Kind
          <select value={m.kind ?? ''} onChange={(e) => setM({ ...m, kind: e.target.value })}>
            <option value="">any</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Severity
          <select value={m.severity ?? ''} onChange={(e) => setM({ ...m, severity: e.target.value })}>
            <option value="">any</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </label>
        <label className="field">
          Expires after
          <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {DURATIONS.map((d) => (
              <option key={d.hours} value={d.hours}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        Reason (why these alerts may stay quiet)
        <textarea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          minLength={10}
          maxLength={2000}
          required
        />
        <span className="hint">At least 10 characters; it is kept in the audit trail.</span>
      </label>
      <div className="row">
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || !anyMatcher || reason.trim().length < 10}
        >
          Create silence
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <MutationError error={create.error} />
    </form>
  );
}

/** The silences in force (and recently ended), a form for a new one, and expiring one early. */
export function SilencesPanel({
  draft,
  onDraft,
}: {
  draft: SilenceDraft | null;
  onDraft: (d: SilenceDraft | null) => void;
}) {
  const { client, can } = useSession();
  const qc = useQueryClient();
  const silences = useQuery({
    queryKey: monitoringKeys.silences(),
    queryFn: () => client.alerts.silences.list(),
  });
  const expire = useMutation({
    mutationFn: (id: string) => client.alerts.silences.expire(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: monitoringKeys.all }),
  });
  return (
    <section className="panel" aria-labelledby="silences-h">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="silences-h">Silences</h2>
        {can.silenceAlerts && draft === null ? (
          <button type="button" onClick={() => onDraft({})}>
            New silence
          </button>
        ) : null}
      </div>
      {draft !== null ? <SilenceForm draft={draft} onDone={() => onDraft(null)} /> : null}
      <QueryView query={silences} what="Loading silences">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No silences." />
          ) : (
            <table className="data" aria-label="Silences">
              <thead>
                <tr>
                  {['Matches', 'Reason', 'Until', 'By', ''].map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.items.map((s) => (
                  <tr key={s.id} data-silence={s.id} data-active={s.active}>
                    <td className="small">
                      {Object.entries(s.matchers)
                        .map(([k, v]) => `${k}=${v}`)
                        .join(', ')}
                    </td>
                    <td>{s.reason}</td>
                    <td>
                      {s.endedAt ? (
                        <>
                          ended <Time value={s.endedAt} />
                        </>
                      ) : (
                        <Time value={s.endsAt} />
                      )}
                      {s.active ? (
                        <span className="badge ok"> in force</span>
                      ) : (
                        <span className="badge">expired</span>
                      )}
                    </td>
                    <td>{s.createdBy}</td>
                    <td>
                      {can.silenceAlerts && s.active ? (
                        <button type="button" onClick={() => expire.mutate(s.id)} disabled={expire.isPending}>
                          Expire now
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
      <MutationError error={expire.error} />
    </section>
  );
}
