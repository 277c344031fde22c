import type { DecisionRead, ModelSnap, RelationsAt, Snapshot, TieringRead } from './snapshot.ts';

/** What an invariant gets: the state before the step, after it, and the past relations. */
export interface Ctx {
  prev: Snapshot | null;
  cur: Snapshot;
  relationsAt: RelationsAt;
}

export interface Invariant {
  id: string;
  /** One sentence: what must hold (docs/controls.md lists them). */
  says: string;
  check(ctx: Ctx): Promise<string[]>;
}

const APPROVALS = new Set(['approve', 'approve_with_conditions']);
export const isApproval = (d: DecisionRead | undefined): d is DecisionRead => !!d && APPROVALS.has(d.outcome);

/** The latest final decision of a version (by finalization time), as the gate reads it. */
export function latestFinal(m: ModelSnap, label: string): DecisionRead | undefined {
  return m.decisions
    .filter((d) => d.versionLabel === label && d.state === 'final' && d.finalizedAt)
    .sort((a, b) => b.finalizedAt!.localeCompare(a.finalizedAt!))[0];
}

/**
 * The tierings that set the model's class, newest first by when they took effect: a re-tiering
 * waiting for a second governance person (or rejected by one) never did; an approved one did when
 * it was approved (`decidedAt`), not when it was assessed.
 */
function effectiveTierings(m: ModelSnap): (TieringRead & { effectiveAt: string })[] {
  return m.tierings
    .filter((t) => (t.status ?? 'effective') === 'effective')
    .map((t) => ({ ...t, effectiveAt: t.decidedAt ?? t.assessedAt }))
    .sort((a, b) => b.effectiveAt.localeCompare(a.effectiveAt));
}

/** The model's EU AI Act class at a past time: its latest tiering in effect then. */
export function classAt(m: ModelSnap, at: string): string | null {
  return effectiveTierings(m).find((t) => t.effectiveAt <= at)?.euAiAct.class ?? null;
}

/** Whether a version's own latest tiering in effect classifies it prohibited. */
export function versionProhibited(m: ModelSnap, label: string): boolean {
  return effectiveTierings(m).find((t) => t.versionLabel === label)?.euAiAct.class === 'prohibited';
}

/** Why `person` is not independent of `m` as it is now and of review `reviewId`, or null. */
export function dependenceNow(m: ModelSnap, reviewId: string, person: string): string | null {
  if (m.owner === person) return `${person} owns ${m.key} now`;
  if (m.developers.includes(person)) return `${person} develops ${m.key} now`;
  const r = m.reviews.find((x) => x.id === reviewId);
  if (r?.submittedBy === person) return `${person} submitted the review`;
  if (r?.validator === person) return `${person} validated the review`;
  return null;
}

/** Why the signers of `d` were not independent when they signed, or are not now. */
export async function signerProblems(
  ctx: Ctx,
  m: ModelSnap,
  d: DecisionRead,
  when: 'then' | 'now',
): Promise<string[]> {
  const out: string[] = [];
  for (const s of d.signatures) {
    if (when === 'now') {
      const why = dependenceNow(m, d.reviewId, s.signer);
      if (why) out.push(`decision ${d.id} (${m.key}@${d.versionLabel}) signed by ${s.signer}, but ${why}`);
      continue;
    }
    const then = await ctx.relationsAt(m.key, s.signedAt);
    const r = m.reviews.find((x) => x.id === d.reviewId);
    const why =
      then.owner === s.signer
        ? 'owned the model'
        : then.developers.includes(s.signer)
          ? 'developed the model'
          : r?.submittedBy === s.signer
            ? 'submitted the review'
            : r?.validator === s.signer
              ? 'validated the review'
              : null;
    if (why)
      out.push(
        `decision ${d.id} (${m.key}@${d.versionLabel}): ${s.signer} signed at ${s.signedAt} but ${why}`,
      );
  }
  return out;
}

/** Yields every (model, version label, env) whose gate allowed in the current snapshot. */
export function* allowedGates(cur: Snapshot, env?: string): Generator<[ModelSnap, string, string]> {
  for (const m of cur.models)
    for (const [k, g] of Object.entries(m.gates)) {
      const [label, e] = k.split('/') as [string, string];
      if (g.allowed && (!env || e === env)) yield [m, label, e];
    }
}

/**
 * Whether a valid exception (approved by a second person, not expired or revoked) allows `allow`:
 * a status move for the whole model, a production deployment only of the version it names.
 */
export function hasException(
  m: ModelSnap,
  allow: 'status_approved' | 'status_production' | 'production_deployment',
  label: string | null = null,
): boolean {
  return m.exceptions.some(
    (x) =>
      x.active &&
      x.allows.includes(allow) &&
      (allow !== 'production_deployment' || (x.version !== null && x.version === label)),
  );
}
