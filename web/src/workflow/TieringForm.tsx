import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Tiering } from '../../../src/contracts/policy.ts';
import { modelKeys, policyKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { QueryView } from '../components/DataState.tsx';
import { plainRefusal } from './refusal.ts';

/** The policy's tiering questionnaire for one version; the server computes the tier and its rationale. */
export function TieringForm({ modelKey, label }: { modelKey: string; label: string }) {
  const { client, can } = useSession();
  const queryClient = useQueryClient();
  const questions = useQuery({
    queryKey: policyKeys.tieringQuestions(),
    queryFn: () => client.tieringQuestions(),
  });
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Tiering | null>(null);
  const [error, setError] = useState<string | null>(null);
  const assess = useMutation({
    mutationFn: () => client.assessTier(modelKey, label, answers),
    onSuccess: (t) => {
      setResult(t);
      setError(null);
      void queryClient.invalidateQueries({ queryKey: modelKeys.detail(modelKey) });
    },
    onError: (err) => setError(plainRefusal(err)),
  });
  if (!can.submitReview) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    assess.mutate();
  };
  return (
    <section className="panel" aria-labelledby="tiering-h">
      <h2 id="tiering-h">Tiering questionnaire</h2>
      <QueryView query={questions} what="Loading the questionnaire">
        {(qs) => (
          <form className="stack" onSubmit={submit} aria-label="Tiering questionnaire">
            {qs.map((q) => (
              <fieldset key={q.id}>
                <legend>{q.text}</legend>
                {q.help ? (
                  <p className="small muted" style={{ margin: '0 0 4px' }}>
                    {q.help}
                  </p>
                ) : null}
                {q.answers.map((a) => (
                  <div key={a.id}>
                    <label className="check">
                      <input
                        type="radio"
                        name={q.id}
                        value={a.id}
                        checked={answers[q.id] === a.id}
                        onChange={() => setAnswers({ ...answers, [q.id]: a.id })}
                        required
                      />
                      {a.label}
                    </label>
                  </div>
                ))}
              </fieldset>
            ))}
            <div>
              <button type="submit" className="primary" disabled={assess.isPending}>
                Compute the tier
              </button>
            </div>
            {error ? (
              <div className="notice bad" role="alert">
                {error}
              </div>
            ) : null}
            {result ? (
              <div className="notice" role="status">
                <strong>Tier {result.computedTier}</strong> (score {result.score} of {result.maxScore}).{' '}
                {result.summary} EU AI Act: {result.euAiAct.class.replaceAll('_', ' ')}.
                {result.status === 'pending'
                  ? ' This re-tiering lowers the tier or class of a frozen or approved version: it takes effect when a second governance person approves it.'
                  : null}
              </div>
            ) : null}
          </form>
        )}
      </QueryView>
    </section>
  );
}
