/**
 * Console benchmark (issue 5): with N models (default 100,000) in SQLite, the time from navigation
 * to the first inventory row painted, and from changing a filter to the filtered rows painted,
 * measured in Chromium through Playwright against the real server and the production build.
 *
 *   npm run build:web && node --import tsx bench/console/inventory-paint.ts [models]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrapAdmin } from '../../src/platform/auth/bootstrap.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { buildServer } from '../../src/server.ts';
import { launchBrowser } from '../../test/e2e/support/browser.ts';
import { ensureConsoleBuilt } from '../../test/e2e/support/build-console.ts';
import { fillInventory } from '../inventory/fill.ts';

const models = Number(process.argv[2] ?? 100_000);
const runs = 7;
const log = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

ensureConsoleBuilt();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-console-bench-'));
const db = openDatabase({ sqlitePath: path.join(dir, 'assay.db') });
await migrateToLatest(db);
const { app, services } = await buildServer({
  db,
  clock: systemClock,
  config: { ...loadConfig({}), dataDir: dir },
});
const boot = (await bootstrapAdmin(services.identity))!;
let t = performance.now();
await fillInventory(db, models, () => {});
db.sqlite?.pragma('optimize');
log(`filled ${models.toLocaleString()} models in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
await context.addInitScript((token) => sessionStorage.setItem('assay.token', token), boot.token);
const page = await context.newPage();
// Warm the HTTP cache for the static assets once, as a returning user would have it.
await page.goto(`${base}/inventory`);
await page.locator('tbody tr').first().waitFor();

const firstPaint: number[] = [];
for (let i = 0; i < runs; i++) {
  t = performance.now();
  await page.goto(`${base}/inventory`);
  await page.locator('tbody tr td a').first().waitFor();
  firstPaint.push(performance.now() - t);
}

const filtering: number[] = [];
const statuses = ['production', 'validation', 'development', 'approved', 'retired', 'proposed', 'production'];
for (const status of statuses) {
  t = performance.now();
  await page.getByRole('combobox', { name: 'Status' }).selectOption(status);
  await page.waitForFunction(
    ({ s }) =>
      new URL(window.location.href).searchParams.get('status') === s &&
      !document.querySelector('.vtable-body[style*="opacity: 0.6"]') &&
      // The first painted row has the new status (the status column is the second one by default).
      document.querySelector('tbody tr td:nth-child(2)')?.textContent === s,
    { s: status },
  );
  filtering.push(performance.now() - t);
}

log(
  `first paint of the inventory (navigation → first row), median of ${runs}: ${median(firstPaint).toFixed(0)} ms`,
);
log(
  `filter by status (select → filtered rows painted), median of ${statuses.length}: ${median(filtering).toFixed(0)} ms`,
);
log(
  `runs: paint ${firstPaint.map((x) => x.toFixed(0)).join(', ')}; filter ${filtering.map((x) => x.toFixed(0)).join(', ')}`,
);
await browser.close();
await app.close();
await db.close();
fs.rmSync(dir, { recursive: true, force: true });
