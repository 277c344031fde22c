import {
  type ActivePolicy,
  type PolicyVersion,
  policyDocumentSchema,
} from '../../../src/contracts/policy.ts';
import type { PolicyView } from './api-workflow.ts';

/** The active policy and its stored versions as the admin page's policy view. */
export function toPolicyView(active: ActivePolicy, versions: readonly PolicyVersion[]): PolicyView {
  const parsed = policyDocumentSchema.safeParse(active.document);
  const doc = parsed.success ? parsed.data : null;
  const minScore = new Map(doc?.tiering.thresholds.map((t) => [t.tier, t.minScore]) ?? []);
  return {
    name: doc?.name ?? 'model risk policy',
    tiers:
      doc?.tiers.map((t) => ({
        tier: t.tier,
        name: t.name,
        minScore: minScore.get(t.tier) ?? null,
        validationDepth: t.validationDepth,
        reviewFrequencyMonths: t.reviewFrequencyMonths,
        signOff: t.signOff.map((s) => `${s.count} × ${s.role}`).join(', '),
        productionEvidence: t.requiredEvidence.production.map((e) => e.replaceAll('_', ' ')).join(', '),
      })) ?? [],
    severities: doc
      ? Object.entries(doc.findings.severities).map(([severity, rule]) => ({
          severity,
          remediationDays: rule.remediationDays,
        }))
      : [],
    version: active.version,
    activatedAt: active.createdAt,
    activatedBy: active.createdBy,
    document: active.yaml,
    history: versions.map((v) => ({
      version: `${v.version}${v.active ? ' (active)' : ''} · sha256 ${v.sha256.slice(0, 12)}…`,
      activatedAt: v.createdAt,
      activatedBy: v.createdBy,
    })),
  };
}
