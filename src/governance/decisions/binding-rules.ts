import type { DecisionBinding } from '../../contracts/decisions.ts';
import { ConflictError } from '../../platform/errors.ts';

/** What can change under an approval. */
export type BindingChangeKind =
  | 'content'
  | 'tier'
  | 'tiering'
  | 'tier_override'
  | 'eu_ai_act_class'
  | 'policy_version'
  | 'evidence';

/** One bound field that no longer holds, with what it was and what it is now. */
export interface BindingChange {
  kind: BindingChangeKind;
  message: string;
}

/** The bound fields the gate compares: everything but the open findings (the gate judges those itself). */
export type BoundState = Omit<DecisionBinding, 'openFindings' | 'digest'>;

/** The changes that concern the tier: its value, the tiering record behind it, the approved override in force. */
export const TIER_BINDING_CHANGES: ReadonlySet<BindingChangeKind> = new Set([
  'tier',
  'tiering',
  'tier_override',
]);

/**
 * What a decision bound, as the gate compares it: its binding, with the decision's own tier when
 * the binding was recorded before tiers were bound. Null when the decision carries no binding. Pure.
 */
export function boundState(decision: { tier: number | null; binding: BoundState | null }): BoundState | null {
  if (!decision.binding) return null;
  return { ...decision.binding, tier: decision.binding.tier ?? decision.tier };
}

const show = (v: unknown) => (v === null || v === undefined ? 'none' : String(v));

/**
 * What changed between what an approval bound and the state now: the version's content, tier,
 * tiering record, approved override, EU AI Act class, the tiering's policy version, or a bound
 * piece of evidence that is gone or has another hash (evidence added since does not change what
 * was approved). Fields a binding does not carry (made before they were bound) are not compared.
 * Empty when the approval still holds. Pure.
 */
export function bindingChanges(bound: BoundState, now: BoundState): BindingChange[] {
  const out: BindingChange[] = [];
  const field = <K extends keyof BoundState>(key: K, kind: BindingChangeKind, what: string) => {
    if (bound[key] === undefined || bound[key] === now[key]) return;
    out.push({ kind, message: `${what} was ${show(bound[key])} when approved and is ${show(now[key])} now` });
  };
  if (bound.versionId !== now.versionId || bound.artifactSha256 !== now.artifactSha256)
    out.push({
      kind: 'content',
      message: `the artifact was ${show(bound.artifactSha256)} when approved and is ${show(now.artifactSha256)} now`,
    });
  else field('contentSha256', 'content', "the version's content (artifact, code, registry, datasets)");
  field('tier', 'tier', 'the tier');
  field('tieringId', 'tiering', 'the tiering record');
  field('tierOverrideId', 'tier_override', 'the approved tier override');
  field('euAiActClass', 'eu_ai_act_class', 'the EU AI Act class');
  field('tieringPolicyVersion', 'policy_version', "the tiering's policy version");
  const current = new Map(now.evidence.map((e) => [e.id, e]));
  const changed = bound.evidence.filter((e) => {
    const c = current.get(e.id);
    return !c || c.sha256 !== e.sha256 || c.url !== e.url;
  });
  if (changed.length > 0)
    out.push({
      kind: 'evidence',
      message: `approved evidence was superseded or changed: ${changed.map((e) => `${e.type} ${e.id}`).join(', ')}`,
    });
  return out;
}

/** A system classified prohibited under the EU AI Act (Art. 5) can never be approved, whatever the policy. */
export function assertNotProhibited(model: { key: string; eu_ai_act_class: string | null }): void {
  if (model.eu_ai_act_class === 'prohibited')
    throw new ConflictError(
      `model '${model.key}' is classified prohibited under the EU AI Act (Art. 5): it can never be approved`,
      { rule: 'eu_ai_act_prohibited' },
    );
}
