import path from 'node:path';
import type { Command } from 'commander';
import type { DemoMonitoringRun } from '../demo/seed.ts';
import type { MonitoringKpisQueries } from '../governance/alerts/monitoring-kpis.queries.ts';
import { CliError, ExitCode } from './exit.ts';

// Every module of the server is loaded inside the action: registering `serve` must cost nothing to
// the commands that do not run it (`assay --help`, `assay gate`…).
async function loadServerModules() {
  const [seed, bootstrap, clock, config, lock, database, migrate, ticks, server] = await Promise.all([
    import('../demo/seed.ts'),
    import('../platform/auth/bootstrap.ts'),
    import('../platform/clock.ts'),
    import('../platform/config.ts'),
    import('../platform/db/data-dir-lock.ts'),
    import('../platform/db/database.ts'),
    import('../platform/db/migrate.ts'),
    import('../platform/jobs/tick-runner.ts'),
    import('../server.ts'),
  ]);
  return {
    seedDemo: seed.seedDemo,
    bootstrapAdmin: bootstrap.bootstrapAdmin,
    systemClock: clock.systemClock,
    loadConfig: config.loadConfig,
    lockDataDir: lock.lockDataDir,
    openDatabase: database.openDatabase,
    migrateToLatest: migrate.migrateToLatest,
    startTickRunner: ticks.startTickRunner,
    buildServer: server.buildServer,
  };
}

/**
 * `assay serve`: migrates, bootstraps the first admin, seeds the demo on a new store, and listens.
 * Also registers `assay worker`, the same services with no listener (the two server processes).
 */
export function registerServe(program: Command): void {
  registerServeCommand(program);
  registerWorker(program);
}

function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the API server (and console) on the embedded SQLite store or ASSAY_DATABASE_URL')
    .option('--port <n>', 'port (default ASSAY_PORT or 7420)')
    .option('--host <h>', 'interface to bind (default ASSAY_HOST or 127.0.0.1)')
    .option('--data-dir <dir>', 'data directory (default ASSAY_DATA_DIR or ./.assay)')
    .option('--no-seed', 'do not seed the demo portfolio into an empty store')
    .option('--log', 'log every request as JSON lines (errors are always logged, on standard error)')
    .action(
      async (opts: { port?: string; host?: string; dataDir?: string; seed: boolean; log?: boolean }) => {
        const {
          seedDemo,
          bootstrapAdmin,
          systemClock,
          loadConfig,
          lockDataDir,
          openDatabase,
          migrateToLatest,
          startTickRunner,
          buildServer,
        } = await loadServerModules();
        const env = { ...process.env };
        if (opts.port) env.ASSAY_PORT = opts.port;
        if (opts.host) env.ASSAY_HOST = opts.host;
        if (opts.dataDir) env.ASSAY_DATA_DIR = opts.dataDir;
        if (!opts.seed) env.ASSAY_SEED_DEMO = '0';
        const config = loadConfig(env);
        let release = () => {};
        if (!config.databaseUrl) {
          try {
            release = lockDataDir(config.dataDir, config.port);
          } catch (err) {
            throw new CliError((err as Error).message, ExitCode.unavailable);
          }
        }
        const db = openDatabase({
          databaseUrl: config.databaseUrl,
          sqlitePath: path.join(config.dataDir, 'assay.db'),
        });
        let stopTicks = async () => {};
        const stop = async () => {
          await stopTicks().catch(() => {});
          await app.close().catch(() => {});
          await db.close().catch(() => {});
          release();
          process.exit(0);
        };
        await migrateToLatest(db);
        const { app, services } = await buildServer({
          db,
          clock: systemClock,
          config,
          logger: Boolean(opts.log),
        });
        const boot = await bootstrapAdmin(services.identity);
        // The demo's production monitoring (90 days of windows) is computed after the server
        // listens: the rest of the demo is ready in seconds, the monitoring pages fill in meanwhile.
        let demoMonitoring: DemoMonitoringRun | null = null;
        if (boot && config.seedDemo) {
          const seeded = await seedDemo(db, services.identity, new Date(), services.blobs, {
            monitoringDir: path.join(config.dataDir, 'monitoring'),
          });
          process.stderr.write(`Seeded the demo portfolio: ${seeded.summary}\n`);
          demoMonitoring = seeded.monitoring;
        }
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await app.listen({ port: config.port, host: config.host });
        } catch (err) {
          release();
          throw new CliError(
            `cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
            ExitCode.unavailable,
          );
        }
        // Background jobs on PostgreSQL: taken here too unless ASSAY_SERVER_RUNS_JOBS=0 leaves them to
        // `assay worker` processes (on SQLite the server always runs them, started with the services).
        if (config.databaseUrl && config.jobs.serverRuns) await services.jobs.startWorking();
        // While the demo's monitoring story runs on its own clock, the tick leaves monitoring windows
        // alone (it would compute them on today's clock, before the story's traffic has arrived);
        // due jobs, alerts and webhook deliveries run as usual.
        let releaseWindows = () => {};
        if (demoMonitoring)
          services.monitoringRuns.holdScheduledWindows(
            new Promise<void>((resolve) => {
              releaseWindows = resolve;
            }),
          );
        // The workflow scheduler: re-reviews, reminders and expiries (pg-boss on PostgreSQL), with
        // monitoring windows and deliveries; left to the workers too when servers run no jobs.
        if (!config.databaseUrl || config.jobs.serverRuns)
          stopTicks = await startTickRunner({
            databaseUrl: config.databaseUrl,
            intervalMs: config.schedulerIntervalMs,
            tick: () => services.scheduler.runDueJobs(),
            onError: (err) => process.stderr.write(`assay scheduler: ${(err as Error).message}\n`),
          });
        const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
        const store = config.databaseUrl
          ? 'PostgreSQL'
          : `SQLite at ${path.join(config.dataDir, 'assay.db')}`;
        process.stdout.write(`Assay is serving on ${url} (store: ${store})\n`);
        if (boot) {
          process.stdout.write(
            `\nFirst start: created user '${boot.username}' with this admin API token (shown once, store it now):\n\n  ${boot.token}\n\n` +
              `Use it as 'Authorization: Bearer <token>', or: export ASSAY_URL=${url} ASSAY_TOKEN=<token>\n`,
          );
        }
        if (demoMonitoring)
          void runDemoMonitoring(demoMonitoring, services.monitoringKpis, (line) =>
            process.stdout.write(`${line}\n`),
          ).finally(releaseWindows);
      },
    );
}

/** How often the background demo monitoring prints its progress. */
const DEMO_PROGRESS_EVERY_MS = 30_000;

/**
 * Runs the demo's production monitoring after the server listens, saying on the terminal what it
 * does and how far it got, and on the dashboard and monitoring tab (the monitoring KPIs'
 * `backgroundWindows`) that windows are still being computed. Never throws: a failure is reported.
 */
async function runDemoMonitoring(
  demo: DemoMonitoringRun,
  kpis: MonitoringKpisQueries,
  say: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  say(
    `\nThe demo's production monitoring is being computed in the background: ${demo.windows} daily windows ` +
      `(${demo.deployments} deployments x ${demo.windows / demo.deployments} days), with its alerts and incident. ` +
      'The console works meanwhile; its monitoring pages fill in as windows are computed. ' +
      "Until it is done, the scheduler's ticks leave monitoring windows alone.",
  );
  const progress = async () => ({ computed: await demo.computed(), expected: demo.windows });
  kpis.setBackgroundWindows(progress);
  const timer = setInterval(() => {
    void progress()
      .then((p) => say(`demo monitoring: ${p.computed}/${p.expected} windows computed`))
      .catch(() => {});
  }, DEMO_PROGRESS_EVERY_MS);
  timer.unref();
  try {
    const summary = await demo.run();
    say(`Demo monitoring ready in ${Math.round((Date.now() - started) / 1000)} s: ${summary}`);
  } catch (err) {
    process.stderr.write(
      `assay serve: the demo's monitoring stopped before it finished (${(err as Error).message}); ` +
        'its windows are partial. Start on an empty data directory for the whole demo.\n',
    );
  } finally {
    clearInterval(timer);
    kpis.setBackgroundWindows(null);
  }
}

/**
 * `assay worker`: a process with no HTTP listener that takes background jobs (audit package
 * builds requested through /api/v1/jobs) from pg-boss, and the scheduler's ticks (monitoring
 * windows, webhook and alert deliveries, registry syncs, checkpoints), on the PostgreSQL store.
 * Start as many as the load needs; with ASSAY_SERVER_RUNS_JOBS=0 the servers only take requests.
 */
function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'Run background jobs and scheduler ticks from the PostgreSQL store (ASSAY_DATABASE_URL), without serving HTTP',
    )
    .option('--concurrency <n>', 'jobs run at once (default ASSAY_JOB_CONCURRENCY or 2)')
    .option('--no-ticks', 'take jobs only; leave the scheduler ticks to other processes')
    .action(async (opts: { concurrency?: string; ticks: boolean }) => {
      const { systemClock, loadConfig, openDatabase, migrateToLatest, startTickRunner, buildServer } =
        await loadServerModules();
      const env = { ...process.env };
      if (opts.concurrency) env.ASSAY_JOB_CONCURRENCY = opts.concurrency;
      const config = loadConfig(env);
      if (!config.databaseUrl)
        throw new CliError(
          'assay worker needs the PostgreSQL store (ASSAY_DATABASE_URL); on SQLite `assay serve` runs jobs itself',
          ExitCode.badInput,
        );
      const db = openDatabase({ databaseUrl: config.databaseUrl });
      await migrateToLatest(db);
      // The same services as a server (one composition root), with no listener.
      const { app, services } = await buildServer({ db, clock: systemClock, config });
      await services.jobs.startWorking();
      let stopTicks = async () => {};
      if (opts.ticks)
        stopTicks = await startTickRunner({
          databaseUrl: config.databaseUrl,
          intervalMs: config.schedulerIntervalMs,
          tick: () => services.scheduler.runDueJobs(),
          onError: (err) => process.stderr.write(`assay scheduler: ${(err as Error).message}\n`),
        });
      const stop = async () => {
        await stopTicks().catch(() => {});
        await app.close().catch(() => {});
        await db.close().catch(() => {});
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stdout.write(
        `Assay worker ${process.pid} is taking jobs (concurrency ${config.jobs.concurrency}${opts.ticks ? ', scheduler ticks' : ''}) from PostgreSQL\n`,
      );
    });
}
