import fc from 'fast-check';
import { type ActionSpec, action, actorFrom, inDays, MAKERS, STEWARDS, VALIDATORS } from './action.ts';
import { act, ok, pick, type World } from './world.ts';

const EVIDENCE_TYPES = [
  'model_card',
  'validation_report',
  'fairness_assessment',
  'data_sheet',
  'monitoring_plan',
  'test_results',
  'security_review',
  'privacy_assessment',
  'other',
] as const;

/** Attaches external-URL evidence (the cheapest kind) and remembers its id. */
export async function attachEvidence(
  w: World,
  actor: string,
  key: string,
  label: string,
  type: string,
  validDays: number | null,
): Promise<string | null> {
  const res = await act(w, actor, 'POST', `/api/v1/models/${key}/versions/${label}/evidence`, {
    type,
    title: `${type} of ${key}@${label}`,
    externalUrl: `https://evidence.example.com/${key}/${label}/${type}/${w.evidence.length}`,
    ...(validDays === null ? {} : { validUntil: inDays(w, validDays) }),
  });
  const made = ok<{ id: string }>(res);
  if (made) w.evidence.push(made.id);
  return made?.id ?? null;
}

/** Evidence and reviews: attach, supersede, open, submit, assign a validator, move. */
export const REVIEW_ACTIONS: ActionSpec<never>[] = [
  action({
    name: 'carryForward',
    weight: 1,
    params: fc.record({
      actor: actorFrom([...VALIDATORS, ...STEWARDS]),
      review: fc.nat({ max: 7 }),
      evidence: fc.nat({ max: 7 }),
    }),
    async run(w, p) {
      const id = pick(w.reviews, p.review);
      const evidenceId = pick(w.evidence, p.evidence);
      if (id && evidenceId)
        await act(w, p.actor, 'POST', `/api/v1/reviews/${id}/carry-forward`, {
          evidenceId,
          reason: 'the adversary counts earlier evidence for this cycle',
        });
    },
  }),
  action({
    name: 'attachEvidence',
    weight: 3,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS, ...VALIDATORS]),
      model: fc.nat({ max: 7 }),
      version: fc.nat({ max: 7 }),
      type: fc.constantFrom(...EVIDENCE_TYPES),
      validDays: fc.option(fc.integer({ min: 1, max: 400 }), { freq: 2 }),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      const label = key && pick(w.versions[key]!, p.version);
      if (key && label) await attachEvidence(w, p.actor, key, label, p.type, p.validDays);
    },
  }),
  action({
    name: 'supersedeEvidence',
    weight: 1,
    params: fc.record({ actor: actorFrom([...STEWARDS, ...MAKERS]), evidence: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.evidence, p.evidence);
      if (id) await act(w, p.actor, 'POST', `/api/v1/evidence/${id}/supersede`, { reason: 'replaced' });
    },
  }),
  action({
    name: 'openReview',
    weight: 2,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS]),
      model: fc.nat({ max: 7 }),
      version: fc.nat({ max: 7 }),
      type: fc.constantFrom('initial', 'change', 'periodic', 'incident'),
      gate: fc.constantFrom('validation', 'production'),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      const label = key && pick(w.versions[key]!, p.version);
      if (!key || !label) return;
      const res = await act(w, p.actor, 'POST', `/api/v1/models/${key}/versions/${label}/reviews`, {
        type: p.type,
        gate: p.gate,
      });
      const made = ok<{ id: string }>(res);
      if (made) w.reviews.push(made.id);
    },
  }),
  action({
    name: 'submitReview',
    weight: 2,
    params: fc.record({ actor: actorFrom([...STEWARDS, ...MAKERS]), review: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.reviews, p.review);
      if (id) await act(w, p.actor, 'POST', `/api/v1/reviews/${id}/submit`, {});
    },
  }),
  action({
    name: 'assignValidator',
    weight: 2,
    params: fc.record({
      actor: actorFrom(STEWARDS),
      review: fc.nat({ max: 7 }),
      validator: fc.constantFrom(...VALIDATORS, ...MAKERS, 'amy'),
    }),
    async run(w, p) {
      const id = pick(w.reviews, p.review);
      if (id) await act(w, p.actor, 'POST', `/api/v1/reviews/${id}/validator`, { validator: p.validator });
    },
  }),
  action({
    name: 'reviewTransition',
    weight: 2,
    params: fc.record({
      actor: actorFrom([...VALIDATORS, ...STEWARDS]),
      review: fc.nat({ max: 7 }),
      event: fc.constantFrom('start_validation', 'request_decision', 'return_to_validation', 'withdraw'),
    }),
    async run(w, p) {
      const id = pick(w.reviews, p.review);
      if (id) await act(w, p.actor, 'POST', `/api/v1/reviews/${id}/transition`, { event: p.event });
    },
  }),
] as ActionSpec<never>[];
