import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { createConsoleClient } from '../app/api.ts';
import { sessionKeys } from '../app/query-keys.ts';
import { useSessionState } from '../app/session.tsx';
import { errorMessage } from '../components/DataState.tsx';

/** Where single sign-on brings the browser back: the page asked for (the sign-in page shows at any URL). */
function returnPath(): string {
  const p = window.location.pathname + window.location.search;
  return p.startsWith('/') && !p.startsWith('//') ? p : '/';
}

/** Sign-in with single sign-on (when configured), an API token, or a username and password. */
export function SignInPage() {
  const { signInWithToken, signInWithPassword, restoreError, endedBecause, ssoError } = useSessionState();
  // The button appears only when the server says single sign-on is configured.
  const sso = useQuery({
    queryKey: sessionKeys.ssoStatus(),
    queryFn: () => createConsoleClient(null).ssoStatus(),
    retry: false,
    staleTime: 5 * 60_000,
  });
  const [mode, setMode] = useState<'token' | 'password'>('token');
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(
    ssoError
      ? `Single sign-on refused: ${ssoError}`
      : restoreError
        ? errorMessage(restoreError)
        : endedBecause
          ? `You were signed out: ${endedBecause}`
          : null,
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'token') await signInWithToken(token.trim());
      else await signInWithPassword(username.trim(), password);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <div className="card">
        <h1>Sign in to Assay</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          Model risk management console
        </p>
        {sso.data?.enabled && sso.data.startUrl ? (
          <div className="stack" style={{ marginBottom: 12 }}>
            <a
              className="button primary"
              href={`${sso.data.startUrl}?returnTo=${encodeURIComponent(returnPath())}`}
            >
              Sign in with single sign-on
            </a>
            <span className="small muted">
              Through your organisation's identity provider ({sso.data.issuer}).
              {sso.data.breakGlass ? ' Break-glass accounts may still use a password below.' : ''}
            </span>
          </div>
        ) : null}
        <div className="tabs" role="tablist" aria-label="Sign-in method">
          <button type="button" role="tab" aria-selected={mode === 'token'} onClick={() => setMode('token')}>
            API token
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'password'}
            onClick={() => setMode('password')}
          >
            Username and password
          </button>
        </div>
        <form className="stack" onSubmit={submit}>
          {mode === 'token' ? (
            <label className="field">
              API token
              <input
                name="token"
                type="password"
                autoComplete="off"
                value={token}
                onChange={(e) => setToken(e.target.value)}
                required
              />
              <span className="hint">
                The first start of the server prints an admin token; `assay tokens create` makes more.
              </span>
            </label>
          ) : (
            <>
              <label className="field">
                Username
                <input
                  name="username"
                  autoComplete="username"
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  required
                />
              </label>
              <label className="field">
                Password
                <input
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  required
                />
              </label>
            </>
          )}
          {error ? (
            <div className="notice bad" role="alert">
              {error}
            </div>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <p className="small muted" style={{ margin: 0 }}>
            The token stays in this browser tab only and is forgotten when the tab closes.
          </p>
        </form>
      </div>
    </main>
  );
}
