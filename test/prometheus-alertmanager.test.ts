import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpReceiver, startHttpReceiver } from './support/http-receiver.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const present = fs.existsSync(PROMETHEUS) && fs.existsSync(ALERTMANAGER);
if (!present)
  console.warn(
    `SKIPPED: Prometheus/Alertmanager test — ${PROMETHEUS} or ${ALERTMANAGER} is missing (apt-get install prometheus prometheus-alertmanager; .ci/run does)`,
  );

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Real Prometheus (Debian 2.42) scrapes Assay's /metrics with an auditor's read token, and real
 * Alertmanager (Debian 0.25) receives an alert from Assay's route outbox and routes it on to a
 * webhook receiver. Both run on free ports with temporary configuration and storage.
 */
describe.skipIf(!present)('Prometheus and Alertmanager against Assay', () => {
  let t: TestServer;
  let rx: HttpReceiver;
  let dir = '';
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  let assayUrl = '';
  let promUrl = '';
  let amUrl = '';

  const start = (bin: string, args: string[]) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout?.on('data', (b: Buffer) => logs.push(b.toString()));
    p.stderr?.on('data', (b: Buffer) => logs.push(b.toString()));
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-prom-'));
    rx = await startHttpReceiver();
    t = await startTestServer('sqlite', new Date().toISOString(), { alertRoutesAllowPrivate: true });
    const port = await freePort();
    await t.app.listen({ port, host: '127.0.0.1' });
    assayUrl = `http://127.0.0.1:${port}`;
    const { userId } = await t.userToken('scraper', 'auditor');
    const { token } = await t.services.identity.createToken(
      { actor: 'admin', requestId: null },
      { userId, name: 'prometheus', scope: 'read' },
    );
    fs.writeFileSync(path.join(dir, 'token'), token, { mode: 0o600 });
    const promPort = await freePort();
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: assay',
        '    metrics_path: /metrics',
        `    authorization: { type: Bearer, credentials_file: ${path.join(dir, 'token')} }`,
        `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
        '',
      ].join('\n'),
    );
    start(PROMETHEUS, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    promUrl = `http://127.0.0.1:${promPort}`;
    const amPort = await freePort();
    fs.writeFileSync(
      path.join(dir, 'alertmanager.yml'),
      [
        'route:',
        '  receiver: assay-hook',
        '  group_by: [alertname, assay_fingerprint]',
        '  group_wait: 0s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: assay-hook',
        `    webhook_configs: [{ url: '${rx.url}/from-alertmanager', send_resolved: true }]`,
        '',
      ].join('\n'),
    );
    start(ALERTMANAGER, [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'am')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    amUrl = `http://127.0.0.1:${amPort}`;
  }, 60_000);

  afterAll(async () => {
    for (const p of procs) p.kill('SIGTERM');
    await t?.close();
    await rx?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses /metrics without a token or to a role that may not scrape it', async () => {
    expect((await fetch(`${assayUrl}/metrics`)).status).toBe(401);
    const { token } = await t.userToken('dev-scraper', 'developer');
    expect(
      (await fetch(`${assayUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(403);
  });

  it('Prometheus scrapes /metrics and sees an alert fire; Alertmanager receives it and routes it on', async () => {
    // A deployment and a critical drift signal routed to Alertmanager.
    await t.call('POST', '/api/v1/models', { key: 'churn', name: 'Churn', type: 'classification' });
    await t.call('POST', '/api/v1/models/churn/versions', { label: '1.0.0' });
    const d = (
      await t.call('POST', '/api/v1/models/churn/deployments', { version: '1.0.0', environment: 'staging' })
    ).json();
    const now = t.clock.now().getTime();
    const out = await t.services.alerts.ingestSignals(
      [
        {
          deploymentId: d.id,
          modelId: d.modelId,
          versionId: d.versionId,
          planId: 'plan',
          planVersion: 1,
          check: 'drift:age',
          kind: 'drift',
          metric: 'psi',
          feature: 'age',
          windowStart: new Date(now - 86_400_000).toISOString(),
          windowEnd: new Date(now).toISOString(),
          value: 0.41,
          warning: 0.1,
          critical: 0.25,
          direction: 'above',
          severity: 'critical',
          forWindows: 1,
          runbookUrl: 'https://runbooks.example/drift',
          evidence: { windowId: 'w1', url: `${assayUrl}/api/v1/deployments/${d.id}/monitoring/windows/w1` },
        },
      ],
      { routes: [{ type: 'alertmanager', url: amUrl }], repeatIntervalSeconds: 300 },
    );
    expect(out.fired).toHaveLength(1);
    const alert = await t.services.alerts.get(
      {
        principal: { userId: 'x', username: 'admin', role: 'admin', scope: 'admin', tokenId: 't' },
        audit: { actor: 'admin', requestId: null },
      },
      out.fired[0]!,
    );

    // Prometheus: the scrape target is up and assay_alerts_firing{severity="critical"} is 1.
    const query = async (q: string) => {
      const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      return body.data.result;
    };
    await until('Prometheus to scrape Assay', async () =>
      (await query('up{job="assay"}'))[0]?.value[1] === '1' ? true : undefined,
    );
    const critical = await until('assay_alerts_firing{severity="critical"} = 1', async () => {
      const r = await query('assay_alerts_firing{severity="critical"}');
      return r[0]?.value[1] === '1' ? r[0] : undefined;
    });
    expect(critical.metric.job).toBe('assay');

    // Alertmanager: Assay's outbox posts to /api/v2/alerts; AM holds it and routes it to the receiver.
    await until('the delivery to Alertmanager', async () => {
      await t.services.alerts.notifier.deliverDue();
      const n = await t.services.alerts.notifier.deliveries(alert.id);
      return n.every((x) => x.status === 'delivered') && n.length > 0 ? n : undefined;
    });
    const held = await until('Alertmanager to hold the alert', async () => {
      const res = await fetch(`${amUrl}/api/v2/alerts`);
      const list = (await res.json()) as { labels: Record<string, string>; status: { state: string } }[];
      return list.find((a) => a.labels.assay_fingerprint === alert.fingerprint);
    });
    expect(held.labels).toMatchObject({
      alertname: 'assay_drift',
      severity: 'critical',
      model: 'churn',
      check: 'drift:age',
    });
    expect(held.status.state).toBe('active');
    const routed = await rx.waitFor((r) => r.path === '/from-alertmanager', 30_000);
    const body = routed.body as {
      version: string;
      status: string;
      alerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
    };
    expect(body.version).toBe('4');
    expect(body.status).toBe('firing');
    expect(body.alerts[0]!.labels.assay_fingerprint).toBe(alert.fingerprint);
    expect(body.alerts[0]!.annotations.runbook_url).toBe('https://runbooks.example/drift');
  }, 120_000);
});
