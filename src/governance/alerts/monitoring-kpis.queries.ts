import type { Kysely } from 'kysely';
import type { MonitoringKpis } from '../../contracts/metrics.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import { allIncidentTimes } from '../incidents/incidents.queries.ts';
import { alertTimes, signalledDeployments } from './alerts.store.ts';
import { monitoringKpis } from './monitoring-kpis.ts';

const WEEK = 7 * 86_400_000;

/**
 * Reads what the monitoring KPIs need. A production deployment counts as monitored when
 * `monitoredDeployments` (the monitoring plans' own answer, wired in the composition root) says
 * so, or when it sent check signals in the last 7 days.
 */
export class MonitoringKpisQueries {
  private monitoredDeployments: ((tx: Kysely<Database>) => Promise<ReadonlySet<string>>) | null = null;
  private backgroundWindows: (() => Promise<{ computed: number; expected: number }>) | null = null;

  constructor(
    private readonly db: { kysely: Kysely<Database> },
    private readonly clock: Clock,
  ) {}

  /** Lets monitoring plans say which deployments are monitored (active plan). */
  setMonitoredDeployments(fn: (tx: Kysely<Database>) => Promise<ReadonlySet<string>>): void {
    this.monitoredDeployments = fn;
  }

  /**
   * Says how far windows being computed in the background have got (`assay serve` sets it while the
   * demo's monitoring is seeded after the server listens; null once done).
   */
  setBackgroundWindows(fn: (() => Promise<{ computed: number; expected: number }>) | null): void {
    this.backgroundWindows = fn;
  }

  async compute(): Promise<MonitoringKpis> {
    const k = this.db.kysely;
    const now = this.clock.now();
    const production = await k
      .selectFrom('deployments')
      .select('id')
      .where('environment', '=', 'production')
      .where('ended_at', 'is', null)
      .execute();
    const monitored = new Set(await signalledDeployments(k, new Date(now.getTime() - WEEK).toISOString()));
    if (this.monitoredDeployments) for (const d of await this.monitoredDeployments(k)) monitored.add(d);
    const kpis = monitoringKpis({
      productionDeployments: production.map((d) => d.id),
      monitored,
      alerts: await alertTimes(k),
      incidents: await allIncidentTimes(k),
      now,
    });
    return { ...kpis, backgroundWindows: this.backgroundWindows ? await this.backgroundWindows() : null };
  }
}
