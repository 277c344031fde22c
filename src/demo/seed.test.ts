import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TestDb } from '../../test/support/engines.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { explainEvidenceSchema } from '../contracts/explain.ts';
import { robustnessEvidenceSchema } from '../contracts/robustness.ts';
import { streamAuditEvents } from '../platform/audit/audit-trail.ts';
import { verifyAuditChain } from '../platform/audit/audit-verify.ts';
import { IdentityService } from '../platform/auth/identity.service.ts';
import { LocalBlobStore } from '../platform/blob-store.ts';
import { systemClock } from '../platform/clock.ts';
import { demoExceptionReport, LEGACY_EXCEPTIONS, WORKFLOW_APPROVED } from './demo-exceptions.ts';
import { DEMO_MODEL_ARTIFACTS } from './demo-model-evidence.ts';
import { DEMO_MODELS } from './demo-portfolio.ts';
import { demoServices } from './demo-services.ts';
import { DEMO_GATES, demoGateResults } from './demo-workflow.ts';
import { seedDemoPortfolio } from './seed.ts';

describe.each(ENGINES)('demo portfolio on %s', (engine) => {
  let t: TestDb;
  const blobDir = mkdtempSync(path.join(os.tmpdir(), 'assay-demo-seed-'));
  const blobs = new LocalBlobStore(blobDir);
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedDemoPortfolio(
      t.db,
      new IdentityService(t.db, systemClock),
      new Date('2026-11-01T00:00:00Z'),
      blobs,
    );
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('has at least 25 models in the statuses the data says, with versions and deployments', async () => {
    const rows = await t.db.kysely.selectFrom('models').select(['key', 'status']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(25);
    for (const m of DEMO_MODELS) expect(rows.find((r) => r.key === m.key)?.status).toBe(m.status);
    const statuses = new Set(rows.map((r) => r.status));
    expect(statuses).toEqual(
      new Set(['proposed', 'development', 'validation', 'approved', 'production', 'retired']),
    );
    const active = await t.db.kysely
      .selectFrom('deployments')
      .select('id')
      .where('ended_at', 'is', null)
      .execute();
    expect(active.length).toBe(
      DEMO_MODELS.filter((m) => m.status !== 'retired').reduce(
        (n, m) => n + (m.versions.length ? m.deployedTo.length : 0),
        0,
      ),
    );
  });

  it('uses the real census data set for one model, with lineage', async () => {
    const holdout = await t.db.kysely
      .selectFrom('datasets')
      .selectAll()
      .where('name', '=', 'census-income-holdout')
      .executeTakeFirstOrThrow();
    expect(holdout.location_uri).toContain('adult_scored_reference.csv');
    const parents = await t.db.kysely
      .selectFrom('dataset_parents')
      .select('parent_id')
      .where('dataset_id', '=', holdout.id)
      .execute();
    expect(parents).toHaveLength(1);
  });

  it('tiers the portfolio from answered questionnaires', async () => {
    const tierings = await t.db.kysely
      .selectFrom('tierings')
      .innerJoin('models', 'models.id', 'tierings.model_id')
      .select([
        'models.key',
        'models.tier',
        'tierings.computed_tier',
        'tierings.policy_version',
        'tierings.answers_json',
      ])
      .execute();
    expect(new Set(tierings.map((r) => r.key)).size).toBeGreaterThanOrEqual(15);
    for (const r of tierings) {
      expect(Number(r.tier)).toBe(Number(r.computed_tier));
      expect(Number(r.policy_version)).toBe(1);
      expect(Object.keys(JSON.parse(r.answers_json))).toHaveLength(8);
    }
    expect(new Set(tierings.map((r) => Number(r.computed_tier)))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('classifies the flagship credit model as its card reads, and its approval carried the EU AI Act obligations', async () => {
    const pd = await t.db.kysely
      .selectFrom('models')
      .innerJoin('tierings', 'tierings.model_id', 'models.id')
      .select([
        'models.id',
        'models.tier',
        'models.eu_ai_act_class',
        'tierings.answers_json',
        'tierings.eu_json',
      ])
      .where('models.key', '=', 'retail-credit-pd')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(pd.answers_json)).toMatchObject({
      decision_impact: 'legal_or_safety',
      data_sensitivity: 'personal',
      complexity: 'statistical',
      regulatory_exposure: 'regulated_use',
    });
    expect(Number(pd.tier)).toBe(1);
    expect(pd.eu_ai_act_class).toBe('high_risk');
    const eu = JSON.parse(pd.eu_json);
    expect(eu.fundamentalRightsImpactAssessment).toBe(true);
    const required: string[] = eu.obligations.flatMap((o: { evidence: string[] }) => o.evidence);
    expect(required).toEqual(
      expect.arrayContaining(['risk_management_system', 'fundamental_rights_impact_assessment']),
    );
    // The approved production review of 4.0 asked for every obligation's evidence, and it is attached.
    const evidence = await t.db.kysely
      .selectFrom('evidence')
      .innerJoin('model_versions', 'model_versions.id', 'evidence.version_id')
      .select('evidence.type')
      .where('evidence.model_id', '=', pd.id)
      .where('model_versions.label', '=', '4.0')
      .execute();
    for (const type of required) expect(evidence.map((e) => e.type)).toContain(type);
    // High-risk models that were never approved show the obligations as not yet met.
    const mortgage = await t.db.kysely
      .selectFrom('models')
      .select('eu_ai_act_class')
      .where('key', '=', 'mortgage-affordability')
      .executeTakeFirstOrThrow();
    expect(mortgage.eu_ai_act_class).toBe('high_risk');
  });

  it('has open and closed reviews, findings in every state, and decisions signed by independent people', async () => {
    const reviews = await t.db.kysely
      .selectFrom('reviews')
      .innerJoin('models', 'models.id', 'reviews.model_id')
      .select([
        'reviews.id',
        'models.key',
        'reviews.type',
        'reviews.state',
        'reviews.opened_by',
        'reviews.reason',
      ])
      .execute();
    const states = new Set(reviews.map((r) => r.state));
    for (const s of ['draft', 'submitted', 'in_validation', 'decision_pending', 'closed'])
      expect(states).toContain(s);
    // Opened by the system: the scheduler's periodic review, the expired acceptance's incident
    // review, and the material change's change review.
    expect(
      reviews
        .filter((r) => r.opened_by === 'system')
        .map((r) => `${r.key}:${r.type}`)
        .sort(),
    ).toEqual([
      'aml-transaction-monitoring:incident',
      'collections-prioritisation:change',
      'retail-credit-pd:periodic',
    ]);

    const findings = await t.db.kysely
      .selectFrom('findings')
      .select(['id', 'state', 'remediator', 'verified_by'])
      .execute();
    expect(new Set(findings.map((f) => f.state))).toEqual(
      new Set(['open', 'in_remediation', 'ready_for_verification', 'closed', 'risk_accepted']),
    );
    for (const f of findings.filter((x) => x.state === 'closed')) {
      expect(f.verified_by).toBeTruthy();
      expect(f.verified_by).not.toBe(f.remediator);
    }

    const decisions = await t.db.kysely
      .selectFrom('decisions')
      .innerJoin('reviews', 'reviews.id', 'decisions.review_id')
      .select([
        'decisions.id',
        'decisions.model_id',
        'decisions.outcome',
        'decisions.state',
        'reviews.submitted_by',
      ])
      .execute();
    expect(decisions.filter((d) => d.state === 'final').length).toBeGreaterThanOrEqual(6);
    expect(decisions.some((d) => d.state === 'pending')).toBe(true);
    for (const d of decisions) {
      const makers = await t.db.kysely
        .selectFrom('model_relations')
        .innerJoin('users', 'users.id', 'model_relations.user_id')
        .select('users.username')
        .where('model_relations.model_id', '=', d.model_id)
        .where('model_relations.relation', 'in', ['owner', 'developer'])
        .execute();
      const forbidden = new Set([...makers.map((m) => m.username), d.submitted_by]);
      const signers = await t.db.kysely
        .selectFrom('decision_signatures')
        .select('signer')
        .where('decision_id', '=', d.id)
        .execute();
      expect(signers.length).toBeGreaterThan(0);
      for (const s of signers) expect(forbidden.has(s.signer), `${s.signer} signed ${d.id}`).toBe(false);
    }

    const withConditions = decisions.find(
      (d) => d.outcome === 'approve_with_conditions' && d.state === 'final',
    );
    const conditions = await t.db.kysely
      .selectFrom('decision_conditions')
      .select(['owner', 'due_at', 'met_at'])
      .where('decision_id', '=', withConditions!.id)
      .execute();
    expect(conditions.map((c) => c.met_at !== null).sort()).toEqual([false, true]);
  });

  it('expired a risk acceptance once: its finding reopened and an incident review opened', async () => {
    const expired = await t.db.kysely
      .selectFrom('risk_acceptances')
      .select(['id', 'requested_by', 'approved_by', 'expired_at'])
      .where('state', '=', 'expired')
      .execute();
    expect(expired).toHaveLength(1);
    expect(expired[0]!.approved_by).not.toBe(expired[0]!.requested_by);
    const links = await t.db.kysely
      .selectFrom('acceptance_findings')
      .innerJoin('findings', 'findings.id', 'acceptance_findings.finding_id')
      .select(['findings.id', 'findings.state'])
      .where('acceptance_id', '=', expired[0]!.id)
      .execute();
    expect(links.map((l) => l.state)).toEqual(['open']);
    const reopened = await t.db.kysely
      .selectFrom('audit_events')
      .select(['actor'])
      .where('action', '=', 'finding.reopen')
      .where('entity_id', '=', links[0]!.id)
      .execute();
    expect(reopened).toEqual([{ actor: 'system' }]);
    const fired = await t.db.kysely.selectFrom('fired_jobs').select(['kind']).execute();
    expect(fired.filter((j) => j.kind === 'acceptance.expired')).toHaveLength(1);
    expect(fired.filter((j) => j.kind === 'review.periodic')).toHaveLength(1);
    // The periodic review waits for fresh evidence: one item carried forward by its validator.
    const carried = await t.db.kysely
      .selectFrom('review_carry_forwards')
      .innerJoin('reviews', 'reviews.id', 'review_carry_forwards.review_id')
      .select(['reviews.type', 'reviews.state', 'review_carry_forwards.carried_by'])
      .execute();
    expect(carried).toEqual([{ type: 'periodic', state: 'draft', carried_by: 'val.wen' }]);
    expect(
      await t.db.kysely.selectFrom('risk_acceptances').select('id').where('state', '=', 'active').execute(),
    ).toHaveLength(1);
  });

  it('gates pass and fail for the intended reasons at the end of the seed', async () => {
    const results = await demoGateResults(t.db, new ManualClock('2026-11-01T00:00:00.000Z'));
    expect(
      results.map(({ model, version, env, allowed, codes }) => ({ model, version, env, allowed, codes })),
    ).toEqual(
      DEMO_GATES.map(({ model, version, env, allowed, codes }) => ({ model, version, env, allowed, codes })),
    );
    const denied = new Set(results.flatMap((r) => r.codes));
    for (const code of [
      'not_approved',
      'approval_expired',
      'evidence_missing',
      'finding_open',
      'condition_overdue',
    ])
      expect(denied).toContain(code);
    expect(results.filter((r) => r.allowed).length).toBeGreaterThanOrEqual(2);
  });

  it('writes a verifiable audit trail, dated in the past', async () => {
    const result = await verifyAuditChain(streamAuditEvents(t.db));
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(200);
    const last = await t.db.kysely
      .selectFrom('audit_events')
      .select('at')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last.at < '2026-11-01T00:00:00.000Z').toBe(true);
  });

  it('stands every approved or production status on a signed decision or a recorded exception', async () => {
    const moves = await t.db.kysely
      .selectFrom('audit_events')
      .select(['entity_id', 'after_json'])
      .where('action', '=', 'model.transitioned')
      .execute();
    const gated = moves
      .map((m) => JSON.parse(m.after_json ?? '{}') as { key: string; status: string; reason?: string })
      .filter((m) => m.status === 'approved' || m.status === 'production');
    expect(gated.length).toBeGreaterThan(20);
    for (const m of gated) expect(m.reason, `${m.key} → ${m.status}`).toMatch(/by decision|by exception/);
    for (const m of gated.filter((x) => WORKFLOW_APPROVED.has(x.key)))
      expect(m.reason, `${m.key} → ${m.status}`).toMatch(/by decision/);

    const exceptions = await t.db.kysely.selectFrom('lifecycle_exceptions').selectAll().execute();
    expect(exceptions.length).toBe(
      LEGACY_EXCEPTIONS.length + LEGACY_EXCEPTIONS.filter((e) => e.renewal).length,
    );
    for (const e of exceptions) {
      expect(e.reason.length).toBeGreaterThanOrEqual(20);
      expect(e.decided_by ?? '').not.toBe(e.requested_by);
      expect(Date.parse(e.until) - Date.parse(e.requested_at)).toBeLessThanOrEqual(365 * 86_400_000);
    }
    expect(exceptions.filter((e) => e.state === 'requested')).toHaveLength(1);
  });

  it('shows the legacy models and the lapsed approvals in the exception report', async () => {
    const report = await demoExceptionReport(t.db, new ManualClock('2026-11-01T00:00:00.000Z'));
    const production = new Map(report.productionWithoutApproval.map((r) => [r.modelKey, r]));
    for (const key of ['sanctions-name-screening', 'customer-segmentation', 'home-insurance-pricing']) {
      expect(production.get(key)).toMatchObject({ problem: 'no_approval' });
      expect(production.get(key)?.exception?.reason.length).toBeGreaterThan(20);
    }
    // Its exception lapsed and the renewal waits for approval: no cover.
    expect(production.get('cash-demand-forecast')).toMatchObject({ problem: 'no_approval', exception: null });
    expect(production.get('retail-credit-pd')).toMatchObject({
      problem: 'approval_expired',
      exception: null,
    });
    for (const key of ['income-propensity', 'churn-retail-banking', 'card-fraud-realtime'])
      expect(production.has(key)).toBe(false);
    const denied = new Set(report.deploymentsGateDenied.map((r) => r.modelKey));
    for (const key of [
      'retail-credit-pd',
      'card-fraud-realtime',
      'motor-claims-severity',
      'sanctions-name-screening',
    ])
      expect(denied).toContain(key);
    expect(denied.has('income-propensity')).toBe(false);
    expect(report.retiredStillDeployed).toEqual([]);
    expect(report.overdueConditions.map((c) => c.modelKey)).toEqual(['card-fraud-realtime']);
    expect(report.expiredAcceptances.map((a) => a.modelKey)).toEqual(['aml-transaction-monitoring']);
    expect(report.exceptionsInForce.map((e) => e.modelKey).sort()).toEqual([
      'customer-segmentation',
      'doc-ocr-kyc',
      'home-insurance-pricing',
      'merchant-risk',
      'sanctions-name-screening',
    ]);
    expect(report.counts.productionWithoutApproval).toBe(report.productionWithoutApproval.length);
  });

  it('registers the credit and income models by their ONNX artifacts, with explanation and stress evidence from them', async () => {
    for (const a of DEMO_MODEL_ARTIFACTS) {
      const sha = createHash('sha256')
        .update(readFileSync(path.join(import.meta.dirname, '..', '..', a.artifact)))
        .digest('hex');
      const version = await t.db.kysely
        .selectFrom('model_versions')
        .innerJoin('models', 'models.id', 'model_versions.model_id')
        .select(['model_versions.id', 'model_versions.artifact_sha256', 'model_versions.artifact_uri'])
        .where('models.key', '=', a.key)
        .where('model_versions.label', '=', a.version)
        .executeTakeFirstOrThrow();
      expect(version.artifact_sha256).toBe(sha);
      expect(version.artifact_uri).toMatch(/^file:\/\/.*\.onnx$/);
      const rows = await t.db.kysely
        .selectFrom('evidence')
        .select(['blob_sha256', 'produced_by_tool', 'media_type', 'inputs_json'])
        .where('version_id', '=', version.id)
        .where('type', '=', 'test_results')
        .where('media_type', '=', 'application/json')
        .execute();
      const docs = await Promise.all(
        rows.map(async (r) => JSON.parse(await text(blobs.open(r.blob_sha256 as string)))),
      );
      const explained = docs.map((d) => explainEvidenceSchema.safeParse(d)).find((p) => p.success)?.data;
      const stressed = docs.map((d) => robustnessEvidenceSchema.safeParse(d)).find((p) => p.success)?.data;
      expect(explained?.model.artifact_sha256).toBe(sha);
      expect(stressed?.model.artifact_sha256).toBe(sha);
      expect(explained?.permutation_importance?.features.length).toBe(explained?.model.features.length);
      expect(explained?.shap?.rows.length).toBeGreaterThan(0);
      expect(stressed?.properties.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.inputs_json).toContain(`sha256:${sha}`);
      // The credit model is monotone by construction: its declared properties hold.
      if (a.key === 'retail-credit-pd') expect(stressed?.properties.every((p) => p.passed)).toBe(true);
    }
    // The model card draft's explainability section cites the newest explanation.
    const { docs } = demoServices(t.db, systemClock, blobs);
    const steward = await t.db.kysely
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'grace.hopper')
      .executeTakeFirstOrThrow();
    const draft = await docs.draftCard(
      {
        principal: {
          userId: steward.id,
          username: 'grace.hopper',
          role: 'governance',
          scope: 'write',
          tokenId: 't',
        },
        audit: { actor: 'grace.hopper', requestId: 'test' },
      },
      'retail-credit-pd',
      '4.0',
      false,
    );
    expect(draft.content.explainability.text).toContain('artifact SHA-256');
  });
});
