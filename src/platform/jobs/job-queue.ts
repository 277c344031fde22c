import type PgBoss from 'pg-boss';

/** Delivers job ids to a runner; `runJob` throws when the attempt should be delivered again. */
export interface JobQueue {
  send(id: string): Promise<void>;
  /** Starts taking jobs in this process (a worker, or a server on SQLite). */
  work(run: (id: string) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when nothing sent to this process is waiting or running (in-process queue only). */
  idle(): Promise<void>;
}

export const JOB_QUEUE = 'assay-jobs';

/** How jobs travel and who runs them. */
export interface JobQueueOptions {
  /** postgres:// URL (pg-boss), or undefined for SQLite (in this process). */
  databaseUrl: string | undefined;
  /** Seconds a job may run before it is considered lost (its worker died) and delivered again. */
  timeoutSeconds: number;
  /** Attempts in all (the first and the retries). */
  attempts: number;
  /** Jobs run at once in this process. */
  concurrency: number;
  /** Jobs left unfinished by a previous run of this process (SQLite: re-offered on start). */
  unfinished?: () => Promise<string[]>;
  /**
   * PostgreSQL: jobs recorded as queued for a while (the job row is the truth), offered again by
   * every working process every `sweepSeconds`. A job whose row was written but whose pg-boss job
   * was not (the requesting server crashed between the two) is enqueued this way; one that is in
   * pg-boss already is not enqueued twice (its pg-boss id is the job's id).
   */
  orphans?: () => Promise<string[]>;
  sweepSeconds?: number;
  /** PostgreSQL: how often each idle job slot asks pg-boss for a job (seconds; pg-boss has no push). */
  pollSeconds?: number;
  onError?: (err: unknown) => void;
}

/**
 * SQLite: one server per data directory, so jobs run in that process, a few at a time. Jobs left
 * queued or running by a stopped or crashed server are offered again when it starts; a failed
 * attempt is retried after a short delay.
 */
class InProcessQueue implements JobQueue {
  private run: ((id: string) => Promise<void>) | null = null;
  private readonly waiting: string[] = [];
  private active = 0;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: JobQueueOptions) {}

  async send(id: string): Promise<void> {
    this.waiting.push(id);
    this.pump();
  }

  async work(run: (id: string) => Promise<void>): Promise<void> {
    this.run = run;
    for (const id of (await this.options.unfinished?.()) ?? []) this.waiting.push(id);
    this.pump();
  }

  private pump(): void {
    while (this.run && !this.stopped && this.active < this.options.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.active++;
      const p = this.run(id)
        .catch((err) => {
          this.options.onError?.(err);
          if (this.stopped) return;
          const t = setTimeout(() => {
            this.timers.delete(t);
            void this.send(id);
          }, 1000);
          t.unref();
          this.timers.add(t);
        })
        .finally(() => {
          this.active--;
          this.inFlight.delete(p);
          this.pump();
        });
      this.inFlight.add(p);
    }
  }

  async idle(): Promise<void> {
    while (this.run && !this.stopped && (this.waiting.length > 0 || this.inFlight.size > 0))
      await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled([...this.inFlight]);
  }
}

/**
 * PostgreSQL: pg-boss in the store's database (schema assay_jobs). Every process sends; workers
 * (and servers unless told not to) work the queue. A job whose worker dies stays active until its
 * timeout, then pg-boss's maintenance puts it back for another attempt.
 */
class PgBossQueue implements JobQueue {
  private sweeper: NodeJS.Timeout | null = null;

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: JobQueueOptions,
  ) {}

  static async open(options: JobQueueOptions): Promise<PgBossQueue> {
    const { default: PgBoss } = await import('pg-boss');
    const boss = new PgBoss({
      connectionString: options.databaseUrl!,
      schema: 'assay_jobs',
      // No pg-boss cron schedules here (the scheduler has its own tick runner): without this every
      // process would poll pg-boss's cron queue every 5 s and check its schedules every 30 s.
      schedule: false,
      // Expired jobs (a dead worker's) are found by maintenance: run it well within the timeout.
      maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(options.timeoutSeconds / 2))),
    });
    boss.on('error', (err) => options.onError?.(err));
    await boss.start();
    await boss.createQueue(JOB_QUEUE, {
      name: JOB_QUEUE,
      retryLimit: Math.max(0, options.attempts - 1),
      retryDelay: 1,
      expireInSeconds: options.timeoutSeconds,
    });
    return new PgBossQueue(boss, options);
  }

  /** The pg-boss job's id is the job's: sending a job twice enqueues it once (ON CONFLICT DO NOTHING). */
  async send(id: string): Promise<void> {
    await this.boss.send(JOB_QUEUE, { id }, { id });
  }

  /** Enqueues the queued jobs that may have no pg-boss job (the outbox sweep); returns how many were new. */
  async sweep(): Promise<number> {
    const ids = (await this.options.orphans?.()) ?? [];
    if (ids.length === 0) return 0;
    let added = 0;
    for (const id of ids) if ((await this.boss.send(JOB_QUEUE, { id }, { id })) !== null) added++;
    return added;
  }

  async work(run: (id: string) => Promise<void>): Promise<void> {
    const sweep = () =>
      this.sweep()
        .then((n) => {
          if (n > 0) this.options.onError?.(new Error(`enqueued ${n} job(s) the queue had lost`));
        })
        .catch((err) => this.options.onError?.(err));
    await sweep();
    this.sweeper = setInterval(sweep, 1000 * (this.options.sweepSeconds ?? 30));
    this.sweeper.unref();
    // pg-boss runs one batch at a time per subscription: one subscription per concurrent job.
    for (let i = 0; i < this.options.concurrency; i++)
      await this.boss.work<{ id: string }>(
        JOB_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: this.options.pollSeconds ?? 1 },
        async (batch: PgBoss.Job<{ id: string }>[]) => {
          for (const job of batch) await run(job.data.id);
        },
      );
  }

  /** Jobs here are other processes' too: nothing to wait for locally. */
  async idle(): Promise<void> {}

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

/** The queue for this store: pg-boss on PostgreSQL, this process on SQLite. */
export async function openJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  return options.databaseUrl ? PgBossQueue.open(options) : new InProcessQueue(options);
}
