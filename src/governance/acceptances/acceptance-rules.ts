import type { PolicyDocument, Severity } from '../../contracts/policy.ts';
import { aRole, type Role } from '../../platform/auth/roles.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/errors.ts';

const DAY = 86_400_000;

/** The latest expiry the policy allows for accepting findings of these severities, from `now`. Pure. */
export function maxAcceptanceExpiry(
  policy: PolicyDocument,
  severities: readonly Severity[],
  now: Date,
): Date {
  const days = Math.min(...severities.map((s) => policy.findings.severities[s].maxAcceptanceDays));
  return new Date(now.getTime() + days * DAY);
}

/** Checks a requested expiry: in the future and no later than the policy allows. Pure. */
export function checkAcceptanceExpiry(
  policy: PolicyDocument,
  severities: readonly Severity[],
  expiresAt: Date,
  now: Date,
): void {
  if (expiresAt.getTime() <= now.getTime())
    throw new ValidationError('expiresAt must be in the future', 'expiresAt');
  const max = maxAcceptanceExpiry(policy, severities, now);
  if (expiresAt.getTime() > max.getTime())
    throw new ValidationError(
      `the policy allows accepting these findings until ${max.toISOString()} at most`,
      'expiresAt',
      { maxExpiresAt: max.toISOString() },
    );
}

/**
 * Checks an approver's role: one the policy lets accept every severity among the findings. (Not the
 * requester and not the model's makers: `access/separation-of-duties.ts`.) Pure.
 */
export function checkAcceptanceApprover(
  policy: PolicyDocument,
  f: { approverRole: Role; severities: readonly Severity[] },
): void {
  for (const s of f.severities) {
    const roles = policy.findings.severities[s].acceptanceRoles as readonly string[];
    if (!roles.includes(f.approverRole))
      throw new ForbiddenError(
        `${aRole(f.approverRole)} may not accept ${s} findings (the policy allows: ${roles.join(', ') || 'nobody'})`,
        { rule: 'acceptance_role', severity: s },
      );
  }
}

/**
 * Checks the renewal limit: a finding may be risk-accepted once plus at most `maxRenewals` more
 * times (the smallest limit of its severity). `priorApprovals` counts its earlier approved
 * acceptances (active or expired). Pure.
 */
export function checkAcceptanceRenewals(
  policy: PolicyDocument,
  findings: readonly { id: string; severity: Severity; priorApprovals: number }[],
): void {
  for (const f of findings) {
    const max = policy.findings.severities[f.severity].maxRenewals;
    if (f.priorApprovals > max)
      throw new ConflictError(
        `finding ${f.id} has been risk-accepted ${f.priorApprovals} times; the policy allows ${max} renewal(s) of a ${f.severity} finding's acceptance`,
        { rule: 'acceptance_renewal_limit', findingId: f.id, maxRenewals: max, field: 'findingIds' },
      );
  }
}
