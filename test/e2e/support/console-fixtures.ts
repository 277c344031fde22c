import type { ConsoleServer } from './console-server.ts';

/** What the fixture portfolio created, for the tests to look for. */
export interface FixturePortfolio {
  models: { key: string; name: string; status: string }[];
  lineageModel: { key: string; name: string; version: string; datasets: string[]; environments: string[] };
}

const MODELS = [
  {
    key: 'retail-credit-pd',
    name: 'Retail Credit PD Scorecard',
    type: 'classification',
    businessUnit: 'Retail Credit',
    tags: ['credit', 'irb'],
  },
  {
    key: 'card-fraud-realtime',
    name: 'Card Fraud Real-time Scoring',
    type: 'classification',
    businessUnit: 'Fraud',
    tags: ['fraud'],
  },
  {
    key: 'support-assistant-llm',
    name: 'Customer Support Assistant',
    type: 'llm_application',
    businessUnit: 'Customer Service',
    tags: ['genai'],
    genai: true,
  },
  {
    key: 'atm-cash-forecast',
    name: 'ATM Cash Demand Forecast',
    type: 'forecasting',
    businessUnit: 'Operations',
    tags: ['ops'],
  },
  {
    key: 'vendor-aml-screening',
    name: 'Sanctions Name Screening',
    type: 'rules_euc',
    businessUnit: 'Fraud',
    tags: ['aml'],
    vendor: true,
    vendorName: 'ScreenCo',
  },
] as const;

/**
 * Registers a small portfolio through the API (the same calls a user or pipeline makes): five
 * models, datasets with lineage, versions and deployments for one of them.
 */
export async function seedFixturePortfolio(server: ConsoleServer): Promise<FixturePortfolio> {
  for (const m of MODELS) {
    await server.api('POST', '/api/v1/models', {
      ...m,
      tags: [...m.tags],
      purpose: `Purpose of ${m.name}`,
      description: `${m.name}: a model of the e2e fixture portfolio.`,
    });
  }
  const raw = await server.api<{ id: string }>('POST', '/api/v1/datasets', {
    name: 'loan-applications-raw',
    role: 'reference',
    containsPii: true,
    piiColumns: ['applicant_id'],
    rowCount: 2_410_000,
  });
  const train = await server.api<{ id: string }>('POST', '/api/v1/datasets', {
    name: 'loan-applications-train',
    role: 'training',
    derivedFrom: [raw.id],
    rowCount: 1_800_000,
  });
  const holdout = await server.api<{ id: string }>('POST', '/api/v1/datasets', {
    name: 'loan-outcomes-holdout',
    role: 'validation',
    derivedFrom: [raw.id],
    rowCount: 400_000,
  });
  const key = 'retail-credit-pd';
  await server.api('POST', `/api/v1/models/${key}/versions`, {
    label: '1.0.0',
    trainingDatasetIds: [train.id],
    evaluationDatasetIds: [holdout.id],
    changeSummary: 'First scorecard',
  });
  await server.api('POST', `/api/v1/models/${key}/versions`, {
    label: '1.1.0',
    trainingDatasetIds: [train.id],
    evaluationDatasetIds: [holdout.id],
    artifactUri: 's3://models/retail-credit-pd/1.1.0/model.pkl',
    artifactSha256: 'a'.repeat(64),
    changeSummary: 'Recalibrated on 2026 outcomes',
    materialChange: true,
  });
  await server.api('POST', `/api/v1/models/${key}/deployments`, {
    version: '1.1.0',
    environment: 'staging',
    endpoint: 'https://staging.ml.example/credit-pd',
  });
  // Production stands behind the gate: this unvalidated version runs there under a recorded
  // exception, asked for by the admin and approved by a second steward.
  await server.api('POST', '/api/v1/users', { username: 'gov.fixture', role: 'governance' });
  const steward = await server.api<{ secret: string }>('POST', '/api/v1/tokens', {
    name: 'fixture',
    scope: 'write',
    username: 'gov.fixture',
  });
  const exception = await server.api<{ id: string }>('POST', '/api/v1/exceptions', {
    modelKey: key,
    versionLabel: '1.1.0',
    allows: ['production_deployment'],
    reason: 'Recalibrated scorecard runs while its validation is under way',
    until: new Date(Date.now() + 60 * 86_400_000).toISOString(),
  });
  await server.api('POST', `/api/v1/exceptions/${exception.id}/approve`, {}, steward.secret);
  await server.api('POST', `/api/v1/models/${key}/deployments`, {
    version: '1.1.0',
    environment: 'production',
    endpoint: 'https://ml.example/credit-pd',
  });
  await server.api('POST', `/api/v1/models/${key}/transition`, { to: 'development' });
  const list = await server.api<{ items: { key: string; name: string; status: string }[] }>(
    'GET',
    '/api/v1/models?limit=500',
  );
  return {
    models: list.items,
    lineageModel: {
      key,
      name: 'Retail Credit PD Scorecard',
      version: '1.1.0',
      datasets: ['loan-applications-raw', 'loan-applications-train', 'loan-outcomes-holdout'],
      environments: ['staging', 'production'],
    },
  };
}
