import fc from 'fast-check';
import { type ActionSpec, action, actorFrom, inDays, MAKERS, STEWARDS, VALIDATORS } from './action.ts';
import { attachEvidence } from './actions-review.ts';
import { act, ok, pick } from './world.ts';

/** Findings and risk acceptances: raise, remediate, verify, request and decide acceptances. */
export const FINDING_ACTIONS: ActionSpec<never>[] = [
  action({
    name: 'raiseFinding',
    weight: 2,
    params: fc.record({
      actor: actorFrom([...VALIDATORS, ...STEWARDS]),
      model: fc.nat({ max: 7 }),
      version: fc.nat({ max: 7 }),
      severity: fc.constantFrom('critical', 'high', 'medium', 'low'),
      owner: fc.constantFrom(...MAKERS, 'vera'),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      const label = key && pick(w.versions[key]!, p.version);
      if (!key || !label) return;
      const res = await act(w, p.actor, 'POST', `/api/v1/models/${key}/versions/${label}/findings`, {
        title: `${p.severity} finding ${w.findings.length} (${key}@${label})`,
        description: 'raised by the adversary',
        category: 'performance',
        severity: p.severity,
        owner: p.owner,
      });
      const made = ok<{ id: string }>(res);
      if (made) w.findings.push(made.id);
    },
  }),
  action({
    name: 'findingTransition',
    weight: 3,
    params: fc.record({
      actor: actorFrom([...MAKERS, ...VALIDATORS, ...STEWARDS]),
      finding: fc.nat({ max: 7 }),
      event: fc.constantFrom('start_remediation', 'submit_for_verification', 'verify', 'reject_verification'),
      /** For submit_for_verification: cite fresh evidence (attached now) or the oldest evidence known. */
      freshEvidence: fc.boolean(),
    }),
    async run(w, p) {
      const id = pick(w.findings, p.finding);
      if (!id) return;
      const body: Record<string, unknown> = { event: p.event };
      if (p.event === 'start_remediation') body.remediationPlan = 'fix it';
      if (p.event === 'submit_for_verification') {
        const f = ok<{ modelKey: string; versionLabel: string }>(
          await act(w, 'admin', 'GET', `/api/v1/findings/${id}`),
        );
        if (!f) return;
        const proof = p.freshEvidence
          ? await attachEvidence(w, 'admin', f.modelKey, f.versionLabel, 'other', null)
          : (w.evidence[0] ?? null);
        if (proof) body.closureEvidenceId = proof;
      }
      await act(w, p.actor, 'POST', `/api/v1/findings/${id}/transition`, body);
    },
  }),
  action({
    name: 'requestAcceptance',
    weight: 1,
    params: fc.record({
      actor: actorFrom([...STEWARDS, 'olga', 'oscar']),
      finding: fc.nat({ max: 7 }),
      days: fc.integer({ min: 1, max: 120 }),
    }),
    async run(w, p) {
      const id = pick(w.findings, p.finding);
      if (!id) return;
      const res = await act(w, p.actor, 'POST', '/api/v1/risk-acceptances', {
        findingIds: [id],
        rationale: 'the adversary accepts this risk',
        expiresAt: inDays(w, p.days),
      });
      const made = ok<{ id: string }>(res);
      if (made) w.acceptances.push(made.id);
    },
  }),
  action({
    name: 'decideAcceptance',
    weight: 1,
    params: fc.record({
      actor: actorFrom(['gina', 'gabe', 'amy', 'abe']),
      acceptance: fc.nat({ max: 7 }),
      verdict: fc.constantFrom('approve', 'reject'),
    }),
    async run(w, p) {
      const id = pick(w.acceptances, p.acceptance);
      if (id) await act(w, p.actor, 'POST', `/api/v1/risk-acceptances/${id}/${p.verdict}`, {});
    },
  }),
] as ActionSpec<never>[];
