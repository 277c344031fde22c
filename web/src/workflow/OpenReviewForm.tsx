import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { plainRefusal } from './refusal.ts';

/** Opens a review of one version (initial, change, periodic or incident) at a gate. */
export function OpenReviewForm({ modelKey, label }: { modelKey: string; label: string }) {
  const { client, can } = useSession();
  const [type, setType] = useState<'initial' | 'change' | 'periodic' | 'incident'>('initial');
  const [gate, setGate] = useState<'validation' | 'production'>('validation');
  const [error, setError] = useState<string | null>(null);
  const open = useMutation({
    mutationFn: () => client.openReview(modelKey, label, type, gate),
    onSuccess: (r) => navigate(`/reviews/${encodeURIComponent(r.id)}`),
    onError: (err) => setError(plainRefusal(err)),
  });
  if (!can.submitReview) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    open.mutate();
  };
  return (
    <form
      className="toolbar"
      onSubmit={submit}
      aria-label={`Open a review of ${label}`}
      style={{ marginTop: 12 }}
    >
      <label className="field">
        Review type
        <select value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          <option value="initial">initial</option>
          <option value="change">change</option>
          <option value="periodic">periodic</option>
          <option value="incident">incident</option>
        </select>
      </label>
      <label className="field">
        Gate
        <select value={gate} onChange={(e) => setGate(e.target.value as typeof gate)}>
          <option value="validation">validation</option>
          <option value="production">production</option>
        </select>
      </label>
      <button type="submit" className="primary" disabled={open.isPending}>
        Open review of {label}
      </button>
      {error ? (
        <div className="notice bad" role="alert" style={{ flexBasis: '100%' }}>
          {error}
        </div>
      ) : null}
    </form>
  );
}
