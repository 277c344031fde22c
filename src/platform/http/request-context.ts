import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/audit-trail.ts';
import type { Caller } from '../auth/caller.ts';
import type { Principal } from '../auth/roles.ts';
import { UnauthenticatedError, ValidationError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook for every /api route except the public ones. */
    principal: Principal | null;
  }
}

/** The authenticated caller; routes behind the auth hook always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError();
  return request.principal;
}

/** The audit context (actor and request id) of a request. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  return { actor: principalOf(request).username, requestId: String(request.id) };
}

/** The caller of a request as services take it: principal and audit context. */
export function callerOf(request: FastifyRequest): Caller {
  return { principal: principalOf(request), audit: auditContextOf(request) };
}

/** Sets `ETag: "<rowVersion>"` for an entity answer and returns the entity. */
export function withEtag<T extends { rowVersion: number }>(reply: FastifyReply, body: T): T {
  reply.header('etag', `"${body.rowVersion}"`);
  return body;
}

/** Parses an `If-Match: "7"` (or `W/"7"`, or `7`) header into a row version, if present. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(raw).trim());
  if (!m)
    throw new ValidationError(`If-Match must be a row version such as "3", got '${raw}'`, 'header.if-match');
  return Number(m[1]);
}
