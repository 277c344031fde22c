import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.ts';

/** Where a request carries input, named as the validation errors name it. */
const PARTS = ['params', 'querystring', 'body'] as const;

/**
 * The dotted path of the first string (value or key) in `value` that holds a NUL character, or
 * null. PostgreSQL refuses U+0000 in text, and no field of ours has a use for it.
 */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [k, v] of Object.entries(value)) {
    const here = `${path}.${k}`;
    if (k.includes('\u0000')) return here;
    const found = findNul(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A preValidation hook: refuses any request whose input holds a NUL, with a 400 naming the field. */
export async function refuseNulBytes(request: FastifyRequest): Promise<void> {
  const input = { params: request.params, querystring: request.query, body: request.body };
  for (const part of PARTS) {
    const field = findNul(input[part], part);
    if (field) throw new ValidationError(`${field} must not contain NUL (\\u0000) characters`, field);
  }
}
