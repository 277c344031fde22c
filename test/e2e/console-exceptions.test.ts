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
 * The exception report page (issue 12, invariant 10) in a real Chromium against a real server:
 * two legacy models run in production under recorded exceptions, one of which is then revoked.
 * The dashboard counts them, the report lists them with their cover and links each row to its
 * model, and the model and the inventory show the status as standing on an exception.
 */
describe('console: exception report (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let auditorToken = '';
  let revokedId = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    const api = server.api.bind(server);
    for (const [username, role] of [
      ['gabe.gov', 'governance'],
      ['ada.audit', 'auditor'],
    ] as const)
      await api('POST', '/api/v1/users', { username, role });
    const steward = (
      await api<{ secret: string }>('POST', '/api/v1/tokens', {
        name: 'e2e',
        scope: 'write',
        username: 'gabe.gov',
      })
    ).secret;
    auditorToken = (
      await api<{ secret: string }>('POST', '/api/v1/tokens', {
        name: 'e2e',
        scope: 'read',
        username: 'ada.audit',
      })
    ).secret;
    for (const key of ['legacy-scoring', 'legacy-pricing']) {
      await api('POST', '/api/v1/models', { key, name: key, type: 'classification', status: 'development' });
      await api('POST', `/api/v1/models/${key}/versions`, { label: '1.0' });
      await api('POST', `/api/v1/models/${key}/transition`, { to: 'validation' });
      const e = await api<{ id: string }>('POST', '/api/v1/exceptions', {
        modelKey: key,
        versionLabel: '1.0',
        allows: ['status_approved', 'status_production', 'production_deployment'],
        reason: `${key} ran in production before the model risk policy; validation is booked`,
        until: new Date(Date.now() + 120 * DAY).toISOString(),
      });
      await api('POST', `/api/v1/exceptions/${e.id}/approve`, { note: 'legacy' }, steward);
      await api('POST', `/api/v1/models/${key}/transition`, { to: 'approved' });
      await api('POST', `/api/v1/models/${key}/transition`, { to: 'production' });
      await api('POST', `/api/v1/models/${key}/deployments`, { version: '1.0', environment: 'production' });
      if (key === 'legacy-pricing') revokedId = e.id;
    }
    await api(
      'POST',
      `/api/v1/exceptions/${revokedId}/revoke`,
      { reason: 'Validation found a pricing error' },
      steward,
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('counts on the dashboard, lists each problem with its cover, and links to the model', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/dashboard');
    const counts = page.getByTestId('exception-counts');
    await counts.waitFor();
    expect(await page.getByTestId('kpi-In production without approval').textContent()).toBe('2');
    expect(await page.getByTestId('kpi-Exceptions in force').textContent()).toBe('1');

    await page.getByRole('link', { name: 'Exception report' }).click();
    await page.waitForURL(/\/reports\/exceptions$/);
    const production = page.getByRole('table', { name: 'In production without a valid approval' });
    await production.waitFor();
    const covered = production.getByRole('row', { name: /legacy-scoring/ });
    await expect(covered.textContent()).resolves.toMatch(/exception until/);
    await expect(production.getByRole('row', { name: /legacy-pricing/ }).textContent()).resolves.toMatch(
      /no exception/,
    );
    const denied = page.getByRole('table', { name: 'Production deployments the gate denies now' });
    expect(await denied.locator('tbody tr').count()).toBe(2);
    await expect(denied.textContent()).resolves.toMatch(/not_approved/);
    const inForce = page.getByRole('table', { name: 'Lifecycle exceptions in force' });
    await expect(inForce.textContent()).resolves.toMatch(/gabe\.gov/);
    await screenshot(page, 'exceptions-report');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await covered.getByRole('link', { name: 'legacy-scoring' }).click();
    await page.waitForURL(/\/models\/legacy-scoring$/);
    const badge = page.getByTestId('exception-badge');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).toMatch(/ran in production before the model risk policy/);

    expect(errors).toEqual([]);
  });

  it("keeps the gate's answer Denied and says the exception beside it", async () => {
    const { page, errors } = await openPage(browser);
    const q = 'model=legacy-scoring&version=1.0&environment=production';
    await signInWithToken(page, server.url, server.adminToken, `/gate?${q}`);
    await page.getByRole('heading', { name: /Denied/ }).waitFor();
    await expect(page.getByTestId('gate-exception-note').textContent()).resolves.toMatch(
      /Allowed by exception/,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows the report to an auditor with a read token, and the exception in the inventory', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, auditorToken, '/inventory');
    await page.getByRole('table', { name: 'Models' }).waitFor();
    const row = page.getByRole('row', { name: /legacy-scoring/ });
    await expect(row.getByTestId('exception-badge').textContent()).resolves.toBe('by exception');
    expect(
      await page
        .getByRole('row', { name: /legacy-pricing/ })
        .getByTestId('exception-badge')
        .count(),
    ).toBe(0);
    await page.getByRole('link', { name: 'Exception report' }).click();
    await page.getByRole('table', { name: 'In production without a valid approval' }).waitFor();
    expect(errors).toEqual([]);
  });
});
