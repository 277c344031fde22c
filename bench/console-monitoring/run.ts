/**
 * Console monitoring benchmark (issue 16): the monitoring tab of a deployment with 365 daily
 * windows, from navigation to every chart drawn (every point of every check), in Debian's Chromium
 * through Playwright against a real `assay serve` and the production build of the console.
 *
 * The windows are real: the Adult fixture's plan (9 checks, realised and CBPE-estimated ROC AUC),
 * 365 days × 100 scored rows ingested through the API (the first 300 days labelled), every window
 * computed by the engine through POST …/monitoring/run. Seeding takes minutes; it is not timed.
 *
 *   npm run build:web && [ASSAY_BENCH_DIR=dir] node --import tsx bench/console-monitoring/run.ts [days] [runs]
 *
 * With ASSAY_BENCH_DIR the filled store is kept there and later runs only measure.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../../test/e2e/support/browser.ts';
import { ensureConsoleBuilt } from '../../test/e2e/support/build-console.ts';
import { startConsoleServer } from '../../test/e2e/support/console-server.ts';
import { type SeededDeployment, seedMonitoredDeployment } from '../../test/e2e/support/monitoring-seed.ts';

const days = Number(process.argv[2] ?? 365);
const runs = Number(process.argv[3] ?? 7);
const log = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const uptime = () => execSync('uptime').toString().trim();

ensureConsoleBuilt();
// ASSAY_BENCH_DIR keeps the filled store between runs (filling 365 windows takes minutes).
const keep = process.env.ASSAY_BENCH_DIR;
const marker = keep ? path.join(keep, 'bench-console-monitoring.json') : null;
const before: { adminToken: string; seeded: SeededDeployment } | null =
  marker && fs.existsSync(marker) ? JSON.parse(fs.readFileSync(marker, 'utf8')) : null;
if (keep) fs.mkdirSync(keep, { recursive: true });
const server = await startConsoleServer({
  seed: false,
  ...(keep ? { dataDir: keep } : {}),
  ...(before ? { adminToken: before.adminToken } : {}),
});
try {
  let t = performance.now();
  let seeded = before?.seeded;
  if (!seeded) {
    seeded = await seedMonitoredDeployment(server.url, server.adminToken, {
      modelKey: 'bench',
      days,
      perDay: 100,
      labelledDays: Math.round(days * 0.82),
    });
    log(`seeded ${days} windows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (marker) fs.writeFileSync(marker, JSON.stringify({ adminToken: server.adminToken, seeded }));
  }
  const series = await server.api<{ series: { points: unknown[] }[] }>(
    'GET',
    `/api/v1/deployments/${seeded.deploymentId}/monitoring/series`,
  );
  const points = series.series.reduce((n, s) => n + s.points.length, 0);
  log(`${series.series.length} series, ${points} points`);

  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  await context.addInitScript((token) => sessionStorage.setItem('assay.token', token), server.adminToken);
  const page = await context.newPage();
  const url = `${server.url}/models/bench?tab=monitoring&deployment=${encodeURIComponent(seeded.deploymentId)}`;
  /**
   * Waits until every point is drawn; returns how long the page took from the series answer's
   * last byte to that frame (fetching excluded: the render, with the SDK's validation of the answer).
   */
  const drawn = async (): Promise<number> => {
    const handle = await page.waitForFunction(
      (n) => {
        if (
          document.querySelectorAll('[data-testid="deployment-monitoring"] figure[data-chart] circle')
            .length !== n
        )
          return false;
        const series = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/monitoring/series'))
          .pop() as PerformanceResourceTiming | undefined;
        return performance.now() - (series?.responseEnd ?? 0);
      },
      points,
      { timeout: 30_000, polling: 'raf' },
    );
    return (await handle.jsonValue()) as number;
  };
  // Warm the HTTP cache for the static assets once, as a returning user would have it.
  await page.goto(url);
  await drawn();
  const loads: number[] = [];
  const renders: number[] = [];
  log(`before: ${uptime()}`);
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await page.goto(url);
    renders.push(await drawn());
    loads.push(performance.now() - t);
  }
  // The same tab reached in-app (model overview → Monitoring tab), the data already fetched once.
  const tabs: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${server.url}/models/bench`);
    await page.getByRole('tab', { name: 'Monitoring' }).waitFor();
    t = performance.now();
    await page.getByRole('tab', { name: 'Monitoring' }).click();
    renders.push(await drawn());
    tabs.push(performance.now() - t);
  }
  log(`after: ${uptime()}`);
  log(
    `navigation → every chart of ${days} windows drawn (${points} points), median of ${runs}: ${median(loads).toFixed(0)} ms (runs ${loads.map((x) => x.toFixed(0)).join(', ')})`,
  );
  log(
    `tab click → drawn, median of ${runs}: ${median(tabs).toFixed(0)} ms (runs ${tabs.map((x) => x.toFixed(0)).join(', ')})`,
  );
  log(
    `of which the render (series answer received → every point drawn), median of ${renders.length}: ${median(renders).toFixed(0)} ms (runs ${renders.map((x) => x.toFixed(0)).join(', ')})`,
  );
  await browser.close();
} finally {
  await server.stop();
}
