import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, seriousAxeViolations } from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

describe('console sign-in (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the sign-in form at any console URL, accessibly', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/models/anything`);
    await page.getByRole('heading', { name: 'Sign in to Assay' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '00-sign-in');
    expect(errors).toEqual([]);
  });

  it('refuses a wrong token with the server message and keeps nothing', async () => {
    const { page } = await openPage(browser);
    await page.goto(server.url);
    await page.getByLabel('API token').fill('assay_not_a_real_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/token/i);
    expect(await page.evaluate(() => sessionStorage.getItem('assay.token'))).toBeNull();
  });
});
