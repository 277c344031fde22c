import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExceptionAllowance } from '../../contracts/exceptions.ts';
import { checkExceptionRequest, covers, exceptionState, MAX_EXCEPTION_DAYS } from './exception-rules.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00.000Z');
const ALLOWANCES: ExceptionAllowance[] = ['status_approved', 'status_production', 'production_deployment'];

const exception = fc.record({
  state: fc.constantFrom('requested', 'approved', 'rejected', 'revoked'),
  until: fc.integer({ min: -400, max: 400 }).map((d) => new Date(NOW.getTime() + d * DAY).toISOString()),
  allows: fc.subarray(ALLOWANCES, { minLength: 1 }),
  versionId: fc.constantFrom(null, 'v1', 'v2'),
  deploymentId: fc.constantFrom(null, 'd1'),
});

describe('exception rules', () => {
  it('only an approved exception before its end date covers anything, and only what it allows', () => {
    fc.assert(
      fc.property(
        exception,
        fc.constantFrom(...ALLOWANCES),
        fc.constantFrom('v1', 'v2'),
        fc.constantFrom(null, 'd1', 'd2'),
        (e, allow, versionId, deploymentId) => {
          const ok = covers(e, { allow, versionId, deploymentId }, NOW);
          if (ok) {
            expect(e.state).toBe('approved');
            expect(Date.parse(e.until)).toBeGreaterThan(NOW.getTime());
            expect(e.allows).toContain(allow);
            expect(exceptionState(e, NOW)).toBe('approved');
          }
          if (ok && allow === 'production_deployment') {
            expect(e.versionId).toBe(versionId);
            if (e.deploymentId) expect(deploymentId).toBe(e.deploymentId);
          }
          if (e.state === 'approved' && Date.parse(e.until) <= NOW.getTime())
            expect(exceptionState(e, NOW)).toBe('expired');
        },
      ),
    );
  });

  it('bounds every request: in the future, at most a year, a version for a production deployment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.subarray(ALLOWANCES, { minLength: 1 }),
        fc.boolean(),
        (d, allows, withVersion) => {
          const input = {
            allows,
            until: new Date(NOW.getTime() + d * 3_600_000).toISOString(),
            ...(withVersion ? { versionLabel: '1.0' } : {}),
          };
          const hours = d;
          const valid =
            hours > 0 &&
            hours <= MAX_EXCEPTION_DAYS * 24 &&
            (withVersion || !allows.includes('production_deployment'));
          if (valid) expect(() => checkExceptionRequest(input, NOW)).not.toThrow();
          else expect(() => checkExceptionRequest(input, NOW)).toThrow();
        },
      ),
    );
    expect(() =>
      checkExceptionRequest(
        { allows: ['status_approved'], until: new Date(NOW.getTime() + 366 * DAY).toISOString() },
        NOW,
      ),
    ).toThrow(/at most 365 days/);
  });
});
