import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type WebhookEvent, webhookEventSchema } from '../../../src/contracts/webhooks.ts';
import { webhookKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { Empty, MutationError, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

const EVENTS = webhookEventSchema.options;

/** What each event tells a receiver. */
const EVENT_HINTS: Record<WebhookEvent, string> = {
  'review.opened': 'a review was opened (by a person or the scheduler)',
  'decision.signed': 'a decision became final',
  'finding.overdue': 'a finding passed its due date',
  'acceptance.expiring': 'a risk acceptance nears its expiry',
  'gate.denied': 'the deployment gate denied a version',
  'audit.checkpoint': 'an audit checkpoint was written',
  'alert.firing': 'a monitoring alert started firing (or escalated)',
  'alert.resolved': 'a firing monitoring alert resolved',
  'incident.opened': 'an incident was opened',
  'incident.updated': 'an incident was acknowledged, mitigated or flagged serious',
  'incident.resolved': 'an incident was resolved',
};

/** A fresh signing secret: 32 random bytes as hex (the receiver verifies the HMAC-SHA256 with it). */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function RegisterWebhook() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([]);
  const [secret, setSecret] = useState(newSecret);
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [done, setDone] = useState<{ url: string; secret: string } | null>(null);
  const create = useMutation({
    mutationFn: () => client.createWebhook({ url, events, secret, allowPrivate }),
    onSuccess: (w) => {
      setDone({ url: w.url, secret });
      setUrl('');
      setEvents([]);
      setSecret(newSecret());
      setAllowPrivate(false);
      void queryClient.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    create.mutate();
  };
  const toggle = (ev: WebhookEvent, on: boolean) =>
    setEvents((list) =>
      on ? EVENTS.filter((x) => x === ev || list.includes(x)) : list.filter((x) => x !== ev),
    );
  return (
    <section className="panel" aria-labelledby="wh-new-h">
      <h2 id="wh-new-h">Register a webhook</h2>
      <form className="stack" onSubmit={submit} aria-label="Register a webhook">
        <label className="field">
          URL <span className="hint">where Assay POSTs each event (https in production)</span>
          <input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            placeholder="https://hooks.example/assay"
          />
        </label>
        <fieldset style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '4px 16px' }}>
          <legend>Events</legend>
          {EVENTS.map((ev) => (
            <label key={ev} className="check">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => toggle(ev, e.target.checked)}
              />
              {ev} <span className="small muted">— {EVENT_HINTS[ev]}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          Signing secret{' '}
          <span className="hint">
            signs every delivery (header x-assay-signature, HMAC-SHA256); copy it to the receiver now, it is
            not shown again
          </span>
          <input
            className="mono"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            minLength={16}
            maxLength={200}
            required
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={allowPrivate} onChange={(e) => setAllowPrivate(e.target.checked)} />
          Allow a private or loopback address (a receiver inside your network)
        </label>
        <MutationError error={create.error} tone="notice" />
        {done ? (
          <div className="notice" role="status">
            Registered {done.url}. Its signing secret is <code>{done.secret}</code>: it is not shown again.
          </div>
        ) : null}
        <div>
          <button type="submit" className="primary" disabled={create.isPending || events.length === 0}>
            Register webhook
          </button>
        </div>
      </form>
    </section>
  );
}

function Deliveries({ id, url }: { id: string; url: string }) {
  const { client } = useSession();
  const deliveries = useQuery({
    queryKey: webhookKeys.deliveries(id),
    queryFn: () => client.webhookDeliveries(id),
  });
  return (
    <QueryView query={deliveries} what="Loading deliveries">
      {(rows) =>
        rows.length === 0 ? (
          <Empty title="Nothing was sent to this webhook yet.">
            Deliveries go out when the scheduler runs after a subscribed event.
          </Empty>
        ) : (
          <table className="data" aria-label={`Deliveries to ${url}`}>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Queued</th>
                <th scope="col">Delivered</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.event}</code>
                  </td>
                  <td>
                    <span
                      className={`badge ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn'}`}
                    >
                      {d.status}
                    </span>
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td>
                    {d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : ''}
                    {d.lastError ? <div className="small sev-critical">{d.lastError}</div> : null}
                    {d.nextAttemptAt ? (
                      <div className="small muted">
                        next attempt <Time value={d.nextAttemptAt} />
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <Time value={d.createdAt} />
                  </td>
                  <td>{d.deliveredAt ? <Time value={d.deliveredAt} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </QueryView>
  );
}

/** Outbound webhooks (admins): register one, read each one's delivery log, disable it. */
export function Webhooks() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const webhooks = useQuery({ queryKey: webhookKeys.all, queryFn: () => client.listWebhooks() });
  const [open, setOpen] = useState<string | null>(null);
  const shown = webhooks.data?.find((w) => w.id === open) ?? null;
  const disable = useMutation({
    mutationFn: (id: string) => client.deactivateWebhook(id),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
  return (
    <div className="stack">
      <RegisterWebhook />
      <section className="panel" aria-labelledby="wh-list-h">
        <h2 id="wh-list-h">Webhooks</h2>
        <MutationError error={disable.error} tone="notice" />
        <QueryView query={webhooks} what="Loading webhooks">
          {(rows) =>
            rows.length === 0 ? (
              <Empty title="No webhook is registered." />
            ) : (
              <table className="data" aria-label="Webhooks">
                <thead>
                  <tr>
                    <th scope="col">URL</th>
                    <th scope="col">Events</th>
                    <th scope="col">Status</th>
                    <th scope="col">Registered</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((w) => (
                    <tr key={w.id}>
                      <td>
                        <code>{w.url}</code>
                        {w.allowPrivate ? <div className="small muted">private address allowed</div> : null}
                      </td>
                      <td>{w.events.join(', ')}</td>
                      <td>
                        {w.active ? (
                          <span className="badge ok">active</span>
                        ) : (
                          <span className="badge bad">disabled</span>
                        )}
                      </td>
                      <td>
                        {w.createdBy}, <Time value={w.createdAt} />
                      </td>
                      <td>
                        <div className="row">
                          <button
                            type="button"
                            className="link"
                            aria-expanded={open === w.id}
                            onClick={() => {
                              setOpen(open === w.id ? null : w.id);
                              void queryClient.invalidateQueries({
                                queryKey: webhookKeys.deliveries(w.id),
                              });
                            }}
                          >
                            Deliveries
                          </button>
                          {w.active ? (
                            <button
                              type="button"
                              className="link"
                              disabled={disable.isPending}
                              onClick={() => disable.mutate(w.id)}
                            >
                              Disable
                            </button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryView>
      </section>
      {shown ? (
        <section className="panel" aria-labelledby="wh-log-h">
          <h2 id="wh-log-h">Deliveries to {shown.url}</h2>
          <Deliveries id={shown.id} url={shown.url} />
        </section>
      ) : null}
    </div>
  );
}
