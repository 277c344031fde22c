import type { Tiering, TierOverride } from '../../../src/contracts/policy.ts';

/** When a tiering took effect: when a second person approved it, or when it was assessed. */
function effectiveAt(t: Tiering): string {
  return t.decidedAt ?? t.assessedAt;
}

/**
 * Why the model has its tier, at `asOf` (now when null): the summary of the newest effective
 * tiering ("score … reaches Tier n; driven by …"), and the approved tier override in force over it
 * with its justification. Null when the model was never tiered by then. Pure.
 */
export function tierRationale(
  tierings: readonly Tiering[],
  overrides: readonly TierOverride[],
  asOf: string | null = null,
): string | null {
  const by = (at: string) => asOf === null || at <= asOf;
  const tiering = tierings
    .filter((t) => t.status === 'effective' && by(effectiveAt(t)))
    .sort((a, b) => effectiveAt(b).localeCompare(effectiveAt(a)))[0];
  if (!tiering) return null;
  // In force at asOf: approved by then and not superseded (by then) by a re-tiering of another tier.
  const override = overrides
    .filter((o) => o.decidedAt !== null && by(o.decidedAt))
    .filter(
      (o) =>
        o.status === 'approved' ||
        (o.status === 'superseded' && asOf !== null && o.supersededAt !== null && o.supersededAt > asOf),
    )
    .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''))[0];
  const computed = `${tiering.summary} (version ${tiering.versionLabel}, by ${tiering.assessedBy}).`;
  if (!override) return computed;
  return (
    `Tier ${override.toTier} by an approved override of the computed Tier ${override.fromTier} ` +
    `(requested by ${override.requestedBy}, approved by ${override.decidedBy}): ${override.justification} ` +
    `Computed: ${computed}`
  );
}
