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

describe('console identity pages (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    await server.api('POST', '/api/v1/users', {
      username: 'gina.gov',
      displayName: 'Gina Governance',
      role: 'governance',
      password: 'correct horse battery staple',
    });
    await server.api('POST', '/api/v1/users', {
      username: 'alex.audit',
      displayName: 'Alex Auditor',
      role: 'auditor',
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in with a token, shows who is signed in, lists users to an admin and signs out', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/admin');
    await page.getByRole('tab', { name: 'Users' }).waitFor();
    const users = await server.api<{ items: { username: string }[] }>('GET', '/api/v1/users?limit=500');
    for (const u of users.items)
      await page.getByRole('cell', { name: u.username, exact: true }).first().waitFor();
    expect(await page.locator('tbody tr').count()).toBe(users.items.length);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '09-admin-users');
    await page.getByRole('tab', { name: 'Tokens' }).click();
    await page.getByRole('cell', { name: 'admin', exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Assay' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('assay.token'))).toBeNull();
    expect(errors).toEqual([]);
  });

  it('signs in with a username and password and keeps the session across a reload', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/inventory`);
    await page.getByRole('tab', { name: 'Username and password' }).click();
    await page.getByLabel('Username').fill('gina.gov');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Gina Governance').waitFor();
    await page.reload();
    await page.getByText('Gina Governance').waitFor();
    expect(await page.getByText('Role: governance').count()).toBe(1);
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });

  it('refuses a wrong password with the server message', async () => {
    const { page } = await openPage(browser);
    await page.goto(server.url);
    await page.getByRole('tab', { name: 'Username and password' }).click();
    await page.getByLabel('Username').fill('gina.gov');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/wrong password|unknown username/);
  });

  it('lets an admin add a user, issue them a token shown once, and revoke it', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/admin');
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Username').fill('vera.val');
    await form.getByLabel('Display name').fill('Vera Validator');
    await form.getByLabel('Role').selectOption('validator');
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'vera.val', exact: true }).waitFor();
    const users = await server.api<{ items: { username: string; role: string }[] }>(
      'GET',
      '/api/v1/users?limit=500',
    );
    expect(users.items.find((u) => u.username === 'vera.val')?.role).toBe('validator');

    await page.getByRole('tab', { name: 'Tokens' }).click();
    const tokenForm = page.getByRole('form', { name: 'Issue a token' });
    await tokenForm.getByLabel('For user').fill('vera.val');
    await tokenForm.getByLabel('Token name').fill('ci pipeline');
    await tokenForm.getByRole('button', { name: 'Issue token' }).click();
    const secret = (await page.getByTestId('token-secret').innerText()).trim();
    const me = await server.api<{ username: string }>('GET', '/api/v1/me', undefined, secret);
    expect(me.username).toBe('vera.val');

    const row = page.getByRole('row').filter({ hasText: 'ci pipeline' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    await expect(server.api('GET', '/api/v1/me', undefined, secret)).rejects.toThrow(/401/);
    expect(errors).toEqual([]);
  });

  it('ends the session with an explanation when the token is revoked meanwhile', async () => {
    const created = await server.api<{ id: string; secret: string }>('POST', '/api/v1/tokens', {
      name: 'short-lived',
      scope: 'write',
      username: 'gina.gov',
    });
    const { page } = await openPage(browser);
    await signInWithToken(page, server.url, created.secret, '/admin?tab=audit');
    await page.getByRole('cell', { name: 'user.created' }).first().waitFor();
    await server.api('POST', `/api/v1/tokens/${created.id}/revoke`);
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await page.getByRole('heading', { name: 'Sign in to Assay' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/signed out: .*revoked/);
  });

  it('shows an auditor no user administration', async () => {
    const created = await server.api<{ secret: string }>('POST', '/api/v1/tokens', {
      name: 'e2e auditor',
      scope: 'read',
      username: 'alex.audit',
    });
    const { page } = await openPage(browser);
    await signInWithToken(page, server.url, created.secret, '/admin');
    await page.getByText('Alex Auditor').waitFor();
    expect(await page.getByRole('tab', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Tokens' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Audit trail' }).click();
    await page.getByRole('cell', { name: 'user.created' }).first().waitFor();
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    const verdict = await server.api<{ checked: number }>('GET', '/api/v1/audit/verify');
    await page.getByText(/intact: \d+ events checked/).waitFor();
    expect(
      Number(
        (await page.getByText(/intact:/).innerText()).match(/intact: ([\d,]+)/)![1]!.replaceAll(',', ''),
      ),
    ).toBe(verdict.checked);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '10-audit-trail');
  });
});
