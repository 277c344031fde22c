import type { Step } from './action.ts';
import type { InvariantId } from './oracle.ts';
import { OPENING } from './registry.ts';

/** An invariant broken by a sequence, with the control that fixes (or fixed) it. */
export interface KnownBreak {
  invariant: InvariantId;
  /** The control (issue 12 part) whose merge makes (or made) the sequence fail to break it. */
  until: string;
  sequence: readonly Step[];
}

const s = (action: string, params: Record<string, unknown>): Step => ({ action, params });

const NO_EU = null;
/** m0@1 tiered with the lowest answers (Tier 4), optionally with EU AI Act answers. */
const tierLowest = (eu: Record<string, unknown> | null = NO_EU) =>
  s('tier', {
    actor: 'admin',
    model: 0,
    version: 0,
    preset: 'lowest',
    answers: [0, 0, 0, 0, 0, 0, 0, 0],
    eu,
  });
/** Walks m0@1's production review to a final approval: gina opens, admin submits, vera validates, amy proposes. */
const approve = (signers: string[]) =>
  s('driveApproval', {
    model: 0,
    version: 0,
    gate: 'production',
    opener: 'gina',
    submitter: 'admin',
    validator: 'vera',
    proposer: 'amy',
    outcome: 'approve',
    conditionDays: null,
    signers,
    thorough: false,
  });
const relations = (developers: string[]) =>
  s('setRelations', { actor: 'gina', model: 0, owner: 'olga', developers, validators: [] });

/**
 * The sequences that broke an invariant on main before the issue-12 controls merged (after OPENING:
 * m0 owned by olga, developed by dora, with version 1 at Tier 4), each with the control that fixed
 * it. `adversarial.test.ts` replays each and asserts it now breaks nothing (the regression that
 * shows the property fails without the controls: on the pre-control main each of these failed).
 */
export const BROKEN_BEFORE_CONTROLS: readonly KnownBreak[] = [
  {
    invariant: 'gate.approval_binds_tier_and_class',
    until: 'approval binding + re-tiering rules',
    // Approved at Tier 1; a developer attaches test results (Tier 4 wants them, Tier 1 does not)
    // and re-tiers with the lowest answers: the production gate opens on the Tier 1 approval.
    sequence: [
      ...OPENING,
      s('tier', {
        actor: 'admin',
        model: 0,
        version: 0,
        preset: 'highest',
        answers: [0, 0, 0, 0, 0, 0, 0, 0],
        eu: NO_EU,
      }),
      approve(['amy', 'abe', 'gabe']),
      s('attachEvidence', { actor: 'dora', model: 0, version: 0, type: 'test_results', validDays: null }),
      s('tier', {
        actor: 'dora',
        model: 0,
        version: 0,
        preset: 'lowest',
        answers: [0, 0, 0, 0, 0, 0, 0, 0],
        eu: NO_EU,
      }),
    ],
  },
  {
    invariant: 'gate.approval_binds_content',
    until: 'approval binding',
    // The approved model card is superseded by a new one: the gate still opens on the old approval.
    sequence: [
      ...OPENING,
      approve(['abe']),
      s('supersedeEvidence', { actor: 'dora', evidence: 0 }),
      s('attachEvidence', { actor: 'dora', model: 0, version: 0, type: 'model_card', validDays: null }),
    ],
  },
  {
    invariant: 'gate.signers_independent',
    until: 'separation of duties at every step',
    // The signer becomes a developer of the model after signing; the gate still opens.
    sequence: [...OPENING, approve(['abe']), relations(['dora', 'abe'])],
  },
  {
    invariant: 'sod.signers_independent',
    until: 'separation of duties at every step',
    // The review's validator is made an approver and signs the approval of their own review.
    sequence: [
      ...OPENING,
      approve(['vera']),
      s('changeRole', { actor: 'admin', user: 'vera', role: 'approver' }),
      s('signDecision', { actor: 'vera', decision: 0 }),
    ],
  },
  {
    invariant: 'sod.validator_independent',
    until: 'separation of duties at every step',
    // The assigned validator is added as a developer of the model afterwards.
    sequence: [
      ...OPENING,
      s('openReview', { actor: 'gina', model: 0, version: 0, type: 'initial', gate: 'production' }),
      s('assignValidator', { actor: 'gina', review: 0, validator: 'vera' }),
      relations(['dora', 'vera']),
    ],
  },
  {
    invariant: 'sod.verifier_independent',
    until: 'separation of duties at every step (findings)',
    // A governance officer who develops the model verifies a finding's closure.
    sequence: [
      ...OPENING,
      relations(['dora', 'gabe']),
      s('raiseFinding', { actor: 'vera', model: 0, version: 0, severity: 'medium', owner: 'olga' }),
      s('findingTransition', { actor: 'olga', finding: 0, event: 'start_remediation', freshEvidence: false }),
      s('findingTransition', {
        actor: 'olga',
        finding: 0,
        event: 'submit_for_verification',
        freshEvidence: true,
      }),
      s('findingTransition', { actor: 'gabe', finding: 0, event: 'verify', freshEvidence: false }),
    ],
  },
  {
    invariant: 'eu.prohibited_never_allowed',
    until: 'EU AI Act consequences',
    sequence: [
      ...OPENING,
      tierLowest({
        prohibited: 0,
        annexIII: null,
        annexI: null,
        transparency: null,
        art6_3Derogation: false,
        profilesNaturalPersons: false,
      }),
      approve(['abe']),
    ],
  },
  {
    invariant: 'eu.prohibited_never_approved',
    until: 'EU AI Act consequences',
    sequence: [
      ...OPENING,
      tierLowest({
        prohibited: 0,
        annexIII: null,
        annexI: null,
        transparency: null,
        art6_3Derogation: false,
        profilesNaturalPersons: false,
      }),
      approve(['abe']),
    ],
  },
  {
    invariant: 'status.gated_needs_decision_or_exception',
    until: 'lifecycle status only via decision or exception',
    sequence: [
      ...OPENING,
      s('transitionModel', { actor: 'gina', model: 0, to: 'development' }),
      s('transitionModel', { actor: 'gina', model: 0, to: 'validation' }),
      s('transitionModel', { actor: 'gina', model: 0, to: 'approved' }),
    ],
  },
  {
    invariant: 'deployment.production_passes_gate',
    until: 'deployment gate checks',
    sequence: [
      ...OPENING,
      s('addDeployment', { actor: 'dora', model: 0, version: 0, environment: 'production' }),
    ],
  },
  {
    invariant: 'deployment.no_duplicates',
    until: 'deployment gate checks',
    sequence: [
      ...OPENING,
      s('addDeployment', { actor: 'dora', model: 0, version: 0, environment: 'staging' }),
      s('addDeployment', { actor: 'dora', model: 0, version: 0, environment: 'staging' }),
    ],
  },
  {
    invariant: 'deployment.retired_not_deployed',
    until: 'lifecycle (retiring ends or blocks on deployments)',
    sequence: [
      ...OPENING,
      s('addDeployment', { actor: 'dora', model: 0, version: 0, environment: 'staging' }),
      s('transitionModel', { actor: 'gina', model: 0, to: 'retired' }),
    ],
  },
  {
    invariant: 'version.supersede_acyclic',
    until: 'lifecycle (supersede cycles refused)',
    sequence: [
      ...OPENING,
      s('registerVersion', { actor: 'dora', model: 0, materialChange: false }),
      s('supersedeVersion', { actor: 'dora', model: 0, version: 0, by: 1 }),
      s('supersedeVersion', { actor: 'dora', model: 0, version: 1, by: 0 }),
    ],
  },
];

/**
 * The invariants the code on this branch still breaks, each with the shortest sequence known. The
 * random property tolerates exactly these; `adversarial.test.ts` replays each sequence and asserts
 * it still breaks its invariant, so this list stays honest. When a control merges, its entries'
 * replays fail ("remove it"): move the entry to BROKEN_BEFORE_CONTROLS. Empty since every
 * issue-12 control merged.
 */
export const EXPECTED_TO_FAIL_UNTIL_CONTROLS_LAND: readonly KnownBreak[] = [];

/** The invariants the random property tolerates today (each has an entry above). */
export const TOLERATED: ReadonlySet<InvariantId> = new Set(
  EXPECTED_TO_FAIL_UNTIL_CONTROLS_LAND.map((k) => k.invariant),
);
