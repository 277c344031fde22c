import os from 'node:os';
import path from 'node:path';
import type { DatasheetContentInput, ModelCardContentInput } from '../contracts/documentation.ts';
import { euAiActAnswersSchema } from '../contracts/policy.ts';
import { DocumentationService } from '../governance/documentation/documentation.service.ts';
import { EvidenceService } from '../governance/evidence/evidence.service.ts';
import { DatasetsService } from '../governance/inventory/datasets.service.ts';
import { DEFAULT_REQUIRED_FIELDS } from '../governance/inventory/model-rules.ts';
import { ModelsService } from '../governance/inventory/models.service.ts';
import { VersionsService } from '../governance/inventory/versions.service.ts';
import { PolicyService } from '../governance/policy/policy.service.ts';
import { ReviewsService } from '../governance/reviews/reviews.service.ts';
import { TieringService } from '../governance/tiering/tiering.service.ts';
import type { Caller } from '../platform/auth/caller.ts';
import { LocalBlobStore } from '../platform/blob-store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';

/** The demo's two documented Tier 1 models: one complete card, one with gaps. */
export const DEMO_DOCUMENTED = {
  complete: { key: 'retail-credit-pd', version: '4.0' },
  gaps: { key: 'retail-credit-lgd', version: '1.1' },
} as const;

const DATASETS = ['loan-applications-2019-2025', 'loan-performance-outcomes'];

function datasheet(name: string): DatasheetContentInput {
  const outcomes = name === 'loan-performance-outcomes';
  return {
    motivation: {
      text: outcomes
        ? 'Observed 12-month default outcomes of retail loans, collected to develop and validate credit risk models.'
        : 'Retail loan applications with bureau attributes, collected to develop credit risk models under IRB.',
    },
    composition: {
      text: 'One row per application (or per loan for outcomes); applicant, product and bureau attributes.',
    },
    collection: {
      text: 'Extracted monthly from the loan origination system and the credit bureau feed; no sampling.',
    },
    preprocessing: {
      text: 'Duplicates removed, bureau attributes capped at the 99.5th percentile, missing values flagged explicitly.',
    },
    uses: {
      text: 'Credit risk model development and validation only; not for marketing or collections prioritisation.',
    },
    distribution: {
      text: 'Internal only, through the model development platform; access requires Retail Credit approval.',
    },
    maintenance: {
      text: 'Refreshed monthly by Retail Credit analytics; issues are raised with the dataset owner (grace.hopper).',
    },
    piiAndRetention: {
      text: 'Contains personal data of applicants; processed under the bank’s lending legal basis.',
      containsPii: true,
      piiColumns: ['age', 'postcode', 'income'],
      retention: 'Retain 7 years after account closure, then delete (GDPR Art. 5(1)(e))',
    },
  };
}

function pdCard(evidence: { evidenceId: string; sha256: string | null }): ModelCardContentInput {
  const cite = { evidenceId: evidence.evidenceId, sha256: evidence.sha256 };
  const metric = (name: string, value: number, lower: number, upper: number, group?: [string, string]) => ({
    name,
    value,
    lower,
    upper,
    confidenceLevel: 0.95,
    group: group ? { attribute: group[0], value: group[1] } : null,
    dataset: 'loan-performance-outcomes',
    ...cite,
  });
  return {
    overview: {
      text: 'Scorecard estimating the 12-month probability of default (PD) of retail loan applicants. Feeds credit decisions and IRB capital.',
    },
    intendedUse: {
      text: 'Supports credit officers deciding retail loan applications up to EUR 50,000 and feeds the IRB PD estimate.',
      users: ['Retail credit officers', 'Credit risk management'],
    },
    outOfScopeUses: {
      text: 'The model was not developed or validated for these populations or purposes.',
      items: ['Business or SME lending', 'Collections prioritisation', 'Marketing pre-selection'],
    },
    modelDetails: {
      text: 'Logistic regression scorecard on binned bureau and application attributes (weight of evidence).',
      architecture: 'Logistic regression on 14 WoE-binned characteristics',
      trainingProcedure:
        'Fitted on applications 2019-2024, out-of-time test on 2025; bins reviewed by credit experts.',
      hyperparameters: [
        { key: 'regularisation', value: 'L2, C=1.0' },
        { key: 'bins_per_characteristic', value: '≤ 8' },
      ],
    },
    data: {
      text: 'Training and evaluation data come from the inventory datasets below (lineage in Assay).',
      training: [{ name: 'loan-applications-2019-2025' }],
      evaluation: [{ name: 'loan-performance-outcomes' }],
    },
    evaluation: {
      text: 'Independent validation on the 2025 out-of-time sample; 95% bootstrap confidence intervals.',
      evidence: [cite],
      metrics: [
        metric('roc_auc', 0.78, 0.77, 0.79),
        metric('brier_score', 0.061, 0.059, 0.063),
        metric('selection_rate', 0.62, 0.6, 0.64, ['sex', 'female']),
        metric('selection_rate', 0.65, 0.63, 0.67, ['sex', 'male']),
      ],
    },
    fairness: {
      text: 'Approval rates by sex and age band are within the four-fifths rule; protected attributes are not model inputs.',
    },
    explainability: {
      text: 'Each decision comes with the three characteristics that lowered the score most (adverse action reason codes).',
    },
    humanOversight: {
      text: 'Credit officers review every decline and every approval above EUR 25,000 before it takes effect.',
      reviewers: 'Retail credit officers (four-eyes above EUR 25,000)',
      reviewedDecisions: 'All declines; approvals above EUR 25,000',
      overrideProcess:
        'Override in the origination system with a mandatory reason code; overrides are reported monthly.',
    },
    assumptions: {
      text: 'The macro-economic environment stays within the range seen in 2019-2025.',
      items: ['Bureau data quality remains stable', 'Application fraud is filtered upstream'],
    },
    limitations: {
      text: 'Known limits of the scorecard.',
      items: [
        'Thin-file applicants (fewer than 2 bureau records) are scored conservatively',
        'Not validated for loans above EUR 50,000',
      ],
    },
    risks: {
      text: 'Risks identified in development and validation.',
      items: [
        {
          risk: 'Population drift after a rate shock',
          mitigation: 'Monthly PSI monitoring with a 0.2 alert threshold',
        },
        {
          risk: 'Proxy discrimination through postcode',
          mitigation: 'Quarterly fairness review; postcode binned coarsely',
        },
      ],
    },
    monitoring: {
      text: 'Monthly monitoring report to the model risk committee.',
      metrics: ['PSI of the score', 'AUC on matured loans', 'Override rate'],
      frequency: 'monthly',
    },
    changeLog: {
      text: 'Version 4.0 re-estimates the scorecard on refreshed data and adds two bureau characteristics.',
      previousVersion: '3.3',
      items: ['Re-estimated on 2019-2024 applications', 'Added bureau utilisation and inquiry counts'],
    },
  };
}

/**
 * Documentation for the demo: datasheets for the credit datasets, a complete published card for a
 * Tier 1 model (retail-credit-pd 4.0) that passes its tier's rules, and a Tier 1 model
 * (retail-credit-lgd 1.1) whose published card has gaps, with a validation review whose checklist
 * therefore refuses the model card. Runs through the real services (audited).
 */
export async function seedDemoDocumentation(db: Db, clock: Clock, caller: Caller): Promise<void> {
  const policy = new PolicyService(db, clock);
  await policy.ensureDefault({ actor: 'system', requestId: 'demo-seed' });
  const models = new ModelsService(db, clock, DEFAULT_REQUIRED_FIELDS);
  const versions = new VersionsService(db, clock, models);
  const datasets = new DatasetsService(db, clock);
  const tiering = new TieringService(db, clock, policy, models, versions);
  // The demo attaches evidence as links only; the blob store is never written.
  const blobs = new LocalBlobStore(path.join(os.tmpdir(), 'assay-demo-no-blobs'));
  const evidence = new EvidenceService(db, clock, blobs, 0, models, versions);
  const reviews = new ReviewsService(db, clock, policy, models, versions, evidence);
  const docs = new DocumentationService(db, clock, { policy, models, versions, datasets, evidence, blobs });

  // The answers say what the cards say. PD: a scorecard (logistic regression) on applicants'
  // personal data whose declines and large approvals officers review (small approvals take effect
  // unreviewed), deciding consumer credit (legally significant), with IRB capital on it; under the
  // EU AI Act, creditworthiness of natural persons (Annex III 5(b)) with profiling, so high-risk
  // with a fundamental rights impact assessment (Art. 27). LGD: a regression feeding provisions
  // (automated, material financial effect, internal process), no decision about a person: minimal.
  // Both score Tier 1.
  await tiering.assess(caller, DEMO_DOCUMENTED.complete.key, DEMO_DOCUMENTED.complete.version, {
    answers: {
      decision_impact: 'legal_or_safety',
      autonomy: 'human_on_the_loop',
      population_affected: 'customers',
      data_sensitivity: 'personal',
      complexity: 'statistical',
      vendor_opacity: 'in_house',
      regulatory_exposure: 'regulated_use',
      financial_exposure: 'high',
    },
    euAiAct: euAiActAnswersSchema.parse({
      annexIIIAreas: ['essential_services'],
      profilesNaturalPersons: true,
      creditOrInsuranceAssessment: true,
    }),
  });
  await tiering.assess(caller, DEMO_DOCUMENTED.gaps.key, DEMO_DOCUMENTED.gaps.version, {
    answers: {
      decision_impact: 'material_automated',
      autonomy: 'human_on_the_loop',
      population_affected: 'internal_many',
      data_sensitivity: 'personal',
      complexity: 'statistical',
      vendor_opacity: 'in_house',
      regulatory_exposure: 'regulated_use',
      financial_exposure: 'high',
    },
  });

  for (const name of DATASETS)
    await docs.saveDatasheet(caller, name, { content: datasheet(name), publish: true });

  const { key, version } = DEMO_DOCUMENTED.complete;
  const report = await evidence.create(caller, key, version, {
    type: 'validation_report',
    title: `Independent validation of ${key} ${version}`,
    externalUrl: `https://mrm.northwind.example/validation/${key}/${version}`,
    producedBy: { tool: 'model-risk-validation', version: '2026.2' },
  });
  const draft = await docs.draftCard(caller, key, version, true);
  await docs.saveCard(caller, key, version, {
    content: pdCard({ evidenceId: report.id, sha256: report.file?.sha256 ?? null }),
    publish: true,
    note: 'Reviewed with validation; complete for Tier 1',
    baseRevision: draft.saved?.revision,
  });

  // The LGD card: generated, then published as it is — it lacks limitations, risks, explainability….
  const gaps = DEMO_DOCUMENTED.gaps;
  const lgd = await docs.draftCard(caller, gaps.key, gaps.version, true);
  await docs.saveCard(caller, gaps.key, gaps.version, {
    content: {
      ...lgd.content,
      limitations: { text: 'To be completed.', items: [] },
    },
    publish: true,
    note: 'Published before validation asked for the missing sections',
  });
  await reviews.openReview(
    { principal: null, audit: caller.audit },
    {
      modelKey: gaps.key,
      versionLabel: gaps.version,
      type: 'initial',
      gate: 'validation',
      reason: 'Initial validation',
    },
    { reuseOpen: true },
  );
}
