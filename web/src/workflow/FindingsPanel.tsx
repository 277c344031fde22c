import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import type { NewFinding, ReviewDetail } from '../app/api-workflow.ts';
import { modelKeys, reviewKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { plainRefusal } from './refusal.ts';
import { isReviewOpen } from './review-open.ts';

/** The default policy's finding taxonomy (the server refuses categories its policy does not list). */
const CATEGORIES = [
  'documentation',
  'data_quality',
  'performance',
  'fairness',
  'robustness',
  'explainability',
  'monitoring',
  'security',
  'privacy',
  'compliance',
  'operational',
];

type Notice = (n: { tone: 'ok' | 'bad'; text: string } | null) => void;

/** The review's findings, the engine's suggestions to adopt, and a form to log a new one. */
export function FindingsPanel({ review, onNotice }: { review: ReviewDetail; onNotice: Notice }) {
  const { client, can } = useSession();
  const queryClient = useQueryClient();
  // A finding's owner remediates it: the model's owner by default (a person, never the actor that
  // opened the review: the scheduler opens periodic reviews as `system`), or nobody when it has none.
  const model = useQuery({
    queryKey: modelKeys.detailAsOf(review.modelKey, null),
    queryFn: () => client.getModel(review.modelKey),
  });
  const defaultOwner = model.data?.owner ?? '';
  const empty: NewFinding = {
    title: '',
    severity: 'medium',
    description: '',
    category: 'performance',
    owner: defaultOwner,
  };
  const [draft, setDraft] = useState<NewFinding>(empty);
  useEffect(() => {
    if (defaultOwner) setDraft((d) => (d.owner === '' ? { ...d, owner: defaultOwner } : d));
  }, [defaultOwner]);
  const open = isReviewOpen(review.state);
  const log = useMutation({
    mutationFn: (f: NewFinding) => client.logFinding(review, f),
    onSuccess: (_, f) => {
      onNotice({ tone: 'ok', text: `Finding “${f.title}” logged.` });
      setDraft(empty);
      void queryClient.invalidateQueries({ queryKey: reviewKeys.detail(review.id) });
    },
    onError: (err) => onNotice({ tone: 'bad', text: plainRefusal(err) }),
  });
  const adopted = new Set(review.findings.map((f) => f.title));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    log.mutate(draft);
  };
  return (
    <section className="panel" aria-labelledby="rf-h">
      <h2 id="rf-h">Findings</h2>
      {review.findings.length === 0 ? <p className="muted">None logged.</p> : null}
      <ul style={{ paddingLeft: 18 }}>
        {review.findings.map((f) => (
          <li key={f.id}>
            <span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}{' '}
            <span className="muted small">({f.state.replaceAll('_', ' ')})</span>
          </li>
        ))}
      </ul>
      {review.suggestedFindings.filter((s) => !adopted.has(s.title)).length ? (
        <>
          <h3>Suggested by the validation evidence</h3>
          <ul style={{ paddingLeft: 18 }}>
            {review.suggestedFindings
              .filter((s) => !adopted.has(s.title))
              .map((s) => (
                <li key={s.id} style={{ marginBottom: 6 }}>
                  <span className={`sev sev-${s.severity}`}>{s.severity}</span> {s.title}
                  <div className="small muted">{s.rationale}</div>
                  {can.validate && open ? (
                    <button
                      type="button"
                      disabled={log.isPending}
                      onClick={() =>
                        log.mutate({
                          ...empty,
                          title: s.title,
                          severity: s.severity,
                          category: s.category ?? empty.category,
                          description: s.rationale,
                          suggestionId: s.id,
                          ...(s.evidenceId ? { evidenceId: s.evidenceId } : {}),
                        })
                      }
                    >
                      Adopt
                    </button>
                  ) : null}
                </li>
              ))}
          </ul>
        </>
      ) : null}
      {can.validate && open ? (
        <form className="stack" onSubmit={submit} aria-label="Log a finding">
          <h3>Log a finding</h3>
          <label className="field">
            Title
            <input
              value={draft.title}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              required
            />
          </label>
          <label className="field">
            Severity
            <select value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: e.target.value })}>
              {['critical', 'high', 'medium', 'low'].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label className="field">
            Category
            <select value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })}>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {c.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Owner <span className="hint">who remediates it (username)</span>
            <input
              value={draft.owner}
              onChange={(e) => setDraft({ ...draft, owner: e.target.value })}
              required
            />
          </label>
          <label className="field">
            Description
            <textarea
              value={draft.description}
              onChange={(e) => setDraft({ ...draft, description: e.target.value })}
            />
          </label>
          <div>
            <button type="submit" className="primary" disabled={log.isPending}>
              Log finding
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
