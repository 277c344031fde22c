import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceTypeSchema } from '../../contracts/policy.ts';
import type { CarriedForward } from '../../contracts/reviews.ts';
import { defaultPolicyYaml, parsePolicyYaml } from '../policy/policy-document.ts';
import { countsForCycle, type ReviewCycle, reviewCycleStart } from './review-cycle-rules.ts';
import { checklistStatus } from './review-rules.ts';
import { isPeriodicReviewOverdue, nextPeriodicReview, reviewFrequencyMonths } from './review-schedule.ts';

const policy = parsePolicyYaml(defaultPolicyYaml());
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();
const types = evidenceTypeSchema.options;

const evidence = fc.array(
  fc.record({
    id: fc.uuid(),
    type: fc.constantFrom(...types),
    validUntil: fc.option(fc.integer({ min: 0, max: 400 }).map(day), { nil: null }),
    superseded: fc.boolean(),
    createdAt: fc.integer({ min: 0, max: 400 }).map(day),
    reviewId: fc.option(fc.constantFrom('this-review', 'other-review'), { nil: null }),
  }),
  { maxLength: 15 },
);

describe('review cycles (pure)', () => {
  it('a cycle counts exactly the evidence attached since it started, named for the review, or carried forward; never more than the gate sees', () => {
    fc.assert(
      fc.property(
        evidence,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.func(fc.boolean()),
        (ev, start, at, carry) => {
          const carried: CarriedForward[] = ev
            .filter((_e, i) => carry(i))
            .map((e) => ({
              id: `cf-${e.id}`,
              reviewId: 'this-review',
              evidenceId: e.id,
              evidenceType: e.type,
              carriedBy: 'vera',
              reason: 'unchanged since the last cycle, checked',
              createdAt: day(start),
            }));
          const cycle: ReviewCycle = { reviewId: 'this-review', startsAt: day(start), carried };
          const now = new Date(day(at));
          const withCycle = checklistStatus(types, ev, now, {}, cycle);
          const gate = checklistStatus(types, ev, now);
          for (const [i, item] of withCycle.entries()) {
            const counted = ev.filter(
              (e) =>
                e.type === item.evidenceType &&
                !e.superseded &&
                (e.createdAt >= day(start) ||
                  e.reviewId === 'this-review' ||
                  carried.some((c) => c.evidenceId === e.id)),
            );
            const valid = counted.filter(
              (e) => e.validUntil === null || Date.parse(e.validUntil) > now.getTime(),
            );
            expect(item.satisfiedBy.sort()).toEqual(valid.map((e) => e.id).sort());
            // Earlier evidence is listed, never counted.
            for (const id of item.earlierCycleEvidence ?? [])
              expect(counted.some((e) => e.id === id)).toBe(false);
            // A cycle never satisfies what the version's current evidence does not.
            if (item.status === 'satisfied') expect(gate[i]?.status).toBe('satisfied');
            for (const c of item.carriedForward ?? []) expect(c.reason.length).toBeGreaterThanOrEqual(20);
          }
        },
      ),
    );
  });

  it('without carry-forward, evidence from before the cycle never satisfies a periodic, change or incident review', () => {
    fc.assert(
      fc.property(
        evidence,
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom('periodic', 'change', 'incident'),
        (ev, open, type) => {
          const startsAt = reviewCycleStart({ type, openedAt: day(open) }, null);
          expect(startsAt).toBe(day(open));
          const before = ev.filter((e) => e.createdAt < day(open)).map((e) => ({ ...e, reviewId: null }));
          const items = checklistStatus(
            types,
            before,
            new Date(day(open)),
            {},
            { reviewId: 'r', startsAt, carried: [] },
          );
          for (const item of items) expect(item.status).toBe('missing');
        },
      ),
    );
  });

  it('an initial review counts the version evidence from its start, or from the close of an earlier decided review', () => {
    expect(reviewCycleStart({ type: 'initial', openedAt: day(10) }, null)).toBeNull();
    expect(reviewCycleStart({ type: 'initial', openedAt: day(10) }, day(5))).toBe(day(5));
    expect(
      countsForCycle({ id: 'e', createdAt: day(1) }, { reviewId: 'r', startsAt: null, carried: [] }),
    ).toBe(true);
  });
});

describe('periodic review schedule (pure)', () => {
  const tiers = policy.tiers.map((t) => t.tier);

  it('the next review date is the later of approval and last periodic review, plus the tier reviewFrequencyMonths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null }),
        fc.option(fc.constantFrom(...tiers, 9), { nil: null }),
        (approved, periodic, tier) => {
          const due = nextPeriodicReview(
            {
              approvedAt: day(approved),
              lastPeriodicReviewAt: periodic === null ? null : day(periodic),
              tier,
            },
            policy,
          );
          const anchor = periodic !== null && periodic > approved ? day(periodic) : day(approved);
          expect(due.cycleStart).toBe(anchor);
          const months = policy.tiers.find((t) => t.tier === tier)?.reviewFrequencyMonths;
          // An untiered model or a tier the policy does not define gets the most frequent review.
          expect(due.frequencyMonths).toBe(
            months ?? Math.min(...policy.tiers.map((t) => t.reviewFrequencyMonths)),
          );
          const a = new Date(anchor);
          const d = new Date(due.dueAt);
          const monthsApart =
            (d.getUTCFullYear() - a.getUTCFullYear()) * 12 + d.getUTCMonth() - a.getUTCMonth();
          expect(monthsApart).toBe(due.frequencyMonths);
          expect(d.getUTCDate()).toBeLessThanOrEqual(a.getUTCDate());
          expect(d.getTime()).toBeGreaterThan(a.getTime());
          // Overdue exactly from the due date on.
          expect(isPeriodicReviewOverdue(due, new Date(d.getTime() - 1))).toBe(false);
          expect(isPeriodicReviewOverdue(due, d)).toBe(true);
        },
      ),
    );
  });

  it('a later cycle start or a more frequent tier never makes the review due later', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 120 }),
        (approved, later, m1, m2) => {
          const p = {
            ...policy,
            tiers: policy.tiers.map((t) => ({
              ...t,
              reviewFrequencyMonths: t.tier === 1 ? Math.min(m1, m2) : Math.max(m1, m2),
            })),
          };
          const base = { approvedAt: day(approved), lastPeriodicReviewAt: null, tier: 2 };
          const moved = nextPeriodicReview({ ...base, lastPeriodicReviewAt: day(approved + later) }, p);
          expect(moved.dueAt >= nextPeriodicReview(base, p).dueAt).toBe(true);
          expect(nextPeriodicReview({ ...base, tier: 1 }, p).dueAt <= nextPeriodicReview(base, p).dueAt).toBe(
            true,
          );
          expect(reviewFrequencyMonths(p, null)).toBe(Math.min(m1, m2));
        },
      ),
    );
  });
});
