import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideGate, type GateState } from './gate-rules.ts';

const NOW = new Date('2027-06-01T00:00:00.000Z');
const T = NOW.getTime();
const DAY = 86_400_000;
const TYPES = ['model_card', 'validation_report', 'test_results', 'monitoring_plan'] as const;
const iso = (offsetDays: number) => new Date(T + offsetDays * DAY).toISOString();
const offset = fc.integer({ min: -400, max: 400 }).filter((d) => d !== 0);

const stateArb: fc.Arbitrary<GateState> = fc.record({
  modelKey: fc.constant('m'),
  versionLabel: fc.constant('1'),
  decision: fc.option(
    fc.record({
      id: fc.constant('d1'),
      outcome: fc.constantFrom('approve', 'approve_with_conditions', 'hold', 'reject'),
      expiresAt: fc.option(offset.map(iso), { nil: null }),
    }),
    { nil: null },
  ),
  requiredEvidence: fc.subarray([...TYPES]),
  evidence: fc.array(
    fc.record({
      id: fc.uuid(),
      type: fc.constantFrom(...TYPES),
      validUntil: fc.option(offset.map(iso), { nil: null }),
    }),
    { maxLength: 6 },
  ),
  findings: fc.array(
    fc.record({
      id: fc.uuid(),
      severity: fc.constantFrom('critical', 'high', 'medium', 'low'),
      state: fc.constantFrom('open', 'in_remediation', 'ready_for_verification', 'closed', 'risk_accepted'),
      acceptedUntil: fc.option(offset.map(iso), { nil: null }),
    }),
    { maxLength: 5 },
  ),
  conditions: fc.array(fc.record({ id: fc.uuid(), dueAt: offset.map(iso), met: fc.boolean() }), {
    maxLength: 3,
  }),
  // How a published model card stands for the tier: passing or not, uploads counting or not.
  documents: fc.option(
    fc.record({
      model_card: fc.record({
        passing: fc.subarray(['card-1']),
        gaps: fc.constant([] as string[]),
        uploadsCount: fc.boolean(),
      }),
    }),
    { nil: undefined },
  ),
});

/** Every requirement, checked independently of decideGate. */
function meetsEveryRequirement(s: GateState): boolean {
  const d = s.decision;
  if (!d || !['approve', 'approve_with_conditions'].includes(d.outcome)) return false;
  if (!d.expiresAt || Date.parse(d.expiresAt) <= T) return false;
  for (const type of s.requiredEvidence) {
    const doc = type === 'model_card' ? s.documents?.model_card : undefined;
    if (doc && doc.passing.length > 0) continue;
    if (doc && !doc.uploadsCount) return false;
    if (!s.evidence.some((e) => e.type === type && (e.validUntil === null || Date.parse(e.validUntil) > T)))
      return false;
  }
  for (const f of s.findings) {
    if (f.severity !== 'critical' && f.severity !== 'high') continue;
    if (f.state === 'closed') continue;
    if (f.state === 'risk_accepted' && f.acceptedUntil !== null && Date.parse(f.acceptedUntil) > T) continue;
    return false;
  }
  return s.conditions.every((c) => c.met || Date.parse(c.dueAt) >= T);
}

describe('decideGate', () => {
  it('counts a passing published model card like the review checklist, and refuses uploads a tier does not count', () => {
    const base: GateState = {
      modelKey: 'm',
      versionLabel: '1',
      decision: { id: 'd1', outcome: 'approve', expiresAt: iso(30) },
      requiredEvidence: ['model_card'],
      evidence: [{ id: 'e1', type: 'model_card', validUntil: null }],
      findings: [],
      conditions: [],
    };
    expect(
      decideGate(
        {
          ...base,
          evidence: [],
          documents: { model_card: { passing: ['c1'], gaps: [], uploadsCount: false } },
        },
        NOW,
      ).allowed,
    ).toBe(true);
    const refused = decideGate(
      {
        ...base,
        documents: { model_card: { passing: [], gaps: ['limitations: missing'], uploadsCount: false } },
      },
      NOW,
    );
    expect(refused.reasons).toEqual([
      expect.objectContaining({
        code: 'evidence_missing',
        ref: 'model_card',
        message: expect.stringContaining('limitations'),
      }),
    ]);
  });

  it('never allows a version lacking any requirement, and allows one that has them all', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const r = decideGate(s, NOW);
        expect(r.allowed).toBe(meetsEveryRequirement(s));
        expect(r.allowed).toBe(r.reasons.length === 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('names a reason with a ref for each failure', () => {
    const r = decideGate(
      {
        modelKey: 'm',
        versionLabel: '1',
        decision: { id: 'd1', outcome: 'approve', expiresAt: iso(-1) },
        requiredEvidence: ['model_card', 'test_results'],
        evidence: [{ id: 'e1', type: 'test_results', validUntil: iso(-2) }],
        findings: [
          { id: 'f1', severity: 'critical', state: 'open', acceptedUntil: null },
          { id: 'f2', severity: 'low', state: 'open', acceptedUntil: null },
          { id: 'f3', severity: 'high', state: 'risk_accepted', acceptedUntil: iso(-1) },
        ],
        conditions: [{ id: 'c1', dueAt: iso(-3), met: false }],
      },
      NOW,
    );
    expect(r.reasons.map((x) => [x.code, x.ref])).toEqual([
      ['approval_expired', 'd1'],
      ['evidence_missing', 'model_card'],
      ['evidence_expired', 'test_results'],
      ['finding_open', 'f1'],
      ['finding_open', 'f3'],
      ['condition_overdue', 'c1'],
    ]);
  });
});
