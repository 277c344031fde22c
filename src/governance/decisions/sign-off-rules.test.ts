import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../platform/auth/roles.ts';
import { addMonths, isDecisionComplete, signerViolation } from './sign-off-rules.ts';

const people = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
const roles: Role[] = ['approver', 'governance', 'validator', 'admin'];

describe('sign-off rules', () => {
  it('nobody who owns, develops or submitted the model is ever accepted as a signer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...people),
        fc.constantFrom(...roles),
        fc.option(fc.constantFrom(...people), { nil: null }),
        fc.subarray(people),
        fc.option(fc.constantFrom(...people), { nil: null }),
        fc.array(fc.record({ role: fc.constantFrom(...roles), count: fc.integer({ min: 1, max: 3 }) }), {
          maxLength: 3,
        }),
        (signer, signerRole, owner, developers, submitter, requirements) => {
          const v = signerViolation({
            signer,
            signerRole,
            owner,
            developers,
            submitter,
            requirements,
            signatures: [],
          });
          if (signer === owner || developers.includes(signer) || signer === submitter)
            expect(v).not.toBeNull();
          if (v === null) expect(requirements.some((r) => r.role === signerRole)).toBe(true);
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
