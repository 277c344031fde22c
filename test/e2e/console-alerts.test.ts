import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

const DAY = 86_400_000;

/**
 * The alert inbox and an incident page in a real Chromium against a real server: two alerts fire
 * from check signals; the dashboard counts them; one is acknowledged from the inbox, the other
 * becomes an incident that is acknowledged, noted and resolved on its page, with its times computed.
 */
describe('console: alert inbox and incident (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    const api = server.api.bind(server);
    await api('POST', '/api/v1/models', { key: 'churn', name: 'Churn', type: 'classification' });
    await api('POST', '/api/v1/models/churn/versions', { label: '1.0.0' });
    const d = await api<{ id: string; modelId: string; versionId: string }>(
      'POST',
      '/api/v1/models/churn/deployments',
      { version: '1.0.0', environment: 'staging' },
    );
    const now = Date.now();
    const base = {
      deploymentId: d.id,
      modelId: d.modelId,
      versionId: d.versionId,
      planId: 'plan-churn',
      planVersion: 1,
      windowStart: new Date(now - DAY).toISOString(),
      windowEnd: new Date(now - 60_000).toISOString(),
      forWindows: 1,
      runbookUrl: 'https://runbooks.example/churn',
      evidence: { windowId: 'w-1', url: `/api/v1/deployments/${d.id}/monitoring/windows/w-1` },
    };
    await api('POST', '/api/v1/alerts/signals', {
      signals: [
        {
          ...base,
          check: 'drift:age',
          kind: 'drift',
          metric: 'psi',
          feature: 'age',
          value: 0.18,
          warning: 0.1,
          critical: 0.25,
          direction: 'above',
          severity: 'warning',
        },
        {
          ...base,
          check: 'performance:roc_auc',
          kind: 'performance',
          metric: 'roc_auc',
          feature: null,
          value: 0.61,
          warning: 0.75,
          critical: 0.7,
          direction: 'below',
          severity: 'critical',
        },
      ],
      routing: { routes: [], repeatIntervalSeconds: 3600 },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('counts open alerts on the dashboard, acknowledges one in the inbox and walks the other through an incident', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/dashboard');
    const open = page.getByTestId('kpi-Open alerts');
    await open.waitFor();
    expect(await open.textContent()).toBe('1 critical · 1 warning');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.waitForURL(/\/alerts$/);
    const table = page.getByRole('table', { name: 'Alerts' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    const drift = table.locator('tr[data-check="drift:age"]');
    await expect(drift.getByRole('link', { name: 'window w-1' }).getAttribute('href')).resolves.toMatch(
      /\/deployments\/[^/]+\/windows\/w-1$/,
    );
    await drift.getByRole('button', { name: 'Acknowledge' }).click();
    await drift.getByText('admin').waitFor();
    expect(await drift.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await screenshot(page, 'alert-inbox');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const perf = table.locator('tr[data-check="performance:roc_auc"]');
    await perf.getByRole('button', { name: 'Triage' }).click();
    await perf.getByRole('button', { name: 'Open incident' }).click();
    await page.waitForURL(/\/incidents\/[^/]+$/);
    await page.getByRole('heading', { name: /performance:roc_auc critical on churn@1\.0\.0/ }).waitFor();
    const state = page.getByTestId('incident-state');
    expect(await state.textContent()).toBe('open');
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect(timeline.textContent()).resolves.toMatch(/opened.*alert linked/s);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByTestId('incident-state').getByText('acknowledged').waitFor();
    await page.getByLabel('Note').fill('Rolled back to 0.9 while the feature pipeline is fixed');
    await page.getByRole('button', { name: 'Add to timeline' }).click();
    await timeline.getByText(/Rolled back to 0\.9/).waitFor();
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('incident-state').getByText('resolved').waitFor();
    expect(await page.getByTestId('incident-ttr').textContent()).toMatch(/min|h/);
    await screenshot(page, 'incident-page');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    const list = page.getByRole('table', { name: 'Incidents' });
    await list.waitFor();
    await expect(list.textContent()).resolves.toMatch(/resolved/);
    expect(errors).toEqual([]);
  });
});
