import { type Ctx, type Invariant, latestFinal, signerProblems } from './oracle-facts.ts';

/** Separation of duties as the API shows it: signers, validators, verifiers, four eyes. */
export const SOD_INVARIANTS = [
  {
    id: 'sod.signers_independent',
    says: "Every signature on a pending decision or a version's latest final decision is by someone independent of the model and the review, when signed and now.",
    async check(ctx: Ctx) {
      const out: string[] = [];
      for (const m of ctx.cur.models) {
        const live = m.decisions.filter(
          (d) =>
            d.state === 'pending' || (d.state === 'final' && latestFinal(m, d.versionLabel)?.id === d.id),
        );
        for (const d of live)
          out.push(...(await signerProblems(ctx, m, d, 'then')), ...(await signerProblems(ctx, m, d, 'now')));
      }
      return out;
    },
  },
  {
    id: 'sod.validator_independent',
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
    id: 'sod.verifier_independent',
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
    id: 'sod.four_eyes',
    says: 'Nobody approves their own risk acceptance, tier override, lowering re-tiering, policy proposal or lifecycle exception, and no owner or developer of the model approves its exception.',
    async check({ cur, relationsAt }: Ctx) {
      const out: string[] = [];
      for (const m of cur.models) {
        for (const a of m.acceptances)
          if (a.approvedBy && a.approvedBy === a.requestedBy)
            out.push(`acceptance ${a.id} approved by its requester`);
        for (const o of m.overrides)
          if (o.status === 'approved' && o.decidedBy === o.requestedBy)
            out.push(`override ${o.id} approved by its requester`);
        for (const t of m.tierings)
          if (t.status === 'effective' && t.decidedBy && t.decidedBy === t.assessedBy)
            out.push(`re-tiering ${t.id} of ${m.key} approved by its assessor ${t.assessedBy}`);
        for (const x of m.exceptions) {
          if (!x.decidedBy || !x.decidedAt || x.state === 'rejected' || x.state === 'requested') continue;
          if (x.decidedBy === x.requestedBy)
            out.push(`exception ${x.id} of ${m.key} approved by its requester`);
          const then = await relationsAt(m.key, x.decidedAt);
          if (then.owner === x.decidedBy || then.developers.includes(x.decidedBy))
            out.push(
              `exception ${x.id} of ${m.key} approved by ${x.decidedBy}, who owned or developed it then`,
            );
        }
      }
      for (const v of cur.policyVersions ?? [])
        if (v.state === 'approved' && v.baseVersion !== null && v.decidedBy === v.createdBy)
          out.push(`policy version ${v.version} approved by its proposer ${v.createdBy}`);
      return out;
    },
  },
] as const satisfies readonly Invariant[];
