import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type ConsoleServer, freePort, startConsoleServer } from './support/console-server.ts';

/**
 * Single sign-on and the reconciliation page in a real Chromium: `assay serve` configured against a
 * real OpenID provider (oidc-provider in this process, its development login and consent pages).
 * The sign-in page offers the SSO button; the code flow with PKCE runs through the browser and the
 * console redeems the callback's one-time ticket, the user's group giving their role. Then a
 * deployment id that sent predictions but is not in the inventory shows as a shadow model, and an
 * admin registers it in one click.
 */
describe('console: single sign-on and inventory reconciliation (real server, real provider, real Chromium)', () => {
  let idp: TestProvider;
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    const port = await freePort();
    const redirect = `http://127.0.0.1:${port}/api/v1/auth/sso/callback`;
    idp = await startTestProvider(
      [{ client_id: 'assay-console', redirect_uris: [redirect], token_endpoint_auth_method: 'none' }],
      {
        alice: { name: 'Alice Ng', preferred_username: 'alice', groups: ['mrm-validators', 'staff'] },
        carol: { name: 'Carol', preferred_username: 'carol', groups: ['staff'] },
      },
    );
    [server, browser] = await Promise.all([
      startConsoleServer({
        seed: false,
        port,
        env: {
          ASSAY_OIDC_ISSUER: idp.issuer,
          ASSAY_OIDC_CLIENT_ID: 'assay-console',
          ASSAY_OIDC_REDIRECT_URI: redirect,
        },
      }),
      launchBrowser(),
    ]);
    await server.api('POST', '/api/v1/sso/role-mappings', { value: 'mrm-validators', role: 'validator' });
    // a model serving predictions that nobody registered
    const res = await fetch(`${server.url}/api/v1/deployments/fraud-scorer-prod/monitoring/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/x-ndjson' },
      body: JSON.stringify({
        predictionId: 'p1',
        timestamp: new Date().toISOString(),
        features: { a: 1 },
        score: 0.4,
      }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await idp?.close();
  });

  /** Signs in at the provider's development pages (any password) and grants consent. */
  const providerSignIn = async (page: import('playwright-core').Page, login: string) => {
    await page.waitForURL((u) => u.toString().startsWith(idp.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    // consent (first sign-in of this account for this client)
    await page.waitForURL((u) => !u.toString().includes('/login'));
    if (page.url().startsWith(idp.issuer)) await page.locator('button[type="submit"]').click();
  };

  it('signs in through the SSO button with the code flow and PKCE; the group mapping gives the role', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/reconciliation`);
    const button = page.getByRole('link', { name: 'Sign in with single sign-on' });
    await button.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'sso-sign-in');
    const request = page.waitForRequest((r) => r.url().startsWith(`${idp.issuer}/auth`));
    await button.click();
    const authorize = new URL((await request).url());
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    await providerSignIn(page, 'alice');
    // back on the page asked for, signed in; the ticket is gone from the address bar
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // the provider's development pages load fonts from the internet (offline here): only the
    // console's own errors count
    errors.length = 0;
    expect(page.url()).toBe(`${server.url}/reconciliation`);
    await expect(page.locator('.sidebar-foot').textContent()).resolves.toMatch(/Alice Ng.*Role: validator/s);
    expect(await page.evaluate(() => sessionStorage.getItem('assay.token'))).toMatch(/\S{20,}/);

    // a validator reads the report (the shadow model is there) but may not register it
    const shadow = page.getByRole('table', { name: 'Deployed but not registered (shadow models)' });
    await shadow.locator('tr[data-recon="fraud-scorer-prod"]').waitFor();
    expect(await shadow.getByRole('button', { name: 'Register…' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows the refusal of a user no group maps to a role', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${server.url}/inventory`);
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    await providerSignIn(page, 'carol');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Single sign-on refused: .*map/);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('assay.token'))).toBeNull();
  });

  it('registers the shadow model in one click with what is known pre-filled', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/reconciliation');
    await expect(page.getByTestId('count-deployed_not_registered').textContent()).resolves.toBe('1');
    const row = page.locator('tr[data-recon="fraud-scorer-prod"]');
    await row.getByRole('button', { name: 'Register…' }).click();
    const form = row.getByRole('form', { name: 'Register fraud-scorer-prod' });
    expect(await form.getByLabel('Model key').inputValue()).toBe('fraud-scorer-prod');
    await form.getByLabel('Name').fill('Fraud scorer');
    await screenshot(page, 'reconciliation');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Register in the inventory' }).click();
    await page.waitForURL(/\/models\/fraud-scorer-prod$/);
    await page.getByRole('heading', { name: 'Fraud scorer' }).waitFor();
    const model = await server.api<{ description: string }>('GET', '/api/v1/models/fraud-scorer-prod');
    expect(model.description).toMatch(/fraud-scorer-prod/);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Reconciliation' })
      .click();
    // the new model is in the inventory with the deployment monitoring saw, under the id it saw:
    // registered and deployed, and no shadow is left
    await page
      .getByRole('table', { name: 'Registered and deployed' })
      .locator('tr[data-recon="Fraud scorer"]')
      .waitFor();
    expect(await page.getByTestId('count-deployed_not_registered').textContent()).toBe('0');
    const deployments = await server.api<{ items: { id: string; environment: string }[] }>(
      'GET',
      '/api/v1/models/fraud-scorer-prod/deployments',
    );
    expect(deployments.items).toEqual([
      expect.objectContaining({ id: 'fraud-scorer-prod', environment: 'observed' }),
    ]);
    // and the predictions sent for that id now land on it
    const res = await fetch(`${server.url}/api/v1/deployments/fraud-scorer-prod/monitoring/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/x-ndjson' },
      body: JSON.stringify({
        predictionId: 'p2',
        timestamp: new Date().toISOString(),
        features: { a: 1 },
        score: 0.4,
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(errors).toEqual([]);
  });
});
