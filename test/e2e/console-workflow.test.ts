import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIER4_ANSWERS } from '../support/tier-answers.ts';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { seedFixturePortfolio } from './support/console-fixtures.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

/** Buttons that change something; an auditor must see none of them on any page. */
const ACTION_BUTTON =
  /attach|adopt|log finding|sign|propose|move to|new model|register|freeze|retire|revoke|create|save|delete|edit|add|issue|disable|enable|plan remediation|ready for verification|verify and close|send back|request|approve|reject|assign|submit|start|open review|compute|withdraw|accept/i;

async function actionButtons(page: Page): Promise<string[]> {
  const names = await page.getByRole('button').allInnerTexts();
  return names.map((n) => n.trim()).filter((n) => n !== 'Sign out' && ACTION_BUTTON.test(n));
}

interface Metrics {
  inventory: { models: number; byTier: Record<string, number>; byStatus: Record<string, number> };
  findings: { open: number; bySeverity: Record<string, number> };
  submissionToDecision: { decisions: number };
  reviewsDue: { d30: number; d60: number; d90: number };
  overdue: { findings: number; reviews: number; conditions: number };
}

/** The rows of a chart's screen-reader table: label → value as shown. */
async function chartRows(page: Page, title: string): Promise<Record<string, string>> {
  const table = page.getByRole('table', { name: title, exact: true });
  const rows = await table
    .locator('tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']),
    );
  return Object.fromEntries(rows);
}

describe('console workflow: review sign-off by a second user, findings board, people, model card (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const gateKey = 'atm-cash-forecast';
  const gateVersion = '3.0.0';
  let reviewId = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    await seedFixturePortfolio(server);
    for (const [username, displayName, role, scope] of [
      ['ana.approver', 'Ana Approver', 'approver', 'write'],
      ['vic.validator', 'Vic Validator', 'validator', 'write'],
      ['dan.dev', 'Dan Developer', 'developer', 'write'],
      ['ada.audit', 'Ada Auditor', 'auditor', 'read'],
    ] as const) {
      await server.api('POST', '/api/v1/users', { username, displayName, role });
      tokens[username] = (
        await server.api<{ secret: string }>('POST', '/api/v1/tokens', { name: 'e2e', scope, username })
      ).secret;
    }
    await server.api('POST', `/api/v1/models/${gateKey}/versions`, { label: gateVersion });
    await server.api('POST', `/api/v1/models/${gateKey}/versions/${gateVersion}/tiering`, {
      answers: TIER4_ANSWERS,
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const gateVerdict = () =>
    server.api<{ allowed: boolean; reasons: { message: string }[] }>(
      'GET',
      `/api/v1/gate?model=${gateKey}&version=${gateVersion}&env=production`,
    );

  it('walks a review from submission to an independent approver’s sign-off; the gate turns from denied to allowed', async () => {
    const admin = await openPage(browser);
    const gateUrl = `/gate?model=${gateKey}&version=${gateVersion}&environment=production`;
    await signInWithToken(admin.page, server.url, server.adminToken, gateUrl);
    await admin.page.getByRole('heading', { name: /Denied/ }).waitFor();
    expect((await gateVerdict()).allowed).toBe(false);

    // The model's owner (the admin here) opens a production review of the version and attaches the evidence.
    await admin.page.goto(`${server.url}/models/${gateKey}?tab=versions`);
    const openForm = admin.page.getByRole('form', { name: `Open a review of ${gateVersion}` });
    await openForm.getByLabel('Gate').selectOption('production');
    await openForm.getByRole('button', { name: `Open review of ${gateVersion}` }).click();
    await admin.page
      .getByRole('heading', { level: 1, name: new RegExp(`review of ${gateKey} ${gateVersion}`) })
      .waitFor();
    reviewId = admin.page.url().split('/reviews/')[1]!;
    for (const [item, title] of [
      ['model card', 'ATM forecast model card'],
      ['test results', 'Backtest 2026'],
    ] as const) {
      const li = admin.page.getByRole('listitem').filter({ hasText: item }).first();
      await li.getByRole('button', { name: 'Attach evidence' }).click();
      const form = admin.page.getByRole('form', { name: `Attach evidence to ${item}` });
      await form.getByLabel('Title').fill(title);
      await form.getByLabel('Link (URL)').fill(`https://wiki.example/atm/${item.replace(' ', '-')}`);
      await form.getByRole('button', { name: 'Attach' }).click();
      await li.getByRole('link', { name: title }).waitFor();
    }
    await admin.page.getByRole('button', { name: 'Submit for validation' }).click();
    await admin.page.locator('.page-head .badge', { hasText: 'submitted' }).waitFor();

    // Governance assigns an independent validator, then validation runs and asks for a decision.
    const assign = admin.page.getByRole('form', { name: 'Assign a validator' });
    await assign.getByLabel('Validator').selectOption('vic.validator');
    await assign.getByRole('button', { name: 'Assign validator' }).click();
    // the panel's own line (server state), not the transient notice that says the same words
    await admin.page
      .getByRole('region', { name: 'Validator' })
      .getByText('vic.validator validates this review')
      .waitFor();
    await admin.page.getByRole('button', { name: 'Start validation' }).click();
    await admin.page.locator('.page-head .badge', { hasText: 'in validation' }).waitFor();
    await admin.page.getByRole('button', { name: 'Request a decision' }).click();
    await admin.page.locator('.page-head .badge', { hasText: 'decision pending' }).waitFor();
    // The admin may propose but the policy's sign-off role is an approver: no signing offered here.
    expect(await admin.page.getByRole('button', { name: 'Sign decision' }).count()).toBe(0);
    await admin.page.getByRole('button', { name: 'Propose decision' }).waitFor();

    // A second user, in their own browser context, signs the approval.
    const approver = await openPage(browser);
    await signInWithToken(approver.page, server.url, tokens['ana.approver']!, `/reviews/${reviewId}`);
    await approver.page.getByText('Signed in as').getByText('Ana Approver').waitFor();
    const decision = approver.page.getByRole('form', { name: 'Sign a decision' });
    await decision.getByRole('radio', { name: 'Approve', exact: true }).check();
    await decision.getByLabel('Rationale').fill('Backtests within tolerance; tier 4 evidence complete.');
    await decision.getByRole('button', { name: 'Sign decision' }).click();
    await approver.page.getByText('Decision signed; it is final.').waitFor();
    await approver.page.locator('.page-head .badge', { hasText: 'closed' }).waitFor();
    expect(await seriousAxeViolations(approver.page)).toEqual([]);
    await screenshot(approver.page, '12-review-signed');
    const stored = await server.api<{ items: { state: string; signatures: { signer: string }[] }[] }>(
      'GET',
      `/api/v1/decisions?modelKey=${gateKey}`,
    );
    expect(stored.items[0]?.state).toBe('final');
    expect(stored.items[0]?.signatures.map((s) => s.signer)).toEqual(['ana.approver']);

    // The first user's gate page now allows the version.
    await admin.page.goto(server.url + gateUrl);
    await admin.page.getByRole('heading', { name: /Allowed/ }).waitFor();
    expect((await gateVerdict()).allowed).toBe(true);
    await admin.page.getByText('No open conditions block this deployment.').waitFor();
    expect(await seriousAxeViolations(admin.page)).toEqual([]);
    await screenshot(admin.page, '11-gate-allowed');
    expect(admin.errors).toEqual([]);
    expect(approver.errors).toEqual([]);
  }, 120_000);

  it('works findings on the board: plan, closure evidence, verification by someone else, risk acceptance with expiry', async () => {
    const raise = (title: string, severity: string) =>
      server.api<{ id: string }>('POST', '/api/v1/models/retail-credit-pd/versions/1.1.0/findings', {
        title,
        description: `${title}.`,
        category: 'performance',
        severity,
        owner: 'admin',
      });
    const fixed = await raise('Score drift on new applicants', 'medium');
    const accepted = await raise('Reason codes truncated in letters', 'low');
    const finding = (id: string) =>
      server.api<{
        state: string;
        remediationPlan: string | null;
        closureEvidenceId: string | null;
        verifiedBy: string | null;
      }>('GET', `/api/v1/findings/${id}`);

    const admin = await openPage(browser);
    await signInWithToken(admin.page, server.url, server.adminToken, '/findings');
    const card = admin.page.getByRole('article', { name: 'medium finding: Score drift on new applicants' });
    await card.getByRole('button', { name: 'Plan remediation' }).click();
    await card
      .getByLabel('Remediation plan', { exact: true })
      .fill('Recalibrate on Q3 outcomes and re-run the backtest.');
    await card.getByRole('button', { name: 'Start remediation' }).click();
    await card.getByText('retail-credit-pd · in remediation').waitFor();
    expect((await finding(fixed.id)).remediationPlan).toBe(
      'Recalibrate on Q3 outcomes and re-run the backtest.',
    );

    await card.getByRole('button', { name: 'Ready for verification' }).click();
    await card.getByLabel('Evidence title').fill('Recalibration backtest');
    await card.getByLabel('Link (URL)').fill('https://wiki.example/credit-pd/recalibration');
    await card.getByRole('button', { name: 'Submit for verification' }).click();
    await card.getByText('retail-credit-pd · ready for verification').waitFor();
    expect((await finding(fixed.id)).closureEvidenceId).not.toBeNull();

    // The admin owns the model and remediated the finding, so may not verify it; the board says why
    // in plain words (the one separation-of-duties rule names the first reason: ownership).
    await card.getByRole('button', { name: 'Verify and close' }).click();
    await card
      .getByRole('alert')
      .getByText(/Separation of duties: 'admin' is the model's owner and cannot verify the finding/)
      .waitFor();
    expect((await finding(fixed.id)).state).toBe('ready_for_verification');

    // Risk acceptance with an expiry, requested by one person…
    const low = admin.page.getByRole('article', { name: 'low finding: Reason codes truncated in letters' });
    await low.getByRole('button', { name: 'Request risk acceptance' }).click();
    await low.getByLabel('Rationale').fill('Letters are reviewed by hand until the template fix ships.');
    const until = new Date(Date.now() + 45 * 86_400_000);
    const day = `${until.getFullYear()}-${String(until.getMonth() + 1).padStart(2, '0')}-${String(until.getDate()).padStart(2, '0')}`;
    await low.getByLabel('Accepted until').fill(day);
    await low.getByRole('button', { name: 'Request acceptance' }).click();
    await low.getByText('acceptance pending').waitFor();
    expect(await low.getByRole('button', { name: 'Approve acceptance' }).count()).toBe(0);
    expect(await seriousAxeViolations(admin.page)).toEqual([]);
    await screenshot(admin.page, '08-findings-board');

    // …verification and approval by other users in their own browser contexts.
    const validator = await openPage(browser);
    await signInWithToken(validator.page, server.url, tokens['vic.validator']!, '/findings');
    const vCard = validator.page.getByRole('article', {
      name: 'medium finding: Score drift on new applicants',
    });
    await vCard.getByRole('button', { name: 'Verify and close' }).click();
    await vCard.waitFor({ state: 'detached' });
    const closed = await finding(fixed.id);
    expect([closed.state, closed.verifiedBy]).toEqual(['closed', 'vic.validator']);

    const approver = await openPage(browser);
    await signInWithToken(approver.page, server.url, tokens['ana.approver']!, '/findings');
    const aCard = approver.page.getByRole('article', {
      name: 'low finding: Reason codes truncated in letters',
    });
    await aCard.getByRole('button', { name: 'Approve acceptance' }).click();
    await aCard.getByText(/Risk accepted until .* \(approved by ana\.approver\)/).waitFor();
    expect((await finding(accepted.id)).state).toBe('risk_accepted');
    const acceptances = await server.api<{
      items: { state: string; expiresAt: string; approvedBy: string }[];
    }>('GET', '/api/v1/risk-acceptances?modelKey=retail-credit-pd');
    expect(acceptances.items[0]).toMatchObject({ state: 'active', approvedBy: 'ana.approver' });
    // The expiry is the end of the picked day in the user's zone (the browser runs in Europe/Paris).
    expect(
      new Date(acceptances.items[0]!.expiresAt).toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' }),
    ).toBe(day);
    // The one refused request (the remediator verifying) is the browser's only complaint.
    expect(admin.errors).toEqual([
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
    for (const p of [validator, approver]) expect(p.errors).toEqual([]);
  }, 120_000);

  it('shows and edits a model’s people (owner, developers, validators)', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/models/card-fraud-realtime');
    await page.getByRole('button', { name: 'Edit people' }).click();
    const form = page.getByRole('form', { name: 'People of Card Fraud Real-time Scoring' });
    await form
      .getByRole('group', { name: 'Developers' })
      .getByLabel(/dan\.dev/)
      .check();
    await form
      .getByRole('group', { name: 'Validators' })
      .getByLabel(/vic\.validator/)
      .check();
    await form.getByRole('button', { name: 'Save people' }).click();
    await page.getByText('People saved.').waitFor();
    const model = await server.api<{ owner: string; developers: string[]; validators: string[] }>(
      'GET',
      '/api/v1/models/card-fraud-realtime',
    );
    expect(model).toMatchObject({ owner: 'admin', developers: ['dan.dev'], validators: ['vic.validator'] });
    const people = page.getByRole('region', { name: 'People', exact: true });
    await people.getByText('dan.dev').waitFor();
    await people.getByText('vic.validator').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '14-model-people');
    const history = await server.api<{ items: { action: string }[] }>(
      'GET',
      '/api/v1/models/card-fraud-realtime/history',
    );
    expect(history.items.map((e) => e.action)).toContain('model.relations_changed');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a version’s model card read-only, with its completeness against the policy', async () => {
    await server.api('PUT', `/api/v1/models/${gateKey}/versions/${gateVersion}/card`, {
      content: {
        overview: { text: 'Forecasts daily cash demand per ATM for replenishment planning.' },
        intendedUse: {
          text: 'Cash logistics planners use it to schedule replenishment.',
          users: ['cash ops'],
        },
        limitations: { text: 'Untested on new branches.', items: ['Needs 90 days of history'] },
      },
      note: 'first draft',
    });
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, `/models/${gateKey}?tab=card`);
    await page.getByRole('heading', { name: new RegExp(`Model card of .* ${gateVersion}`) }).waitFor();
    await page.getByText('Forecasts daily cash demand per ATM').waitFor();
    await page.getByText('Needs 90 days of history').waitFor();
    const completeness = await server.api<{ score: number }>(
      'GET',
      `/api/v1/models/${gateKey}/versions/${gateVersion}/card/completeness`,
    );
    await page
      .getByRole('heading', { name: new RegExp(`Completeness ${Math.round(completeness.score)}%`) })
      .waitFor();
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '13-model-card');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the dashboard numbers the metrics API gives, tier and status charts included', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/dashboard');
    await page.getByTestId('kpi-Models in use').waitFor();
    const m = await server.api<Metrics>('GET', '/api/v1/metrics');
    expect(await page.getByTestId('kpi-Models in use').innerText()).toBe(String(m.inventory.models));
    expect(await page.getByTestId('kpi-Overdue findings').innerText()).toBe(String(m.overdue.findings));
    expect(await page.getByTestId('kpi-Overdue reviews').innerText()).toBe(String(m.overdue.reviews));
    const tierLabel = (t: string) => (t === 'untiered' ? 'untiered' : `Tier ${t}`);
    expect(await chartRows(page, 'Models by tier')).toEqual(
      Object.fromEntries(Object.entries(m.inventory.byTier).map(([t, n]) => [tierLabel(t), String(n)])),
    );
    expect(m.inventory.byTier['4']).toBe(1);
    expect(await chartRows(page, 'Models by lifecycle status')).toEqual(
      Object.fromEntries(Object.entries(m.inventory.byStatus).map(([s, n]) => [s, String(n)])),
    );
    expect(await chartRows(page, 'Reviews due')).toEqual({
      'next 30 days': String(m.reviewsDue.d30),
      'next 60 days': String(m.reviewsDue.d60),
      'next 90 days': String(m.reviewsDue.d90),
    });
    const legend = await page
      .getByRole('region', { name: 'Open findings by severity' })
      .locator('figcaption')
      .innerText();
    for (const s of ['critical', 'high', 'medium', 'low'])
      expect(legend).toContain(`${s}: ${m.findings.bySeverity[s] ?? 0}`);
    await page.getByText(`Decisions signed: ${m.submissionToDecision.decisions};`).waitFor();
    expect(m.submissionToDecision.decisions).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '15-dashboard-workflow');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows open findings by severity and the next review date in the inventory, as the list API gives them', async () => {
    for (const [title, severity] of [
      ['Thin-file applicants under-scored', 'high'],
      ['Challenger model missing', 'high'],
      ['Variable dictionary out of date', 'low'],
    ])
      await server.api('POST', '/api/v1/models/retail-credit-pd/versions/1.0.0/findings', {
        title,
        description: `${title}.`,
        category: 'performance',
        severity,
        owner: 'admin',
      });
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/inventory');
    await page.getByRole('table', { name: 'Models' }).waitFor();
    const list = await server.api<{
      items: {
        key: string;
        name: string;
        openFindings: Record<string, number>;
        nextReviewDate: string | null;
      }[];
    }>('GET', '/api/v1/models?limit=500');
    const credit = list.items.find((m) => m.key === 'retail-credit-pd')!;
    expect(credit.openFindings).toEqual({ critical: 0, high: 2, medium: 0, low: 1 });
    const creditRow = page.locator('tbody tr').filter({ hasText: credit.name });
    await creditRow.locator('[title="2 open high"]').waitFor();
    await creditRow.locator('[title="1 open low"]').waitFor();
    const atm = list.items.find((m) => m.key === gateKey)!;
    expect(atm.nextReviewDate).not.toBeNull();
    const atmRow = page.locator('tbody tr').filter({ hasText: atm.name });
    expect(await atmRow.locator('time').first().getAttribute('datetime')).toBe(atm.nextReviewDate);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '16-inventory-figures');
    expect(errors).toEqual([]);
  }, 120_000);

  it('offers an auditor no action button on any main page', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, tokens['ada.audit']!, '/dashboard');
    const pages: [string, () => Promise<unknown>][] = [
      ['/dashboard', () => page.getByTestId('kpi-Models in use').waitFor()],
      ['/inventory', () => page.getByRole('table', { name: 'Models' }).waitFor()],
      [
        `/models/${gateKey}`,
        () => page.getByRole('heading', { level: 1, name: 'ATM Cash Demand Forecast' }).waitFor(),
      ],
      [`/models/${gateKey}?tab=versions`, () => page.getByRole('heading', { name: /Lineage of/ }).waitFor()],
      [`/models/${gateKey}?tab=card`, () => page.getByRole('heading', { name: /Model card of/ }).waitFor()],
      [`/models/${gateKey}?tab=governance`, () => page.getByRole('heading', { name: 'Reviews' }).waitFor()],
      [
        `/models/${gateKey}?tab=history`,
        () => page.getByRole('cell', { name: 'model.registered' }).waitFor(),
      ],
      ['/reviews', () => page.getByRole('link', { name: gateKey }).first().waitFor()],
      [`/reviews/${reviewId}`, () => page.getByRole('heading', { name: 'Evidence checklist' }).waitFor()],
      ['/findings?state=all', () => page.getByRole('article').first().waitFor()],
      [
        `/gate?model=${gateKey}&version=${gateVersion}&environment=production`,
        () => page.getByRole('heading', { name: /Allowed/ }).waitFor(),
      ],
      ['/admin', () => page.getByRole('tab', { name: 'Audit trail' }).waitFor()],
    ];
    for (const [path, ready] of pages) {
      await page.goto(server.url + path);
      await ready();
      await page.waitForLoadState('networkidle');
      expect(await actionButtons(page), path).toEqual([]);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
