import type { Role } from '../../platform/auth/roles.ts';

/** One sign-off requirement of a tier. */
export interface SignOffRequirement {
  role: Role;
  count: number;
}

/** What decides whether a signature fits the tier's sign-off (independence is separation-of-duties'). */
export interface SignerFacts {
  signer: string;
  signerRole: Role;
  requirements: readonly SignOffRequirement[];
  /** Signatures already on the decision. */
  signatures: readonly { signer: string; role: Role }[];
}

/** Why a signature does not fit the sign-off. */
export type SignerViolation = 'already_signed' | 'role_not_required' | 'role_full';

/**
 * Why `signer` may not sign, or null: a signer signs once; the signer's role must be one the tier
 * requires and still short of its count. Who may never sign (the model's owner and developers, the
 * review's submitter and validator) is `access/separation-of-duties.ts`. Pure.
 */
export function signerViolation(f: SignerFacts): SignerViolation | null {
  if (f.signatures.some((s) => s.signer === f.signer)) return 'already_signed';
  const need = f.requirements.find((r) => r.role === f.signerRole);
  if (!need) return 'role_not_required';
  if (f.signatures.filter((s) => s.role === f.signerRole).length >= need.count) return 'role_full';
  return null;
}

/** Per required role: how many must sign and how many have. Pure. */
export function signOffProgress(
  requirements: readonly SignOffRequirement[],
  signatures: readonly { role: Role }[],
): { role: Role; count: number; signed: number }[] {
  return requirements.map((r) => ({
    role: r.role,
    count: r.count,
    signed: signatures.filter((s) => s.role === r.role).length,
  }));
}

/**
 * Whether a decision is final: approvals need every required role's full count; a hold or a
 * reject stops a version, so one eligible signature makes it final. Pure.
 */
export function isDecisionComplete(
  outcome: string,
  requirements: readonly SignOffRequirement[],
  signatures: readonly { role: Role }[],
): boolean {
  if (outcome === 'hold' || outcome === 'reject') return signatures.length >= 1;
  return signOffProgress(requirements, signatures).every((p) => p.signed >= p.count);
}

/** `from` plus whole calendar months (UTC), clamped to the last day of a shorter month. Pure. */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** Whether an outcome approves the version. */
export function isApproval(outcome: string): boolean {
  return outcome === 'approve' || outcome === 'approve_with_conditions';
}
