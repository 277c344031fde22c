import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { SchedulerService } from '../scheduler/scheduler.service.ts';

const POOL = ['a1', 'a2', 'a3', 'g1', 'g2'] as const;
const SUBMITTERS = ['admin', 'g1', 'g2'] as const;
const DAY = 86_400_000;

describe.each(ENGINES)('workflow properties over random API actions on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  let n = 0;
  const call = async (who: string, method: string, url: string, body?: unknown) =>
    t.call(method, url, body, tok[who]);
  const must = async (who: string, method: string, url: string, body?: unknown) => {
    const res = await call(who, method, url, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} as ${who}: ${res.statusCode} ${res.body}`);
    return res.json();
  };

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-05-01T08:00:00.000Z');
    tok.admin = t.adminToken;
    for (const u of ['a1', 'a2', 'a3']) tok[u] = (await t.userToken(u, 'approver')).token;
    for (const u of ['g1', 'g2']) tok[u] = (await t.userToken(u, 'governance')).token;
    tok.vera = (await t.userToken('vera', 'validator')).token;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('nobody ever signs an approval for a model they own, develop or submitted; each signature is audited', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POOL),
        fc.subarray([...POOL]),
        fc.constantFrom(...SUBMITTERS),
        fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 8 }),
        async (owner, devs, submitter, signers) => {
          const key = `prop-${++n}`;
          const developers = devs.filter((d) => d !== owner);
          await must('admin', 'POST', '/api/v1/models', {
            key,
            name: key,
            type: 'classification',
            owner,
            developers,
          });
          await must('admin', 'POST', `/api/v1/models/${key}/versions`, { label: '1' });
          for (const type of ['model_card', 'data_sheet', 'test_results'])
            await must('admin', 'POST', `/api/v1/models/${key}/versions/1/evidence`, {
              type,
              title: type,
              externalUrl: `https://e.example.com/${type}`,
            });
          const review = await must('admin', 'POST', `/api/v1/models/${key}/versions/1/reviews`, {
            type: 'initial',
            gate: 'validation',
          });
          await must(submitter, 'POST', `/api/v1/reviews/${review.id}/submit`);
          await must('admin', 'POST', `/api/v1/reviews/${review.id}/validator`, { validator: 'vera' });
          await must('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, {
            event: 'start_validation',
          });
          await must('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, {
            event: 'request_decision',
          });
          const decision = await must('admin', 'POST', `/api/v1/reviews/${review.id}/decisions`, {
            outcome: 'approve',
            rationale: 'property run',
          });
          for (const s of signers) {
            const res = await call(s, 'POST', `/api/v1/decisions/${decision.id}/sign`, {});
            expect([200, 403, 409]).toContain(res.statusCode);
          }
          const sigs = await t.store.db.kysely
            .selectFrom('decision_signatures')
            .select(['signer'])
            .where('decision_id', '=', decision.id)
            .execute();
          const forbidden = new Set<string>([owner, ...developers, submitter]);
          for (const sig of sigs) expect(forbidden.has(sig.signer), `${sig.signer} signed`).toBe(false);
          const audited = await t.store.db.kysely
            .selectFrom('audit_events')
            .select('id')
            .where('action', '=', 'decision.signed')
            .where('entity_id', '=', decision.id)
            .execute();
          expect(audited.length).toBe(sigs.length);
          const d = await must('admin', 'GET', `/api/v1/decisions/${decision.id}`);
          const complete = d.signOff.every((p: { count: number; signed: number }) => p.signed >= p.count);
          expect(d.state).toBe(complete ? 'final' : 'pending');
        },
      ),
      { numRuns: engine === 'sqlite' ? 25 : 8 },
    );
  }, 240_000);

  it('every expiry and overdue flag fires exactly once under random clock moves and concurrent ticks', async () => {
    const second = new SchedulerService(t.store.db, t.clock, {
      reviews: t.services.reviews,
      acceptances: t.services.acceptances,
      webhooks: t.services.webhooks,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('critical', 'high', 'medium', 'low'), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ days: fc.integer({ min: 0, max: 120 }), concurrent: fc.boolean() }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (severities, acceptDays, moves) => {
          const key = `exp-${++n}`;
          await must('admin', 'POST', '/api/v1/models', {
            key,
            name: key,
            type: 'classification',
            owner: 'a1',
          });
          await must('admin', 'POST', `/api/v1/models/${key}/versions`, { label: '1' });
          const ids: string[] = [];
          for (const severity of severities) {
            const f = await must('admin', 'POST', `/api/v1/models/${key}/versions/1/findings`, {
              title: `finding ${ids.length} of ${key}`,
              description: 'd',
              category: 'performance',
              severity,
              owner: 'a1',
            });
            ids.push(f.id);
          }
          const accept = await must('admin', 'POST', '/api/v1/risk-acceptances', {
            findingIds: [ids[0]],
            rationale: 'accepted for the property',
            expiresAt: new Date(t.clock.now().getTime() + acceptDays * DAY).toISOString(),
          });
          await must('g1', 'POST', `/api/v1/risk-acceptances/${accept.id}/approve`, {});
          for (const m of moves) {
            t.clock.advanceDays(m.days);
            if (m.concurrent) await Promise.all([t.services.scheduler.runDueJobs(), second.runDueJobs()]);
            else await t.services.scheduler.runDueJobs();
          }
          const events = await t.store.db.kysely
            .selectFrom('audit_events')
            .select(['action', 'entity_id'])
            .where('actor', '=', 'system')
            .where('entity_id', 'in', [...ids, accept.id])
            .execute();
          const count = (action: string, id: string) =>
            events.filter((e) => e.action === action && e.entity_id === id).length;
          const expired = t.clock.now().getTime() >= Date.parse(accept.expiresAt);
          expect(count('acceptance.expired', accept.id)).toBe(expired ? 1 : 0);
          for (const id of ids) {
            const f = await must('admin', 'GET', `/api/v1/findings/${id}`);
            expect(count('finding.overdue_flagged', id)).toBeLessThanOrEqual(1);
            if (f.overdue) expect(count('finding.overdue_flagged', id)).toBe(1);
          }
          const fired = await t.store.db.kysely
            .selectFrom('fired_jobs')
            .select('key')
            .where('entity_id', 'in', [...ids, accept.id])
            .execute();
          expect(new Set(fired.map((r) => r.key)).size).toBe(fired.length);
        },
      ),
      { numRuns: engine === 'sqlite' ? 20 : 6 },
    );
  }, 240_000);
});
