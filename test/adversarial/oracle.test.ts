import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkInvariants, INVARIANTS } from './oracle.ts';
import type { DecisionRead, ModelSnap, Snapshot } from './snapshot.ts';

const AT = '2026-06-01T00:00:00.000Z';
const noPast = async () => ({ owner: 'olga', developers: ['dora'] });

function model(over: Partial<ModelSnap> = {}): ModelSnap {
  return {
    key: 'm0',
    status: 'validation',
    tier: 4,
    owner: 'olga',
    developers: ['dora'],
    euClass: 'minimal',
    versions: [{ label: '1', status: 'active', supersededBy: null, artifactSha256: null }],
    tierings: [
      {
        versionLabel: '1',
        computedTier: 4,
        assessedAt: '2026-05-01T00:00:00.000Z',
        euAiAct: { class: 'minimal' },
      },
    ],
    decisions: [],
    reviews: [{ id: 'r1', versionLabel: '1', state: 'closed', submittedBy: 'gina', validator: 'vera' }],
    findings: [],
    deployments: [],
    acceptances: [],
    overrides: [],
    exceptions: [],
    evidence: {
      '1': [
        { id: 'e1', type: 'model_card', validUntil: null },
        { id: 'e2', type: 'test_results', validUntil: null },
      ],
    },
    gates: { '1/production': { allowed: false, reasons: [{ code: 'not_approved' }] } },
    ...over,
  };
}

const approval: DecisionRead = {
  id: 'd1',
  versionLabel: '1',
  reviewId: 'r1',
  outcome: 'approve',
  state: 'final',
  tier: 4,
  finalizedAt: '2026-05-02T00:00:00.000Z',
  expiresAt: '2029-05-02T00:00:00.000Z',
  signatures: [{ signer: 'amy', role: 'approver', signedAt: '2026-05-02T00:00:00.000Z' }],
  conditions: [],
  binding: {
    artifactSha256: null,
    evidence: [
      { id: 'e1', type: 'model_card' },
      { id: 'e2', type: 'test_results' },
    ],
  },
};

const snap = (...models: ModelSnap[]): Snapshot => ({
  at: AT,
  tiers: [
    { tier: 4, requiredEvidence: { validation: ['model_card'], production: ['model_card', 'test_results'] } },
  ],
  users: {},
  models,
});
const open = { '1/production': { allowed: true, reasons: [] } };
const broken = async (s: Snapshot, prev: Snapshot | null = null) =>
  (await checkInvariants(prev, s, noPast)).map((v) => v.invariant);

describe('the adversarial oracle on hand-made states', () => {
  it('finds nothing wrong with an approved version whose gate opens', async () => {
    expect(await broken(snap(model({ status: 'approved', decisions: [approval], gates: open })))).toEqual([]);
  });

  it('catches a gate that opens without an approval, or on an expired one', async () => {
    expect(await broken(snap(model({ gates: open })))).toContain('gate.approval_required');
    const expired = { ...approval, expiresAt: '2026-05-30T00:00:00.000Z' };
    expect(await broken(snap(model({ decisions: [expired], gates: open })))).toContain(
      'gate.approval_required',
    );
  });

  it('catches a gate that opens without the evidence the tier requires, or with a high finding open', async () => {
    const ev = { '1': [{ id: 'e1', type: 'model_card', validUntil: null }] };
    expect(await broken(snap(model({ decisions: [approval], gates: open, evidence: ev })))).toContain(
      'gate.requirements_met',
    );
    const findings = [
      {
        id: 'f1',
        versionLabel: '1',
        severity: 'high',
        state: 'open',
        remediator: null,
        verifiedBy: null,
        closedAt: null,
      },
    ];
    expect(await broken(snap(model({ decisions: [approval], gates: open, findings })))).toContain(
      'gate.requirements_met',
    );
  });

  it('catches self-verification and self-approved acceptances and overrides', async () => {
    const findings = [
      {
        id: 'f1',
        versionLabel: '1',
        severity: 'low',
        state: 'closed',
        remediator: 'vera',
        verifiedBy: 'vera',
        closedAt: AT,
      },
    ];
    expect(await broken(snap(model({ findings })))).toContain('sod.verifier_independent');
    const acceptances = [
      { id: 'a1', requestedBy: 'gina', approvedBy: 'gina', state: 'active', findingIds: [], expiresAt: AT },
    ];
    expect(await broken(snap(model({ acceptances })))).toContain('sod.four_eyes');
    const overrides = [{ id: 'o1', requestedBy: 'gina', decidedBy: 'gina', status: 'approved' }];
    expect(await broken(snap(model({ overrides })))).toContain('sod.four_eyes');
    const tierings = [
      {
        versionLabel: '1',
        computedTier: 4,
        assessedAt: AT,
        euAiAct: { class: 'minimal' },
        status: 'effective',
        decidedAt: AT,
        id: 't2',
        assessedBy: 'gina',
        decidedBy: 'gina',
      },
    ];
    expect(await broken(snap(model({ tierings })))).toContain('sod.four_eyes');
    const exception = (decidedBy: string) => ({
      version: null,
      allows: ['status_approved'],
      active: true,
      id: 'x1',
      requestedBy: 'gina',
      decidedBy,
      decidedAt: AT,
      state: 'approved',
    });
    expect(await broken(snap(model({ exceptions: [exception('gina')] })))).toContain('sod.four_eyes');
    // olga owns the model (the hand-made past has the model's relations of now).
    expect(await broken(snap(model({ exceptions: [exception('olga')] })))).toContain('sod.four_eyes');
    expect(await broken(snap(model({ exceptions: [exception('gabe')] })))).toEqual([]);
    const policyVersions = [
      { version: 2, state: 'approved', createdBy: 'gina', decidedBy: 'gina', baseVersion: 1 },
    ];
    expect(await broken({ ...snap(model()), policyVersions })).toContain('sod.four_eyes');
  });

  it('sees a production deployment made while the gate was shut, but not one made while it was open', async () => {
    const deployments = [{ id: 'p1', version: '1', environment: 'production', endedAt: null }];
    const before = snap(model({ decisions: [approval] }));
    expect(await broken(snap(model({ decisions: [approval], deployments })), before)).toContain(
      'deployment.production_passes_gate',
    );
    const openBefore = snap(model({ status: 'approved', decisions: [approval], gates: open }));
    expect(
      await broken(
        snap(model({ status: 'approved', decisions: [approval], gates: open, deployments })),
        openBefore,
      ),
    ).toEqual([]);
  });

  it('sees a move to approved or production without an approval, unless a valid exception allows it', async () => {
    const before = snap(model());
    const exception = (allows: string[], active = true) => ({ version: null, allows, active });
    const moved = (over: Partial<ModelSnap>) => broken(snap(model({ status: 'approved', ...over })), before);
    expect(await moved({})).toContain('status.gated_needs_decision_or_exception');
    expect(await moved({ exceptions: [exception(['status_approved'], false)] })).toContain(
      'status.gated_needs_decision_or_exception',
    );
    expect(await moved({ exceptions: [exception(['production_deployment'])] })).toContain(
      'status.gated_needs_decision_or_exception',
    );
    expect(await moved({ exceptions: [exception(['status_approved'])] })).toEqual([]);
    expect(await moved({ decisions: [approval] })).toEqual([]);
    // Staying where it was once the exception lapsed is not a move (the exception report lists it).
    expect(await broken(snap(model({ status: 'approved' })), snap(model({ status: 'approved' })))).toEqual(
      [],
    );
  });

  it('counts a production deployment exception only for the version it names', async () => {
    const deployments = [{ id: 'p1', version: '1', environment: 'production', endedAt: null }];
    const before = snap(model());
    const exc = (version: string) => [{ version, allows: ['production_deployment'], active: true }];
    expect(await broken(snap(model({ deployments, exceptions: exc('2') })), before)).toContain(
      'deployment.production_passes_gate',
    );
    expect(await broken(snap(model({ deployments, exceptions: exc('1') })), before)).toEqual([]);
  });

  it('every invariant is documented in docs/controls.md', () => {
    const doc = fs.readFileSync(new URL('../../docs/controls.md', import.meta.url), 'utf8');
    for (const id of [...INVARIANTS.map((i) => i.id), 'api.no_server_error', 'audit.chain_verifies'])
      expect(doc, id).toContain(`\`${id}\``);
  });
});
