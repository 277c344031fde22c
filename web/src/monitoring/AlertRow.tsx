import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Alert, AlertTriage } from '../../../src/contracts/alerts.ts';
import { monitoringKeys } from '../app/query-keys.ts';
import { Link, navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { MutationError } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';
import { windowRoute } from './series-view.ts';

const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

function threshold(a: Alert): string {
  const t = a.severity === 'critical' ? a.critical : a.warning;
  return `${a.value ?? 'n/a'} (${a.direction === 'above' ? '>' : '<'} ${t ?? 'n/a'})`;
}

/** The triage form: into a finding (owner, severity, title) or an incident (new or an open one). */
function TriageForm({ a, onDone }: { a: Alert; onDone: () => void }) {
  const { client, me } = useSession();
  const qc = useQueryClient();
  const [to, setTo] = useState<'finding' | 'incident'>('incident');
  const [owner, setOwner] = useState(me.username);
  const [severity, setSeverity] = useState<string>('');
  const [title, setTitle] = useState('');
  const [incidentId, setIncidentId] = useState('');
  const open = useQuery({
    queryKey: [...monitoringKeys.incidents(), 'open'],
    queryFn: async () =>
      (await client.incidents.list({ limit: 200 })).items.filter((i) => i.state !== 'resolved'),
    enabled: to === 'incident',
  });
  const triage = useMutation({
    mutationFn: () => {
      const common = {
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(severity ? { severity: severity as (typeof FINDING_SEVERITIES)[number] } : {}),
      };
      const input: AlertTriage =
        to === 'finding'
          ? { to, owner: owner.trim(), ...common }
          : { to, ...common, ...(incidentId ? { incidentId } : {}) };
      return client.alerts.triage(a.id, input);
    },
    onSuccess: (x) => {
      void qc.invalidateQueries({ queryKey: monitoringKeys.all });
      onDone();
      if (x.triage === 'incident' && x.triageRef) navigate(`/incidents/${encodeURIComponent(x.triageRef)}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    triage.mutate();
  };
  return (
    <form className="stack inline-form" onSubmit={submit} aria-label={`Triage alert ${a.check}`}>
      <fieldset className="row">
        <legend className="small">Triage into</legend>
        <label>
          <input
            type="radio"
            name={`to-${a.id}`}
            checked={to === 'incident'}
            onChange={() => setTo('incident')}
          />{' '}
          an incident
        </label>
        <label>
          <input
            type="radio"
            name={`to-${a.id}`}
            checked={to === 'finding'}
            onChange={() => setTo('finding')}
          />{' '}
          a finding
        </label>
      </fieldset>
      {to === 'finding' ? (
        <label className="field">
          Finding owner
          <input value={owner} onChange={(e) => setOwner(e.target.value)} required maxLength={100} />
        </label>
      ) : (
        <label className="field">
          Incident
          <select value={incidentId} onChange={(e) => setIncidentId(e.target.value)}>
            <option value="">open a new incident</option>
            {(open.data ?? []).map((i) => (
              <option key={i.id} value={i.id}>
                attach to: {i.title}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
          <option value="">from the alert ({a.severity})</option>
          {FINDING_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Title (optional)
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} />
      </label>
      <div className="row">
        <button
          type="submit"
          className="primary"
          disabled={triage.isPending || (to === 'finding' && !owner.trim())}
        >
          {to === 'finding' ? 'Raise finding' : incidentId ? 'Attach to incident' : 'Open incident'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <MutationError error={triage.error} />
    </form>
  );
}

/** One alert of the inbox with what the caller may do about it. */
export function AlertRow({ a, onSilence }: { a: Alert; onSilence: (a: Alert) => void }) {
  const { client, can } = useSession();
  const qc = useQueryClient();
  const done = () => void qc.invalidateQueries({ queryKey: monitoringKeys.all });
  const [form, setForm] = useState<'none' | 'assign' | 'triage'>('none');
  const [assignee, setAssignee] = useState(a.assignee ?? '');
  const ack = useMutation({ mutationFn: () => client.alerts.acknowledge(a.id), onSuccess: done });
  const assign = useMutation({
    mutationFn: () => client.alerts.assign(a.id, assignee.trim()),
    onSuccess: () => {
      setForm('none');
      done();
    },
  });
  const error = ack.error ?? assign.error;
  return (
    <tr data-alert={a.id} data-check={a.check}>
      <td>
        <span className={`badge ${a.severity === 'critical' ? 'bad' : 'warn'}`}>{a.severity}</span>
        {a.silenced ? (
          <span className="badge" title="A silence holds its notifications" data-testid="silenced">
            {' '}
            silenced
          </span>
        ) : null}
      </td>
      <td>
        <Link
          to={`/models/${encodeURIComponent(a.modelKey)}?tab=monitoring&deployment=${encodeURIComponent(a.deploymentId)}`}
        >
          {a.modelKey}
        </Link>
        <span className="muted">
          {' '}
          {a.versionLabel} · {a.environment}
        </span>
      </td>
      <td>
        {a.check}
        <div className="muted small">
          {a.metric}
          {a.feature ? ` of ${a.feature}` : ''}
        </div>
      </td>
      <td>
        {threshold(a)}
        <div className="small">
          <Link
            to={windowRoute(a.modelKey, a.deploymentId, a.evidence.windowId)}
            title="The window's evidence"
          >
            window {a.evidence.windowId}
          </Link>
          {a.runbookUrl ? (
            <>
              {' · '}
              <a href={a.runbookUrl}>runbook</a>
            </>
          ) : null}
        </div>
      </td>
      <td>
        <Time value={a.startsAt} />
        <div className="muted small">
          {a.state === 'resolved' ? (
            <>
              resolved <Time value={a.resolvedAt} />
            </>
          ) : (
            'firing'
          )}
        </div>
      </td>
      <td data-testid="alert-ack">
        {a.acknowledgedBy ?? <span className="muted">not yet</span>}
        {a.assignee ? <div className="small">assigned to {a.assignee}</div> : null}
      </td>
      <td>
        {a.triage === 'incident' && a.triageRef ? (
          <Link to={`/incidents/${encodeURIComponent(a.triageRef)}`}>incident</Link>
        ) : a.triage === 'finding' ? (
          <Link to={`/findings?model=${encodeURIComponent(a.modelKey)}`} data-testid="alert-finding">
            finding
          </Link>
        ) : null}
        <span className="row-actions">
          {can.respondAlerts && a.acknowledgedAt === null && a.state === 'firing' ? (
            <button type="button" onClick={() => ack.mutate()} disabled={ack.isPending}>
              Acknowledge
            </button>
          ) : null}
          {can.respondAlerts ? (
            <button type="button" onClick={() => setForm(form === 'assign' ? 'none' : 'assign')}>
              Assign
            </button>
          ) : null}
          {can.triageAlerts && a.triage === null ? (
            <button type="button" onClick={() => setForm(form === 'triage' ? 'none' : 'triage')}>
              Triage
            </button>
          ) : null}
          {can.silenceAlerts && !a.silenced && a.state === 'firing' ? (
            <button type="button" onClick={() => onSilence(a)}>
              Silence
            </button>
          ) : null}
        </span>
        {form === 'assign' ? (
          <form
            className="row inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (assignee.trim()) assign.mutate();
            }}
          >
            <label className="field">
              Assignee (username)
              <input
                value={assignee}
                onChange={(e) => setAssignee(e.target.value)}
                required
                maxLength={100}
              />
            </label>
            <button type="submit" disabled={assign.isPending || !assignee.trim()}>
              Save assignee
            </button>
          </form>
        ) : null}
        {form === 'triage' ? <TriageForm a={a} onDone={() => setForm('none')} /> : null}
        <MutationError error={error} />
      </td>
    </tr>
  );
}
