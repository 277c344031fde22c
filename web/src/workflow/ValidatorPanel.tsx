import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ReviewDetail } from '../app/api-workflow.ts';
import { reviewKeys, userKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { plainRefusal } from './refusal.ts';

type Notice = (n: { tone: 'ok' | 'bad'; text: string } | null) => void;

const FINISHED = new Set(['closed', 'withdrawn']);

/**
 * Who validates the review. Governance assigns a user with the validator role; the server refuses
 * anyone who owns, builds or submitted the version (explained in plain words).
 */
export function ValidatorPanel({ review, onNotice }: { review: ReviewDetail; onNotice: Notice }) {
  const { client, can } = useSession();
  const queryClient = useQueryClient();
  const offer = can.assignValidator && !FINISHED.has(review.state);
  const users = useQuery({
    queryKey: userKeys.all,
    queryFn: () => client.listUsers(),
    enabled: offer,
  });
  const [picked, setPicked] = useState('');
  const assign = useMutation({
    mutationFn: (validator: string) => client.assignValidator(review.id, validator, review.rowVersion),
    onSuccess: (_, v) => {
      onNotice({ tone: 'ok', text: `${v} validates this review.` });
      void queryClient.invalidateQueries({ queryKey: reviewKeys.detail(review.id) });
    },
    onError: (err) => onNotice({ tone: 'bad', text: plainRefusal(err) }),
  });
  const validators = (users.data ?? []).filter((u) => u.role === 'validator' && !u.disabled);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (picked) assign.mutate(picked);
  };
  return (
    <section className="panel" aria-labelledby="val-h">
      <h2 id="val-h">Validator</h2>
      <p style={{ margin: '0 0 8px' }}>
        {review.validator ? (
          <>
            <strong>{review.validator}</strong> validates this review.
          </>
        ) : (
          <span className="muted">No validator assigned yet; validation cannot start without one.</span>
        )}
      </p>
      {offer ? (
        <form className="row" onSubmit={submit} aria-label="Assign a validator">
          <label className="field">
            Validator
            <select value={picked} onChange={(e) => setPicked(e.target.value)} required>
              <option value="">
                {users.isPending ? 'loading…' : validators.length ? 'choose…' : 'no validators'}
              </option>
              {validators.map((u) => (
                <option key={u.id} value={u.username}>
                  {u.displayName ? `${u.displayName} (${u.username})` : u.username}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={assign.isPending || !picked} style={{ alignSelf: 'flex-end' }}>
            Assign validator
          </button>
        </form>
      ) : null}
    </section>
  );
}
