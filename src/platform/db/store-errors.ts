import { ConflictError, DomainError, PayloadTooLargeError, ValidationError } from '../errors.ts';

/** The parts of a driver error we read: PostgreSQL's SQLSTATE and detail, SQLite's extended code. */
interface DriverError {
  code?: unknown;
  detail?: unknown;
  column?: unknown;
  constraint?: unknown;
}

/** PostgreSQL data exceptions (class 22) that only bad input can cause. */
const PG_BAD_INPUT: Record<string, string> = {
  '22021': 'text must not contain NUL (\\u0000) characters',
  '22P05': 'text must not contain NUL (\\u0000) characters',
  '22001': 'a value is longer than the store accepts',
  '22003': 'a number is out of range',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is out of range',
  '22P02': 'a value has the wrong form',
};

/** The column a PostgreSQL constraint error names in its detail: `Key (owner_id)=(…)`. */
function pgColumn(e: DriverError): string | undefined {
  if (typeof e.column === 'string') return e.column;
  return typeof e.detail === 'string' ? /^Key \(([^)]+)\)/.exec(e.detail)?.[1] : undefined;
}

/**
 * The domain error for a store error that bad input caused despite validation (a foreign key to
 * a user that does not exist, a duplicate key lost to a race, NUL in text): a 400 or 409 instead of
 * a 500. Services validate first; this is the net under them. Null for anything else.
 */
export function storeErrorToDomain(err: unknown): DomainError | null {
  if (err instanceof DomainError || err === null || typeof err !== 'object') return null;
  const e = err as DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  const column = pgColumn(e);
  const field = column ? { field: column } : {};
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
    return new ValidationError('a referenced record does not exist', column ?? 'body', { rule: 'reference' });
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return new ConflictError('a record with the same key already exists', { ...field, rule: 'unique' });
  // Two transactions each waiting for the other (a write that takes the writers' lock late and one
  // that holds it, both after one row): PostgreSQL aborted this one; nothing of it was written.
  if (code === '40P01' || code === '40001')
    return new ConflictError('this write conflicted with a concurrent one and was not applied; try again', {
      rule: 'concurrent_write',
    });
  if (code in PG_BAD_INPUT) return new ValidationError(PG_BAD_INPUT[code]!, column ?? 'body');
  if (code === 'SQLITE_TOOBIG') return new PayloadTooLargeError('a value is larger than the store accepts');
  return null;
}
