import type { z } from 'zod';
import {
  type AuditEventQuery,
  type AuditVerifyRequest,
  auditEventPageSchema,
  auditFullVerifySchema,
  auditVerifySchema,
  checkpointListSchema,
  storedCheckpointSchema,
} from '../contracts/audit.ts';
import {
  loginResponseSchema,
  meSchema,
  type TokenCreate,
  tokenCreatedSchema,
  tokenPageSchema,
  tokenSchema,
  type UserCreate,
  type UserPatch,
  userPageSchema,
  userSchema,
} from '../contracts/identity.ts';
import { seg, type Transport } from './client.ts';

type Page = { limit?: number; cursor?: string | undefined };

/** Sign-in, the caller, users and tokens. */
export function identityApi(t: Transport) {
  return {
    /** Signs in; returns a 12-hour session token. */
    login: (username: string, password: string): Promise<z.infer<typeof loginResponseSchema>> =>
      t.call('POST', '/api/v1/auth/login', { json: { username, password }, schema: loginResponseSchema }),
    /** The caller: user, role and token scope. */
    me: () => t.call('GET', '/api/v1/me', { schema: meSchema }),
    users: {
      list: (q: Page & { role?: string; q?: string } = {}) =>
        t.call('GET', '/api/v1/users', { query: q, schema: userPageSchema }),
      get: (id: string) => t.call('GET', `/api/v1/users/${seg(id)}`, { schema: userSchema }),
      create: (input: UserCreate) => t.call('POST', '/api/v1/users', { json: input, schema: userSchema }),
      update: (id: string, patch: UserPatch) =>
        t.call('PATCH', `/api/v1/users/${seg(id)}`, { json: patch, schema: userSchema }),
    },
    tokens: {
      list: (q: Page & { userId?: string; includeRevoked?: boolean } = {}) =>
        t.call('GET', '/api/v1/tokens', { query: q, schema: tokenPageSchema }),
      /** Creates a token; `secret` in the answer is never shown again. */
      create: (input: TokenCreate) =>
        t.call('POST', '/api/v1/tokens', { json: input, schema: tokenCreatedSchema }),
      revoke: (id: string) => t.call('POST', `/api/v1/tokens/${seg(id)}/revoke`, { schema: tokenSchema }),
    },
  };
}

/** The audit trail. */
export function auditApi(t: Transport) {
  return {
    /** One page of events matching the filters. */
    events: (q: Partial<AuditEventQuery> = {}) =>
      t.call('GET', '/api/v1/audit/events', { query: q, schema: auditEventPageSchema }),
    /** Verifies the chain on the server's live store. */
    verify: () => t.call('GET', '/api/v1/audit/verify', { schema: auditVerifySchema }),
    /** Verifies the chain, that it extends the given checkpoints, and optionally the state tables. */
    verifyTrail: (body: Partial<AuditVerifyRequest>) =>
      t.call('POST', '/api/v1/audit/verify', { json: body, schema: auditFullVerifySchema }),
    /** Makes a signed checkpoint of the chain head now. */
    checkpoint: () => t.call('POST', '/api/v1/audit/checkpoints', { schema: storedCheckpointSchema }),
    /** The newest signed checkpoint (404 when none was made yet). */
    latestCheckpoint: () =>
      t.call('GET', '/api/v1/audit/checkpoints/latest', { schema: storedCheckpointSchema }),
    /** Signed checkpoints, newest first. */
    checkpoints: (limit = 100) =>
      t.call('GET', '/api/v1/audit/checkpoints', { query: { limit }, schema: checkpointListSchema }),
  };
}
