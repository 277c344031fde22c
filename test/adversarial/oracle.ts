import type { DecisionRead, ModelSnap, RelationsAt, Snapshot } from './snapshot.ts';

/** One broken invariant, with what the oracle saw. */
export interface Violation {
  invariant: InvariantId;
  message: string;
}

/** What an invariant gets: the state before the step, after it, and the past relations. */
interface Ctx {
  prev: Snapshot | null;
  cur: Snapshot;
  relationsAt: RelationsAt;
}

interface Invariant {
  id: string;
  /** One sentence: what must hold (docs/controls-property.md lists them). */
  says: string;
  check(ctx: Ctx): Promise<string[]>;
}

const APPROVALS = new Set(['approve', 'approve_with_conditions']);
const isApproval = (d: DecisionRead | undefined): d is DecisionRead => !!d && APPROVALS.has(d.outcome);

/** The latest final decision of a version (by finalization time), as the gate reads it. */
export function latestFinal(m: ModelSnap, label: string): DecisionRead | undefined {
  return m.decisions
    .filter((d) => d.versionLabel === label && d.state === 'final' && d.finalizedAt)
    .sort((a, b) => b.finalizedAt!.localeCompare(a.finalizedAt!))[0];
}

/** The model's EU AI Act class at a past time: its latest tiering assessed then or before. */
function classAt(m: ModelSnap, at: string): string | null {
  return m.tierings.find((t) => t.assessedAt <= at)?.euAiAct.class ?? null;
}

/** Whether a version's own latest tiering classifies it prohibited. */
function versionProhibited(m: ModelSnap, label: string): boolean {
  return m.tierings.find((t) => t.versionLabel === label)?.euAiAct.class === 'prohibited';
}

/** Why `person` is not independent of `m` as it is now and of review `reviewId`, or null. */
function dependenceNow(m: ModelSnap, reviewId: string, person: string): string | null {
  if (m.owner === person) return `${person} owns ${m.key} now`;
  if (m.developers.includes(person)) return `${person} develops ${m.key} now`;
  const r = m.reviews.find((x) => x.id === reviewId);
  if (r?.submittedBy === person) return `${person} submitted the review`;
  if (r?.validator === person) return `${person} validated the review`;
  return null;
}

/** Why the signers of `d` were not independent when they signed, or are not now. */
async function signerProblems(
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
function* allowedGates(cur: Snapshot, env?: string): Generator<[ModelSnap, string, string]> {
  for (const m of cur.models)
    for (const [k, g] of Object.entries(m.gates)) {
      const [label, e] = k.split('/') as [string, string];
      if (g.allowed && (!env || e === env)) yield [m, label, e];
    }
}

function hasException(m: ModelSnap, label: string | null): boolean {
  return m.exceptions.some((x) => x.active && (x.version === null || x.version === label));
}

/** The invariants of issue 12, each checked from the API's reads alone. */
export const INVARIANTS = [
  {
    id: 'gate.approval_required',
    says: 'A gate allows only a version whose latest final decision is an unexpired approval.',
    async check({ cur }) {
      const out: string[] = [];
      for (const [m, label, env] of allowedGates(cur)) {
        const d = latestFinal(m, label);
        if (!isApproval(d)) out.push(`${m.key}@${label} passes the ${env} gate without a final approval`);
        else if (d.expiresAt && d.expiresAt <= cur.at)
          out.push(`${m.key}@${label} passes the ${env} gate on approval ${d.id} expired at ${d.expiresAt}`);
      }
      return out;
    },
  },
  {
    id: 'gate.approval_binds_tier_and_class',
    says: "The production gate allows only while the approval's tier is the model's tier now and the EU AI Act class is the one approved.",
    async check({ cur }) {
      const out: string[] = [];
      for (const [m, label] of allowedGates(cur, 'production')) {
        const d = latestFinal(m, label);
        if (!isApproval(d)) continue;
        const approvedTier = d.binding?.tier !== undefined ? d.binding.tier : d.tier;
        if (approvedTier !== m.tier)
          out.push(
            `${m.key}@${label} passes production on approval ${d.id} for tier ${approvedTier}, but the model is tier ${m.tier} now`,
          );
        const approvedClass = d.binding?.euAiActClass ?? classAt(m, d.finalizedAt!);
        if (approvedClass !== m.euClass)
          out.push(
            `${m.key}@${label} passes production on approval ${d.id} given as ${approvedClass}, but the model is ${m.euClass} now`,
          );
      }
      return out;
    },
  },
  {
    id: 'gate.approval_binds_content',
    says: "The production gate allows only while the approved artifact is the version's and every evidence item the approval bound is still current.",
    async check({ cur }) {
      const out: string[] = [];
      for (const [m, label] of allowedGates(cur, 'production')) {
        const d = latestFinal(m, label);
        if (!isApproval(d) || !d.binding) continue;
        const v = m.versions.find((x) => x.label === label);
        if (v && v.artifactSha256 !== d.binding.artifactSha256)
          out.push(`${m.key}@${label} passes production but its artifact changed since approval ${d.id}`);
        const current = new Set(m.currentEvidence[label] ?? []);
        for (const e of d.binding.evidence)
          if (!current.has(e.id))
            out.push(
              `${m.key}@${label} passes production but ${e.type} evidence ${e.id} bound by approval ${d.id} is superseded`,
            );
      }
      return out;
    },
  },
  {
    id: 'gate.signers_independent',
    says: "The production gate allows only on an approval whose signers were independent when they signed and are now (not owner or developer of the model, not the review's submitter or validator).",
    async check(ctx) {
      const out: string[] = [];
      for (const [m, label] of allowedGates(ctx.cur, 'production')) {
        const d = latestFinal(m, label);
        if (!isApproval(d)) continue;
        out.push(...(await signerProblems(ctx, m, d, 'then')), ...(await signerProblems(ctx, m, d, 'now')));
      }
      return out.map((s) => `production gate open: ${s}`);
    },
  },
  {
    id: 'eu.prohibited_never_allowed',
    says: 'No gate, for any environment, allows a version of a model (or a version) classified prohibited under the EU AI Act.',
    async check({ cur }) {
      const out: string[] = [];
      for (const [m, label, env] of allowedGates(cur))
        if (m.euClass === 'prohibited' || versionProhibited(m, label))
          out.push(`${m.key}@${label} is classified prohibited but passes the ${env} gate`);
      return out;
    },
  },
  {
    id: 'eu.prohibited_never_approved',
    says: 'No approval becomes final for a model classified prohibited at that moment.',
    async check({ cur }) {
      const out: string[] = [];
      for (const m of cur.models)
        for (const d of m.decisions)
          if (d.state === 'final' && isApproval(d) && classAt(m, d.finalizedAt!) === 'prohibited')
            out.push(
              `approval ${d.id} of ${m.key}@${d.versionLabel} became final while the model was prohibited`,
            );
      return out;
    },
  },
  {
    id: 'status.gated_needs_decision_or_exception',
    says: 'A model is approved or in production only with a final approval of one of its versions or a recorded exception.',
    async check({ cur }) {
      const out: string[] = [];
      for (const m of cur.models) {
        if (m.status !== 'approved' && m.status !== 'production') continue;
        const approved = m.versions.some((v) => isApproval(latestFinal(m, v.label)));
        if (!approved && !hasException(m, null))
          out.push(`${m.key} is ${m.status} without a final approval of any version or an exception`);
      }
      return out;
    },
  },
  {
    id: 'deployment.production_passes_gate',
    says: 'A production deployment is recorded only when the gate allowed that version just before, or under an exception.',
    async check({ prev, cur }) {
      const out: string[] = [];
      for (const m of cur.models) {
        const before = prev?.models.find((x) => x.key === m.key);
        for (const dep of m.deployments) {
          if (dep.environment !== 'production' || before?.deployments.some((x) => x.id === dep.id)) continue;
          const gate = before?.gates[`${dep.version}/production`];
          if (!gate?.allowed && !hasException(m, dep.version))
            out.push(
              `${m.key}@${dep.version} was deployed to production while its gate denied (${gate?.reasons.map((r) => r.code).join(', ') ?? 'no gate'})`,
            );
        }
      }
      return out;
    },
  },
  {
    id: 'deployment.no_duplicates',
    says: 'A version has at most one active deployment per environment.',
    async check({ cur }) {
      const out: string[] = [];
      for (const m of cur.models) {
        const seen = new Set<string>();
        for (const d of m.deployments.filter((x) => !x.endedAt)) {
          const k = `${d.version}/${d.environment}`;
          if (seen.has(k)) out.push(`${m.key}@${d.version} has two active ${d.environment} deployments`);
          seen.add(k);
        }
      }
      return out;
    },
  },
  {
    id: 'deployment.retired_not_deployed',
    says: 'A retired model has no active deployment.',
    async check({ cur }) {
      return cur.models
        .filter((m) => m.status === 'retired')
        .flatMap((m) =>
          m.deployments
            .filter((d) => !d.endedAt)
            .map((d) => `${m.key} is retired but ${d.version} is still deployed to ${d.environment}`),
        );
    },
  },
  {
    id: 'version.supersede_acyclic',
    says: 'Following "superseded by" from any version never comes back to it.',
    async check({ cur }) {
      const out: string[] = [];
      for (const m of cur.models) {
        const next = new Map(m.versions.map((v) => [v.label, v.supersededBy]));
        for (const v of m.versions) {
          let at = v.supersededBy;
          for (let i = 0; at && i <= m.versions.length; i++) {
            if (at === v.label) {
              out.push(`${m.key}@${v.label} supersedes itself through a cycle`);
              break;
            }
            at = next.get(at) ?? null;
          }
        }
      }
      return out;
    },
  },
  ...SOD_INVARIANTS(),
] as const satisfies readonly Invariant[];

/** Separation of duties as the API shows it: signers, validators, verifiers, four eyes. */
function SOD_INVARIANTS() {
  return [
    {
      id: 'sod.signers_independent' as const,
      says: "Every signature on a pending decision or a version's latest final decision is by someone independent of the model and the review, when signed and now.",
      async check(ctx: Ctx) {
        const out: string[] = [];
        for (const m of ctx.cur.models) {
          const live = m.decisions.filter(
            (d) =>
              d.state === 'pending' || (d.state === 'final' && latestFinal(m, d.versionLabel)?.id === d.id),
          );
          for (const d of live)
            out.push(
              ...(await signerProblems(ctx, m, d, 'then')),
              ...(await signerProblems(ctx, m, d, 'now')),
            );
        }
        return out;
      },
    },
    {
      id: 'sod.validator_independent' as const,
      says: "An open review's validator is not the model's owner or developer now, nor the review's submitter.",
      async check({ cur }: Ctx) {
        const out: string[] = [];
        for (const m of cur.models)
          for (const r of m.reviews) {
            if (!r.validator || r.state === 'closed' || r.state === 'withdrawn') continue;
            const v = r.validator;
            if (m.owner === v || m.developers.includes(v) || r.submittedBy === v)
              out.push(
                `review ${r.id} of ${m.key}@${r.versionLabel} is validated by ${v}, who ${m.owner === v ? 'owns' : r.submittedBy === v ? 'submitted' : 'develops'} it`,
              );
          }
        return out;
      },
    },
    {
      id: 'sod.verifier_independent' as const,
      says: 'A closed finding was verified by someone other than its remediator who did not own or develop the model then.',
      async check(ctx: Ctx) {
        const out: string[] = [];
        for (const m of ctx.cur.models)
          for (const f of m.findings) {
            if (f.state !== 'closed' || !f.verifiedBy) continue;
            if (f.verifiedBy === f.remediator)
              out.push(`finding ${f.id} was remediated and verified by ${f.verifiedBy}`);
            const then = await ctx.relationsAt(m.key, f.closedAt!);
            if (then.owner === f.verifiedBy || then.developers.includes(f.verifiedBy))
              out.push(
                `finding ${f.id} of ${m.key} was verified by ${f.verifiedBy}, who owned or developed the model then`,
              );
          }
        return out;
      },
    },
    {
      id: 'sod.four_eyes' as const,
      says: 'Nobody approves their own risk acceptance or tier override.',
      async check({ cur }: Ctx) {
        const out: string[] = [];
        for (const m of cur.models) {
          for (const a of m.acceptances)
            if (a.approvedBy && a.approvedBy === a.requestedBy)
              out.push(`acceptance ${a.id} approved by its requester`);
          for (const o of m.overrides)
            if (o.status === 'approved' && o.decidedBy === o.requestedBy)
              out.push(`override ${o.id} approved by its requester`);
        }
        return out;
      },
    },
  ];
}

/** The id of an invariant the oracle checks after every step. */
export type InvariantId = (typeof INVARIANTS)[number]['id'] | 'api.no_server_error' | 'audit.chain_verifies';

/** Checks every invariant on the state after a step (and, for new deployments, the state before). */
export async function checkInvariants(
  prev: Snapshot | null,
  cur: Snapshot,
  relationsAt: RelationsAt,
): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const inv of INVARIANTS as readonly Invariant[])
    for (const message of await inv.check({ prev, cur, relationsAt }))
      out.push({ invariant: inv.id as InvariantId, message });
  return out;
}
