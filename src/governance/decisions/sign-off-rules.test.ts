import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../platform/auth/roles.ts';
import { addMonths, isDecisionComplete, signerViolation } from './sign-off-rules.ts';

const people = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
const roles: Role[] = ['approver', 'governance', 'validator', 'admin'];

describe('sign-off rules', () => {
  it('a signer signs once, only in a required role, and never past its count', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...people),
        fc.constantFrom(...roles),
        fc.array(fc.record({ signer: fc.constantFrom(...people), role: fc.constantFrom(...roles) }), {
          maxLength: 4,
        }),
        fc.array(fc.record({ role: fc.constantFrom(...roles), count: fc.integer({ min: 1, max: 3 }) }), {
          maxLength: 3,
        }),
        (signer, signerRole, signatures, requirements) => {
          const v = signerViolation({ signer, signerRole, requirements, signatures });
          if (signatures.some((s) => s.signer === signer)) expect(v).toBe('already_signed');
          if (v === null) {
            const need = requirements.find((r) => r.role === signerRole);
            expect(need).toBeDefined();
            expect(signatures.filter((s) => s.role === signerRole).length).toBeLessThan(need!.count);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('an approval is complete only when every required role has its count', () => {
    const req = [
      { role: 'approver' as Role, count: 2 },
      { role: 'governance' as Role, count: 1 },
    ];
    expect(isDecisionComplete('approve', req, [{ role: 'approver' }, { role: 'governance' }])).toBe(false);
    expect(
      isDecisionComplete('approve', req, [
        { role: 'approver' },
        { role: 'approver' },
        { role: 'governance' },
      ]),
    ).toBe(true);
    expect(isDecisionComplete('reject', req, [{ role: 'governance' }])).toBe(true);
  });

  it('adds calendar months, clamping to short months', () => {
    expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2026-03-01T09:00:00Z'), 36).toISOString()).toBe('2029-03-01T09:00:00.000Z');
  });
});
