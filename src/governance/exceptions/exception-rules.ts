import type { ExceptionAllowance, ExceptionState } from '../../contracts/exceptions.ts';
import { ValidationError } from '../../platform/errors.ts';

const DAY = 86_400_000;

/** The longest an exception may run: a year, after which the question must be asked again. */
export const MAX_EXCEPTION_DAYS = 365;

/** What the rules read of a stored exception. */
export interface ExceptionFacts {
  state: string;
  until: string;
  allows: readonly ExceptionAllowance[];
  versionId: string | null;
  deploymentId: string | null;
}

/** The state a reader sees: an approved exception whose `until` has passed is `expired`. */
export function exceptionState(e: Pick<ExceptionFacts, 'state' | 'until'>, now: Date): ExceptionState {
  if (e.state === 'approved' && Date.parse(e.until) <= now.getTime()) return 'expired';
  return e.state as ExceptionState;
}

/** Approved, not revoked and not yet expired at `now`. */
export function isValid(e: Pick<ExceptionFacts, 'state' | 'until'>, now: Date): boolean {
  return exceptionState(e, now) === 'approved';
}

/**
 * Whether a valid exception allows `need` at `now`. Status allowances are model-wide; a production
 * deployment allowance is for its version only, and, when it names a deployment, for that one only
 * (so it never lets a new deployment start).
 */
export function covers(
  e: ExceptionFacts,
  need: { allow: ExceptionAllowance; versionId?: string | null; deploymentId?: string | null },
  now: Date,
): boolean {
  if (!isValid(e, now) || !e.allows.includes(need.allow)) return false;
  if (need.allow !== 'production_deployment') return true;
  if (e.versionId === null || e.versionId !== need.versionId) return false;
  return e.deploymentId === null || e.deploymentId === (need.deploymentId ?? null);
}

/** Refuses an exception request that is not bounded in time or does not say which version may run. */
export function checkExceptionRequest(
  input: { allows: readonly ExceptionAllowance[]; versionLabel?: string | undefined; until: string },
  now: Date,
): void {
  const until = Date.parse(input.until);
  if (until <= now.getTime()) throw new ValidationError('until must be in the future', 'until');
  if (until > now.getTime() + MAX_EXCEPTION_DAYS * DAY)
    throw new ValidationError(`an exception runs at most ${MAX_EXCEPTION_DAYS} days`, 'until', {
      maxDays: MAX_EXCEPTION_DAYS,
    });
  if (input.allows.includes('production_deployment') && !input.versionLabel)
    throw new ValidationError(
      'a production deployment exception names the version that may run',
      'versionLabel',
    );
}
