/**
 * Takes the README's console screenshots on the demo portfolio: starts `assay serve` on a new
 * store (seeded with the demo), signs in as the admin in Debian's Chromium and saves the main pages
 * to docs/screenshots/. Run after `npm run build:web`:
 *
 *   node --import tsx scripts/readme-screenshots.ts
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, openPage, signInWithToken } from '../test/e2e/support/browser.ts';
import { ensureConsoleBuilt } from '../test/e2e/support/build-console.ts';
import { startConsoleServer } from '../test/e2e/support/console-server.ts';
import { TIER4_ANSWERS } from '../test/support/tier-answers.ts';

const OUT = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');

ensureConsoleBuilt();
const [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
try {
  // The demo seeds the inventory only; give it some workflow through the API, as people would.
  const token = async (username: string) =>
    (
      await server.api<{ secret: string }>('POST', '/api/v1/tokens', {
        name: 'screens',
        scope: 'write',
        username,
      })
    ).secret;
  const models = await server.api<{ items: { key: string; owner: string | null }[] }>(
    'GET',
    '/api/v1/models?limit=50&sort=name',
  );
  const withVersion: { key: string; label: string }[] = [];
  for (const m of models.items) {
    const v = await server.api<{ items: { label: string; status: string }[] }>(
      'GET',
      `/api/v1/models/${m.key}/versions`,
    );
    const label = v.items.find((x) => x.status === 'active')?.label;
    if (label) withVersion.push({ key: m.key, label });
    if (withVersion.length === 3) break;
  }
  const [approved, worked, fresh] = withVersion;
  let reviewId: string | null = null;
  if (approved) {
    const base = `/api/v1/models/${approved.key}/versions/${encodeURIComponent(approved.label)}`;
    await server.api('POST', `${base}/tiering`, { answers: TIER4_ANSWERS });
    const review = await server.api<{ id: string }>('POST', `${base}/reviews`, {
      type: 'initial',
      gate: 'production',
    });
    reviewId = review.id;
    for (const type of ['model_card', 'test_results'])
      await server.api('POST', `${base}/evidence`, {
        type,
        title: type.replace('_', ' '),
        externalUrl: `https://wiki.example/${approved.key}/${type}`,
      });
    await server.api('POST', `/api/v1/reviews/${review.id}/submit`);
    await server.api('POST', `/api/v1/reviews/${review.id}/validator`, { validator: 'val.victor' });
    for (const event of ['start_validation', 'request_decision'])
      await server.api('POST', `/api/v1/reviews/${review.id}/transition`, { event });
    const amy = await token('appr.amy');
    const d = await server.api<{ id: string }>(
      'POST',
      `/api/v1/reviews/${review.id}/decisions`,
      { outcome: 'approve', rationale: 'Evidence complete for tier 4; backtests within tolerance.' },
      amy,
    );
    await server.api('POST', `/api/v1/decisions/${d.id}/sign`, {}, amy);
  }
  const victor = await token('val.victor');
  for (const [target, title, severity] of [
    [worked, 'Calibration drifts on recent applicants', 'high'],
    [worked, 'Monitoring thresholds not documented', 'medium'],
    [fresh, 'Challenger model missing', 'medium'],
    [fresh, 'Variable dictionary out of date', 'low'],
  ] as const) {
    if (!target) continue;
    const f = await server.api<{ id: string }>(
      'POST',
      `/api/v1/models/${target.key}/versions/${encodeURIComponent(target.label)}/findings`,
      { title, description: `${title}.`, category: 'performance', severity, owner: 'admin' },
      victor,
    );
    if (severity === 'high')
      await server.api('POST', `/api/v1/findings/${f.id}/transition`, {
        event: 'start_remediation',
        remediationPlan: 'Recalibrate on the latest quarter and re-run the backtest.',
      });
  }

  const { page, errors } = await openPage(browser);
  await signInWithToken(page, server.url, server.adminToken, '/dashboard');
  const shot = async (url: string, ready: (p: Page) => Promise<unknown>, name: string) => {
    await page.goto(server.url + url);
    await ready(page);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: false });
    process.stdout.write(`${name}.png ← ${url}\n`);
  };
  await shot('/dashboard', (p) => p.getByTestId('kpi-Models in use').waitFor(), 'dashboard');
  await shot('/inventory', (p) => p.getByRole('table', { name: 'Models' }).waitFor(), 'inventory');
  await shot('/findings', (p) => p.getByRole('article').first().waitFor(), 'findings');
  if (reviewId)
    await shot(
      `/reviews/${reviewId}`,
      (p) => p.getByRole('heading', { name: 'Evidence checklist' }).waitFor(),
      'review-workspace',
    );
  if (approved)
    await shot(
      `/gate?model=${approved.key}&version=${encodeURIComponent(approved.label)}&environment=production`,
      (p) => p.getByRole('heading', { name: /Allowed|Denied/ }).waitFor(),
      'gate',
    );
  if (errors.length) process.stdout.write(`console errors: ${errors.join('\n')}\n`);
} finally {
  await browser.close();
  await server.stop();
}
