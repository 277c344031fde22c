import fc from 'fast-check';
import type { ActionSpec, Step } from './action.ts';
import { DECISION_ACTIONS } from './actions-decisions.ts';
import { EXCEPTION_ACTIONS } from './actions-exceptions.ts';
import { FINDING_ACTIONS } from './actions-findings.ts';
import { INVENTORY_ACTIONS } from './actions-inventory.ts';
import { REVIEW_ACTIONS } from './actions-review.ts';
import { TIERING_ACTIONS } from './actions-tiering.ts';
import type { World } from './world.ts';

/**
 * Every action the adversary can take. To add one (e.g. a decision withdrawal once its route
 * exists): write an `action({...})` in the file of its feature and list it there; nothing else
 * changes. See docs/controls.md.
 */
export const ACTIONS: readonly ActionSpec<never>[] = [
  ...INVENTORY_ACTIONS,
  ...TIERING_ACTIONS,
  ...REVIEW_ACTIONS,
  ...FINDING_ACTIONS,
  ...DECISION_ACTIONS,
  ...EXCEPTION_ACTIONS,
];

const BY_NAME = new Map(ACTIONS.map((a) => [a.name, a]));
if (BY_NAME.size !== ACTIONS.length) throw new Error('two adversarial actions share a name');

/** A random step: an action chosen by weight, with its generated parameters. */
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  ...ACTIONS.map((a) => ({
    weight: a.weight,
    arbitrary: (a.params as fc.Arbitrary<Record<string, unknown>>).map(
      (params): Step => ({ action: a.name, params }),
    ),
  })),
);

/**
 * Every sequence starts from one registered model (m0, owned by olga, developed by dora) with a
 * version tiered with the lowest answers (Tier 4: one approver signs), so that random sequences
 * reach approvals and open gates within a few steps; random steps re-tier, add models, and so on.
 */
export const OPENING: readonly Step[] = [
  { action: 'registerModel', params: { actor: 'admin', owner: 'olga', developers: ['dora'] } },
  { action: 'registerVersion', params: { actor: 'admin', model: 0, materialChange: false } },
  {
    action: 'tier',
    params: {
      actor: 'admin',
      model: 0,
      version: 0,
      preset: 'lowest',
      answers: [0, 0, 0, 0, 0, 0, 0, 0],
      eu: null,
    },
  },
];

/** Performs one step through the API. */
export async function runStep(w: World, step: Step): Promise<void> {
  const spec = BY_NAME.get(step.action);
  if (!spec) throw new Error(`unknown adversarial action '${step.action}'`);
  await (spec as unknown as ActionSpec<Record<string, unknown>>).run(w, step.params);
}
