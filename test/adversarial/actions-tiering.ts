import fc from 'fast-check';
import { type ActionSpec, action, actorFrom, MAKERS, STEWARDS } from './action.ts';
import { act, ok, pick, type World } from './world.ts';

/** EU AI Act answers by index into the policy's lists; `null` omits them (a re-tiering without them). */
const euAnswers = fc.option(
  fc.record({
    prohibited: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.nat({ max: 9 }) },
    ),
    annexIII: fc.option(fc.nat({ max: 9 }), { freq: 2 }),
    annexI: fc.option(fc.nat({ max: 9 }), { freq: 1 }),
    transparency: fc.option(fc.nat({ max: 9 }), { freq: 2 }),
    art6_3Derogation: fc.boolean(),
    profilesNaturalPersons: fc.boolean(),
  }),
  { freq: 3 },
);

/** EU AI Act answers of a tier action: indices into the policy's lists (null: none of that group). */
export interface EuParams {
  prohibited: number | null;
  annexIII: number | null;
  annexI: number | null;
  transparency: number | null;
  art6_3Derogation: boolean;
  profilesNaturalPersons: boolean;
}

/** The tiering body for the chosen preset and answer indices, with EU answers when given. */
export function tieringBody(
  w: World,
  preset: 'lowest' | 'highest' | 'random',
  answers: readonly number[],
  eu: EuParams | null,
): Record<string, unknown> {
  const chosen: Record<string, string> = {};
  w.questions.forEach((q, i) => {
    const n = preset === 'lowest' ? 0 : preset === 'highest' ? q.answers.length - 1 : (answers[i] ?? 0);
    chosen[q.id] = q.answers[n % q.answers.length]!;
  });
  if (!eu) return { answers: chosen };
  const one = (list: string[], n: number | null) => (n === null || !list.length ? [] : [pick(list, n)!]);
  return {
    answers: chosen,
    euAiAct: {
      prohibitedPractices: one(w.eu.prohibited, eu.prohibited),
      annexIIIAreas: one(w.eu.annexIII, eu.annexIII),
      annexIProducts: one(w.eu.annexI, eu.annexI),
      transparency: one(w.eu.transparency, eu.transparency),
      art6_3Derogation: eu.art6_3Derogation,
      profilesNaturalPersons: eu.profilesNaturalPersons,
    },
  };
}

/** Tiering (with EU AI Act answers) and four-eyes tier overrides. */
export const TIERING_ACTIONS: ActionSpec<never>[] = [
  action({
    name: 'tier',
    weight: 4,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS]),
      model: fc.nat({ max: 7 }),
      version: fc.nat({ max: 7 }),
      preset: fc.constantFrom('lowest' as const, 'highest' as const, 'random' as const),
      answers: fc.array(fc.nat({ max: 19 }), { minLength: 8, maxLength: 8 }),
      eu: euAnswers,
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      const label = key && pick(w.versions[key]!, p.version);
      if (!key || !label) return;
      const res = await act(
        w,
        p.actor,
        'POST',
        `/api/v1/models/${key}/versions/${label}/tiering`,
        tieringBody(w, p.preset, p.answers, p.eu),
      );
      // A lowering of a frozen or approved version waits (202 pending) for a second governance person.
      const made = ok<{ id: string; status: string }>(res);
      if (made?.status === 'pending') w.tierings.push(made.id);
    },
  }),
  action({
    name: 'decideTiering',
    weight: 2,
    params: fc.record({
      actor: actorFrom(STEWARDS),
      tiering: fc.nat({ max: 7 }),
      verdict: fc.constantFrom('approve', 'approve', 'reject'),
    }),
    async run(w, p) {
      const id = pick(w.tierings, p.tiering);
      if (id) await act(w, p.actor, 'POST', `/api/v1/tierings/${id}/${p.verdict}`, {});
    },
  }),
  action({
    name: 'requestOverride',
    weight: 1,
    params: fc.record({
      actor: actorFrom([...STEWARDS, 'olga', 'oscar']),
      model: fc.nat({ max: 7 }),
      tier: fc.integer({ min: 1, max: 4 }),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      if (!key) return;
      const res = await act(w, p.actor, 'POST', `/api/v1/models/${key}/tier-overrides`, {
        tier: p.tier,
        justification: 'the adversary argues for a different tier',
      });
      const made = ok<{ id: string }>(res);
      if (made) w.overrides.push(made.id);
    },
  }),
  action({
    name: 'decideOverride',
    weight: 1,
    params: fc.record({
      actor: actorFrom(STEWARDS),
      override: fc.nat({ max: 7 }),
      verdict: fc.constantFrom('approve', 'reject'),
    }),
    async run(w, p) {
      const id = pick(w.overrides, p.override);
      if (id) await act(w, p.actor, 'POST', `/api/v1/tier-overrides/${id}/${p.verdict}`, {});
    },
  }),
] as ActionSpec<never>[];
