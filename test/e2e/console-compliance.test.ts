import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIER1_ANSWERS } from '../support/tier-answers.ts';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

/**
 * The compliance console in a real Chromium against a real server: a high-risk credit model with
 * human-oversight evidence shows Art. 14 partly met (the evidence linked, the missing model card
 * section as the gap) and Art. 50(1) not applicable in its compliance tab; the portfolio page answers
 * "which high-risk systems do not yet meet Art. 14?"; the dashboard shows coverage per catalog.
 */
describe('console: compliance tab, portfolio page and dashboard coverage (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    const api = server.api.bind(server);
    for (const [key, eu] of [
      [
        'credit',
        {
          annexIIIAreas: ['essential_services'],
          profilesNaturalPersons: true,
          creditOrInsuranceAssessment: true,
        },
      ],
      ['chat', { transparency: ['interacts_with_people'] }],
    ] as const) {
      await api('POST', '/api/v1/models', {
        key,
        name: key === 'credit' ? 'Credit scoring' : 'Support chat',
        type: 'classification',
        intendedUse: 'Scoring applications',
      });
      await api('POST', `/api/v1/models/${key}/versions`, { label: '1.0.0' });
      await api('POST', `/api/v1/models/${key}/versions/1.0.0/tiering`, {
        answers: TIER1_ANSWERS,
        euAiAct: eu,
      });
    }
    await api('POST', '/api/v1/models/credit/versions/1.0.0/evidence', {
      type: 'human_oversight',
      title: 'Oversight design and override procedure',
      externalUrl: 'https://evidence.example/credit/oversight',
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a model’s requirements with status, evidence and gaps, the portfolio filtered, and coverage on the dashboard', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/models/credit?tab=compliance');
    const table = page.getByRole('table', { name: 'Requirements of eu-ai-act' });
    await table.waitFor();
    const art14 = table.locator('tr[data-requirement="euaia-14.1-3"]');
    await expect(art14.textContent()).resolves.toMatch(/Partly met/);
    await expect(
      art14.getByRole('link', { name: 'Oversight design and override procedure' }).getAttribute('href'),
    ).resolves.toBe('/models/credit/versions/1.0.0/report');
    await expect(art14.textContent()).resolves.toMatch(
      /publish a model card with the 'human_oversight' section/,
    );
    await expect(table.locator('tr[data-requirement="euaia-50.1"]').textContent()).resolves.toMatch(
      /Not applicable/,
    );
    await expect(page.getByTestId('compliance-counts').textContent()).resolves.toMatch(
      /Version 1\.0\.0 · policy v1 .* met, .* not applicable/,
    );
    // Gaps only hides what is met or not applicable.
    await page.getByLabel('Gaps only').check();
    await page.waitForURL(/open=true/);
    expect(await table.locator('tr[data-requirement="euaia-50.1"]').count()).toBe(0);
    expect(await table.locator('tr[data-requirement="euaia-14.1-3"]').count()).toBe(1);
    // Another catalog.
    await page.getByLabel('Catalog').selectOption('nist-ai-rmf');
    await page.getByRole('table', { name: 'Requirements of nist-ai-rmf' }).waitFor();
    await screenshot(page, 'compliance-tab');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
    await page.waitForURL(/\/compliance$/);
    await page.getByLabel('EU AI Act class').selectOption('high_risk');
    await page.getByLabel('Requirement', { exact: true }).fill('euaia-14.1-3');
    await page.getByLabel('Requirement', { exact: true }).press('Enter');
    await page.waitForURL(/requirement=euaia-14\.1-3/);
    const rows = page.getByRole('table', { name: 'Requirement statuses' });
    await rows.waitFor();
    await expect(rows.locator('tbody tr').count()).resolves.toBe(1);
    await expect(rows.locator('tbody tr').textContent()).resolves.toMatch(
      /Credit scoring.*euaia-14\.1-3.*Partly met/,
    );
    await expect(page.getByRole('table', { name: 'Coverage per catalog' }).textContent()).resolves.toMatch(
      /eu-ai-act/,
    );
    await screenshot(page, 'compliance-portfolio');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await rows.getByRole('link', { name: 'Credit scoring' }).click();
    await page.waitForURL(/\/models\/credit\?tab=compliance&catalog=eu-ai-act/);
    await page.getByRole('table', { name: 'Requirements of eu-ai-act' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    const coverage = page.getByRole('table', { name: 'Coverage per catalog' });
    await coverage.waitFor();
    const eu = coverage.locator('tbody tr', { hasText: 'eu-ai-act' });
    await expect(eu.locator('td').last().textContent()).resolves.toMatch(/^\d+%$/);
    expect(await coverage.locator('tbody tr').count()).toBe(6);
    expect(errors).toEqual([]);
  });
});
