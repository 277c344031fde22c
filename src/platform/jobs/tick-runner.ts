/** How to run the scheduler's tick: which store, how often, and the tick itself. */
export interface TickRunnerOptions {
  /** postgres:// URL, or undefined for the embedded SQLite store (in-process timer). */
  databaseUrl: string | undefined;
  intervalMs: number;
  tick: () => Promise<unknown>;
  onError?: (err: unknown) => void;
}

const QUEUE = 'assay-scheduler-tick';

/**
 * Starts periodic ticks and returns how to stop them. On SQLite (one server per data directory)
 * a timer in this process suffices. On PostgreSQL, where several server processes may share the
 * store, every process offers a tick job to pg-boss with one singleton key per interval slot, so
 * each slot runs once in the whole cluster; the fired-job keys in the store guard exactly-once
 * on top of that.
 */
export async function startTickRunner(options: TickRunnerOptions): Promise<() => Promise<void>> {
  const report = options.onError ?? (() => {});
  if (options.intervalMs <= 0) return async () => {};
  if (!options.databaseUrl) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      options
        .tick()
        .catch(report)
        .finally(() => {
          running = false;
        });
    }, options.intervalMs);
    timer.unref();
    return async () => clearInterval(timer);
  }
  // Loaded only on PostgreSQL: SQLite installs never pay for it.
  const { default: PgBoss } = await import('pg-boss');
  // The process's job queue (job-queue.ts: every process that ticks also takes jobs) runs pg-boss's
  // maintenance for the schema; this instance only offers and takes ticks (no cron, no supervision).
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: 'assay_jobs',
    schedule: false,
    supervise: false,
  });
  boss.on('error', report);
  await boss.start();
  await boss.createQueue(QUEUE, { name: QUEUE, policy: 'singleton' });
  await boss.work(
    QUEUE,
    { pollingIntervalSeconds: Math.max(1, Math.round(options.intervalMs / 2000)) },
    async () => {
      await options.tick();
    },
  );
  const seconds = Math.max(1, Math.round(options.intervalMs / 1000));
  const offer = () => {
    boss.send(QUEUE, {}, { singletonKey: 'tick', singletonSeconds: seconds }).catch(report);
  };
  offer();
  const timer = setInterval(offer, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  };
}
