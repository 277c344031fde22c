import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

type Step =
  | { kind: 'assign'; by: string; validator: string }
  | { kind: 'submit'; by: string }
  | {
      kind: 'event';
      by: string;
      event: 'start_validation' | 'request_decision' | 'return_to_validation' | 'withdraw';
    };

const USERS = ['own', 'dev', 'val1', 'val2', 'gov', 'appr'] as const;
const ROLE = {
  own: 'owner',
  dev: 'developer',
  val1: 'validator',
  val2: 'validator',
  gov: 'governance',
  appr: 'approver',
} as const;
const user = fc.constantFrom(...USERS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('assign' as const), by: user, validator: user }),
  fc.record({ kind: fc.constant('submit' as const), by: user }),
  fc.record({
    kind: fc.constant('event' as const),
    by: user,
    event: fc.constantFrom(
      'start_validation' as const,
      'request_decision' as const,
      'return_to_validation' as const,
      'withdraw' as const,
    ),
  }),
);

describe.each(ENGINES)('random review action sequences on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  let n = 0;
  let accepted = 0;
  beforeAll(async () => {
    t = await startTestServer(engine);
    for (const u of USERS) tok[u] = (await t.userToken(u, ROLE[u])).token;
  });
  afterAll(async () => t.close());

  it('every accepted change writes exactly one audit event; refusals write none; the validator is never owner, developer or submitter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const key = `seq-${++n}`;
        await t.call('POST', '/api/v1/models', {
          key,
          name: key,
          type: 'classification',
          owner: 'own',
          developers: ['dev'],
        });
        await t.call('POST', `/api/v1/models/${key}/versions`, { label: '1' }, tok.dev);
        const opened = await t.call(
          'POST',
          `/api/v1/models/${key}/versions/1/reviews`,
          { type: 'initial', gate: 'production' },
          tok.dev,
        );
        expect(opened.statusCode).toBe(201);
        const id = opened.json().id as string;
        const events = async () =>
          (await t.call('GET', `/api/v1/audit/events?entityId=${id}&limit=500`)).json().items as {
            action: string;
          }[];
        let count = (await events()).length;
        for (const s of steps) {
          const before = (await t.call('GET', `/api/v1/reviews/${id}`)).json();
          const res =
            s.kind === 'assign'
              ? await t.call('POST', `/api/v1/reviews/${id}/validator`, { validator: s.validator }, tok[s.by])
              : s.kind === 'submit'
                ? await t.call('POST', `/api/v1/reviews/${id}/submit`, undefined, tok[s.by])
                : await t.call('POST', `/api/v1/reviews/${id}/transition`, { event: s.event }, tok[s.by]);
          const after = await events();
          if (res.statusCode === 200) {
            accepted++;
            expect(after.length).toBe(count + 1);
            const r = res.json();
            expect(r.rowVersion).toBe(before.rowVersion + 1);
            if (r.validator !== null) {
              expect(['own', 'dev']).not.toContain(r.validator);
              expect(r.validator).not.toBe(r.submittedBy);
            }
          } else {
            expect([400, 403, 404, 409]).toContain(res.statusCode);
            expect(after.length).toBe(count);
            expect((await t.call('GET', `/api/v1/reviews/${id}`)).json().rowVersion).toBe(before.rowVersion);
          }
          count = after.length;
        }
      }),
      { numRuns: engine === 'sqlite' ? 25 : 8 },
    );
    // The sequences must exercise accepted changes, not only refusals.
    expect(accepted).toBeGreaterThan(0);
  }, 120_000);
});
