import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER4_ANSWERS } from '../../../test/support/tier-answers.ts';
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

  it('the gate never allows a version lacking any requirement, and every accepted change is audited, over random API action sequences', async () => {
    const REQUIRED = ['model_card', 'test_results']; // Tier 4, production gate (default policy)
    const auditCount = async () =>
      Number(
        (
          await t.store.db.kysely
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** A state-changing call: an accepted one writes audit events, a refused one writes none. */
    const change = async (who: string, method: string, url: string, body?: unknown) => {
      const before = await auditCount();
      const res = await call(who, method, url, body);
      const after = await auditCount();
      if (res.statusCode < 300) expect(after, `${method} ${url} was not audited`).toBeGreaterThan(before);
      else {
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(500);
        expect(after, `refused ${method} ${url} wrote audit events`).toBe(before);
      }
      return res;
    };
    const action = fc.oneof(
      fc.record({
        kind: fc.constant('evidence' as const),
        type: fc.constantFrom('model_card', 'test_results', 'validation_report'),
        validDays: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }),
      }),
      fc.record({
        kind: fc.constant('finding' as const),
        severity: fc.constantFrom('critical', 'high', 'medium', 'low'),
      }),
      fc.record({
        kind: fc.constant('accept' as const),
        pick: fc.nat(),
        days: fc.integer({ min: 1, max: 30 }),
      }),
      fc.record({ kind: fc.constant('close' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constant('approve' as const),
        conditionDays: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }),
      }),
      fc.record({ kind: fc.constant('meet' as const) }),
      fc.record({
        kind: fc.constant('time' as const),
        days: fc.integer({ min: 1, max: 200 }),
        tick: fc.boolean(),
      }),
    );
    let allowedSeen = 0;
    let deniedSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
        const key = `gate-${++n}`;
        const base = `/api/v1/models/${key}/versions/1`;
        await must('admin', 'POST', '/api/v1/models', {
          key,
          name: key,
          type: 'classification',
          owner: 'a1',
        });
        await must('admin', 'POST', `/api/v1/models/${key}/versions`, { label: '1' });
        await must('admin', 'POST', `${base}/tiering`, { answers: TIER4_ANSWERS });
        const findingIds: string[] = [];
        let reviewId: string | null = null;
        for (const a of actions) {
          const now = t.clock.now().getTime();
          if (a.kind === 'evidence') {
            await change('admin', 'POST', `${base}/evidence`, {
              type: a.type,
              title: a.type,
              externalUrl: `https://e.example.com/${key}/${a.type}`,
              ...(a.validDays ? { validUntil: new Date(now + a.validDays * DAY).toISOString() } : {}),
            });
          } else if (a.kind === 'finding') {
            const res = await change('vera', 'POST', `${base}/findings`, {
              title: `${a.severity} finding ${findingIds.length} on ${key}`,
              description: 'raised by the property',
              category: 'performance',
              severity: a.severity,
              owner: 'a1',
            });
            findingIds.push(res.json().id);
          } else if (a.kind === 'accept' && findingIds.length) {
            const res = await change('admin', 'POST', '/api/v1/risk-acceptances', {
              findingIds: [findingIds[a.pick % findingIds.length]],
              rationale: 'accepted by the property',
              expiresAt: new Date(now + a.days * DAY).toISOString(),
            });
            if (res.statusCode < 300)
              await change('g1', 'POST', `/api/v1/risk-acceptances/${res.json().id}/approve`, {});
          } else if (a.kind === 'close' && findingIds.length) {
            const id = findingIds[a.pick % findingIds.length];
            const proof = await must('admin', 'POST', `${base}/evidence`, {
              type: 'other',
              title: 'fix',
              externalUrl: `https://e.example.com/${key}/fix`,
            });
            await change('a1', 'POST', `/api/v1/findings/${id}/transition`, {
              event: 'start_remediation',
              remediationPlan: 'fix it',
            });
            await change('a1', 'POST', `/api/v1/findings/${id}/transition`, {
              event: 'submit_for_verification',
              closureEvidenceId: proof.id,
            });
            await change('vera', 'POST', `/api/v1/findings/${id}/transition`, { event: 'verify' });
          } else if (a.kind === 'approve') {
            if (!reviewId) {
              reviewId = (
                await must('admin', 'POST', `${base}/reviews`, { type: 'initial', gate: 'production' })
              ).id;
              await must('g2', 'POST', `/api/v1/reviews/${reviewId}/submit`);
              await must('admin', 'POST', `/api/v1/reviews/${reviewId}/validator`, { validator: 'vera' });
              await must('vera', 'POST', `/api/v1/reviews/${reviewId}/transition`, {
                event: 'start_validation',
              });
              await must('vera', 'POST', `/api/v1/reviews/${reviewId}/transition`, {
                event: 'request_decision',
              });
            }
            const conditions = a.conditionDays
              ? [
                  {
                    text: 'follow up',
                    owner: 'a1',
                    dueAt: new Date(now + a.conditionDays * DAY).toISOString(),
                  },
                ]
              : [];
            const proposed = await change('a2', 'POST', `/api/v1/reviews/${reviewId}/decisions`, {
              outcome: conditions.length ? 'approve_with_conditions' : 'approve',
              rationale: 'property approval',
              ...(conditions.length ? { conditions } : {}),
            });
            if (proposed.statusCode < 300) {
              const signed = await change('a3', 'POST', `/api/v1/decisions/${proposed.json().id}/sign`, {});
              expect(signed.json().state).toBe('final');
              reviewId = null;
            }
          } else if (a.kind === 'meet') {
            const open = await t.store.db.kysely
              .selectFrom('decision_conditions')
              .innerJoin('models', 'models.id', 'decision_conditions.model_id')
              .select('decision_conditions.id')
              .where('models.key', '=', key)
              .where('met_at', 'is', null)
              .execute();
            for (const c of open) await change('a1', 'POST', `/api/v1/conditions/${c.id}/met`, {});
          } else if (a.kind === 'time') {
            t.clock.advanceDays(a.days);
            if (a.tick) await t.services.scheduler.runDueJobs();
          }

          // The oracle, from the API's own reads, independent of the gate's code.
          const at = t.clock.now().getTime();
          const finals = (
            await must('admin', 'GET', `/api/v1/decisions?modelKey=${key}&state=final&limit=100`)
          ).items as {
            outcome: string;
            finalizedAt: string;
            expiresAt: string | null;
            conditions: { met: boolean; dueAt: string }[];
          }[];
          const latest = [...finals].sort((x, y) => y.finalizedAt.localeCompare(x.finalizedAt))[0];
          const evidence = (await must('admin', 'GET', `${base}/evidence`)).items as {
            type: string;
            validUntil: string | null;
          }[];
          const findings = (await must('admin', 'GET', `/api/v1/findings?modelKey=${key}&limit=100`))
            .items as {
            id: string;
            severity: string;
            state: string;
          }[];
          const active = (
            await must('admin', 'GET', `/api/v1/risk-acceptances?modelKey=${key}&state=active&limit=100`)
          ).items as { findingIds: string[]; expiresAt: string }[];
          const acceptedNow = (id: string) =>
            active.some((x) => x.findingIds.includes(id) && Date.parse(x.expiresAt) > at);
          const approvalHolds = (d: typeof latest): boolean => {
            if (!d?.outcome.startsWith('approve') || d.expiresAt === null) return false;
            return (
              Date.parse(d.expiresAt) > at && d.conditions.every((c) => c.met || Date.parse(c.dueAt) >= at)
            );
          };
          const meets =
            approvalHolds(latest) &&
            REQUIRED.every((type) =>
              evidence.some(
                (e) => e.type === type && (e.validUntil === null || Date.parse(e.validUntil) > at),
              ),
            ) &&
            findings.every(
              (f) =>
                !['critical', 'high'].includes(f.severity) ||
                f.state === 'closed' ||
                (f.state === 'risk_accepted' && acceptedNow(f.id)),
            );
          const gate = await must('admin', 'GET', `/api/v1/gate?model=${key}&version=1&env=production`);
          expect(gate.allowed, JSON.stringify({ actions, gate })).toBe(meets);
          expect(gate.reasons.length === 0).toBe(gate.allowed);
          if (gate.allowed) allowedSeen++;
          else deniedSeen++;
        }
      }),
      {
        numRuns: engine === 'sqlite' ? 20 : 6,
        // One sequence that must open the gate, then close it again by time and a high finding.
        examples: [
          [
            [
              { kind: 'evidence', type: 'model_card', validDays: null },
              { kind: 'evidence', type: 'test_results', validDays: 60 },
              { kind: 'approve', conditionDays: null },
              { kind: 'finding', severity: 'high' },
              { kind: 'accept', pick: 0, days: 20 },
              { kind: 'time', days: 30, tick: true },
              { kind: 'close', pick: 0 },
              { kind: 'time', days: 40, tick: false },
            ],
          ],
        ],
      },
    );
    expect(allowedSeen).toBeGreaterThan(0);
    expect(deniedSeen).toBeGreaterThan(0);
  }, 240_000);

  it('every expiry and overdue flag fires exactly once under random clock moves and concurrent ticks', async () => {
    const second = new SchedulerService(t.store.db, t.clock, {
      reviews: t.services.reviews,
      schedule: t.services.reviewSchedule,
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
