import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importResultFile } from '../../src/governance/genai/import-file.ts';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signInWithToken,
} from './support/browser.ts';
import { ensureConsoleBuilt } from './support/build-console.ts';
import { type ConsoleServer, startConsoleServer } from './support/console-server.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/genai');

/**
 * GenAI evaluation evidence on the version's report page (issue 20), in a real Chromium against a
 * real server: two versions with `assay redteam` runs from the committed transcripts (the scripted
 * server's well-behaved and badly behaved variants), so the second version shows regressions.
 */
describe('console: GenAI evaluation evidence (real server, real Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [server, browser] = await Promise.all([startConsoleServer({ seed: false }), launchBrowser()]);
    await server.api('POST', '/api/v1/models', { key: 'bot', name: 'Support bot', type: 'llm_application' });
    for (const [label, fixture] of [
      ['1.0.0', 'redteam/good-1.0.0.jsonl'],
      ['2.0.0', 'redteam/bad-2.0.0.jsonl'],
    ] as const) {
      await server.api('POST', '/api/v1/models/bot/versions', { label });
      const doc = await importResultFile(readFileSync(path.join(FIXTURES, fixture)), { text: 'failed' });
      const form = new FormData();
      form.append('metadata', JSON.stringify({ type: 'genai_evaluation', title: 'GenAI evaluation' }));
      form.append('file', new Blob([JSON.stringify(doc)], { type: 'application/json' }), 'genai.json');
      const res = await fetch(`${server.url}/api/v1/models/bot/versions/${label}/evidence`, {
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

  it('shows rates with Wilson intervals per taxonomy, the regressions against 1.0.0 and the failed examples', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/models/bot/versions/2.0.0/report');
    const panel = page.getByTestId('genai');
    const regressions = panel.getByRole('alert');
    await regressions.waitFor();
    await expect(regressions.textContent()).resolves.toMatch(/16 regressions against version 1\.0\.0/);
    await expect(regressions.textContent()).resolves.toContain(
      'assay-redteam: owasp-llm:2025:LLM01 (Prompt Injection): 0/9 → 9/9',
    );
    const llm = panel.getByRole('table', { name: /OWASP Top 10 for LLM Applications 2025/ });
    const row = llm.getByRole('row', { name: /LLM07/ });
    await expect(row.textContent()).resolves.toMatch(
      /4 \/ 4\s*100\.0%\s*51\.0% – 100\.0%\s*regression was 0\.0%/,
    );
    await panel.getByLabel('Taxonomy').selectOption('atlas');
    const atlas = panel.getByRole('table', { name: /MITRE ATLAS/ });
    await expect(atlas.getByRole('row', { name: /AML\.T0056/ }).textContent()).resolves.toMatch(
      /Extract LLM System Prompt/,
    );
    expect(await panel.getByRole('table', { name: /OWASP Top 10 for LLM/ }).count()).toBe(0);
    await panel.getByText(/Failed examples \(20 of 25, redacted\)/).click();
    await expect(panel.locator('details').textContent()).resolves.toMatch(/system-prompt-leak/);
    await screenshot(page, 'genai-evidence');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('says there is nothing to compare on the first version, and no regressions the other way', async () => {
    const { page, errors } = await openPage(browser);
    await signInWithToken(page, server.url, server.adminToken, '/models/bot/versions/1.0.0/report');
    const panel = page.getByTestId('genai');
    await panel.getByText('No earlier version to compare with.').waitFor();
    await expect(
      panel
        .getByRole('table', { name: /OWASP Top 10 for LLM/ })
        .getByRole('row', { name: /LLM01/ })
        .textContent(),
    ).resolves.toMatch(/0 \/ 9\s*0\.0%\s*0\.0% – 29\.9%/);
    expect(errors).toEqual([]);
  });
});
