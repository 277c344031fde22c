import type { ReactNode } from 'react';

/** A spinner with a label, announced to screen readers. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {what}…
    </div>
  );
}

/** What a list shows when it has nothing; `children` may offer the next step. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <strong>{title}</strong>
      {children ? <div style={{ marginTop: 6 }}>{children}</div> : null}
    </div>
  );
}

/** A failed load, with the server's message and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <strong>Could not load this.</strong> {errorMessage(error)}
      {onRetry ? (
        <div style={{ marginTop: 8 }}>
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : null}
    </div>
  );
}

/**
 * What a failed action (a mutation) says, announced to screen readers; nothing while `error` is
 * empty. `tone="notice"` is the boxed form the admin pages use above their tables.
 */
export function MutationError({ error, tone = 'inline' }: { error: unknown; tone?: 'inline' | 'notice' }) {
  if (!error) return null;
  return (
    <p className={tone === 'notice' ? 'notice bad' : 'error small'} role="alert">
      {errorMessage(error)}
    </p>
  );
}

/** The human message of whatever was thrown (SDK errors carry the server's envelope message). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'Unexpected error.';
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Renders loading / error / content for one query, so every view has all three states. */
export function QueryView<T>(props: {
  query: QueryLike<T>;
  what?: string;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending) return <Loading what={props.what ?? 'Loading'} />;
  if (query.error || query.data === undefined)
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{props.children(query.data)}</>;
}
