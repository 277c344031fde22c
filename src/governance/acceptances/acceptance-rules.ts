import type { PolicyDocument, Severity } from '../../contracts/policy.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { ForbiddenError, ValidationError } from '../../platform/errors.ts';

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
 * Checks an approver: not the requester, and of a role the policy lets accept every severity
 * among the findings. Pure.
 */
export function checkAcceptanceApprover(
  policy: PolicyDocument,
  f: { approver: string; approverRole: Role; requester: string; severities: readonly Severity[] },
): void {
  if (f.approver === f.requester)
    throw new ForbiddenError('the requester of a risk acceptance cannot approve it', {
      rule: 'requester_approver',
    });
  for (const s of f.severities) {
    const roles = policy.findings.severities[s].acceptanceRoles as readonly string[];
    if (!roles.includes(f.approverRole))
      throw new ForbiddenError(
        `a ${f.approverRole} may not accept ${s} findings (the policy allows: ${roles.join(', ') || 'nobody'})`,
        { rule: 'acceptance_role', severity: s },
      );
  }
}
