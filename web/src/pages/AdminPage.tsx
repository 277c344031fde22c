import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { NewTokenForm, NewUserForm } from '../admin/AdminForms.tsx';
import { AuditTrail } from '../admin/AuditTrail.tsx';
import { Webhooks } from '../admin/Webhooks.tsx';
import { policyKeys, tokenKeys, userKeys } from '../app/query-keys.ts';
import { useLocation, useQueryUpdater } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { Empty, MutationError, QueryView } from '../components/DataState.tsx';
import { Time } from '../components/Time.tsx';

/** Users and their tokens (admins), and the active policy (read-only). */
export function AdminPage() {
  const { can } = useSession();
  const { query } = useLocation();
  const update = useQueryUpdater();
  const tabs = [
    { id: 'users', label: 'Users', show: can.manageUsers },
    { id: 'tokens', label: 'Tokens', show: can.manageUsers },
    { id: 'webhooks', label: 'Webhooks', show: can.manageWebhooks },
    { id: 'audit', label: 'Audit trail', show: can.readAudit },
    { id: 'policy', label: 'Policy', show: can.viewPolicy },
  ].filter((t) => t.show);
  const tab = tabs.find((t) => t.id === query.get('tab'))?.id ?? tabs[0]?.id;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Administration</h1>
          <p>People, access, outbound webhooks and the policy in force.</p>
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label="Administration sections">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            onClick={() => update({ tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'users' ? <Users /> : null}
      {tab === 'tokens' ? <Tokens /> : null}
      {tab === 'webhooks' ? <Webhooks /> : null}
      {tab === 'audit' ? <AuditTrail /> : null}
      {tab === 'policy' ? <Policy /> : null}
      {tab === undefined ? <Empty title="Your role has nothing to administer." /> : null}
    </>
  );
}

function Users() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: userKeys.all, queryFn: () => client.listUsers() });
  const toggle = useMutation({
    mutationFn: (u: { id: string; disabled: boolean }) => client.setUserDisabled(u.id, !u.disabled),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
  return (
    <QueryView query={users} what="Loading users">
      {(rows) => (
        <>
          <NewUserForm />
          <MutationError error={toggle.error} tone="notice" />
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.id}>
                  <td>
                    <code>{u.username}</code>
                  </td>
                  <td>{u.displayName}</td>
                  <td>{u.role}</td>
                  <td>{u.email ?? '—'}</td>
                  <td>
                    {u.disabled ? (
                      <span className="badge bad">disabled</span>
                    ) : (
                      <span className="badge ok">active</span>
                    )}
                  </td>
                  <td>
                    <Time value={u.createdAt} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      disabled={toggle.isPending}
                      onClick={() => toggle.mutate(u)}
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </QueryView>
  );
}

function Tokens() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: tokenKeys.all, queryFn: () => client.listTokens() });
  const revoke = useMutation({
    mutationFn: (id: string) => client.revokeToken(id),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
  return (
    <QueryView query={tokens} what="Loading tokens">
      {(rows) =>
        rows.length === 0 ? (
          <Empty title="No tokens." />
        ) : (
          <>
            <NewTokenForm />
            <MutationError error={revoke.error} tone="notice" />
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>{t.scope}</td>
                    <td>
                      <Time value={t.createdAt} />
                    </td>
                    <td>
                      <Time value={t.expiresAt} />
                    </td>
                    <td>
                      <Time value={t.lastUsedAt} />
                    </td>
                    <td>
                      {t.revokedAt ? (
                        <span className="badge bad">revoked</span>
                      ) : (
                        <span className="badge ok">active</span>
                      )}
                    </td>
                    <td>
                      {t.revokedAt ? null : (
                        <button
                          type="button"
                          className="link"
                          disabled={revoke.isPending}
                          onClick={() => revoke.mutate(t.id)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
      }
    </QueryView>
  );
}

function Policy() {
  const { client } = useSession();
  const policy = useQuery({ queryKey: policyKeys.active(), queryFn: () => client.activePolicy() });
  return (
    <QueryView query={policy} what="Loading the policy">
      {(p) => (
        <div className="stack">
          <section className="panel">
            <h2>
              Active policy: {p.name} <span className="badge info">version {p.version}</span>
            </h2>
            <p className="small muted">
              Activated <Time value={p.activatedAt} />
              {p.activatedBy ? ` by ${p.activatedBy}` : ''}.
            </p>
            <table className="data" style={{ marginBottom: 12 }}>
              <thead>
                <tr>
                  <th scope="col">Tier</th>
                  <th scope="col">From score</th>
                  <th scope="col">Validation</th>
                  <th scope="col">Review every</th>
                  <th scope="col">Sign-off</th>
                  <th scope="col">Evidence for production</th>
                </tr>
              </thead>
              <tbody>
                {p.tiers.map((t) => (
                  <tr key={t.tier}>
                    <td>
                      <strong>{t.name}</strong>
                    </td>
                    <td>{t.minScore ?? '—'}</td>
                    <td>{t.validationDepth.replaceAll('_', ' ')}</td>
                    <td>{t.reviewFrequencyMonths} months</td>
                    <td>{t.signOff}</td>
                    <td className="small">{t.productionEvidence}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.severities.length ? (
              <p className="small">
                Remediation SLAs:{' '}
                {p.severities.map((s) => `${s.severity} ${s.remediationDays} days`).join(' · ')}
              </p>
            ) : null}
            <details>
              <summary>Policy document (YAML)</summary>
              <pre
                className="mono small"
                style={{
                  whiteSpace: 'pre-wrap',
                  background: '#f8f9fb',
                  padding: 12,
                }}
              >
                {p.document}
              </pre>
            </details>
          </section>
          <section className="panel">
            <h2>Version history</h2>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Activated</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {p.history.map((h) => (
                  <tr key={h.version}>
                    <td>{h.version}</td>
                    <td>
                      <Time value={h.activatedAt} />
                    </td>
                    <td>{h.activatedBy ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </QueryView>
  );
}
