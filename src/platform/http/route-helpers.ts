import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { modelKeySchema } from '../../contracts/inventory.ts';
import type { Caller } from '../auth/caller.ts';
import { auditContextOf, principalOf } from './request-context.ts';

/** The caller of a request. */
export function callerOf(request: FastifyRequest): Caller {
  return { principal: principalOf(request), audit: auditContextOf(request) };
}

/** Sets `ETag: "<rowVersion>"` and returns the body. */
export function withEtag<T extends { rowVersion: number }>(reply: FastifyReply, body: T): T {
  reply.header('etag', `"${body.rowVersion}"`);
  return body;
}

export const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
export const idParams = z.strictObject({ id: z.string().min(1).max(200) });
