import {
  allowedGates,
  classAt,
  hasException,
  type Invariant,
  isApproval,
  latestFinal,
  signerProblems,
  versionProhibited,
} from './oracle-facts.ts';
import { SOD_INVARIANTS } from './oracle-sod.ts';
import type { RelationsAt, Snapshot } from './snapshot.ts';

/** One broken invariant, with what the oracle saw. */
export interface Violation {
  invariant: InvariantId;
  message: string;
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
        else if (d.expiresAt === null || Date.parse(d.expiresAt) <= Date.parse(cur.at))
          out.push(`${m.key}@${label} passes the ${env} gate on approval ${d.id} expired at ${d.expiresAt}`);
      }
      return out;
    },
  },
  {
    id: 'gate.requirements_met',
    says: "A gate allows only when every evidence type the model's tier requires at that gate is current and unexpired, no critical or high finding is unresolved (or its acceptance lapsed), and no condition of the approval is overdue.",
    async check({ cur }) {
      const out: string[] = [];
      const now = Date.parse(cur.at);
      for (const [m, label, env] of allowedGates(cur)) {
        const gate = env === 'production' ? 'production' : 'validation';
        const byTier = [...cur.tiers].sort((a, b) => a.tier - b.tier);
        // An untiered model gets Tier 1's list, as the review checklist does.
        const tier = (m.tier === null ? byTier[0] : byTier.find((t) => t.tier === m.tier)) ?? byTier[0]!;
        const ev = m.evidence[label] ?? [];
        for (const type of tier.requiredEvidence[gate])
          if (!ev.some((e) => e.type === type && (e.validUntil === null || Date.parse(e.validUntil) > now)))
            out.push(`${m.key}@${label} passes the ${env} gate without current ${type} evidence`);
        const accepted = (id: string) =>
          m.acceptances.some(
            (a) => a.state === 'active' && a.findingIds.includes(id) && Date.parse(a.expiresAt) > now,
          );
        for (const f of m.findings)
          if (
            f.versionLabel === label &&
            (f.severity === 'critical' || f.severity === 'high') &&
            f.state !== 'closed' &&
            !(f.state === 'risk_accepted' && accepted(f.id))
          )
            out.push(
              `${m.key}@${label} passes the ${env} gate with ${f.severity} finding ${f.id} ${f.state}`,
            );
        for (const c of latestFinal(m, label)?.conditions ?? [])
          if (!c.met && Date.parse(c.dueAt) < now)
            out.push(`${m.key}@${label} passes the ${env} gate with a condition overdue since ${c.dueAt}`);
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
        const current = new Set((m.evidence[label] ?? []).map((e) => e.id));
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
    says: 'A model enters approved or production only with a final approval of one of its versions or a valid exception allowing that status.',
    // Checked when the status changes: an approval voided or an exception lapsed later leaves the
    // model where it is (the exception report lists it), which is not a move without a decision.
    async check({ prev, cur }) {
      const out: string[] = [];
      for (const m of cur.models) {
        if (m.status !== 'approved' && m.status !== 'production') continue;
        const before = prev?.models.find((x) => x.key === m.key);
        if (before?.status === m.status) continue;
        const need = m.status === 'approved' ? 'status_approved' : 'status_production';
        const approved = m.versions.some((v) => isApproval(latestFinal(m, v.label)));
        if (!approved && !hasException(m, need) && !(before && hasException(before, need)))
          out.push(
            `${m.key} moved to ${m.status} without a final approval of any version or a valid exception`,
          );
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
          if (!gate?.allowed && !hasException(m, 'production_deployment', dep.version))
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
  ...SOD_INVARIANTS,
] as const satisfies readonly Invariant[];

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
