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

interface SeriesAnswer {
  series: { check: string; points: { windowId: string; severity: string; value: number | null }[] }[];
}

/**
 * The monitoring tab in a real Chromium against a real server: a deployment monitored with the
 * Adult fixture's plan over 12 days of real scored rows (8 of them labelled), computed by the
 * engine through the API; the tab draws every check with its bands, the alerts that fired and the
 * label completeness, and a point opens its window's evidence.
 */
describe('console: monitoring tab (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let seeded: SeededDeployment;
  let series: SeriesAnswer;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    seeded = await seedMonitoredDeployment(server.url, server.adminToken, {
      modelKey: 'churn',
      days: 12,
      perDay: 100,
      labelledDays: 8,
    });
    series = await server.api<SeriesAnswer>(
      'GET',
      `/api/v1/deployments/${seeded.deploymentId}/monitoring/series`,
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws every check per window with bands, alert markers, label completeness and realised beside estimated', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/models/churn');
    await page.getByRole('tab', { name: 'Monitoring' }).click();
    const tab = page.getByTestId('deployment-monitoring');
    await tab.locator('figure[data-chart]').first().waitFor();
    expect(await page.getByTestId('monitoring-summary').textContent()).toMatch(/12 window\(s\)/);

    // One chart per check, realised and estimated ROC AUC together in one.
    const perf = tab.locator('figure[data-chart="perf:roc_auc"]');
    await expect(perf.locator('figcaption').textContent()).resolves.toMatch(/realised.*estimated \(CBPE/s);
    expect(await perf.locator('circle').count()).toBe(24);
    // the realised series has no value where fewer than 50 rows are labelled: drawn as no data
    const perfSeries = series.series.find((s) => s.check === 'performance:roc_auc')!;
    const noData = perfSeries.points.filter((p) => p.severity === 'no_data').length;
    expect(noData).toBe(4);
    expect(await perf.locator('circle[data-severity="no_data"]').count()).toBe(noData);
    expect(await perf.locator('polygon.cbpe-band').count()).toBeGreaterThan(0);

    // every point of a drift check, coloured by the severity the API computed; bands drawn
    const age = tab.locator('figure[data-chart="drift:age"]');
    const ageSeries = series.series.find((s) => s.check === 'drift:age')!;
    expect(await age.locator('circle').count()).toBe(12);
    const critical = ageSeries.points.filter((p) => p.severity === 'critical').length;
    expect(critical).toBeGreaterThan(0);
    expect(await age.locator('circle[data-severity="critical"]').count()).toBe(critical);
    expect(await age.locator('rect.band-warning').count()).toBe(1);
    expect(await age.locator('rect.band-critical').count()).toBe(1);
    // the alert the drift fired is marked on its chart
    const alerts = await server.api<{ items: { check: string }[] }>(
      'GET',
      `/api/v1/alerts?deploymentId=${seeded.deploymentId}`,
    );
    const ageAlerts = alerts.items.filter((a) => a.check === 'drift:age').length;
    expect(ageAlerts).toBeGreaterThan(0);
    expect(await age.locator('g.alert-marker').count()).toBe(ageAlerts);

    // label completeness: 8 windows fully labelled, 4 without outcomes
    const strip = tab.locator('figure[data-chart="label-completeness"]');
    expect(await strip.locator('rect[fill="#009e73"]').count()).toBe(8);
    expect(await strip.locator('rect[fill="#d0d5dd"]').count()).toBe(4);
    await screenshot(page, 'monitoring-tab');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // a point opens its window's evidence
    const last = ageSeries.points[ageSeries.points.length - 1]!;
    await age.locator(`a[href$="/windows/${last.windowId}"]`).click();
    await page.waitForURL(new RegExp(`/models/churn/deployments/[^/]+/windows/${last.windowId}$`));
    expect(await page.getByTestId('window-rows').textContent()).toBe('100');
    expect(await page.getByTestId('window-completeness').textContent()).toBe('0.0%');
    const row = page.getByRole('table', { name: 'Check results' }).locator('tr[data-check="drift:age"]');
    await expect(row.textContent()).resolves.toContain(last.severity);
    await screenshot(page, 'monitoring-window');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'monitoring' }).click();
    await tab.locator('figure[data-chart="drift:age"]').waitFor();
    expect(errors).toEqual([]);
  });
});
