import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ConsoleRole } from '../app/capabilities.ts';
import { tokenKeys, userKeys } from '../app/query-keys.ts';
import { useSession } from '../app/session.tsx';
import { errorMessage } from '../components/DataState.tsx';

const ROLES: ConsoleRole[] = [
  'admin',
  'governance',
  'owner',
  'developer',
  'validator',
  'approver',
  'auditor',
];

/** Adds a user (admins only; the page does not render it for others). */
export function NewUserForm() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<ConsoleRole>('owner');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      client.createUser({
        username: username.trim(),
        role,
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
        ...(password ? { password } : {}),
      }),
    onSuccess: (u) => {
      setMessage({ ok: true, text: `User ${u.username} added as ${u.role}.` });
      setUsername('');
      setDisplayName('');
      setPassword('');
      void queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
    onError: (err) => setMessage({ ok: false, text: errorMessage(err) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="panel toolbar" onSubmit={submit} aria-label="Add a user" style={{ marginBottom: 12 }}>
      <label className="field">
        Username
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          pattern="[a-z0-9][a-z0-9._\-]{1,62}"
        />
      </label>
      <label className="field">
        Display name
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label className="field">
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as ConsoleRole)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <label className="field">
        Password <span className="hint">optional, 12+ characters</span>
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          minLength={12}
          autoComplete="new-password"
        />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        Add user
      </button>
      {message ? (
        <div
          className={`notice ${message.ok ? '' : 'bad'}`}
          role={message.ok ? 'status' : 'alert'}
          style={{ flexBasis: '100%' }}
        >
          {message.text}
        </div>
      ) : null}
    </form>
  );
}

/** Issues a token for a user and shows its secret exactly once. */
export function NewTokenForm() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'write' | 'admin'>('read');
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      client.createToken({
        name: name.trim(),
        scope,
        ...(username.trim() ? { username: username.trim() } : {}),
        ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      }),
    onSuccess: (t) => {
      setSecret(t.secret);
      setError(null);
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSecret(null);
    create.mutate();
  };
  return (
    <form className="panel toolbar" onSubmit={submit} aria-label="Issue a token" style={{ marginBottom: 12 }}>
      <label className="field">
        For user <span className="hint">empty: yourself</span>
        <input value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label className="field">
        Token name
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className="field">
        Scope
        <select value={scope} onChange={(e) => setScope(e.target.value as 'read' | 'write' | 'admin')}>
          <option>read</option>
          <option>write</option>
          <option>admin</option>
        </select>
      </label>
      <label className="field">
        Expires
        <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        Issue token
      </button>
      {secret ? (
        <div className="notice" role="status" style={{ flexBasis: '100%' }}>
          Copy this token now; it is not shown again: <code data-testid="token-secret">{secret}</code>
        </div>
      ) : null}
      {error ? (
        <div className="notice bad" role="alert" style={{ flexBasis: '100%' }}>
          {error}
        </div>
      ) : null}
    </form>
  );
}
