import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/engines.ts';
import { type MlflowTestServer, startMlflowServer } from '../../test/support/mlflow-server.ts';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import { AssayApiError, AssayClient } from './index.ts';

// The SDK's connectors and jobs modules against a real server on a real port (answers validated
// against the contracts), with the MLflow-compatible test server behind the connector.
describe.each(ENGINES)('SDK connectors and jobs modules on %s', (engine) => {
  let mlflow: MlflowTestServer;
  let s: TestServer;
  let admin: AssayClient;
  let auditor: AssayClient;

  beforeAll(async () => {
    mlflow = await startMlflowServer(2);
    mlflow.models.set('fraud-scorer', {
      description: 'Card fraud score',
      aliases: [{ alias: 'champion', version: '1' }],
      versions: [{ version: '1', source: 's3://ml/fraud/1/model', run_id: 'r1' }],
    });
    s = await startTestServer(engine, new Date().toISOString(), {
      mlflow: { url: mlflow.url, token: undefined, webhookSecret: undefined, syncIntervalMs: 0 },
    });
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    admin = new AssayClient({ baseUrl, token: s.adminToken });
    const tokens = await s.userTokens([['audrey', 'auditor']]);
    auditor = new AssayClient({ baseUrl, token: tokens.audrey! });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await mlflow?.close();
  });

  it('syncs MLflow, reports the shadow model and registers it pre-filled', async () => {
    const run = await admin.connectors.mlflow.sync();
    expect(run).toMatchObject({ source: 'mlflow', created: 2 });
    const entries = await admin.connectors.mlflow.entries();
    expect(entries.find((e) => e.externalId === 'fraud-scorer' && e.version === '1')).toMatchObject({
      artifactUri: 's3://ml/fraud/1/model',
      aliases: ['champion'],
    });
    const report = await auditor.connectors.reconciliation();
    const shadow = report.items.find((i) => i.name === 'fraud-scorer');
    expect(shadow?.category).toBe('deployed_not_registered');
    expect(shadow?.prefill).toMatchObject({ key: 'fraud-scorer', description: 'Card fraud score' });
    const model = await admin.connectors.register({
      source: 'mlflow',
      externalId: 'fraud-scorer',
      overrides: { type: 'classification' },
    });
    expect(model).toMatchObject({ key: 'fraud-scorer', links: { registry: 'models:/fraud-scorer' } });
    const after = await admin.connectors.reconciliation();
    expect(after.items.find((i) => i.modelKey === 'fraud-scorer')?.category).not.toBe(
      'deployed_not_registered',
    );
    await expect(auditor.connectors.mlflow.sync()).rejects.toBeInstanceOf(AssayApiError);
  });

  it('requests an audit package build, waits for it and downloads the artifact; lists jobs', async () => {
    await admin.models.register({ key: 'sdk-jobs', name: 'SDK jobs', type: 'classification' });
    const queued = await admin.jobs.request({ kind: 'audit-package.build', params: { model: 'sdk-jobs' } });
    expect(queued.status).toBe('queued');
    const seen: string[] = [];
    const done = await admin.jobs.wait(queued.id, {
      intervalMs: 100,
      onProgress: (j) => seen.push(j.status),
    });
    expect(done.status).toBe('succeeded');
    expect(seen.at(-1)).toBe('succeeded');
    const { body, filename } = await admin.jobs.artifact(queued.id);
    const bytes = Buffer.from(await new Response(body).arrayBuffer());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(filename).toBe((done.result?.artifact as { filename?: string } | undefined)?.filename);
    expect((await admin.jobs.list()).map((j) => j.id)).toContain(queued.id);
    expect(await auditor.jobs.list()).toEqual([]);
    expect((await auditor.jobs.list({ all: true, status: 'succeeded' })).map((j) => j.id)).toContain(
      queued.id,
    );
  }, 60_000);
});
