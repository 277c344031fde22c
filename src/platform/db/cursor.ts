import { ValidationError } from '../errors.ts';

// The one cursor codec of the API. Every cursor is opaque to clients (base64url) and comes in two
// kinds: a keyset cursor (the sort value and id of a page's last row) and a counter cursor (a tag and
// a non-negative integer: an offset into a list, or an audit sequence number). A cursor the server did
// not issue is a 400 naming the query field.

const NOT_OURS = 'cursor is not one this server issued';
const hasNul = (text: string) => text.includes('\u0000');

/** An opaque keyset cursor: the sort value and id of the last row of a page. */
export function encodeCursor(value: string | number | null, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/** Decodes a keyset cursor, or throws a 400 naming `field`. */
export function decodeCursor(
  cursor: string,
  field = 'query.cursor',
): { value: string | number | null; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    // A NUL or a non-finite number never came from us, and PostgreSQL would refuse them as a 500.
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string' && !hasNul(parsed[1])) {
      const v = parsed[0];
      if (
        v === null ||
        (typeof v === 'string' && !hasNul(v)) ||
        (typeof v === 'number' && Number.isFinite(v))
      )
        return { value: v, id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new ValidationError(NOT_OURS, field);
}

/** A keyset cursor whose sort value is text (a timestamp, a name), or a 400 naming `field`. */
export function decodeTextCursor(cursor: string, field = 'query.cursor'): { value: string; id: string } {
  const { value, id } = decodeCursor(cursor, field);
  if (typeof value !== 'string') throw new ValidationError(NOT_OURS, field);
  return { value, id };
}

/** An opaque counter cursor: `tag` and a non-negative integer. */
export function encodeCounterCursor(tag: string, n: number): string {
  return Buffer.from(`${tag}:${n}`).toString('base64url');
}

/** Decodes a counter cursor of `tag` (at most `maxDigits` digits), or throws a 400 naming `field`. */
export function decodeCounterCursor(
  cursor: string,
  tag: string,
  { field = 'querystring.cursor', maxDigits = 9 }: { field?: string; maxDigits?: number } = {},
): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${tag}:`;
  const digits = text.startsWith(prefix) ? text.slice(prefix.length) : '';
  if (!new RegExp(`^\\d{1,${maxDigits}}$`).test(digits)) throw new ValidationError(NOT_OURS, field);
  return Number(digits);
}

/** An offset cursor for the workflow lists (paged in SQL): where this page starts and the next page's cursor. */
export function offsetCursor(cursor: string | undefined, limit: number): { offset: number; next: string } {
  const offset = cursor === undefined ? 0 : decodeCounterCursor(cursor, 'w');
  return { offset, next: encodeCounterCursor('w', offset + limit) };
}

/** Pages an in-memory list (users, tokens: small lists) with an opaque offset cursor. */
export function pageByOffset<T>(
  all: readonly T[],
  limit: number,
  cursor: string | undefined,
): { items: T[]; nextCursor: string | null } {
  const start = cursor === undefined ? 0 : decodeCounterCursor(cursor, 'o');
  const items = all.slice(start, start + limit);
  const next = start + items.length;
  return { items, nextCursor: next < all.length ? encodeCounterCursor('o', next) : null };
}
