import type { EuAiActClass } from '../../contracts/policy.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { EU_CLASS_RANK } from './eu-obligations.ts';

/** The state a re-tiering is decided against, read at one moment. */
export interface RetieringFacts {
  /** The version is frozen or has a final approval: its tiering is part of what was approved. */
  locked: boolean;
  actorRole: Role;
  /** The actor is the model's owner or one of its developers. */
  actorIsMaker: boolean;
  /** The model's tier and class now (null: never tiered). */
  currentTier: number | null;
  currentClass: EuAiActClass | null;
  /** The approved tier override in force, if any: the tier it argued against and the tier it set. */
  override: { fromTier: number; toTier: number } | null;
  newComputedTier: number;
  newClass: EuAiActClass;
}

/** What a re-tiering does. */
export interface RetieringPlan {
  /** The model's tier once the tiering takes effect. */
  resultingTier: number;
  /**
   * carried: the override argued against the tier this tiering computes again, so it stays in
   * force and records the new tiering; superseded: the computed tier changed, so the override's
   * justification no longer holds and it ends (audited); none: no override in force.
   */
  overrideFate: 'none' | 'carried' | 'superseded';
  /** The tier or the class becomes less strict than the model has now. */
  lowers: boolean;
  /** immediate: takes effect now; four_eyes: waits for a second governance person; refused. */
  outcome: 'immediate' | 'four_eyes' | 'refused';
}

const GOVERNANCE: ReadonlySet<Role> = new Set(['admin', 'governance']);

/**
 * Decides a re-tiering. An approved override survives when the new tiering computes the tier it
 * argued against, and is superseded otherwise. On a frozen or approved version only governance
 * (admin or governance role, never the model's owner or developers) may re-tier, and a re-tiering
 * that lowers the tier or the EU AI Act class waits for a second governance person (the model's
 * first tiering excepted: nothing approved rests on a tier yet). Pure.
 */
export function planRetiering(f: RetieringFacts): RetieringPlan {
  const overrideFate =
    f.override === null ? 'none' : f.override.fromTier === f.newComputedTier ? 'carried' : 'superseded';
  const resultingTier = overrideFate === 'carried' && f.override ? f.override.toTier : f.newComputedTier;
  const lowers =
    (f.currentTier !== null && resultingTier > f.currentTier) ||
    (f.currentClass !== null && EU_CLASS_RANK[f.newClass] > EU_CLASS_RANK[f.currentClass]);
  // The first tiering of a model is an assessment, not a re-tiering: nothing approved rests on it yet.
  const firstTiering = f.currentTier === null && f.currentClass === null;
  if (!f.locked || firstTiering) return { resultingTier, overrideFate, lowers, outcome: 'immediate' };
  if (!GOVERNANCE.has(f.actorRole) || f.actorIsMaker)
    return { resultingTier, overrideFate, lowers, outcome: 'refused' };
  return { resultingTier, overrideFate, lowers, outcome: lowers ? 'four_eyes' : 'immediate' };
}
