import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelRelation, Role } from '../../platform/auth/roles.ts';
import {
  conflicting,
  type DutyKind,
  type DutyStep,
  INDEPENDENT_DUTIES,
  type Standing,
  separationOfDuties,
  staleStep,
} from './separation-of-duties.ts';

const people = ['ann', 'bob', 'cat', 'dan', 'eve'] as const;
const roles: Role[] = ['governance', 'approver', 'validator', 'developer', 'owner', 'admin'];
const relations: ModelRelation[] = ['owner', 'developer', 'validator'];
const kinds: DutyKind[] = [
  'submit_review',
  'validate',
  'sign_decision',
  'remediate_finding',
  'verify_finding',
  'request_override',
  'approve_override',
  'request_acceptance',
  'approve_acceptance',
  'propose_policy',
  'approve_policy',
  'request_retiering',
  'approve_retiering',
  'request_exception',
  'approve_exception',
];

/** A world: each person's role and relations to the model, which random changes rewrite. */
type World = Map<string, Standing>;

const standingArb = fc.record({
  role: fc.constantFrom(...roles),
  relations: fc.subarray(relations),
});

/** One thing that happens: someone tries an action, or a role or relation changes. */
type Event =
  | { type: 'act'; kind: DutyKind; person: string }
  | { type: 'change'; person: string; standing: Standing };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('act' as const),
      kind: fc.constantFrom(...kinds),
      person: fc.constantFrom(...people),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('change' as const),
      person: fc.constantFrom(...people),
      standing: standingArb,
    }),
  },
);

const worldArb = fc
  .tuple(...people.map(() => standingArb))
  .map((s) => new Map(people.map((p, i) => [p, s[i]!])) as World);

/**
 * Drives a sequence: an action is recorded only when the rule allows it, checked against the
 * standings NOW; a change rewrites a person's standing (the services then refuse or invalidate;
 * here the next action's re-check must catch it). Returns the steps the rule let through, each
 * with the standing it was allowed under.
 */
function run(world: World, events: readonly Event[]) {
  const done: { kind: DutyKind; person: string; at: Standing; allowedWith: DutyStep[] }[] = [];
  const steps = (): DutyStep[] =>
    done.map((d) => ({
      kind: d.kind,
      person: d.person,
      now: world.get(d.person)!,
      whenDone: d.at,
      live: true,
    }));
  for (const e of events) {
    if (e.type === 'change') {
      world.set(e.person, e.standing);
      continue;
    }
    const standing = world.get(e.person)!;
    const earlier = steps();
    if (separationOfDuties({ kind: e.kind, person: e.person, standing }, earlier) === null)
      done.push({ kind: e.kind, person: e.person, at: standing, allowedWith: earlier });
  }
  return done;
}

describe('separation of duties (pure)', () => {
  it('no sequence of actions lets a submitter approve (sign) their own review, nor the validator', () => {
    fc.assert(
      fc.property(worldArb, fc.array(eventArb, { maxLength: 30 }), (world, events) => {
        const done = run(world, events);
        for (const s of done.filter((d) => d.kind === 'sign_decision')) {
          expect(done.some((d) => d.kind === 'submit_review' && d.person === s.person)).toBe(false);
          expect(done.some((d) => d.kind === 'validate' && d.person === s.person)).toBe(false);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('no person ever holds two conflicting steps on one subject, whatever the order', () => {
    fc.assert(
      fc.property(worldArb, fc.array(eventArb, { maxLength: 30 }), (world, events) => {
        const done = run(world, events);
        for (const a of done)
          for (const b of done)
            if (a !== b && a.person === b.person) expect(conflicting(a.kind, b.kind)).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it('every independent step was done by someone who neither owned nor developed the model then', () => {
    fc.assert(
      fc.property(worldArb, fc.array(eventArb, { maxLength: 30 }), (world, events) => {
        for (const d of run(world, events)) {
          if (INDEPENDENT_DUTIES.has(d.kind)) {
            expect(d.at.relations).not.toContain('owner');
            expect(d.at.relations).not.toContain('developer');
          }
          if (d.kind === 'validate') expect(d.at.role).toBe('validator');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('an action is allowed only when every earlier step is still independent NOW', () => {
    fc.assert(
      fc.property(worldArb, fc.array(eventArb, { maxLength: 30 }), (world, events) => {
        for (const d of run(world, events))
          for (const e of d.allowedWith)
            if (e.live && INDEPENDENT_DUTIES.has(e.kind)) {
              expect(e.now.relations).not.toContain('owner');
              expect(e.now.relations).not.toContain('developer');
            }
      }),
      { numRuns: 1500 },
    );
  });

  it('a relation added after the step is caught by the re-check and named as an earlier step', () => {
    const validator: Standing = { role: 'validator', relations: [] };
    const earlier: DutyStep[] = [
      { kind: 'submit_review', person: 'ann', now: { role: 'owner', relations: ['owner'] }, live: true },
      {
        kind: 'validate',
        person: 'vic',
        now: { role: 'validator', relations: ['developer'] },
        whenDone: validator,
        live: true,
        ref: 'r1',
      },
    ];
    const r = separationOfDuties(
      { kind: 'sign_decision', person: 'amy', standing: { role: 'approver', relations: [] } },
      earlier,
    );
    expect(r).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'developer',
      person: 'vic',
      step: 'validate',
      earlier: true,
      ref: 'r1',
    });
    // Once the validation no longer carries the review (invalidated), the signature may go ahead.
    expect(
      separationOfDuties(
        { kind: 'sign_decision', person: 'amy', standing: { role: 'approver', relations: [] } },
        earlier.map((s) => (s.kind === 'validate' ? { ...s, live: false } : s)),
      ),
    ).toBeNull();
  });

  it('a validator whose role became approver can never sign the review they validated, even once unassigned', () => {
    const step: DutyStep = {
      kind: 'validate',
      person: 'vic',
      now: { role: 'approver', relations: [] },
      whenDone: { role: 'validator', relations: [] },
      live: false,
    };
    expect(
      separationOfDuties(
        { kind: 'sign_decision', person: 'vic', standing: { role: 'approver', relations: [] } },
        [step],
      ),
    ).toMatchObject({ violation: 'validator', step: 'sign_decision', earlier: false });
    // While still live, the role change itself breaks the validation step.
    expect(staleStep([{ ...step, live: true }])).toMatchObject({ violation: 'role', step: 'validate' });
  });

  it('requesters never approve their own override, acceptance, policy change, re-tiering or exception', () => {
    for (const [request, approve] of [
      ['request_override', 'approve_override'],
      ['request_acceptance', 'approve_acceptance'],
      ['propose_policy', 'approve_policy'],
      ['request_retiering', 'approve_retiering'],
      ['request_exception', 'approve_exception'],
    ] as const) {
      const gov: Standing = { role: 'governance', relations: [] };
      const r = separationOfDuties({ kind: approve, person: 'gia', standing: gov }, [
        { kind: request, person: 'gia', now: gov, live: true },
      ]);
      expect(r).toMatchObject({ violation: 'requester', step: approve });
      expect(
        separationOfDuties({ kind: approve, person: 'ben', standing: gov }, [
          { kind: request, person: 'gia', now: gov, live: true },
        ]),
      ).toBeNull();
    }
  });

  it('a re-tiering or a lifecycle exception is approved by a second person who is no maker of the model', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('approve_retiering', 'approve_exception') as fc.Arbitrary<DutyKind>,
        fc.constantFrom(...people),
        fc.constantFrom(...people),
        standingArb,
        standingArb,
        (kind, approver, requester, standing, requesterStanding) => {
          const request: DutyKind = kind === 'approve_retiering' ? 'request_retiering' : 'request_exception';
          const r = separationOfDuties({ kind, person: approver, standing }, [
            { kind: request, person: requester, now: requesterStanding, live: true },
          ]);
          const independent =
            approver !== requester &&
            !standing.relations.includes('owner') &&
            !standing.relations.includes('developer');
          expect(r === null).toBe(independent);
          if (r) {
            expect(r.rule).toBe('separation_of_duties');
            expect(r.violation).toBe(
              standing.relations.includes('owner')
                ? 'owner'
                : standing.relations.includes('developer')
                  ? 'developer'
                  : 'requester',
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a verifier is neither the remediator nor a maker of the model', () => {
    const v = (relations: ModelRelation[]) =>
      separationOfDuties(
        { kind: 'verify_finding', person: 'vic', standing: { role: 'validator', relations } },
        [
          {
            kind: 'remediate_finding',
            person: 'dev',
            now: { role: 'developer', relations: ['developer'] },
            live: true,
          },
        ],
      );
    expect(v([])).toBeNull();
    expect(v(['developer'])).toMatchObject({ violation: 'developer', step: 'verify_finding' });
    expect(v(['owner'])).toMatchObject({ violation: 'owner' });
  });
});
