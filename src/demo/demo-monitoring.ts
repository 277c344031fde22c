import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlertsService } from '../governance/alerts/alerts.service.ts';
import { SilencesService } from '../governance/alerts/silences.service.ts';
import { IncidentsService } from '../governance/incidents/incidents.service.ts';
import { MonitoringIngestService } from '../governance/monitoring/monitoring-ingest.service.ts';
import { MonitoringPlansService } from '../governance/monitoring/monitoring-plans.service.ts';
import { MonitoringRunsService } from '../governance/monitoring/monitoring-runs.service.ts';
import type { Caller } from '../platform/auth/caller.ts';
import type { Role } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import {
  adultFile,
  type DayShape,
  type DemoPrediction,
  dayPredictions,
  NORMAL_DAY,
  outcomeLog,
  predictionLog,
} from './demo-monitoring-data.ts';
import { demoServices } from './demo-services.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Days of windows the demo computes. */
export const DEMO_MONITORING_DAYS = 90;
/** Labels arrive this many days after the predictions they label. */
const LABEL_DELAY_DAYS = 7;

/** A plan's checks for the census-scored traffic (the plan text is the user's YAML). */
function planText(runbook: string, extraChecks: string): string {
  return `schema: assay.monitoring-plan/v1
columns:
  predictionId: prediction_id
  timestamp: timestamp
  score: score
  label: label
  positiveLabel: '1'
  threshold: 0.5
features: [age, education_num, hr_per_week, capital_gain, sex, race, occupation]
categorical: [sex, race, occupation]
baseline:
  type: reference
window: day
schedule:
  delayMinutes: 60
checks:
  - { kind: drift, metric: psi, feature: age, warning: 0.1, critical: 0.25, forWindows: 2 }
  - { kind: data_quality, metric: missing_share, feature: occupation, warning: 0.02, critical: 0.1 }
  - { kind: volume, metric: rows, warning: 150, critical: 50 }
  - { kind: performance, metric: roc_auc, warning: 0.8, critical: 0.75, minLabelledRows: 100, forWindows: 2 }
  - { kind: estimated_performance, metric: roc_auc, warning: 0.8, critical: 0.75, forWindows: 2 }
${extraChecks}alerting:
  routes: []
  repeatIntervalSeconds: 14400
  runbookUrl: ${runbook}
`;
}

/** One monitored production deployment of the demo and how its traffic behaves, day by day. */
interface MonitoredDeployment {
  model: string;
  prefix: string;
  plan: string;
  /** The traffic of the day `k` days back from the last window (1 = the last window). */
  day(k: number): DayShape;
}

/**
 * The story. income-propensity: an age-drift episode two months ago that resolved by itself; the
 * occupation feed breaking nine days ago (an incident, detected by the missing-share check, mitigated
 * and resolved, with a corrective action); age drift building up over the last week (firing).
 * churn-retail-banking: a traffic drop eight days ago (triaged into a finding); its scores drifting
 * upward for six days (acknowledged and assigned); a new occupation option on purpose (silenced).
 */
export const DEMO_MONITORED: readonly MonitoredDeployment[] = [
  {
    model: 'income-propensity',
    prefix: 'inc',
    plan: planText('https://runbooks.northwind.example/ml/income-propensity', ''),
    day(k) {
      if (k >= 58 && k <= 62) return { ...NORMAL_DAY, drifted: 0.9 };
      if (k === 9 || k === 8) return { ...NORMAL_DAY, occupationMissing: 0.3 };
      // mitigated at 06:00 on the third day: a quarter of the day still broken
      if (k === 7) return { ...NORMAL_DAY, occupationMissing: 0.075 };
      if (k <= 4) return { ...NORMAL_DAY, drifted: 0.4 + 0.2 * (4 - k) };
      return NORMAL_DAY;
    },
  },
  {
    model: 'churn-retail-banking',
    prefix: 'churn',
    plan: planText(
      'https://runbooks.northwind.example/ml/churn-retail-banking',
      `  - { kind: drift, metric: wasserstein_normed, feature: '@prediction', warning: 0.1, critical: 0.3, forWindows: 2 }
  - { kind: data_quality, metric: new_category_share, feature: occupation, warning: 0.01, critical: 0.1 }
`,
    ),
    day(k) {
      const base = { ...NORMAL_DAY, rows: 250 };
      if (k === 8) return { ...base, rows: 40 };
      const shaped = k <= 6 ? { ...base, scoreShift: 1.5 } : base;
      return k <= 3 ? { ...shaped, newOccupation: 0.04 } : shaped;
    },
  },
];

/** A clock the monitoring demo sets: forward only, a second per reading (so events keep their order). */
class StoryClock implements Clock {
  constructor(private t: number) {}
  now(): Date {
    this.t += 1000;
    return new Date(this.t);
  }
  set(t: number): void {
    this.t = Math.max(this.t, t);
  }
}

/**
 * Seeds production monitoring into the demo (after the workflow demo, which released the models):
 * plans for the DEMO_MONITORED deployments, 90 daily windows computed by the engine from resampled
 * UCI Adult traffic (predictions daily, labels a week later), and the alerts and the incident the
 * story makes, worked by the demo's people. Days already past when it starts (`start`, the seed's
 * clock) are ingested as one historical export and backfilled; the rest is played day by day on
 * the scheduler's tick. Segments go under `dir` (the server's `<dataDir>/monitoring`).
 */
export async function seedDemoMonitoring(db: Db, start: Date, now: Date, dir: string): Promise<string> {
  const clock = new StoryClock(start.getTime());
  const { policy, models, findings, reviews } = demoServices(db, clock);
  const plans = new MonitoringPlansService(db, clock, models);
  const ingest = new MonitoringIngestService(db, clock, plans, dir);
  const runs = new MonitoringRunsService(db, clock, plans, ingest);
  const incidents = new IncidentsService(db, clock, findings);
  const alerts = new AlertsService(
    db,
    clock,
    { models, policy, findings, incidents, reviews },
    { allowPrivateRoutes: false },
  );
  const silences = new SilencesService(db, clock);
  runs.setSignalSink(alerts);

  const users = new Map(
    (await db.kysely.selectFrom('users').select(['id', 'username', 'role']).execute()).map((u) => [
      u.username,
      u,
    ]),
  );
  const as = (username: string): Caller => {
    const u = users.get(username);
    if (!u) throw new Error(`demo user '${username}' is missing`);
    return {
      principal: { userId: u.id, username, role: u.role as Role, scope: 'write', tokenId: 'demo-seed' },
      audit: { actor: username, requestId: 'demo-seed' },
    };
  };
  const steward = as('grace.hopper');

  // The last window ends at a midnight at least two hours before `now`; window k spans day k back.
  const end = Math.floor((now.getTime() - 2 * HOUR) / DAY) * DAY;
  const dayStart = (k: number) => end - k * DAY;
  const runAt = (k: number) => dayStart(k) + DAY + HOUR + 5 * 60_000;
  // the days whose run comes after the start are played live; the others are backfilled
  let firstLive = 0;
  for (let k = 1; k <= DEMO_MONITORING_DAYS; k++) if (runAt(k) > clock.now().getTime()) firstLive = k;
  if (firstLive > DEMO_MONITORING_DAYS || firstLive < 10)
    throw new Error(`the monitoring demo starts too late (${start.toISOString()}) for its story`);

  const deployments: (MonitoredDeployment & { id: string; owner: Caller })[] = [];
  for (const m of DEMO_MONITORED) {
    const row = await db.kysely
      .selectFrom('deployments')
      .innerJoin('models', 'models.id', 'deployments.model_id')
      .select('deployments.id')
      .where('models.key', '=', m.model)
      .where('deployments.environment', '=', 'production')
      .where('deployments.ended_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new Error(`demo model '${m.model}' has no production deployment to monitor`);
    deployments.push({ ...m, id: row.id, owner: as((await models.get(steward.principal, m.model)).owner!) });
  }

  const scratch = await mkdtemp(path.join(tmpdir(), 'assay-demo-monitoring-'));
  let files = 0;
  const send = async (caller: Caller, id: string, kind: 'predictions' | 'outcomes', text: string) => {
    const file = path.join(scratch, `${files++}.csv`);
    await writeFile(file, text);
    await ingest.ingest(caller, id, kind, { file, format: 'csv' });
  };
  const traffic = new Map<string, DemoPrediction[]>();
  const day = (d: (typeof deployments)[number], k: number) => {
    const key = `${d.id}:${k}`;
    let p = traffic.get(key);
    if (!p) {
      p = dayPredictions(d.prefix, dayStart(k), d.day(k));
      traffic.set(key, p);
    }
    return p;
  };
  const labelled = new Set<string>();
  /** Ingests the outcomes of every day whose labels have arrived by now. */
  const labelsDue = async (d: (typeof deployments)[number], at: number) => {
    const ks = [];
    for (let k = DEMO_MONITORING_DAYS; k >= 1; k--) {
      const arrives = dayStart(k) + DAY + LABEL_DELAY_DAYS * DAY;
      if (arrives <= at && !labelled.has(`${d.id}:${k}`)) ks.push(k);
    }
    if (ks.length === 0) return;
    for (const k of ks) labelled.add(`${d.id}:${k}`);
    await send(d.owner, d.id, 'outcomes', outcomeLog(ks.flatMap((k) => day(d, k))));
  };

  try {
    // The plans are applied and the reference (the validation holdout) ingested; the logs kept so
    // far arrive as one export and the schedule backfills them.
    for (const d of deployments) {
      await plans.apply(d.owner, d.id, d.plan);
      await ingest.ingest(d.owner, d.id, 'reference', { file: adultFile('reference'), format: 'csv' });
      const past = [];
      for (let k = DEMO_MONITORING_DAYS; k > firstLive; k--) past.push(...day(d, k));
      await send(d.owner, d.id, 'predictions', predictionLog(past));
      await labelsDue(d, clock.now().getTime());
    }
    await runs.runDue();

    const [income, churn] = deployments as [(typeof deployments)[number], (typeof deployments)[number]];
    const firing = async (deploymentId: string, check: string) => {
      const list = await alerts.list(steward, { state: 'firing', deploymentId, limit: 100 });
      const a = list.items.find((x) => x.check === check);
      if (!a) throw new Error(`the demo expected alert ${check} of ${deploymentId} to be firing`);
      return a;
    };
    let incidentId = '';
    for (let k = firstLive; k >= 1; k--) {
      clock.set(dayStart(k) + DAY + 10 * 60_000);
      for (const d of deployments) {
        await send(d.owner, d.id, 'predictions', predictionLog(day(d, k)));
        await labelsDue(d, clock.now().getTime());
      }
      clock.set(runAt(k));
      await runs.runDue();
      const later = (hours: number) => clock.set(runAt(k) + hours * HOUR);
      if (k === 9) {
        later(1.5);
        const a = await firing(income.id, 'data_quality:occupation:missing_share');
        const triaged = await alerts.triage(steward, a.id, {
          to: 'incident',
          title: 'Occupation missing from income-propensity production traffic',
          severity: 'high',
        });
        incidentId = triaged.triageRef!;
        later(2);
        await incidents.transition(income.owner, incidentId, {
          to: 'acknowledged',
          note: 'Looking at the CRM export with the data engineering on-call',
        });
      }
      if (k === 8) {
        later(3);
        await incidents.note(
          as('dev.priya'),
          incidentId,
          'Root cause: the CRM export renamed OCCUPATION_CD in release 5.2; the feature job reads NULL since.',
        );
        const a = await firing(churn.id, 'volume:rows');
        await alerts.triage(steward, a.id, {
          to: 'finding',
          owner: churn.owner.audit.actor,
          title: 'Churn scoring traffic fell to 40 requests in a day',
        });
        later(5);
        await incidents.transition(as('dev.priya'), incidentId, {
          to: 'mitigated',
          note: 'Hotfix: the feature job maps the renamed column; traffic since 06:00 is complete',
        });
      }
      if (k === 6) {
        later(2);
        await incidents.transition(income.owner, incidentId, {
          to: 'resolved',
          note: 'Two clean windows; the missing-share alert resolved',
        });
        await incidents.addAction(steward, incidentId, {
          modelKey: income.model,
          versionLabel: '2.0.0',
          title: 'Contract test on the CRM export feeding occupation',
          description:
            'Post-incident action: a schema contract test on the CRM export so a renamed column fails the pipeline instead of reaching the model as missing values.',
          category: 'data_quality',
          severity: 'medium',
          owner: 'dev.priya',
        });
      }
      if (k === 5) {
        later(2);
        const a = await firing(churn.id, 'drift:@prediction');
        await alerts.acknowledge(
          churn.owner,
          a.id,
          'Scores rising with the autumn campaign; checking the mix',
        );
        await alerts.assign(churn.owner, a.id, 'dev.priya');
      }
      if (k === 4) {
        later(4);
        await silences.create(steward, {
          matchers: { deploymentId: churn.id, check: 'data_quality:occupation:new_category_share' },
          reason: "The onboarding form added 'Gig-platform work' on purpose; the 2.2 retrain maps it",
          endsAt: new Date(end + 14 * DAY).toISOString(),
        });
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return `${deployments.length} monitored deployments, ${await countMonitoringWindows(db)} windows`;
}

/** Windows computed so far in the store (the demo's progress while it seeds: it is the only one computing then). */
export async function countMonitoringWindows(db: Db): Promise<number> {
  const windows = await db.kysely
    .selectFrom('monitoring_windows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(windows.n);
}
