import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../platform/auth/roles.ts';
import { EU_CLASS_RANK } from './eu-obligations.ts';
import { planRetiering, type RetieringFacts } from './retiering-rules.ts';

const ROLES: Role[] = ['admin', 'governance', 'owner', 'developer', 'validator', 'approver', 'auditor'];
const CLASSES = ['prohibited', 'high_risk', 'limited_risk', 'minimal'] as const;
const tierArb = fc.integer({ min: 1, max: 4 });

const factsArb: fc.Arbitrary<RetieringFacts> = fc.record({
  locked: fc.boolean(),
  actorRole: fc.constantFrom(...ROLES),
  actorIsMaker: fc.boolean(),
  currentTier: fc.option(tierArb, { nil: null }),
  currentClass: fc.option(fc.constantFrom(...CLASSES), { nil: null }),
  override: fc.option(fc.record({ fromTier: tierArb, toTier: tierArb }), { nil: null }),
  newComputedTier: tierArb,
  newClass: fc.constantFrom(...CLASSES),
});

describe('re-tiering rules (pure)', () => {
  it('on a frozen or approved version, only governance independent of the model re-tiers, and lowering waits for four eyes', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const p = planRetiering(f);
        const retiering = f.currentTier !== null || f.currentClass !== null;
        if (!f.locked || !retiering) {
          expect(p.outcome).toBe('immediate');
          return;
        }
        const governance = f.actorRole === 'admin' || f.actorRole === 'governance';
        if (!governance || f.actorIsMaker) expect(p.outcome).toBe('refused');
        else expect(p.outcome).toBe(p.lowers ? 'four_eyes' : 'immediate');
      }),
    );
  });

  it('no re-tiering of a locked version takes a lower tier or class effect at once', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const p = planRetiering(f);
        if (!f.locked || p.outcome !== 'immediate' || (f.currentTier === null && f.currentClass === null))
          return;
        if (f.currentTier !== null) expect(p.resultingTier).toBeLessThanOrEqual(f.currentTier);
        if (f.currentClass !== null)
          expect(EU_CLASS_RANK[f.newClass]).toBeLessThanOrEqual(EU_CLASS_RANK[f.currentClass]);
      }),
    );
  });

  it('an approved override is carried exactly when the new tiering computes the tier it argued against', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const p = planRetiering(f);
        if (!f.override) {
          expect(p).toMatchObject({ overrideFate: 'none', resultingTier: f.newComputedTier });
        } else if (f.override.fromTier === f.newComputedTier) {
          expect(p).toMatchObject({ overrideFate: 'carried', resultingTier: f.override.toTier });
        } else {
          expect(p).toMatchObject({ overrideFate: 'superseded', resultingTier: f.newComputedTier });
        }
      }),
    );
  });
});
