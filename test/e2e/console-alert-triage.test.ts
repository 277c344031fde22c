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
import { type SeededDeployment, seedMonitoredDeployment } from './support/monitoring-seed.ts';

/**
 * The alert inbox and an incident in a real Chromium against a real server, on alerts that real
 * monitoring windows fired (the Adult fixture's plan over 6 days of scored rows, computed by the
 * engine): a silence with its reason and expiry, assignment, triage into a finding and into an
 * incident, the EU AI Act serious-incident flag with its Art. 73 due date, the report, and a
 * corrective action.
 */
describe('console: alert triage, silences and a serious incident (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let seeded: SeededDeployment;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    seeded = await seedMonitoredDeployment(server.url, server.adminToken, {
      modelKey: 'churn',
      days: 6,
      perDay: 100,
      labelledDays: 6,
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('silences an alert with a reason and expiry, assigns one, triages one into a finding and one into an incident flagged serious', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/alerts');
    const table = page.getByRole('table', { name: 'Alerts' });
    await table.waitFor();

    // silence the age drift for 4 hours, with the reason kept
    const age = table.locator('tr[data-check="drift:age"]');
    await age.getByRole('button', { name: 'Silence' }).click();
    const form = page.getByRole('form', { name: 'New silence' });
    expect(await form.getByLabel('Check').inputValue()).toBe('drift:age');
    expect(await form.getByLabel('Deployment id').inputValue()).toBe(seeded.deploymentId);
    await form.getByLabel(/^Reason/).fill('Known seasonal shift in applicant age; retraining is scheduled');
    await form.getByRole('button', { name: 'Create silence' }).click();
    await age.getByTestId('silenced').waitFor();
    const silences = page.getByRole('table', { name: 'Silences' });
    const silence = silences.locator('tr[data-active="true"]');
    await expect(silence.textContent()).resolves.toMatch(/check=drift:age.*Known seasonal shift/s);
    const stored = await server.api<{ items: { reason: string; endsAt: string; startsAt: string }[] }>(
      'GET',
      '/api/v1/alert-silences',
    );
    const hours = (Date.parse(stored.items[0]!.endsAt) - Date.parse(stored.items[0]!.startsAt)) / 3_600_000;
    expect(hours).toBeCloseTo(4, 1);

    // assign the occupation drift
    const occupation = table.locator('tr[data-check="drift:occupation"]');
    await occupation.getByRole('button', { name: 'Assign' }).click();
    await occupation.getByLabel('Assignee (username)').fill('admin');
    await occupation.getByRole('button', { name: 'Save assignee' }).click();
    await occupation.getByText('assigned to admin').waitFor();

    // triage the prediction drift into a finding, citing the window's evidence
    const prediction = table.locator('tr[data-check="drift:@prediction"]');
    await prediction.getByRole('button', { name: 'Triage' }).click();
    await prediction.getByLabel('a finding').check();
    await prediction.getByLabel('Finding owner').fill('admin');
    await prediction.getByRole('button', { name: 'Raise finding' }).click();
    await prediction.getByTestId('alert-finding').waitFor();
    const findings = await server.api<{ items: { title: string; description: string; category: string }[] }>(
      'GET',
      '/api/v1/findings?modelKey=churn',
    );
    expect(findings.items).toHaveLength(1);
    // the default policy's taxonomy has no "drift": the API files drift under data quality
    expect(findings.items[0]!.category).toBe('data_quality');
    const alert = await server.api<{ evidence: { windowId: string } }>(
      'GET',
      `/api/v1/alerts/${await prediction.getAttribute('data-alert')}`,
    );
    expect(findings.items[0]!.description).toContain(alert.evidence.windowId);
    await screenshot(page, 'alert-inbox-triage');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // triage the drift share into an incident and flag it a serious incident (widespread: 2 days)
    const share = table.locator('tr[data-check="drift:drift_share"]');
    await share.getByRole('button', { name: 'Triage' }).click();
    await share.getByRole('button', { name: 'Open incident' }).click();
    await page.waitForURL(/\/incidents\/[^/]+$/);
    const incidentId = decodeURIComponent(page.url().split('/incidents/')[1]!);
    await page.getByTestId('serious-status').getByText('Not flagged', { exact: false }).waitFor();
    await page.getByLabel('Category').selectOption('widespread_infringement');
    await page.getByRole('button', { name: 'Flag as serious incident' }).click();
    await page.getByTestId('serious-status').getByText('not reported yet').waitFor();
    const flagged = await server.api<{ detectedAt: string; reportingDueAt: string; reportingRule: string }>(
      'GET',
      `/api/v1/incidents/${incidentId}`,
    );
    expect(Date.parse(flagged.reportingDueAt) - Date.parse(flagged.detectedAt)).toBe(2 * 86_400_000);
    await expect(page.getByTestId('serious-status').textContent()).resolves.toContain(flagged.reportingRule);
    await page.getByLabel("Authority's reference of the report").fill('MSA-2026-0042');
    await page.getByRole('button', { name: 'Record the report' }).click();
    await page
      .getByTestId('serious-status')
      .getByText(/reported/)
      .waitFor();

    // a corrective action becomes a finding of the affected version
    await page
      .getByRole('textbox', { name: 'Action', exact: true })
      .fill('Add a drift gate to the feature pipeline');
    await page.getByLabel('What is to be done').fill('Block releases of features whose PSI exceeds 0.25.');
    await page.getByRole('button', { name: 'Add corrective action' }).click();
    await page
      .getByTestId('corrective-actions')
      .getByText(/^1 corrective action/)
      .waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect(timeline.textContent()).resolves.toMatch(/serious/);
    await screenshot(page, 'incident-serious');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // expire the silence from the inbox
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await silences.getByRole('button', { name: 'Expire now' }).click();
    await silences.locator('tr[data-active="false"]').waitFor();
    await table.locator('tr[data-check="drift:age"]').waitFor();
    expect(await table.locator('tr[data-check="drift:age"]').getByTestId('silenced').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
