import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import type { reconItemSchema } from '../../../src/contracts/connectors.ts';
import { connectorKeys, modelKeys } from '../app/query-keys.ts';
import { Link, navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, MutationError, QueryView } from '../components/DataState.tsx';

type ReconItem = z.infer<typeof reconItemSchema>;

const SECTIONS: { id: ReconItem['category']; title: string; help: string }[] = [
  {
    id: 'deployed_not_registered',
    title: 'Deployed but not registered (shadow models)',
    help: 'Seen in the ML registry or serving predictions, but not in the inventory: register them.',
  },
  {
    id: 'registered_not_deployed',
    title: 'Registered but not deployed',
    help: 'In the inventory with no running deployment.',
  },
  { id: 'registered_and_deployed', title: 'Registered and deployed', help: 'In the inventory and running.' },
];

/** One-click registration of a shadow model: what is known is pre-filled; key and name may be changed. */
function RegisterForm({ item, onDone }: { item: ReconItem; onDone: () => void }) {
  const { client } = useSession();
  const qc = useQueryClient();
  const prefill = item.prefill ?? {};
  const [key, setKey] = useState(String(prefill.key ?? ''));
  const [name, setName] = useState(String(prefill.name ?? item.name));
  const source = item.sources[0]!;
  const register = useMutation({
    mutationFn: () =>
      client.connectors.register({
        source: source.source,
        externalId: source.id,
        overrides: {
          ...(key.trim() !== prefill.key ? { key: key.trim() } : {}),
          ...(name.trim() !== prefill.name ? { name: name.trim() } : {}),
        },
      }),
    onSuccess: (m) => {
      void qc.invalidateQueries({ queryKey: connectorKeys.reconciliation() });
      void qc.invalidateQueries({ queryKey: modelKeys.all });
      onDone();
      navigate(`/models/${encodeURIComponent(m.key)}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate();
  };
  const rest = Object.entries(prefill).filter(([k]) => k !== 'key' && k !== 'name');
  return (
    <form className="stack inline-form" onSubmit={submit} aria-label={`Register ${item.name}`}>
      <div className="grid">
        <label className="field">
          Model key
          <input value={key} onChange={(e) => setKey(e.target.value)} required maxLength={100} />
        </label>
        <label className="field">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
      </div>
      {rest.length ? (
        <dl className="facts small">
          {rest.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div className="row">
        <button
          type="submit"
          className="primary"
          disabled={register.isPending || !key.trim() || !name.trim()}
        >
          Register in the inventory
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <MutationError error={register.error} />
    </form>
  );
}

function ItemRow({ item }: { item: ReconItem }) {
  const { can } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <tr data-recon={item.name} data-category={item.category}>
      <td>
        {item.modelKey ? (
          <Link to={`/models/${encodeURIComponent(item.modelKey)}`}>{item.name}</Link>
        ) : (
          item.name
        )}
        {item.modelKey && item.modelKey !== item.name ? (
          <div className="muted small">{item.modelKey}</div>
        ) : null}
      </td>
      <td className="small">{item.sources.map((s) => `${s.source}: ${s.id}`).join(', ')}</td>
      <td className="small">{item.deployedBecause.join('; ') || <span className="muted">—</span>}</td>
      <td>
        {item.category === 'deployed_not_registered' && item.prefill && can.manageConnectors ? (
          open ? (
            <RegisterForm item={item} onDone={() => setOpen(false)} />
          ) : (
            <button type="button" onClick={() => setOpen(true)}>
              Register…
            </button>
          )
        ) : null}
      </td>
    </tr>
  );
}

/** Inventory completeness: every model the registry, deployments and monitoring know, in one of three groups. */
export function ReconciliationPage() {
  const { client } = useSession();
  const report = useQuery({
    queryKey: connectorKeys.reconciliation(),
    queryFn: () => client.connectors.reconciliation(),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Inventory reconciliation</h1>
          <p>
            Are all deployed models registered? Models from the MLflow registry sync, deployment records and
            the deployment ids monitoring ingestion has seen.
          </p>
        </div>
      </div>
      <QueryView query={report} what="Loading the reconciliation report">
        {(r) => (
          <div className="stack">
            {SECTIONS.map((sec) => {
              const items = r.items.filter((i) => i.category === sec.id);
              return (
                <section key={sec.id} className="panel" aria-labelledby={`recon-${sec.id}`}>
                  <h2 id={`recon-${sec.id}`}>
                    {sec.title}{' '}
                    <span className="badge" data-testid={`count-${sec.id}`}>
                      {r.counts[sec.id] ?? 0}
                    </span>
                  </h2>
                  <p className="small muted">{sec.help}</p>
                  {items.length === 0 ? (
                    <Empty title="None." />
                  ) : (
                    <table className="data" aria-label={sec.title}>
                      <thead>
                        <tr>
                          {['Model', 'Sources', 'Deployed because', ''].map((h) => (
                            <th scope="col" key={h}>
                              {h}
                            </th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {items.map((i) => (
                          <ItemRow key={`${i.category}-${i.name}-${i.sources[0]?.id ?? ''}`} item={i} />
                        ))}
                      </tbody>
                    </table>
                  )}
                </section>
              );
            })}
          </div>
        )}
      </QueryView>
    </>
  );
}
