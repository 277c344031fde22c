import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/governance/webhooks/webhook-signing.ts';
import { runCli } from '../support/cli-harness.ts';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

const ADULT = path.resolve(import.meta.dirname, '../../data/adult');

interface ReviewItem {
  id: string;
  modelKey: string;
  versionLabel: string;
  state: string;
  openedBy: string;
}

/** The text of the <dd> that follows the <dt> named `term` in a region. */
async function fact(page: Page, region: string, term: string): Promise<string> {
  const dd = page.getByRole('region', { name: region }).locator(`dt:text-is("${term}") + dd`);
  return (await dd.innerText()).trim();
}

/**
 * The console defects a new user found on the demo portfolio (issue 13, item 6), each checked in a
 * real Chromium against a real `assay serve` of the demo: every test here failed before its fix.
 */
describe('console defects found by new users (demo portfolio, real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let reviews: ReviewItem[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
    reviews = (await server.api<{ items: ReviewItem[] }>('GET', '/api/v1/reviews?limit=500')).items;
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('1. the model overview shows the tiering rationale and the EU AI Act class the tiering recorded', async () => {
    const key = 'retail-credit-pd';
    const tierings = await server.api<{ items: { status: string; summary: string }[] }>(
      'GET',
      `/api/v1/models/${key}/tierings`,
    );
    const effective = tierings.items.find((t) => t.status === 'effective');
    expect(effective).toBeDefined();
    const model = await server.api<{ euAiActClass: string; name: string }>('GET', `/api/v1/models/${key}`);
    expect(model.euAiActClass).toBe('high_risk');

    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/models/${key}`);
    await page.getByRole('heading', { level: 1, name: model.name }).waitFor();
    await expect.poll(() => fact(page, 'Risk classification', 'Rationale')).toContain(effective!.summary);
    expect(await fact(page, 'Risk classification', 'EU AI Act')).toBe('high risk');
    await screenshot(page, 'defects-1-overview-rationale');
    expect(errors).toEqual([]);
  });

  it('2. the dashboard says what its model count counts, and the inventory total it leaves out', async () => {
    const metrics = await server.api<{ inventory: { models: number; byStatus: Record<string, number> } }>(
      'GET',
      '/api/v1/metrics',
    );
    const all = (await server.api<{ items: unknown[] }>('GET', '/api/v1/models?limit=500')).items.length;
    const retired = metrics.inventory.byStatus.retired ?? 0;
    expect(retired).toBeGreaterThan(0); // the demo retires two models: the two counts differ
    expect(metrics.inventory.models).toBe(all - retired);

    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/inventory');
    await page.getByText(`Showing ${all} models`).waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const kpi = page.locator('.kpi', { has: page.getByTestId('kpi-Models in use') });
    await expect.poll(() => page.getByTestId('kpi-Models in use').innerText()).toBe(String(all - retired));
    const text = await kpi.innerText();
    expect(text).toContain(`${all} in the inventory`);
    expect(text).toContain(`${retired} retired`);
    await screenshot(page, 'defects-2-dashboard-count');
    expect(errors).toEqual([]);
  });

  it('3. the fairness chart draws its labels at body size, whole and inside the chart', async () => {
    const key = 'income-propensity';
    const version = '2.0.0';
    const run = runCli(
      [
        'validate',
        '--data',
        path.join(ADULT, 'adult_scored_production.csv'),
        '--label',
        'label',
        '--score',
        'score',
        '--group',
        'race',
        '--model',
        `${key}@${version}`,
        '--push',
        '--json',
      ],
      { ASSAY_URL: server.url, ASSAY_TOKEN: server.adminToken },
    );
    expect(run.status, run.stderr).toBe(0);

    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/models/${key}/versions/${version}/report`);
    const chart = page.getByRole('img', { name: 'selection rate by race', exact: true });
    await chart.waitFor();
    const bodyPx = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize));
    const texts = await chart.evaluate((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')].map((t) => {
        const r = t.getBoundingClientRect();
        const scale = (t as SVGTextElement).getScreenCTM()?.a ?? 1;
        return {
          text: t.textContent ?? '',
          px: Number.parseFloat(getComputedStyle(t).fontSize) * scale,
          inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5,
        };
      });
    });
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) {
      expect(t.px, `font size of "${t.text}"`).toBeLessThanOrEqual(bodyPx);
      expect(t.px, `font size of "${t.text}"`).toBeGreaterThanOrEqual(bodyPx * 0.75);
      expect(t.inside, `"${t.text}" is clipped`).toBe(true);
    }
    // every group's label is whole (no ellipsis): the longest of the Adult data's race groups too
    const labels = texts.map((t) => t.text);
    expect(labels.some((l) => l.startsWith('Asian-Pac-Islander (n='))).toBe(true);
    expect(labels.filter((l) => l.includes('…'))).toEqual([]);
    await screenshot(page, 'defects-3-fairness-chart');
    expect(errors).toEqual([]);
  }, 90_000);

  it('4. a review the scheduler opened pre-fills a finding’s owner with the model’s owner, not `system`', async () => {
    const review = reviews.find((r) => r.openedBy === 'system' && r.state === 'draft');
    expect(review).toBeDefined();
    const model = await server.api<{ owner: string }>('GET', `/api/v1/models/${review!.modelKey}`);
    expect(model.owner).toMatch(/\w/);

    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/reviews/${review!.id}`);
    const form = page.getByRole('form', { name: 'Log a finding' });
    await form.waitFor();
    await expect.poll(() => form.getByLabel('Owner').inputValue()).toBe(model.owner);
    await screenshot(page, 'defects-4-finding-owner');
    expect(errors).toEqual([]);
  });

  it('5. the report page explains a listed validation report it cannot draw, instead of "no validation evidence yet"', async () => {
    const title = 'Independent validation of retail-credit-pd 4.0';
    const { page, errors } = await openPage(browser);
    await signInWithToken(
      page,
      server.url,
      server.adminToken,
      '/models/retail-credit-pd/versions/4.0/report',
    );
    await page.getByRole('region', { name: 'Evidence of 4.0' }).getByRole('link', { name: title }).waitFor();
    const note = page.getByRole('region', { name: 'Validation report' });
    await note.getByText(/not the validation engine’s evidence/).waitFor();
    expect(await note.innerText()).toContain(title);
    expect(await page.getByText(/no validation evidence yet/i).count()).toBe(0);
    await screenshot(page, 'defects-5-report-link');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('6. a closed review offers no attach, log-finding or tiering action (an open one does)', async () => {
    const closed = reviews.find((r) => r.state === 'closed');
    const open = reviews.find((r) => r.state === 'draft');
    expect(closed && open).toBeTruthy();
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/reviews/${open!.id}`);
    await page.getByRole('form', { name: 'Log a finding' }).waitFor();
    expect(await page.getByRole('button', { name: 'Attach evidence' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('form', { name: 'Tiering questionnaire' }).count()).toBe(1);

    await page.goto(`${server.url}/reviews/${closed!.id}`);
    await page.locator('.page-head .badge', { hasText: 'closed' }).waitFor();
    await page.getByRole('region', { name: 'Findings' }).waitFor();
    expect(await page.getByRole('button', { name: 'Attach evidence' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Log a finding' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Tiering questionnaire' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /adopt|carry forward/i }).count()).toBe(0);
    await page
      .getByText(/This review is closed/)
      .first()
      .waitFor();
    await screenshot(page, 'defects-6-closed-review');
    expect(errors).toEqual([]);
  });

  it('7. the model card tab exports the card as Hugging Face, CycloneDX, SPDX and PDF', async () => {
    const key = 'retail-credit-pd';
    const card = `/api/v1/models/${key}/versions/4.0/card/export`;
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/models/${key}?tab=card&version=4.0`);
    const exports = page.getByRole('group', { name: 'Export the model card' });
    await exports.waitFor();
    for (const [button, url, file] of [
      ['Hugging Face README', `${card}/huggingface`, /\.md$/],
      ['CycloneDX ML-BOM', `${card}/cyclonedx`, /\.json$/],
      ['PDF', `${card}?format=pdf`, /\.pdf$/],
    ] as const) {
      const [request, download] = await Promise.all([
        page.waitForRequest((r) => r.url() === server.url + url),
        page.waitForEvent('download', { timeout: 60_000 }),
        exports.getByRole('button', { name: button }).click(),
      ]);
      expect(request.headers().authorization).toBe(`Bearer ${server.adminToken}`);
      expect(download.suggestedFilename(), button).toMatch(file);
    }
    // SPDX 3.0 is served by the same route (another change adds the format): the button asks for it.
    const [spdx] = await Promise.all([
      page.waitForRequest((r) => r.url() === `${server.url}${card}/spdx`),
      exports.getByRole('button', { name: 'SPDX 3.0' }).click(),
    ]);
    expect(spdx.method()).toBe('GET');
    await screenshot(page, 'defects-7-card-exports');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  }, 120_000);

  it('8. an admin registers a webhook, sees its deliveries and disables it', async () => {
    const received: { event: string; signature: string; body: string }[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        received.push({
          event: String(req.headers['x-assay-event']),
          signature: String(req.headers['x-assay-signature']),
          body,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    const target = `http://127.0.0.1:${port}/assay-hook`;
    try {
      const { page, errors } = await openPage(browser);
      await signInWithToken(page, server.url, server.adminToken, '/admin?tab=webhooks');
      const form = page.getByRole('form', { name: 'Register a webhook' });
      await form.getByLabel('URL').fill(target);
      await form.getByRole('checkbox', { name: 'review.opened' }).check();
      await form.getByRole('checkbox', { name: 'decision.signed' }).check();
      await form.getByRole('checkbox', { name: /private/i }).check();
      const secret = await form.getByLabel('Signing secret').inputValue();
      expect(secret.length).toBeGreaterThanOrEqual(16);
      await form.getByRole('button', { name: 'Register webhook' }).click();
      const table = page.getByRole('table', { name: 'Webhooks' });
      const row = table.getByRole('row').filter({ hasText: target });
      await row.waitFor();
      expect(await row.innerText()).toMatch(/review\.opened.*decision\.signed/s);
      expect(await row.innerText()).toContain('active');
      const listed = await server.api<{ items: { url: string; events: string[] }[] }>(
        'GET',
        '/api/v1/webhooks',
      );
      expect(listed.items.find((w) => w.url === target)?.events).toEqual([
        'review.opened',
        'decision.signed',
      ]);

      // An event, then the scheduler's delivery run: the delivery log shows it delivered.
      await server.api('POST', '/api/v1/models/cash-demand-forecast/versions', { label: '9.9.9' });
      await server.api('POST', '/api/v1/models/cash-demand-forecast/versions/9.9.9/reviews', {
        type: 'initial',
        gate: 'production',
      });
      await server.api('POST', '/api/v1/scheduler/run');
      const delivered = received.find((r) => r.event === 'review.opened');
      // signed with the secret the form generated and showed once
      expect(delivered && verifySignature(secret, delivered.signature, delivered.body)).toBe(true);
      await row.getByRole('button', { name: 'Deliveries' }).click();
      const log = page.getByRole('table', { name: `Deliveries to ${target}` });
      await log
        .getByRole('row')
        .filter({ hasText: 'review.opened' })
        .filter({ hasText: 'delivered' })
        .waitFor();
      expect(await log.innerText()).toContain('204');
      await screenshot(page, 'defects-8-webhooks');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await row.getByRole('button', { name: 'Disable' }).click();
      await row.getByText('disabled').waitFor();
      const after = await server.api<{ items: { url: string; active: boolean }[] }>(
        'GET',
        '/api/v1/webhooks',
      );
      expect(after.items.find((w) => w.url === target)?.active).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  }, 60_000);
});
