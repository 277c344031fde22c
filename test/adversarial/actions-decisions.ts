import fc from 'fast-check';
import {
  type ActionSpec,
  action,
  actorFrom,
  inDays,
  MAKERS,
  SIGNERS,
  STEWARDS,
  VALIDATORS,
} from './action.ts';
import { attachEvidence } from './actions-review.ts';
import { act, ok, pick, type World } from './world.ts';

interface ReviewRead {
  id: string;
  state: string;
  gate: string;
  validator: string | null;
  checklist: { items: { evidenceType: string; status: string }[] };
}

/** Proposes a decision on a review and remembers it and its conditions. */
async function propose(
  w: World,
  actor: string,
  reviewId: string,
  outcome: string,
  conditionDays: number | null,
): Promise<string | null> {
  const conditional = outcome === 'approve_with_conditions';
  const res = await act(w, actor, 'POST', `/api/v1/reviews/${reviewId}/decisions`, {
    outcome,
    rationale: `the adversary proposes ${outcome}`,
    ...(conditional
      ? { conditions: [{ text: 'monitor drift', owner: 'olga', dueAt: inDays(w, conditionDays ?? 30) }] }
      : {}),
  });
  const made = ok<{ id: string; conditions: { id: string }[] }>(res);
  if (!made) return null;
  w.decisions.push(made.id);
  for (const c of made.conditions) w.conditions.push(c.id);
  return made.id;
}

/** Decisions: propose, sign, meet conditions; and a macro that walks a review to a signed approval. */
export const DECISION_ACTIONS: ActionSpec<never>[] = [
  action({
    name: 'proposeDecision',
    weight: 2,
    params: fc.record({
      actor: actorFrom(SIGNERS),
      review: fc.nat({ max: 7 }),
      outcome: fc.constantFrom('approve', 'approve_with_conditions', 'hold', 'reject'),
      conditionDays: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
    }),
    async run(w, p) {
      const id = pick(w.reviews, p.review);
      if (id) await propose(w, p.actor, id, p.outcome, p.conditionDays);
    },
  }),
  action({
    name: 'signDecision',
    weight: 3,
    params: fc.record({ actor: actorFrom(SIGNERS), decision: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.decisions, p.decision);
      if (id) await act(w, p.actor, 'POST', `/api/v1/decisions/${id}/sign`, {});
    },
  }),
  action({
    name: 'meetCondition',
    weight: 1,
    params: fc.record({ actor: actorFrom([...STEWARDS, 'olga']), condition: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.conditions, p.condition);
      if (id) await act(w, p.actor, 'POST', `/api/v1/conditions/${id}/met`, {});
    },
  }),
  action({
    name: 'withdrawDecision',
    weight: 1,
    params: fc.record({ actor: actorFrom([...STEWARDS, ...SIGNERS]), decision: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.decisions, p.decision);
      if (id)
        await act(w, p.actor, 'POST', `/api/v1/decisions/${id}/withdraw`, {
          reason: 'the adversary withdraws this pending decision',
        });
    },
  }),
  action({
    name: 'voidDecision',
    weight: 2,
    params: fc.record({ actor: actorFrom(STEWARDS), decision: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.decisions, p.decision);
      if (id)
        await act(w, p.actor, 'POST', `/api/v1/decisions/${id}/void`, {
          reason: 'the adversary voids this final decision',
        });
    },
  }),
  action({
    name: 'driveApproval',
    weight: 6,
    params: fc.record({
      model: fc.nat({ max: 7 }),
      version: fc.nat({ max: 7 }),
      gate: fc.constantFrom('production', 'production', 'validation'),
      opener: fc.constantFrom(...STEWARDS),
      submitter: actorFrom([...STEWARDS, ...MAKERS]),
      validator: actorFrom(VALIDATORS),
      proposer: fc.constantFrom(...SIGNERS),
      outcome: fc.constantFrom('approve', 'approve', 'approve_with_conditions'),
      conditionDays: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
      signers: fc.array(actorFrom(SIGNERS), { minLength: 1, maxLength: 4 }),
      /** Then everyone with a signing role tries too, so that sign-off usually completes. */
      thorough: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    }),
    /**
     * The happy path as far as the server lets it go: find or open a review, attach what its
     * checklist misses, submit, assign, validate, propose and sign. Each step is a real request by
     * the chosen person, so any control can refuse any step (and then the walk stops).
     */
    async run(w, p) {
      const key = pick(w.models, p.model);
      const label = key && pick(w.versions[key]!, p.version);
      if (!key || !label) return;
      const reviewId = await openOrFind(w, p.opener, key, label, p.gate);
      if (!reviewId) return;
      const read = async () => ok<ReviewRead>(await act(w, 'admin', 'GET', `/api/v1/reviews/${reviewId}`));
      let r = await read();
      for (const item of r?.checklist.items ?? [])
        if (item.status !== 'satisfied')
          await attachEvidence(w, p.opener, key, label, item.evidenceType, null);
      if (r?.state === 'draft') await act(w, p.submitter, 'POST', `/api/v1/reviews/${reviewId}/submit`, {});
      r = await read();
      // The chosen validator first; when thorough and refused, the other validators.
      for (const v of p.thorough ? [p.validator, ...VALIDATORS] : [p.validator]) {
        if (!r || r.validator || r.state === 'closed' || r.state === 'withdrawn') break;
        await act(w, p.opener, 'POST', `/api/v1/reviews/${reviewId}/validator`, { validator: v });
        r = await read();
      }
      const validator = r?.validator ?? p.validator;
      if (r?.state === 'submitted')
        await act(w, validator, 'POST', `/api/v1/reviews/${reviewId}/transition`, {
          event: 'start_validation',
        });
      if ((await read())?.state === 'in_validation')
        await act(w, validator, 'POST', `/api/v1/reviews/${reviewId}/transition`, {
          event: 'request_decision',
        });
      if ((await read())?.state !== 'decision_pending') return;
      const pending = ok<{ items: { id: string; reviewId: string }[] }>(
        await act(w, 'admin', 'GET', `/api/v1/decisions?modelKey=${key}&state=pending&limit=500`),
      )?.items.find((d) => d.reviewId === reviewId);
      const decisionId = pending?.id ?? (await propose(w, p.proposer, reviewId, p.outcome, p.conditionDays));
      if (!decisionId) return;
      const signers = p.thorough
        ? [...p.signers, ...SIGNERS.filter((x) => !p.signers.includes(x))]
        : p.signers;
      for (const s of signers) {
        const res = await act(w, s, 'POST', `/api/v1/decisions/${decisionId}/sign`, {});
        if (ok<{ state: string }>(res)?.state === 'final') break;
      }
    },
  }),
] as ActionSpec<never>[];

/** An open review of `key@label` at `gate`, or a new one opened by `opener`. */
async function openOrFind(
  w: World,
  opener: string,
  key: string,
  label: string,
  gate: string,
): Promise<string | null> {
  const list = ok<{ items: { id: string; versionLabel: string; gate: string; state: string }[] }>(
    await act(w, 'admin', 'GET', `/api/v1/reviews?modelKey=${key}&limit=500`),
  );
  const open = list?.items.find(
    (r) => r.versionLabel === label && r.gate === gate && r.state !== 'closed' && r.state !== 'withdrawn',
  );
  if (open) {
    if (!w.reviews.includes(open.id)) w.reviews.push(open.id);
    return open.id;
  }
  const res = await act(w, opener, 'POST', `/api/v1/models/${key}/versions/${label}/reviews`, {
    type: 'initial',
    gate,
  });
  const made = ok<{ id: string }>(res);
  if (made) w.reviews.push(made.id);
  return made?.id ?? null;
}
