import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { type MlflowTestServer, startMlflowServer } from '../../../test/support/mlflow-server.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { adultPredictions, predictionsNdjson } from '../monitoring/monitoring-fixture.ts';
import { signMlflowWebhook, verifyMlflowSignature } from './mlflow/mlflow-webhook.ts';

const SECRET = 'mlflow-webhook-secret';

describe('MLflow webhook signature', () => {
  it('verifies v1 HMAC-SHA256 over delivery id, timestamp and payload, within the tolerance', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const ts = String(now.getTime() / 1000);
    const payload = '{"entity":"model_version","action":"created"}';
    const signature = signMlflowWebhook(SECRET, 'd-1', ts, payload);
    const base = { secret: SECRET, deliveryId: 'd-1', timestamp: ts, signature, payload, now };
    expect(verifyMlflowSignature(base)).toBeNull();
    expect(verifyMlflowSignature({ ...base, payload: `${payload} ` })).toMatch(/does not verify/);
    expect(verifyMlflowSignature({ ...base, deliveryId: 'd-2' })).toMatch(/does not verify/);
    expect(verifyMlflowSignature({ ...base, secret: 'other' })).toMatch(/does not verify/);
    expect(verifyMlflowSignature({ ...base, now: new Date(now.getTime() + 301_000) })).toMatch(
      /from the server's clock/,
    );
    expect(verifyMlflowSignature({ ...base, signature: signature.replace('v1,', 'v2,') })).toMatch(/v1/);
    expect(verifyMlflowSignature({ ...base, timestamp: undefined })).toMatch(/required/);
  });
});

describe.each(ENGINES)('MLflow registry sync and reconciliation on %s', (engine) => {
  let mlflow: MlflowTestServer;
  let s: TestServer;

  const entries = async () => (await s.call('GET', '/api/v1/connectors/mlflow/entries')).json().items;
  const report = async () => (await s.call('GET', '/api/v1/connectors/reconciliation')).json();

  beforeAll(async () => {
    mlflow = await startMlflowServer(2);
    mlflow.models.set('fraud-scorer', {
      description: 'Card fraud score',
      tags: [{ key: 'team', value: 'risk' }],
      aliases: [{ alias: 'champion', version: '2' }],
      versions: [
        { version: '1', source: 's3://ml/fraud/1/model', run_id: 'r1' },
        { version: '2', source: 's3://ml/fraud/2/model', run_id: 'r2' },
      ],
    });
    mlflow.models.set("churn's model", {
      versions: [{ version: '1', source: 'dbfs:/churn/1', current_stage: 'Production' }],
    });
    mlflow.models.set('credit-pd', { versions: [{ version: '3', source: 's3://ml/credit/3' }] });
    s = await startTestServer(engine, new Date().toISOString(), {
      mlflow: { url: mlflow.url, token: undefined, webhookSecret: SECRET, syncIntervalMs: 3_600_000 },
    });
  });
  afterAll(async () => {
    await s?.close();
    await mlflow?.close();
  });

  it('pulls models, versions, aliases, tags and artifact locations idempotently, auditing each change with its hash', async () => {
    const first = await s.call('POST', '/api/v1/connectors/mlflow/sync');
    expect(first.json()).toMatchObject({ created: 7, updated: 0, removed: 0, unchanged: 0 });
    // Paging followed (page size 2 on the test server) and versions searched per model by name.
    expect(mlflow.requests.some((r) => r.includes('page_token='))).toBe(true);
    const filters = mlflow.requests.map((r) => new URL(r, 'http://x').searchParams.get('filter'));
    expect(filters).toContain("name='churn\\'s model'");
    const items = await entries();
    expect(
      items.find(
        (e: { externalId: string; version: string }) => e.externalId === 'fraud-scorer' && e.version === '2',
      ),
    ).toMatchObject({
      artifactUri: 's3://ml/fraud/2/model',
      aliases: ['champion'],
    });
    const again = await s.call('POST', '/api/v1/connectors/mlflow/sync');
    expect(again.json()).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: 7 });

    mlflow.models.get('fraud-scorer')!.aliases = [{ alias: 'champion', version: '1' }];
    mlflow.models.delete('credit-pd');
    const third = (await s.call('POST', '/api/v1/connectors/mlflow/sync')).json();
    expect(third).toMatchObject({ created: 0, updated: 3, removed: 2 });
    const events = (
      await s.call('GET', '/api/v1/audit/events?entityId=mlflow:fraud-scorer@1&limit=10')
    ).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'registry.entry.updated',
      'registry.entry.created',
    ]);
    expect(events[0].actor).toBe('connector:mlflow');
    expect(events[0].after.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(events[0].after.payloadHash).not.toBe(events[0].before.payloadHash);
    mlflow.models.set('credit-pd', { versions: [{ version: '3', source: 's3://ml/credit/3' }] });
    expect((await s.call('POST', '/api/v1/connectors/mlflow/sync')).json()).toMatchObject({
      updated: 2,
      removed: 0,
    });
  });

  it('accepts only signed webhooks, and a webhook only triggers a pull', async () => {
    mlflow.models.set('new-model', { versions: [{ version: '1', source: 's3://ml/new/1' }] });
    const payload = JSON.stringify({ entity: 'model_version', action: 'created', data: { name: 'ignored' } });
    const ts = String(Math.floor(s.clock.now().getTime() / 1000));
    const headers = {
      'content-type': 'application/json',
      'x-mlflow-delivery-id': 'delivery-1',
      'x-mlflow-timestamp': ts,
      'x-mlflow-signature': signMlflowWebhook(SECRET, 'delivery-1', ts, payload),
    };
    const bad = await s.call('POST', '/api/v1/connectors/mlflow/webhook', payload, null, {
      ...headers,
      'x-mlflow-signature': signMlflowWebhook('wrong', 'delivery-1', ts, payload),
    });
    expect(bad.statusCode).toBe(403);
    const ok = await s.call('POST', '/api/v1/connectors/mlflow/webhook', payload, null, headers);
    expect(ok.statusCode).toBe(202);
    await s.services.mlflowSync!.sync('manual');
    const items = await entries();
    expect(items.some((e: { externalId: string }) => e.externalId === 'new-model')).toBe(true);
    expect(items.some((e: { externalId: string }) => e.externalId === 'ignored')).toBe(false);
  });

  it('reconciles the inventory with the registry and deployments, and registers a shadow model in one click', async () => {
    const mk = (key: string, extra: Record<string, unknown> = {}) =>
      s.call('POST', '/api/v1/models', { key, name: key, type: 'classification', ...extra });
    expect((await mk('credit-pd', { links: { registry: 'models:/credit-pd' } })).statusCode).toBe(201);
    expect((await mk('pricing')).statusCode).toBe(201);
    expect((await s.call('POST', '/api/v1/models/pricing/versions', { label: '1.0' })).statusCode).toBe(201);
    const dep = await s.call('POST', '/api/v1/models/pricing/deployments', {
      version: '1.0',
      environment: 'staging',
      endpoint: 'https://serve/pricing',
    });
    expect(dep.statusCode).toBe(201);
    const r = await report();
    const byName = Object.fromEntries(r.items.map((i: { name: string }) => [i.name, i]));
    expect(byName.pricing.category).toBe('registered_and_deployed');
    expect(byName['credit-pd']).toMatchObject({ category: 'registered_not_deployed', modelKey: 'credit-pd' });
    expect(byName['credit-pd'].sources).toContainEqual({ source: 'mlflow', id: 'credit-pd' });
    expect(byName['fraud-scorer']).toMatchObject({ category: 'deployed_not_registered', modelKey: null });
    expect(byName['fraud-scorer'].deployedBecause).toContain('mlflow alias champion → version 1');
    expect(byName["churn's model"].deployedBecause).toContain('mlflow stage Production (version 1)');
    expect(r.counts).toMatchObject({
      registered_and_deployed: 1,
      registered_not_deployed: 1,
      deployed_not_registered: 3,
    });

    const reg = await s.call('POST', '/api/v1/connectors/reconciliation/register', {
      source: 'mlflow',
      externalId: 'fraud-scorer',
      overrides: { type: 'classification' },
    });
    expect(reg.statusCode).toBe(201);
    expect(reg.json()).toMatchObject({
      key: 'fraud-scorer',
      description: 'Card fraud score',
      tags: ['team:risk'],
      links: { registry: 'models:/fraud-scorer' },
    });
    const after = await report();
    expect(after.items.find((i: { name: string }) => i.name === 'fraud-scorer').category).toBe(
      'registered_not_deployed',
    );
    const again = await s.call('POST', '/api/v1/connectors/reconciliation/register', {
      source: 'mlflow',
      externalId: 'fraud-scorer',
    });
    expect(again.statusCode).toBe(404);
  });

  it('takes observed deployments from a wired source (monitoring ingestion) as shadow models', async () => {
    s.services.reconciliation.addObservationSource({
      name: 'monitoring',
      unknownDeployments: async () => [{ deploymentId: 'dep-7f3a', lastSeenAt: s.clock.now().toISOString() }],
    });
    const item = (await report()).items.find((i: { name: string }) => i.name === 'dep-7f3a');
    expect(item).toMatchObject({
      category: 'deployed_not_registered',
      sources: [{ source: 'monitoring', id: 'dep-7f3a' }],
    });
    expect(item.prefill).toMatchObject({ key: 'dep-7f3a', type: 'other' });
  });

  it('registers a deployment monitoring saw serving with its deployment, so later ingestion lands on it', async () => {
    const ndjson = predictionsNdjson(adultPredictions('2026-10-01T00:00:00Z', 1, 5));
    const ingest = () =>
      s.call('POST', '/api/v1/deployments/ext-scorer-9/monitoring/predictions', ndjson, undefined, {
        'content-type': 'application/x-ndjson',
      });
    expect((await ingest()).statusCode).toBe(404);
    const shadow = (await report()).items.find((i: { name: string }) => i.name === 'ext-scorer-9');
    expect(shadow).toMatchObject({
      category: 'deployed_not_registered',
      sources: [{ source: 'monitoring', id: 'ext-scorer-9' }],
    });
    // a registry is not a source that saw a deployment: no deployment to create from it
    const refused = await s.call('POST', '/api/v1/connectors/reconciliation/register', {
      source: 'mlflow',
      externalId: "churn's model",
      deployment: { environment: 'staging' },
    });
    expect(refused.statusCode).toBe(400);

    const reg = await s.call('POST', '/api/v1/connectors/reconciliation/register', {
      source: 'monitoring',
      externalId: 'ext-scorer-9',
      overrides: { key: 'ext-scorer', name: 'External scorer' },
      deployment: { environment: 'staging', endpoint: 'https://serve/ext' },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json()).toMatchObject({ key: 'ext-scorer', name: 'External scorer' });
    const deps = (await s.call('GET', '/api/v1/models/ext-scorer/deployments')).json().items;
    expect(deps).toEqual([
      expect.objectContaining({
        id: 'ext-scorer-9',
        version: 'observed',
        environment: 'staging',
        endpoint: 'https://serve/ext',
      }),
    ]);

    const after = await report();
    expect(after.items.find((i: { name: string }) => i.name === 'ext-scorer-9')).toBeUndefined();
    expect(after.items.find((i: { modelKey: string | null }) => i.modelKey === 'ext-scorer')).toMatchObject({
      category: 'registered_and_deployed',
      deployedBecause: ['deployment observed in staging (https://serve/ext)'],
    });
    // the id monitoring saw is now the deployment's: ingestion lands on it
    const landed = await ingest();
    expect(landed.statusCode, landed.body).toBe(201);
    expect(landed.json().batches[0]).toMatchObject({ deploymentId: 'ext-scorer-9', rows: 5 });
    expect(
      (await s.services.monitoringIngest.listUnknownDeployments()).map((d) => d.deploymentId),
    ).not.toContain('ext-scorer-9');
    // once registered it is no longer a shadow: registering again finds nothing
    const again = await s.call('POST', '/api/v1/connectors/reconciliation/register', {
      source: 'monitoring',
      externalId: 'ext-scorer-9',
    });
    expect(again.statusCode).toBe(404);
  });

  it('refuses the report and the sync to roles without the right', async () => {
    const { token } = await s.userToken('dev', 'developer');
    expect((await s.call('GET', '/api/v1/connectors/reconciliation', undefined, token)).statusCode).toBe(403);
    expect((await s.call('POST', '/api/v1/connectors/mlflow/sync', undefined, token)).statusCode).toBe(403);
  });
});
