import type { ModelRelation, Role } from '../../platform/auth/roles.ts';

/**
 * Separation of duties: ONE rule for every governed action. Pure: the services read who did what
 * (and each person's role and relations to the model now) and ask `separationOfDuties`; a refusal
 * names the violated rule. Evaluated at the time of the action AND for every earlier step on the
 * same review, decision, finding, acceptance, override or policy version, with each person's
 * standing then and now, so a relation or role changed afterwards cannot launder an earlier step.
 * Which roles may do a step at all is the permission table's (`src/platform/auth/permissions.ts`).
 */

/** What a person does. */
export type DutyKind =
  | 'submit_review'
  | 'validate'
  | 'sign_decision'
  | 'remediate_finding'
  | 'verify_finding'
  | 'request_override'
  | 'approve_override'
  | 'request_acceptance'
  | 'approve_acceptance'
  | 'propose_policy'
  | 'approve_policy'
  | 'request_retiering'
  | 'approve_retiering'
  | 'request_exception'
  | 'approve_exception';

/** A person's role and relations to the model at one moment. */
export interface Standing {
  role: Role;
  relations: readonly ModelRelation[];
}

/** One earlier step on the same subject. */
export interface DutyStep {
  kind: DutyKind;
  person: string;
  /** The person's standing now (re-read by the service at every action). */
  now: Standing;
  /** Their standing when they did it, when recorded (a signature records its role). */
  whenDone?: Standing | null | undefined;
  /** False when the step no longer carries the subject (a reassigned validator, a voided decision's signature). */
  live: boolean;
  /** What the step was on (a decision id, a review id), to name it in a refusal. */
  ref?: string | null | undefined;
}

/** The action being attempted: who, what, and their standing now. */
export interface DutyAction {
  kind: DutyKind;
  person: string;
  standing: Standing;
}

/** Which conflict was found. `owner`/`developer`: the model's makers; the others: an earlier step of the same person. */
export type SodViolation =
  | 'owner'
  | 'developer'
  | 'submitter'
  | 'validator'
  | 'signer'
  | 'remediator'
  | 'requester'
  | 'role';

/** A refusal: the violation, the person, the step that is not independent, and whether that step is an earlier one. */
export interface SodRefusal {
  rule: 'separation_of_duties';
  violation: SodViolation;
  person: string;
  step: DutyKind;
  earlier: boolean;
  ref: string | null;
  message: string;
}

/** Steps that must be independent of the model's development (no owner or developer of the model does them). */
export const INDEPENDENT_DUTIES: ReadonlySet<DutyKind> = new Set([
  'validate',
  'sign_decision',
  'verify_finding',
  'approve_override',
  'approve_acceptance',
  'approve_retiering',
  'approve_exception',
]);

/** Pairs of steps one person may never both do on the same subject (order does not matter). */
const CONFLICTS: readonly (readonly [DutyKind, DutyKind])[] = [
  ['submit_review', 'validate'],
  ['submit_review', 'sign_decision'],
  ['validate', 'sign_decision'],
  ['remediate_finding', 'verify_finding'],
  ['request_override', 'approve_override'],
  ['request_acceptance', 'approve_acceptance'],
  ['propose_policy', 'approve_policy'],
  ['request_retiering', 'approve_retiering'],
  ['request_exception', 'approve_exception'],
];

/** What doing a step makes a person, as a violation name. */
const PART: Record<DutyKind, SodViolation> = {
  submit_review: 'submitter',
  validate: 'validator',
  sign_decision: 'signer',
  remediate_finding: 'remediator',
  verify_finding: 'signer',
  request_override: 'requester',
  approve_override: 'signer',
  request_acceptance: 'requester',
  approve_acceptance: 'signer',
  propose_policy: 'requester',
  approve_policy: 'signer',
  request_retiering: 'requester',
  approve_retiering: 'signer',
  request_exception: 'requester',
  approve_exception: 'signer',
};

const WHAT: Record<DutyKind, string> = {
  submit_review: 'submit the review',
  validate: 'validate the review',
  sign_decision: 'sign its decision',
  remediate_finding: 'remediate the finding',
  verify_finding: 'verify the finding',
  request_override: 'request the tier override',
  approve_override: 'decide the tier override',
  request_acceptance: 'request the risk acceptance',
  approve_acceptance: 'decide the risk acceptance',
  propose_policy: 'propose the policy version',
  approve_policy: 'decide the policy version',
  request_retiering: 'request the re-tiering',
  approve_retiering: 'decide the re-tiering',
  request_exception: 'request the lifecycle exception',
  approve_exception: 'approve the lifecycle exception',
};

/** Whether one person doing both kinds of step on one subject breaks separation of duties. Pure. */
export function conflicting(a: DutyKind, b: DutyKind): boolean {
  return CONFLICTS.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/** Why a standing disqualifies a person from a step, or null. `then` is the role the step was done in. Pure. */
function standingViolation(kind: DutyKind, s: Standing, roleThen: Role | null): SodViolation | null {
  if (INDEPENDENT_DUTIES.has(kind)) {
    if (s.relations.includes('owner')) return 'owner';
    if (s.relations.includes('developer')) return 'developer';
  }
  // A validator validates only while holding the validator role; a signature counts for the role it
  // was given in, so a signer whose role has changed no longer carries it.
  if (kind === 'validate' && s.role !== 'validator') return 'role';
  if (kind === 'sign_decision' && roleThen !== null && s.role !== roleThen) return 'role';
  return null;
}

function refusal(
  violation: SodViolation,
  person: string,
  step: DutyKind,
  earlier: boolean,
  ref: string | null,
  other?: DutyKind,
): SodRefusal {
  const who = earlier ? `'${person}', who did the earlier step '${step}',` : `'${person}'`;
  const why =
    violation === 'owner' || violation === 'developer'
      ? `is the model's ${violation} and cannot ${WHAT[step]}`
      : violation === 'role'
        ? `no longer holds the role in which they could ${WHAT[step]}`
        : `cannot ${WHAT[step]} as they also ${WHAT[other ?? step]}`;
  return { rule: 'separation_of_duties', violation, person, step, earlier, ref, message: `${who} ${why}` };
}

/**
 * Re-checks earlier steps: every live step must still be independent with the person's standing
 * then and now, and no person may hold two conflicting steps. Returns the first broken step. Pure.
 */
export function staleStep(earlier: readonly DutyStep[]): SodRefusal | null {
  for (const s of earlier) {
    if (!s.live) continue;
    const roleThen = s.whenDone?.role ?? null;
    const v =
      (s.whenDone ? standingViolation(s.kind, s.whenDone, roleThen) : null) ??
      standingViolation(s.kind, s.now, roleThen);
    if (v) return refusal(v, s.person, s.kind, true, s.ref ?? null);
  }
  for (const [i, a] of earlier.entries()) {
    if (!a.live) continue;
    const clash = earlier.find((b, j) => j !== i && b.person === a.person && conflicting(a.kind, b.kind));
    if (clash) return refusal(PART[clash.kind], a.person, a.kind, true, a.ref ?? null, clash.kind);
  }
  return null;
}

/**
 * Whether `action` may happen given every earlier step on the same subject: null (allowed) or the
 * violated rule. Checks the actor's standing now, every step of the same person that conflicts
 * with this one (withdrawn or voided steps included: who did what stays done), and re-checks the
 * earlier steps (`staleStep`). Pure.
 */
export function separationOfDuties(action: DutyAction, earlier: readonly DutyStep[]): SodRefusal | null {
  const own = standingViolation(action.kind, action.standing, null);
  if (own) return refusal(own, action.person, action.kind, false, null);
  const clash = earlier.find((s) => s.person === action.person && conflicting(s.kind, action.kind));
  if (clash)
    return refusal(PART[clash.kind], action.person, action.kind, false, clash.ref ?? null, clash.kind);
  return staleStep(earlier);
}
