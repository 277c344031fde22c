import { describe, expect, it } from 'vitest';
import type { Acceptance, Finding } from '../../src/contracts/findings.ts';
import type { ModelListItem } from '../../src/contracts/inventory.ts';
import type { Metrics } from '../../src/contracts/metrics.ts';
import { AssayApiError } from '../../src/sdk/index.ts';
import { capabilitiesOf } from '../../web/src/app/capabilities.ts';
import { toModelRow } from '../../web/src/app/inventory-adapters.ts';
import { toDashboardMetrics, toFindingCard } from '../../web/src/app/workflow-adapters.ts';
import { offeredFindingActions } from '../../web/src/workflow/FindingActions.tsx';
import { plainRefusal } from '../../web/src/workflow/refusal.ts';

const finding: Finding = {
  id: 'f1',
  modelKey: 'm',
  versionLabel: '1.0',
  reviewId: null,
  title: 'Drift',
  description: 'd',
  category: 'performance',
  severity: 'low',
  state: 'open',
  owner: 'olivia',
  remediator: null,
  remediationPlan: null,
  dueAt: '2026-01-01T00:00:00.000Z',
  overdue: true,
  closureEvidenceId: null,
  verifiedBy: null,
  closedAt: null,
  repeatOf: null,
  policyVersion: 1,
  openedBy: 'vera',
  createdAt: '2025-12-01T00:00:00.000Z',
  updatedAt: '2025-12-01T00:00:00.000Z',
  rowVersion: 3,
  adoptedFrom: null,
};

const acceptance = (state: Acceptance['state'], findingIds = ['f1']): Acceptance => ({
  id: `a-${state}`,
  modelKey: 'm',
  findingIds,
  rationale: 'manual control',
  state,
  requestedBy: 'olivia',
  requestedAt: '2026-01-02T00:00:00.000Z',
  approvedBy: state === 'active' ? 'gina' : null,
  decidedAt: null,
  expiresAt: '2026-03-01T00:00:00.000Z',
  expiredAt: null,
  rowVersion: 1,
});

describe('findings board logic', () => {
  it('takes overdue from the server and joins the pending or active acceptance covering a finding', () => {
    const card = toFindingCard(finding, [
      acceptance('rejected'),
      acceptance('pending'),
      acceptance('active', ['x']),
    ]);
    expect(card.overdue).toBe(true);
    expect(card.acceptance?.id).toBe('a-pending');
    expect(card.acceptanceExpiresAt).toBeNull();
    expect(toFindingCard(finding, [acceptance('active')]).acceptanceExpiresAt).toBe(
      '2026-03-01T00:00:00.000Z',
    );
  });

  it('offers each move only to whom the server would let make it', () => {
    const me = (username: string, scope = 'write') => ({ username, scope });
    const offers = (
      role: Parameters<typeof capabilitiesOf>[0],
      f: Parameters<typeof offeredFindingActions>[0],
      who = 'x',
    ) => offeredFindingActions(f, me(who), capabilitiesOf(role, 'write'));
    const open = { state: 'open' as const, owner: 'olivia', acceptance: null };
    // The finding's owner remediates whatever their role; a validator does not plan remediation.
    expect(offers('validator', open, 'olivia').plan).toBe(true);
    expect(offers('validator', open).plan).toBe(false);
    expect(offers('validator', { ...open, state: 'ready_for_verification' as const }).verify).toBe(true);
    expect(offers('developer', { ...open, state: 'ready_for_verification' as const }).verify).toBe(false);
    // One acceptance at a time; the requester never decides their own.
    const pending = {
      ...open,
      acceptance: { ...toFindingCard(finding, [acceptance('pending')]).acceptance! },
    };
    expect(offers('governance', open).requestAcceptance).toBe(true);
    expect(offers('governance', pending).requestAcceptance).toBe(false);
    expect(offers('approver', pending).decideAcceptance).toBe(true);
    expect(offers('approver', pending, 'olivia').decideAcceptance).toBe(false);
    expect(offers('admin', pending).decideAcceptance).toBe(false);
    // A read token offers nothing, even to the owner.
    const ro = offeredFindingActions(open, me('olivia', 'read'), capabilitiesOf('owner', 'read'));
    expect(Object.values(ro).some(Boolean)).toBe(false);
  });
});

describe('plain-word refusals', () => {
  const refusal = (status: number, message: string, details: Record<string, unknown>) =>
    plainRefusal(new AssayApiError(status, 'x', message, details));
  it('explains separation-of-duties rules and says who may act instead', () => {
    const sod = (violation: string, step: string) =>
      refusal(403, 'x', { rule: 'separation_of_duties', violation, step, person: 'p', earlier: false });
    expect(sod('remediator', 'verify_finding')).toMatch(
      /^Separation of duties: whoever remediated a finding cannot also verify it\. Ask a validator/,
    );
    expect(sod('requester', 'approve_acceptance')).toMatch(/cannot approve or reject it/);
    expect(sod('submitter', 'sign_decision')).toMatch(/whoever submitted the review cannot sign/);
    expect(sod('developer', 'sign_decision')).toMatch(/a developer of a model cannot sign its approval/);
    expect(sod('validator', 'sign_decision')).toMatch(/whoever validated the review cannot sign/);
    expect(refusal(409, 'assign a validator first', { rule: 'validator_required' })).toMatch(
      /Assign an independent validator/,
    );
  });
  it('keeps the server message for what it has no rule for', () => {
    expect(refusal(400, 'expiresAt must be in the future', {})).toBe('expiresAt must be in the future');
    expect(refusal(403, 'auditor may not do it', {})).toBe('You may not do this: auditor may not do it.');
  });
});

describe('list and metrics adapters', () => {
  it('reads completeness, open findings and next review from a list item', () => {
    const item = {
      key: 'm',
      tier: 2,
      completeness: { score: 0.5, missing: ['purpose'] },
      openFindings: { critical: 0, high: 1, medium: 0, low: 2 },
      nextReviewDate: '2027-01-01T00:00:00.000Z',
    } as unknown as ModelListItem;
    expect(toModelRow(item)).toMatchObject({
      completeness: 0.5,
      openFindings: { high: 1, low: 2 },
      nextReviewDate: '2027-01-01T00:00:00.000Z',
    });
  });
  it('orders models by tier with untiered last, labelled for people', () => {
    const m = {
      asOf: 'now',
      inventory: {
        models: 6,
        complete: 1,
        completeness: 0.2,
        byTier: { untiered: 3, '2': 1, '1': 2 },
        byStatus: { production: 6 },
        byEuAiActClass: { high_risk: 2, minimal: 1, unclassified: 3 },
      },
      tiering: { models: 6, tiered: 3, completeness: 0.5 },
      submissionToDecision: { decisions: 0, medianDays: null },
      firstPassEvidence: { reviews: 0, completeAtSubmission: 0, rate: null },
      findings: { open: 0, bySeverity: {}, byAge: { d0_30: 0, d31_90: 0, d91_180: 0, d181plus: 0 } },
      remediationSla: { closed: 0, closedOnTime: 0, adherence: null },
      overdue: { findings: 0, conditions: 0, reviews: 0 },
      periodicReview: { approvedVersions: 0, current: 0, compliance: null },
      reviewsDue: { d30: 0, d60: 0, d90: 0 },
      riskAcceptances: [],
      exceptions: {
        productionWithoutApproval: 0,
        deploymentsGateDenied: 0,
        retiredStillDeployed: 0,
        approvalsOnSupersededTier: 0,
        overdueConditions: 0,
        expiredAcceptances: 0,
        exceptionsInForce: 0,
      },
      monitoring: {
        coverage: { productionDeployments: 0, monitored: 0, ratio: null },
        openAlerts: { total: 0, warning: 0, critical: 0, unacknowledged: 0 },
        alertTimeToAcknowledgeMinutes: null,
        incidents: {
          open: 0,
          resolved: 0,
          mttdMinutes: null,
          mttrMinutes: null,
          timeToAcknowledgeMinutes: null,
          seriousOpenReports: 0,
          seriousReportsOverdue: 0,
        },
        backgroundWindows: null,
      },
    } satisfies Metrics;
    expect(Object.entries(toDashboardMetrics(m).byTier)).toEqual([
      ['Tier 1', 2],
      ['Tier 2', 1],
      ['untiered', 3],
    ]);
  });
});
