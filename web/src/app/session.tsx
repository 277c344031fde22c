import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ConsoleClient, createConsoleClient, type Me } from './api.ts';
import { type Capabilities, capabilitiesOf } from './capabilities.ts';
import { sessionKeys } from './query-keys.ts';

const STORAGE_KEY = 'assay.token';

/** Window event fired when the server stops accepting the session's token (detail: its message). */
export const SESSION_ENDED_EVENT = 'assay:session-ended';

/** The signed-in user, their client and what the console may offer them. */
export interface Session {
  token: string;
  me: Me;
  client: ConsoleClient;
  can: Capabilities;
  signOut: () => void;
}

interface SessionState {
  session: Session | null;
  /** Signs in with a token (checked against the server before it is kept). */
  signInWithToken: (token: string) => Promise<void>;
  /** Signs in with a username and password (POST /api/v1/auth/login). */
  signInWithPassword: (username: string, password: string) => Promise<void>;
  restoring: boolean;
  restoreError: unknown;
  /** Why the last session ended, if the server ended it. */
  endedBecause: string | null;
  /** Why single sign-on refused the user (from the callback), if it did. */
  ssoError: string | null;
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * What the single sign-on callback left in the URL fragment (`#sso_ticket=…` or `#sso_error=…`),
 * taken out of the address bar at once so the one-time ticket is not kept in the history.
 */
function takeSsoFragment(): { ticket: string } | { error: string } | null {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const ticket = hash.get('sso_ticket');
  const error = hash.get('sso_error');
  if (ticket === null && error === null) return null;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return ticket !== null ? { ticket } : { error: error ?? 'single sign-on failed' };
}

function readStored(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Keeps the API token in sessionStorage (gone when the tab closes) and resolves who it belongs to. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(readStored);
  const client = useMemo(() => (token ? createConsoleClient(token) : null), [token]);
  const meQuery = useQuery({
    queryKey: sessionKeys.me(token),
    queryFn: () => client!.me(),
    enabled: client !== null,
    retry: false,
    staleTime: 5 * 60_000,
  });

  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  // A return from the identity provider: redeem its ticket for a session (or show its refusal).
  const [sso] = useState(takeSsoFragment);
  const [ssoPending, setSsoPending] = useState(sso !== null && 'ticket' in sso);
  const [ssoError, setSsoError] = useState<string | null>(sso && 'error' in sso ? sso.error : null);
  const signOut = useCallback(() => {
    window.sessionStorage.removeItem(STORAGE_KEY);
    setToken(null);
    queryClient.clear();
  }, [queryClient]);
  useEffect(() => {
    const ended = (e: Event) => {
      setEndedBecause(String((e as CustomEvent).detail ?? 'your session ended'));
      signOut();
    };
    window.addEventListener(SESSION_ENDED_EVENT, ended);
    return () => window.removeEventListener(SESSION_ENDED_EVENT, ended);
  }, [signOut]);

  const adopt = useCallback(
    async (t: string) => {
      const me = await createConsoleClient(t).me();
      window.sessionStorage.setItem(STORAGE_KEY, t);
      queryClient.setQueryData(['me', t], me);
      setToken(t);
    },
    [queryClient],
  );

  useEffect(() => {
    if (!sso || !('ticket' in sso)) return;
    createConsoleClient(null)
      .redeemSsoTicket(sso.ticket)
      .then((r) => adopt(r.token))
      .catch((err: unknown) => setSsoError(err instanceof Error ? err.message : String(err)))
      .finally(() => setSsoPending(false));
  }, [sso, adopt]);

  const state = useMemo<SessionState>(() => {
    const me = meQuery.data;
    const session =
      token && client && me ? { token, me, client, can: capabilitiesOf(me.role, me.scope), signOut } : null;
    return {
      session,
      signInWithToken: adopt,
      signInWithPassword: async (username, password) => {
        const { token: t } = await createConsoleClient(null).login(username, password);
        await adopt(t);
      },
      restoring: ssoPending || (token !== null && meQuery.isPending),
      restoreError: token !== null ? meQuery.error : null,
      endedBecause,
      ssoError,
    };
  }, [
    token,
    client,
    meQuery.data,
    meQuery.isPending,
    meQuery.error,
    adopt,
    signOut,
    endedBecause,
    ssoPending,
    ssoError,
  ]);

  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

/** The session state (for the sign-in page and the app gate). */
export function useSessionState(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSessionState outside SessionProvider');
  return s;
}

/** The signed-in session; pages behind the gate can rely on it. */
export function useSession(): Session {
  const s = useSessionState().session;
  if (!s) throw new Error('useSession before sign-in');
  return s;
}
