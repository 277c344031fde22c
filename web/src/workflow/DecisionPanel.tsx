import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { NewDecision, ReviewDetail } from '../app/api-workflow.ts';
import { gateKeys, metricsKeys, reviewKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { Time } from '../components/Time.tsx';
import { plainRefusal } from './refusal.ts';

type Notice = (n: { tone: 'ok' | 'bad'; text: string } | null) => void;

/** A refusal already put in plain words. */
class AlreadyPlain extends Error {}

const OUTCOMES: { id: NewDecision['outcome']; label: string }[] = [
  { id: 'approve', label: 'Approve' },
  { id: 'approve_with_conditions', label: 'Approve with conditions' },
  { id: 'hold', label: 'Hold' },
  { id: 'reject', label: 'Reject' },
];

/** Signed decisions with their conditions, and the form an approver signs with. */
export function DecisionPanel({ review, onNotice }: { review: ReviewDetail; onNotice: Notice }) {
  const { client, can, me } = useSession();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<NewDecision['outcome']>('approve');
  const [rationale, setRationale] = useState('');
  const [conditions, setConditions] = useState('');
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: reviewKeys.detail(review.id) });
    void queryClient.invalidateQueries({ queryKey: gateKeys.all });
    void queryClient.invalidateQueries({ queryKey: metricsKeys.all });
  };
  // Proposes the decision; a user whose role signs decisions also signs it at once.
  const sign = useMutation({
    mutationFn: async (d: NewDecision) => {
      const proposed = (await client.signDecision(review.id, d)) as { id: string };
      if (!can.signDecision) return null;
      try {
        return (await client.countersign(proposed.id)) as { state: string };
      } catch (err) {
        throw new AlreadyPlain(`${plainRefusal(err)} The decision stays proposed for someone else to sign.`);
      }
    },
    onSuccess: (signed) => {
      onNotice({
        tone: 'ok',
        text:
          signed === null
            ? 'Decision proposed; someone in a sign-off role must sign it.'
            : signed.state === 'final'
              ? 'Decision signed; it is final.'
              : 'Decision signed; more signatures are needed.',
      });
      setRationale('');
      setConditions('');
      refresh();
    },
    onError: (err) => {
      onNotice({ tone: 'bad', text: err instanceof AlreadyPlain ? err.message : plainRefusal(err) });
      refresh();
    },
  });
  const countersign = useMutation({
    mutationFn: (id: string) => client.countersign(id),
    onSuccess: () => {
      onNotice({ tone: 'ok', text: 'Signed.' });
      refresh();
    },
    onError: (err) => onNotice({ tone: 'bad', text: plainRefusal(err) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = conditions
      .split('\n')
      .map((c) => c.trim())
      .filter(Boolean)
      // Conditions are owned by the signer and due in 90 days unless the API is asked otherwise.
      .map((text) => ({
        text,
        owner: me.username,
        dueAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      }));
    sign.mutate({ outcome, rationale, conditions: outcome === 'approve_with_conditions' ? list : [] });
  };
  return (
    <section className="panel" aria-labelledby="dec-h">
      <h2 id="dec-h">Decision</h2>
      {review.decisions.length === 0 ? <p className="muted">No decision signed yet.</p> : null}
      {review.decisions.map((d) => (
        <div key={d.id} style={{ marginBottom: 10 }}>
          <strong>{d.outcome.replaceAll('_', ' ')}</strong> <span className="badge">{d.state}</span> signed by{' '}
          {d.signedBy}, <Time value={d.signedAt} />
          {d.signOff ? <div className="small muted">Sign-off: {d.signOff}</div> : null}
          {d.state === 'pending' && can.signDecision ? (
            <button type="button" disabled={countersign.isPending} onClick={() => countersign.mutate(d.id)}>
              Sign this decision
            </button>
          ) : null}
          {d.rationale ? <div className="small">{d.rationale}</div> : null}
          {d.conditions.length ? (
            <ul className="small" style={{ paddingLeft: 18 }}>
              {d.conditions.map((c) => (
                <li key={c.text}>
                  {c.text}
                  {c.dueAt ? (
                    <>
                      {' '}
                      (due <Time value={c.dueAt} withTime={false} />)
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      {can.decide && review.state !== 'decision_pending' && review.state !== 'closed' ? (
        <p className="small muted">A decision can be proposed once validation requests one.</p>
      ) : null}
      {can.decide &&
      review.state === 'decision_pending' &&
      !review.decisions.some((d) => d.state === 'pending') ? (
        <form className="stack" onSubmit={submit} aria-label="Sign a decision">
          <fieldset>
            <legend>Outcome</legend>
            {OUTCOMES.map((o) => (
              <label key={o.id} className="check" style={{ marginRight: 12 }}>
                <input
                  type="radio"
                  name="outcome"
                  value={o.id}
                  checked={outcome === o.id}
                  onChange={() => setOutcome(o.id)}
                />
                {o.label}
              </label>
            ))}
          </fieldset>
          {outcome === 'approve_with_conditions' ? (
            <label className="field">
              Conditions <span className="hint">one per line</span>
              <textarea value={conditions} onChange={(e) => setConditions(e.target.value)} required />
            </label>
          ) : null}
          <label className="field">
            Rationale
            <textarea value={rationale} onChange={(e) => setRationale(e.target.value)} required />
          </label>
          <div>
            <button type="submit" className="primary" disabled={sign.isPending}>
              {can.signDecision ? 'Sign decision' : 'Propose decision'}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
