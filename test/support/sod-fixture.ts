import { expect } from 'vitest';
import type { Role } from '../../src/platform/auth/roles.ts';
import { startTestServer, type TestServer } from './test-server.ts';
import { TIER4_ANSWERS } from './tier-answers.ts';

/** A test server with the people the separation-of-duties tests need, and helpers that act as them. */
export interface SodFixture {
  t: TestServer;
  tok: Record<string, string>;
  ids: Record<string, string>;
  call(
    who: string,
    method: string,
    url: string,
    body?: unknown,
    want?: number,
  ): Promise<ReturnType<typeof JSON.parse>>;
  /** A model owned by olivia, developed by dan, version 1.0.0 (Tier 4 unless `untiered`). */
  model(key: string, options?: { untiered?: boolean }): Promise<void>;
  /** A review of key@1.0.0 at `gate`, submitted by olivia, validated by `validator`, waiting for a decision. */
  pendingReview(key: string, validator: string, gate?: 'production' | 'validation'): Promise<string>;
  /** The audit actions of one entity, oldest first. */
  auditActions(entityId: string): Promise<string[]>;
}

const PEOPLE: [string, Role][] = [
  ['olivia', 'owner'],
  ['dan', 'developer'],
  ['vera', 'validator'],
  ['vic', 'validator'],
  ['gina', 'governance'],
  ['gabe', 'governance'],
  ['alice', 'approver'],
  ['amy', 'approver'],
];

/** Starts the server and creates the people. */
export async function startSodFixture(engine: 'sqlite' | 'postgres'): Promise<SodFixture> {
  const t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
  const tok: Record<string, string> = { admin: t.adminToken };
  const ids: Record<string, string> = {};
  for (const [name, role] of PEOPLE) {
    const u = await t.userToken(name, role);
    tok[name] = u.token;
    ids[name] = u.userId;
  }
  const call: SodFixture['call'] = async (who, method, url, body, want) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res.body ? res.json() : null;
  };
  const evidence = async (key: string, types: readonly string[]) => {
    for (const type of types)
      await call(
        'dan',
        'POST',
        `/api/v1/models/${key}/versions/1.0.0/evidence`,
        {
          type,
          title: type,
          externalUrl: `https://docs.example.com/${key}/${type}`,
        },
        201,
      );
  };
  return {
    t,
    tok,
    ids,
    call,
    async model(key, options = {}) {
      await call(
        'admin',
        'POST',
        '/api/v1/models',
        {
          key,
          name: key,
          type: 'classification',
          owner: 'olivia',
          developers: ['dan'],
          status: 'development',
        },
        201,
      );
      await call('dan', 'POST', `/api/v1/models/${key}/versions`, { label: '1.0.0' }, 201);
      if (!options.untiered)
        await call(
          'olivia',
          'POST',
          `/api/v1/models/${key}/versions/1.0.0/tiering`,
          { answers: TIER4_ANSWERS },
          201,
        );
    },
    async pendingReview(key, validator, gate = 'production') {
      const r = await call(
        'olivia',
        'POST',
        `/api/v1/models/${key}/versions/1.0.0/reviews`,
        { type: 'initial', gate },
        201,
      );
      await call('olivia', 'POST', `/api/v1/reviews/${r.id}/submit`, undefined, 200);
      await call('gina', 'POST', `/api/v1/reviews/${r.id}/validator`, { validator }, 200);
      await call(validator, 'POST', `/api/v1/reviews/${r.id}/transition`, { event: 'start_validation' }, 200);
      const checklist = await call('admin', 'GET', `/api/v1/reviews/${r.id}/checklist`, undefined, 200);
      await evidence(
        key,
        checklist.items.map((i: { evidenceType: string }) => i.evidenceType),
      );
      await call(validator, 'POST', `/api/v1/reviews/${r.id}/transition`, { event: 'request_decision' }, 200);
      return r.id as string;
    },
    async auditActions(entityId) {
      const page = await call(
        'admin',
        'GET',
        `/api/v1/audit/events?entityId=${entityId}&limit=200&order=asc`,
        undefined,
        200,
      );
      return page.items.map((e: { action: string }) => e.action);
    },
  };
}
