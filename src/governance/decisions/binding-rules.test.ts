import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideGate, type GateState } from '../gate/gate-rules.ts';
import { type BoundState, bindingChanges } from './binding-rules.ts';

const NOW = new Date('2027-06-01T00:00:00.000Z');
const CLASSES = ['prohibited', 'high_risk', 'limited_risk', 'minimal'] as const;

const evidenceArb = fc.uniqueArray(
  fc.record({
    id: fc.uuid(),
    type: fc.constantFrom('model_card', 'test_results', 'validation_report'),
    sha256: fc.option(fc.stringMatching(/^[0-9a-f]{8}$/), { nil: null }),
    url: fc.option(fc.webUrl(), { nil: null }),
  }),
  { selector: (e) => e.id, maxLength: 4 },
);

const boundArb: fc.Arbitrary<BoundState> = fc.record({
  versionId: fc.constant('v1'),
  versionLabel: fc.constant('1.0'),
  artifactSha256: fc.option(fc.stringMatching(/^[0-9a-f]{8}$/), { nil: null }),
  contentSha256: fc.stringMatching(/^[0-9a-f]{8}$/),
  tier: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  tieringId: fc.option(fc.uuid(), { nil: null }),
  tieringPolicyVersion: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  tierOverrideId: fc.option(fc.uuid(), { nil: null }),
  euAiActClass: fc.option(fc.constantFrom(...CLASSES.filter((c) => c !== 'prohibited')), { nil: null }),
  evidence: evidenceArb,
});

/** A change to one bound field, and the kind the rule must name. */
const mutations: fc.Arbitrary<[(b: BoundState) => BoundState, string]> = fc.constantFrom(
  [(b) => ({ ...b, artifactSha256: `${b.artifactSha256 ?? ''}x` }), 'content'],
  [(b) => ({ ...b, contentSha256: `${b.contentSha256}x` }), 'content'],
  [(b) => ({ ...b, tier: b.tier === 4 ? 3 : (b.tier ?? 0) + 1 }), 'tier'],
  [(b) => ({ ...b, tieringId: `${b.tieringId ?? ''}-new` }), 'tiering'],
  [(b) => ({ ...b, tierOverrideId: b.tierOverrideId === null ? 'o-new' : null }), 'tier_override'],
  [
    (b) => ({ ...b, euAiActClass: b.euAiActClass === 'minimal' ? 'high_risk' : 'minimal' }),
    'eu_ai_act_class',
  ],
  [(b) => ({ ...b, tieringPolicyVersion: (b.tieringPolicyVersion ?? 0) + 1 }), 'policy_version'],
  [
    (b) => ({ ...b, evidence: [...b.evidence, { id: 'x', type: 't', sha256: null, url: null }] }),
    'evidence:add',
  ],
);

function dropOrRehash(b: BoundState): BoundState | null {
  const [first, ...rest] = b.evidence;
  if (!first) return null;
  return { ...b, evidence: [{ ...first, sha256: `${first.sha256 ?? ''}0` }, ...rest] };
}

/** A gate state that passes everything but the binding. */
function approvedState(binding: { bound: BoundState; now: BoundState }): GateState {
  return {
    modelKey: 'm',
    versionLabel: '1.0',
    decision: { id: 'd1', outcome: 'approve', expiresAt: '2028-01-01T00:00:00.000Z' },
    requiredEvidence: [],
    evidence: [],
    findings: [],
    conditions: [],
    euAiActClass: binding.now.euAiActClass ?? null,
    binding,
  };
}

describe('approval binding (pure)', () => {
  it('an unchanged binding allows the gate; any change to a bound field denies it, naming the field', () => {
    fc.assert(
      fc.property(boundArb, mutations, (bound, [mutate, kind]) => {
        expect(bindingChanges(bound, bound)).toEqual([]);
        expect(decideGate(approvedState({ bound, now: bound }), NOW).allowed).toBe(true);
        const now = mutate(bound);
        const changes = bindingChanges(bound, now).map((c) => c.kind);
        const gate = decideGate(approvedState({ bound, now }), NOW);
        if (kind === 'evidence:add') {
          // Evidence added after the approval does not change what was approved.
          expect(changes).toEqual([]);
          expect(gate.allowed).toBe(true);
          return;
        }
        expect(changes).toContain(kind);
        expect(gate.allowed).toBe(false);
        expect(gate.reasons.filter((r) => r.code === 'binding_changed').map((r) => r.ref)).toContain(kind);
      }),
    );
  });

  it('bound evidence that is gone or rehashed denies the gate', () => {
    fc.assert(
      fc.property(boundArb, fc.boolean(), (bound, drop) => {
        const now = drop ? { ...bound, evidence: bound.evidence.slice(1) } : dropOrRehash(bound);
        if (!now || bound.evidence.length === 0) return;
        expect(bindingChanges(bound, now).map((c) => c.kind)).toEqual(['evidence']);
        expect(decideGate(approvedState({ bound, now }), NOW).allowed).toBe(false);
      }),
    );
  });

  it('fields a binding made before they were bound are not compared', () => {
    fc.assert(
      fc.property(boundArb, mutations, (now, [mutate]) => {
        const legacy: BoundState = {
          versionId: now.versionId,
          versionLabel: now.versionLabel,
          artifactSha256: now.artifactSha256,
          evidence: now.evidence,
        };
        const changed = mutate(now);
        const kinds = bindingChanges(legacy, changed).map((c) => c.kind);
        for (const k of kinds) expect(['content', 'evidence']).toContain(k);
      }),
    );
  });

  it('a prohibited class never passes a gate, whatever else holds', () => {
    fc.assert(
      fc.property(boundArb, (bound) => {
        const s = { ...approvedState({ bound, now: bound }), euAiActClass: 'prohibited' as const };
        const r = decideGate(s, NOW);
        expect(r.allowed).toBe(false);
        expect(r.reasons.map((x) => x.code)).toContain('eu_prohibited');
      }),
    );
  });
});
