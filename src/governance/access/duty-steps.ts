import type { Kysely } from 'kysely';
import type { ModelRelation, Role } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import {
  type DutyKind,
  type DutyStep,
  type SodRefusal,
  type Standing,
  separationOfDuties,
  staleStep,
} from './separation-of-duties.ts';

/** An earlier step as the store records it: who did what, in which role, and whether it still counts. */
export interface RecordedStep {
  kind: DutyKind;
  person: string;
  roleThen?: Role | null | undefined;
  live: boolean;
  ref?: string | null | undefined;
}

/** Standings to use instead of the stored ones (a relation or role change being checked before it is written). */
export type StandingOverride = (person: string, stored: Standing) => Standing;

/** The decision states whose signatures still carry something: a pending decision, or a final approval. */
export function signatureLive(state: string, outcome: string): boolean {
  return (
    state === 'pending' ||
    (state === 'final' && (outcome === 'approve' || outcome === 'approve_with_conditions'))
  );
}

/** Each person's role and relations to the model now (no model: relations are empty). */
export async function standingsOf(
  tx: Kysely<Database>,
  modelId: string | null,
  people: readonly string[],
): Promise<Map<string, Standing>> {
  const names = [...new Set(people)];
  const out = new Map<string, Standing>();
  if (names.length === 0) return out;
  const users = await tx
    .selectFrom('users')
    .select(['username', 'role'])
    .where('username', 'in', names)
    .execute();
  const relations = modelId
    ? await tx
        .selectFrom('model_relations')
        .innerJoin('users', 'users.id', 'model_relations.user_id')
        .select(['users.username', 'model_relations.relation'])
        .where('model_relations.model_id', '=', modelId)
        .where('users.username', 'in', names)
        .execute()
    : [];
  for (const u of users)
    out.set(u.username, {
      role: u.role as Role,
      relations: relations.filter((r) => r.username === u.username).map((r) => r.relation as ModelRelation),
    });
  return out;
}

/**
 * Every step on a review and its decisions: the submitter, each validator ever assigned (from
 * the audit trail; only the current one is live) and every signature (live while its decision is
 * pending or a final approval).
 */
export async function reviewSteps(tx: Kysely<Database>, reviewId: string): Promise<RecordedStep[]> {
  const review = await tx
    .selectFrom('reviews')
    .select(['submitted_by', 'validator_id', 'state'])
    .where('id', '=', reviewId)
    .executeTakeFirst();
  if (!review) return [];
  const steps: RecordedStep[] = [];
  if (review.submitted_by)
    steps.push({ kind: 'submit_review', person: review.submitted_by, live: true, ref: reviewId });
  const assignments = await tx
    .selectFrom('audit_events')
    .select('after_json')
    .where('entity_type', '=', 'review')
    .where('entity_id', '=', reviewId)
    .where('action', '=', 'review.validator_assigned')
    .execute();
  const former = new Set<string>();
  for (const a of assignments) {
    const validator = a.after_json ? (JSON.parse(a.after_json) as { validator?: unknown }).validator : null;
    if (typeof validator === 'string' && validator !== review.validator_id) former.add(validator);
  }
  for (const person of former) steps.push({ kind: 'validate', person, live: false, ref: reviewId });
  if (review.validator_id)
    steps.push({
      kind: 'validate',
      person: review.validator_id,
      roleThen: 'validator',
      live: review.state !== 'withdrawn',
      ref: reviewId,
    });
  const signatures = await tx
    .selectFrom('decision_signatures')
    .innerJoin('decisions', 'decisions.id', 'decision_signatures.decision_id')
    .select([
      'decision_signatures.decision_id',
      'decision_signatures.signer',
      'decision_signatures.role',
      'decisions.state',
      'decisions.outcome',
    ])
    .where('decisions.review_id', '=', reviewId)
    .execute();
  for (const s of signatures)
    steps.push({
      kind: 'sign_decision',
      person: s.signer,
      roleThen: s.role as Role,
      live: signatureLive(s.state, s.outcome),
      ref: s.decision_id,
    });
  return steps;
}

/** Gives recorded steps their people's standing now (and the role they acted in, when recorded). */
export async function withStandings(
  tx: Kysely<Database>,
  modelId: string | null,
  steps: readonly RecordedStep[],
  override?: StandingOverride,
): Promise<DutyStep[]> {
  const standings = await standingsOf(
    tx,
    modelId,
    steps.map((s) => s.person),
  );
  return steps.map((s) => {
    const stored = standings.get(s.person) ?? { role: s.roleThen ?? 'auditor', relations: [] };
    return {
      kind: s.kind,
      person: s.person,
      now: override ? override(s.person, stored) : stored,
      whenDone: s.roleThen ? { role: s.roleThen, relations: [] } : null,
      live: s.live,
      ref: s.ref ?? null,
    };
  });
}

/** The 403 of a separation-of-duties refusal: `details.rule = 'separation_of_duties'` and the violation. */
export function sodForbidden(r: SodRefusal): ForbiddenError {
  const { message, ...details } = r;
  return new ForbiddenError(`separation of duties: ${message}`, details);
}

/**
 * Checks `person` may do `kind` now, given the earlier steps on the same subject (re-checked
 * with everyone's standing now). Throws the 403 refusal. Reads in `tx`.
 */
export async function assertSeparation(
  tx: Kysely<Database>,
  modelId: string | null,
  action: { kind: DutyKind; person: string },
  earlier: readonly RecordedStep[],
): Promise<void> {
  const standing = (await standingsOf(tx, modelId, [action.person])).get(action.person) ?? {
    role: 'auditor' as Role,
    relations: [],
  };
  const refusal = separationOfDuties(
    { kind: action.kind, person: action.person, standing },
    await withStandings(tx, modelId, earlier),
  );
  if (refusal) throw sodForbidden(refusal);
}

/** Re-checks earlier steps with standings overridden (a change about to be written); the first broken step, or null. */
export async function recheckSteps(
  tx: Kysely<Database>,
  modelId: string | null,
  steps: readonly RecordedStep[],
  override: StandingOverride,
): Promise<SodRefusal | null> {
  return staleStep(await withStandings(tx, modelId, steps, override));
}

/** Throws the 403 refusal when an earlier step is no longer independent (an action by someone outside the steps). */
export async function assertStepsHold(
  tx: Kysely<Database>,
  modelId: string | null,
  earlier: readonly RecordedStep[],
): Promise<void> {
  const refusal = staleStep(await withStandings(tx, modelId, earlier));
  if (refusal) throw sodForbidden(refusal);
}

/**
 * Whether a final approval still stands on independent people NOW: its review's submitter and
 * validator and its own signatures, re-checked with everyone's role and relations today. The
 * gate asks this, so even a relation written behind the API's back cannot let an approval pass.
 */
export async function approvalIndependence(
  tx: Kysely<Database>,
  modelId: string,
  decision: { id: string; reviewId: string },
): Promise<SodRefusal | null> {
  const steps = (await reviewSteps(tx, decision.reviewId)).filter(
    (s) => s.kind !== 'sign_decision' || s.ref === decision.id,
  );
  return staleStep(await withStandings(tx, modelId, steps));
}
