import { ValidationError } from '../../platform/errors.ts';

/** An opaque offset cursor for the workflow lists: where this page starts and the next page's cursor. */
export function offsetCursor(cursor: string | undefined, limit: number): { offset: number; next: string } {
  let offset = 0;
  if (cursor !== undefined) {
    const m = /^w:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!m) throw new ValidationError('cursor is not one this server issued', 'querystring.cursor');
    offset = Number(m[1]);
  }
  return { offset, next: Buffer.from(`w:${offset + limit}`).toString('base64url') };
}

/** Model ids a principal may see: null for global readers, else the models they relate to. */
export { visibleModelIds } from './visibility.ts';
