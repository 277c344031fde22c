import { ValidationError } from '../errors.ts';

/** Pages an in-memory list (users, tokens: small lists) with an opaque offset cursor. */
export function pageByOffset<T>(
  all: readonly T[],
  limit: number,
  cursor: string | undefined,
): { items: T[]; nextCursor: string | null } {
  const start = cursor === undefined ? 0 : decodeOffset(cursor);
  const items = all.slice(start, start + limit);
  const next = start + items.length;
  return { items, nextCursor: next < all.length ? Buffer.from(`o:${next}`).toString('base64url') : null };
}

function decodeOffset(cursor: string): number {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ValidationError('cursor is not one this server issued', 'querystring.cursor');
  return Number(m[1]);
}
