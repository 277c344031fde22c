import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type FixturePortfolio, seedFixturePortfolio } from './support/console-fixtures.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

/** Buttons that change something; an auditor must see none of them. */
const ACTION_BUTTON =
  /attach|adopt|log finding|sign decision|move to|new model|register|freeze|retire|revoke|create|save|delete|edit|add|issue|disable|enable/i;

async function actionButtons(page: Page): Promise<string[]> {
  const names = await page.getByRole('button').allInnerTexts();
  return names.map((n) => n.trim()).filter((n) => ACTION_BUTTON.test(n));
}

describe('console journeys on a fixture portfolio (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let portfolio: FixturePortfolio;
  let model: FixturePortfolio['lineageModel'];
  let auditorToken: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    portfolio = await seedFixturePortfolio(server);
    model = portfolio.lineageModel;
    await server.api('POST', '/api/v1/users', {
      username: 'ada.audit',
      displayName: 'Ada Auditor',
      role: 'auditor',
    });
    const token = await server.api<{ secret: string }>('POST', '/api/v1/tokens', {
      name: 'e2e',
      scope: 'read',
      username: 'ada.audit',
    });
    auditorToken = token.secret;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in, finds a model by search, opens it and walks its tabs without console errors', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken);
    await page.getByRole('table', { name: 'Models' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(portfolio.models.length);
    await screenshot(page, '01-inventory');

    await page.getByRole('searchbox', { name: 'Search' }).fill('scorecard');
    await page.waitForURL(/q=scorecard/);
    await page.locator('tbody tr').filter({ hasText: model.name }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: model.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: model.name }).waitFor();
    await screenshot(page, '02-model-overview');

    await page.getByRole('tab', { name: 'Versions & lineage' }).click();
    await page.getByRole('heading', { name: `Lineage of ${model.version}` }).waitFor();
    const graph = page.getByRole('img', { name: `Lineage of version ${model.version}` });
    for (const label of [...model.datasets, ...model.environments])
      expect(await graph.getByText(label, { exact: true }).count(), label).toBe(1);
    await screenshot(page, '03-model-lineage');

    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('cell', { name: 'model.registered' }).waitFor();
    await screenshot(page, '04-model-history');
    expect(errors).toEqual([]);
  });

  it('shows the model as it was before a later change, from the history', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/models/${model.key}?tab=history`);
    const registered = page.getByRole('row').filter({ hasText: 'model.registered' });
    await registered.getByRole('button', { name: 'View as of then' }).click();
    await page.getByText(/Showing the model as it was at/).waitFor();
    // Registered as proposed; the fixture moved it to development afterwards.
    expect(await page.locator('.page-head .badge').first().innerText()).toBe('proposed');
    await page.getByRole('button', { name: 'Back to now' }).click();
    await page.locator('.page-head .badge', { hasText: 'development' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('opens a review of a version, attaches evidence to its checklist and submits it', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/models/${model.key}?tab=versions`);
    await page.getByRole('button', { name: `Open review of ${model.version}` }).click();
    await page
      .getByRole('heading', { level: 1, name: new RegExp(`review of ${model.key} ${model.version}`) })
      .waitFor();
    const item = page.getByRole('listitem').filter({ hasText: 'model card' }).first();
    expect(await item.locator('.badge').innerText()).toBe('missing');
    await item.getByRole('button', { name: 'Attach evidence' }).click();
    const form = page.getByRole('form', { name: 'Attach evidence to model card' });
    await form.getByLabel('Title').fill('Model card v1.1');
    await form.getByLabel('Link (URL)').fill('https://wiki.example/credit-pd/model-card');
    await form.getByRole('button', { name: 'Attach' }).click();
    await item.getByRole('link', { name: 'Model card v1.1' }).waitFor();
    expect(await item.locator('.badge').innerText()).toBe('satisfied');
    const reviewId = page.url().split('/reviews/')[1]!;
    const stored = await server.api<{ checklist: { items: { evidenceType: string; status: string }[] } }>(
      'GET',
      `/api/v1/reviews/${reviewId}`,
    );
    expect(stored.checklist.items.find((i) => i.evidenceType === 'model_card')?.status).toBe('satisfied');
    const findingForm = page.getByRole('form', { name: 'Log a finding' });
    await findingForm.getByLabel('Title').fill('Calibration drifts on recent applicants');
    await findingForm.getByLabel('Severity').selectOption('high');
    await findingForm.getByLabel('Category').selectOption('performance');
    await findingForm.getByLabel('Description').fill('Expected calibration error doubled since 1.0.0.');
    await findingForm.getByRole('button', { name: 'Log finding' }).click();
    await page.getByText('Calibration drifts on recent applicants').first().waitFor();
    const findings = await server.api<{
      items: { title: string; severity: string; reviewId: string | null }[];
    }>('GET', `/api/v1/findings?modelKey=${model.key}`);
    expect(findings.items.map((f) => [f.title, f.severity, f.reviewId])).toContainEqual([
      'Calibration drifts on recent applicants',
      'high',
      reviewId,
    ]);
    const tiering = page.getByRole('form', { name: 'Tiering questionnaire' });
    const groups = tiering.getByRole('group');
    for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).getByRole('radio').last().check();
    await tiering.getByRole('button', { name: 'Compute the tier' }).click();
    const verdict = tiering.getByRole('status');
    await verdict.waitFor();
    const tierings = await server.api<{ items: { computedTier: number }[] } | { computedTier: number }[]>(
      'GET',
      `/api/v1/models/${model.key}/tierings`,
    );
    const latest = Array.isArray(tierings) ? tierings[0] : tierings.items[0];
    expect(await verdict.innerText()).toContain(`Tier ${latest!.computedTier}`);
    await screenshot(page, '05-review-workspace');

    await page.getByRole('button', { name: 'Submit for validation' }).click();
    await page.locator('.page-head .badge', { hasText: 'submitted' }).waitFor();
    expect((await server.api<{ state: string }>('GET', `/api/v1/reviews/${reviewId}`)).state).toBe(
      'submitted',
    );
    await page.goto(`${server.url}/reviews`);
    await page.getByRole('link', { name: model.key }).first().waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the dashboard numbers the metrics API gives', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/dashboard');
    await page.getByTestId('kpi-Models in use').waitFor();
    const m = await server.api<{
      inventory: { models: number; complete: number };
      tiering: { models: number; tiered: number };
      overdue: { findings: number; reviews: number };
    }>('GET', '/api/v1/metrics');
    const pct = (a: number, b: number) => (b === 0 ? '—' : `${Math.round((a / b) * 100)}%`);
    expect(await page.getByTestId('kpi-Models in use').innerText()).toBe(String(m.inventory.models));
    expect(await page.getByTestId('kpi-Inventory completeness').innerText()).toBe(
      pct(m.inventory.complete, m.inventory.models),
    );
    expect(await page.getByTestId('kpi-Tiering completeness').innerText()).toBe(
      pct(m.tiering.tiered, m.tiering.models),
    );
    expect(await page.getByTestId('kpi-Overdue findings').innerText()).toBe(String(m.overdue.findings));
    expect(await page.getByTestId('kpi-Overdue reviews').innerText()).toBe(String(m.overdue.reviews));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '06-dashboard');
    expect(errors).toEqual([]);
  });

  it('shows the gate denying an unapproved version with the API reasons', async () => {
    const { page, errors } = await openPage(browser);
    const q = `model=${model.key}&version=${model.version}&environment=production`;
    await signInWithToken(page, server.url, server.adminToken, `/gate?${q}`);
    await page.getByRole('heading', { name: /Denied/ }).waitFor();
    const verdict = await server.api<{ allowed: boolean; reasons: { message: string }[] }>(
      'GET',
      `/api/v1/gate?model=${model.key}&version=${model.version}&env=production`,
    );
    expect(verdict.allowed).toBe(false);
    for (const r of verdict.reasons) await page.getByText(r.message, { exact: false }).first().waitFor();
    expect(await page.getByRole('link', { name: 'Fix this' }).count()).toBe(verdict.reasons.length);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '07-gate');
    expect(errors).toEqual([]);
  });

  it('keeps the inventory view in the URL and restores it on reload', async () => {
    const { page } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken);
    await page.goto(`${server.url}/inventory?status=proposed&sort=-name`);
    await page.getByRole('table', { name: 'Models' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('proposed');
    const expected = await server.api<{ items: { name: string }[] }>(
      'GET',
      '/api/v1/models?status=proposed&sort=name&order=desc&limit=500',
    );
    await expect
      .poll(() => page.locator('tbody tr td:first-child').allInnerTexts())
      .toEqual(expected.items.map((m) => m.name));
  });

  it('offers an auditor no action that changes anything', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, auditorToken);
    await page.getByRole('table', { name: 'Models' }).waitFor();
    expect(await actionButtons(page)).toEqual([]);
    expect(await page.getByRole('link', { name: 'Register model' }).count()).toBe(0);
    for (const tab of ['', '?tab=versions', '?tab=governance', '?tab=history']) {
      await page.goto(`${server.url}/models/${model.key}${tab}`);
      await page.getByRole('heading', { level: 1, name: model.name }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await actionButtons(page), tab).toEqual([]);
    }
    await page.goto(`${server.url}/admin`);
    await page.getByRole('tab', { name: 'Audit trail' }).waitFor();
    expect(await actionButtons(page)).toEqual([]);
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });

  it('has no serious accessibility violations on the main pages', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken);
    const pages: [string, string][] = [
      ['/inventory', 'Inventory'],
      ['/inventory/new', 'Register a model'],
      [`/models/${model.key}`, model.name],
      [`/models/${model.key}?tab=versions`, model.name],
      [`/models/${model.key}?tab=history`, model.name],
      ['/admin', 'Administration'],
    ];
    for (const [path, heading] of pages) {
      await page.goto(server.url + path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await seriousAxeViolations(page), path).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
});
