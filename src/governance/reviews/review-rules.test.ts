import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceTypeSchema } from '../../contracts/policy.ts';
import { type ReviewEvent, type ReviewState, reviewEventSchema } from '../../contracts/reviews.ts';
import type { DomainError } from '../../platform/errors.ts';
import { defaultPolicyYaml, parsePolicyYaml } from '../policy/policy-document.ts';
import {
  allowedReviewEvents,
  checklistFor,
  checklistStatus,
  nextReviewState,
  TERMINAL_REVIEW_STATES,
} from './review-rules.ts';

const policy = parsePolicyYaml(defaultPolicyYaml());
const events = reviewEventSchema.options;

describe('review state machine', () => {
  it('random event sequences: refused events change nothing, terminal states absorb, closed only after decision_pending', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 30 }), (seq) => {
        let state: ReviewState = 'draft';
        const visited: ReviewState[] = [state];
        for (const event of seq) {
          const allowed = allowedReviewEvents(state).includes(event);
          try {
            const next = nextReviewState(state, event);
            expect(allowed).toBe(true);
            if (next === 'closed') expect(state).toBe('decision_pending');
            state = next;
            visited.push(state);
          } catch (err) {
            expect(allowed).toBe(false);
            expect((err as DomainError).code).toBe('conflict');
          }
        }
        const firstTerminal = visited.findIndex((s) => TERMINAL_REVIEW_STATES.has(s));
        if (firstTerminal >= 0) expect(new Set(visited.slice(firstTerminal)).size).toBe(1);
      }),
    );
  });

  it('the happy path', () => {
    const path: ReviewEvent[] = ['submit', 'start_validation', 'request_decision', 'close'];
    expect(path.reduce<ReviewState>((s, e) => nextReviewState(s, e), 'draft')).toBe('closed');
    expect(() => nextReviewState('draft', 'close')).toThrow(/cannot close/);
  });
});

describe('checklists', () => {
  it('come from the policy per tier and gate; untiered models get the strictest list', () => {
    for (const t of policy.tiers) {
      expect(checklistFor(policy, t.tier, 'production')).toEqual(t.requiredEvidence.production);
      expect(checklistFor(policy, t.tier, 'validation')).toEqual(t.requiredEvidence.validation);
    }
    expect(checklistFor(policy, null, 'production')).toEqual(
      policy.tiers.find((t) => t.tier === 1)?.requiredEvidence.production,
    );
  });

  const evidence = fc.array(
    fc.record({
      id: fc.uuid(),
      type: fc.constantFrom(...evidenceTypeSchema.options),
      validUntil: fc.option(
        fc.integer({ min: 0, max: 100 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString()),
        { nil: null },
      ),
      superseded: fc.boolean(),
    }),
    { maxLength: 15 },
  );

  it('status: satisfied iff current unexpired evidence of the type exists; expired iff only expired; moving time forward never satisfies more', () => {
    fc.assert(
      fc.property(
        evidence,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (ev, d1, d2) => {
          const required = [...evidenceTypeSchema.options];
          const at = (d: number) => new Date(Date.UTC(2026, 0, 1 + d));
          const [early, late] = d1 <= d2 ? [at(d1), at(d2)] : [at(d2), at(d1)];
          const a = checklistStatus(required, ev, early);
          const b = checklistStatus(required, ev, late);
          for (const item of a) {
            const current = ev.filter((e) => e.type === item.evidenceType && !e.superseded);
            const valid = current.filter(
              (e) => e.validUntil === null || Date.parse(e.validUntil) > early.getTime(),
            );
            expect(item.status).toBe(valid.length ? 'satisfied' : current.length ? 'expired' : 'missing');
            expect(item.satisfiedBy.sort()).toEqual(valid.map((e) => e.id).sort());
          }
          const count = (xs: typeof a) => xs.filter((x) => x.status === 'satisfied').length;
          expect(count(b)).toBeLessThanOrEqual(count(a));
        },
      ),
    );
  });
});
