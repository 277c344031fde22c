import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { gateKeys } from '../app/query-keys.ts';
import { Link, useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

const ENVIRONMENTS = ['production', 'staging', 'dev'];

/** The deployment gate: may this model version go to this environment, and if not, why. */
export function GatePage() {
  const { client } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const model = query.get('model') ?? '';
  const version = query.get('version') ?? '';
  const environment = query.get('environment') ?? 'production';
  const [form, setForm] = useState({ model, version, environment });
  const ready = model !== '' && version !== '';
  const result = useQuery({
    queryKey: gateKeys.check(model, version, environment),
    queryFn: () => client.gateCheck(model, version, environment),
    enabled: ready,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ model: form.model.trim(), version: form.version.trim(), environment: form.environment });
  };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Gate check</h1>
          <p>The same answer your CI pipeline gets before it deploys.</p>
        </div>
      </div>
      <form className="panel toolbar" onSubmit={submit} aria-label="Gate check">
        <label className="field">
          Model key
          <input value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} required />
        </label>
        <label className="field">
          Version
          <input
            value={form.version}
            onChange={(e) => setForm({ ...form, version: e.target.value })}
            required
          />
        </label>
        <label className="field">
          Environment
          <input
            list="gate-envs"
            value={form.environment}
            onChange={(e) => setForm({ ...form, environment: e.target.value })}
            required
          />
          <datalist id="gate-envs">
            {ENVIRONMENTS.map((e) => (
              <option key={e} value={e} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="primary">
          Check
        </button>
      </form>
      {ready ? (
        <div style={{ marginTop: 16 }}>
          <QueryView query={result} what="Asking the gate">
            {(r) => (
              <section className="panel" aria-live="polite" aria-labelledby="gate-verdict">
                <h2 id="gate-verdict">
                  {r.allowed ? (
                    <span className="badge ok" style={{ fontSize: 16 }}>
                      Allowed
                    </span>
                  ) : (
                    <span className="badge bad" style={{ fontSize: 16 }}>
                      Denied
                    </span>
                  )}{' '}
                  {model} {version} → {environment}
                </h2>
                {r.reasons.length === 0 ? (
                  <p className="muted">No open conditions block this deployment.</p>
                ) : (
                  <ul>
                    {r.reasons.map((reason) => (
                      <li key={reason.code + reason.message}>
                        {reason.message} {reason.fixPath ? <Link to={reason.fixPath}>Fix this</Link> : null}
                      </li>
                    ))}
                  </ul>
                )}
                {r.exceptionNotes?.map((n) => (
                  <p key={n.exceptionId} className="badge warn" data-testid="gate-exception-note">
                    Allowed by exception until <Time value={n.until} withTime={false} />: {n.message}
                  </p>
                ))}
                <p className="small muted">
                  Checked <Time value={r.checkedAt} />.
                </p>
              </section>
            )}
          </QueryView>
        </div>
      ) : null}
    </>
  );
}
