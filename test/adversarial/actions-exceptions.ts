import fc from 'fast-check';
import { type ActionSpec, action, actorFrom, inDays, MAKERS, STEWARDS } from './action.ts';
import { act, ok, pick } from './world.ts';

const ALLOWANCES = ['status_approved', 'status_production', 'production_deployment'] as const;

/** Lifecycle exceptions: request (anyone), approve or reject (a second person), revoke. */
export const EXCEPTION_ACTIONS: ActionSpec<never>[] = [
  action({
    name: 'requestException',
    weight: 2,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS]),
      model: fc.nat({ max: 7 }),
      /** The version it names, or none (a production deployment exception without one is refused). */
      version: fc.option(fc.nat({ max: 7 }), { freq: 3, nil: null }),
      allows: fc.subarray([...ALLOWANCES], { minLength: 1 }),
      /** Past 365 days is refused. */
      days: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 61, max: 400 })),
      /** Who approves it right away (a second steward, the requester, anyone), or nobody yet. */
      approver: fc.option(actorFrom(STEWARDS), { freq: 3, nil: null }),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      if (!key) return;
      const label = p.version === null ? undefined : pick(w.versions[key]!, p.version);
      const res = await act(w, p.actor, 'POST', '/api/v1/exceptions', {
        modelKey: key,
        ...(label ? { versionLabel: label } : {}),
        allows: p.allows,
        reason: 'the adversary needs this model running without the usual approval',
        until: inDays(w, p.days),
      });
      const made = ok<{ id: string }>(res);
      if (!made) return;
      w.exceptions.push(made.id);
      if (p.approver) await act(w, p.approver, 'POST', `/api/v1/exceptions/${made.id}/approve`, {});
    },
  }),
  action({
    name: 'decideException',
    weight: 1,
    params: fc.record({
      actor: actorFrom(STEWARDS),
      exception: fc.nat({ max: 7 }),
      verdict: fc.constantFrom('approve', 'approve', 'reject'),
    }),
    async run(w, p) {
      const id = pick(w.exceptions, p.exception);
      if (id) await act(w, p.actor, 'POST', `/api/v1/exceptions/${id}/${p.verdict}`, {});
    },
  }),
  action({
    name: 'revokeException',
    weight: 1,
    params: fc.record({ actor: actorFrom(STEWARDS), exception: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.exceptions, p.exception);
      if (id)
        await act(w, p.actor, 'POST', `/api/v1/exceptions/${id}/revoke`, {
          reason: 'the adversary revokes it',
        });
    },
  }),
] as ActionSpec<never>[];
