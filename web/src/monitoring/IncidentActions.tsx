import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Incident, SeriousCategory } from '../../../src/contracts/incidents.ts';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { MutationError } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

const CATEGORIES: { id: SeriousCategory; label: string }[] = [
  { id: 'general', label: 'serious incident (general)' },
  { id: 'death', label: 'death of a person' },
  { id: 'widespread_infringement', label: 'widespread infringement' },
  { id: 'critical_infrastructure', label: 'serious disruption of critical infrastructure' },
];
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

function useIncidentMutation<T>(fn: (input: T) => Promise<unknown>, after?: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: monitoringKeys.all });
      after?.();
    },
  });
}

/**
 * The EU AI Act serious-incident flag: flagging it sets the Art. 73 reporting due date (from the
 * detection time, by category); the report to the market surveillance authority is then recorded.
 */
export function SeriousIncidentPanel({ i }: { i: Incident }) {
  const { client, can } = useSession();
  const [category, setCategory] = useState<SeriousCategory>(i.seriousCategory ?? 'general');
  const [note, setNote] = useState('');
  const [reference, setReference] = useState('');
  const flag = useIncidentMutation((serious: boolean) =>
    client.incidents.setSerious(i.id, {
      serious,
      ...(serious ? { category } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    }),
  );
  const reported = useIncidentMutation(() =>
    client.incidents.reported(i.id, { reference: reference.trim() }),
  );
  return (
    <section className="panel" aria-labelledby="inc-serious-h">
      <h2 id="inc-serious-h">EU AI Act serious incident (Art. 73)</h2>
      {i.serious ? (
        <p data-testid="serious-status">
          Flagged: <strong>{i.seriousCategory?.replace('_', ' ')}</strong>. Report due{' '}
          <strong>
            <Time value={i.reportingDueAt} />
          </strong>{' '}
          ({i.reportingRule}).{' '}
          {i.reportedAt ? (
            <span className="badge ok">
              reported <Time value={i.reportedAt} />
            </span>
          ) : i.reportingOverdue ? (
            <span className="badge bad">report overdue</span>
          ) : (
            <span className="badge warn">not reported yet</span>
          )}
        </p>
      ) : (
        <p className="muted" data-testid="serious-status">
          Not flagged. Flag it when the AI system's malfunction led, or may have led, to a serious incident:
          the reporting deadline then runs from the detection time.
        </p>
      )}
      {can.manageIncidents ? (
        <div className="stack">
          <form
            className="row"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              flag.mutate(true);
            }}
          >
            <label className="field">
              Category
              <select value={category} onChange={(e) => setCategory(e.target.value as SeriousCategory)}>
                {CATEGORIES.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Reason for the flag (optional)
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={5000} />
            </label>
            <button type="submit" disabled={flag.isPending}>
              {i.serious ? 'Change category' : 'Flag as serious incident'}
            </button>
            {i.serious && !i.reportedAt ? (
              <button type="button" onClick={() => flag.mutate(false)} disabled={flag.isPending}>
                Clear the flag
              </button>
            ) : null}
          </form>
          <MutationError error={flag.error} />
          {i.serious && !i.reportedAt ? (
            <form
              className="row"
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                if (reference.trim()) reported.mutate(undefined);
              }}
            >
              <label className="field">
                Authority's reference of the report
                <input
                  value={reference}
                  onChange={(e) => setReference(e.target.value)}
                  required
                  maxLength={500}
                />
              </label>
              <button type="submit" disabled={reported.isPending || !reference.trim()}>
                Record the report
              </button>
            </form>
          ) : null}
          <MutationError error={reported.error} />
        </div>
      ) : null}
    </section>
  );
}

/** Post-incident corrective actions: each raised as a finding of an affected model version. */
export function CorrectiveActionsPanel({ i }: { i: Incident }) {
  const { client, can, me } = useSession();
  const [deployment, setDeployment] = useState(i.deployments[0]?.id ?? '');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('medium');
  const [owner, setOwner] = useState(me.username);
  const add = useIncidentMutation(
    () => {
      const d = i.deployments.find((x) => x.id === deployment);
      if (!d) throw new Error('choose an affected deployment');
      return client.incidents.addAction(i.id, {
        modelKey: d.modelKey,
        versionLabel: d.versionLabel,
        title: title.trim(),
        description: description.trim(),
        category: 'monitoring',
        severity,
        owner: owner.trim(),
      });
    },
    () => {
      setTitle('');
      setDescription('');
    },
  );
  const models = [...new Set(i.deployments.map((d) => d.modelKey))];
  return (
    <section className="panel" aria-labelledby="inc-actions-h">
      <h2 id="inc-actions-h">Corrective actions</h2>
      <p className="small" data-testid="corrective-actions">
        {i.correctiveActions.length} corrective action(s), tracked as findings
        {models.map((k) => (
          <span key={k}>
            {' · '}
            <Link to={`/findings?model=${encodeURIComponent(k)}`}>findings of {k}</Link>
          </span>
        ))}
      </p>
      {can.manageIncidents && i.deployments.length > 0 ? (
        <form
          className="stack"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate(undefined);
          }}
        >
          <div className="grid">
            <label className="field">
              Model version
              <select value={deployment} onChange={(e) => setDeployment(e.target.value)}>
                {i.deployments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.modelKey} {d.versionLabel} · {d.environment}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Severity
              <select value={severity} onChange={(e) => setSeverity(e.target.value as typeof severity)}>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Owner
              <input value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={100} />
            </label>
          </div>
          <label className="field">
            Action
            <input
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              minLength={3}
              maxLength={300}
            />
          </label>
          <label className="field">
            What is to be done
            <textarea
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              required
              maxLength={10_000}
            />
          </label>
          <div>
            <button
              type="submit"
              disabled={add.isPending || title.trim().length < 3 || !description.trim() || !owner.trim()}
            >
              Add corrective action
            </button>
          </div>
          <MutationError error={add.error} />
        </form>
      ) : null}
    </section>
  );
}
