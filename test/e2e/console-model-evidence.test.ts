import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../../src/engine/explain/explain.ts';
import { stress } from '../../src/engine/stress/stress.ts';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

const DIR = new URL('../fixtures/models/', import.meta.url).pathname;

/**
 * Evidence from the model itself (issue 17) on the version's evidence page, in a real Chromium
 * against a real server: explanation and stress documents computed by running the committed
 * ONNX models, uploaded as test results; the page draws importance, partial dependence and the
 * stress results from them through the SDK.
 */
describe('console: explanation and stress evidence (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    const now = new Date();
    const explanation = await explain({
      model: `${DIR}adult-forest.onnx`,
      data: `${DIR}adult-sample.csv`,
      label: 'label',
      pdFeatures: ['age', 'hr_per_week'],
      explainRows: [0, 1, 2],
      now,
    });
    const robustness = await stress({
      model: `${DIR}planted-forest.onnx`,
      data: `${DIR}planted.csv`,
      label: 'label',
      spec: `${DIR}planted-stress.yaml`,
      maxRows: 600,
      now,
    });
    await server.api('POST', '/api/v1/models', { key: 'income', name: 'Income', type: 'classification' });
    await server.api('POST', '/api/v1/models/income/versions', { label: '1.0' });
    for (const [title, doc] of [
      ['Model explanation (assay.explain/v1)', explanation],
      ['Model robustness (assay.robustness/v1)', robustness],
    ] as const) {
      const form = new FormData();
      form.append('metadata', JSON.stringify({ type: 'test_results', title }));
      form.append('file', new Blob([JSON.stringify(doc)], { type: 'application/json' }), 'evidence.json');
      const res = await fetch(`${server.url}/api/v1/models/income/versions/1.0/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminToken}` },
        body: form,
      });
      expect(res.status).toBe(201);
    }
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows importance, partial dependence, properties, slices and scenarios', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/models/income/versions/1.0/report');
    const explanation = page.getByTestId('explanation');
    await explanation.waitFor();
    // the charts are named images (their tables are for screen readers)
    for (const name of [
      'Permutation importance (drop in accuracy)',
      'Mean |SHAP value| (tree)',
      'Partial dependence: age',
      'Partial dependence: hr_per_week',
    ]) {
      expect(await explanation.getByRole('img', { name, exact: true }).count()).toBe(1);
    }
    await expect(explanation.textContent()).resolves.toMatch(/model evaluations/);
    const robustness = page.getByTestId('robustness');
    await expect(
      robustness.getByRole('table', { name: 'Declared properties' }).textContent(),
    ).resolves.toMatch(/monotonic_income\s*violated/);
    await expect(robustness.getByRole('table', { name: /Worst slices/ }).textContent()).resolves.toMatch(
      /region = west/,
    );
    await expect(robustness.getByRole('table', { name: 'Scenarios' }).textContent()).resolves.toMatch(
      /debt-plus-10/,
    );
    await screenshot(page, 'model-evidence');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
