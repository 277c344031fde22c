import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AssayApiError } from '../../src/sdk/index.ts';
import { App } from './app/App.tsx';
import { SESSION_ENDED_EVENT, SessionProvider } from './app/session.tsx';
import './app/styles.css';

// A 401 mid-session (token expired or revoked) ends the session: the sign-in page explains why.
const onError = (error: Error) => {
  if (error instanceof AssayApiError && error.status === 401)
    window.dispatchEvent(new CustomEvent(SESSION_ENDED_EVENT, { detail: error.message }));
};

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // 4xx answers will not change on retry; only retry what might be transient.
      retry: (count, error) =>
        count < 2 && !(error instanceof AssayApiError && error.status >= 400 && error.status < 500),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
