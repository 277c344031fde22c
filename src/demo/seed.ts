import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelStatus } from '../contracts/inventory.ts';
import { VersionsService } from '../governance/inventory/versions.service.ts';
import type { Caller } from '../platform/auth/caller.ts';
import type { IdentityService } from '../platform/auth/identity.service.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { BlobStore } from '../platform/blob-store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { installRoot } from '../platform/install-root.ts';
import { seedDemoDocumentation } from './demo-documentation.ts';
import { daysAfter, LEGACY_EXCEPTIONS, recordLegacyException, WORKFLOW_APPROVED } from './demo-exceptions.ts';
import { seedDemoGenAi } from './demo-genai.ts';
import { demoArtifact, seedDemoModelEvidence } from './demo-model-evidence.ts';
import {
  countMonitoringWindows,
  DEMO_MONITORED,
  DEMO_MONITORING_DAYS,
  seedDemoMonitoring,
} from './demo-monitoring.ts';
import { DEMO_PEOPLE } from './demo-people.ts';
import { DEMO_DATASETS, DEMO_MODELS, type DemoModel } from './demo-portfolio.ts';
import { demoServices } from './demo-services.ts';
import { seedDemoWorkflow } from './demo-workflow.ts';

/** A clock that starts in the past and moves forward a little at every reading, ending before now. */
class SteppingClock implements Clock {
  private t: number;
  constructor(
    start: Date,
    private stepMs: number,
  ) {
    this.t = start.getTime();
  }
  now(): Date {
    this.t += this.stepMs;
    return new Date(this.t);
  }
  /** From now on, each reading moves the clock by `ms` (the evidence seeded last takes minutes, not days). */
  stepBy(ms: number): void {
    this.stepMs = ms;
  }
  /** Jumps forward to `t`, never back (the workflow demo lets months pass). */
  advanceTo(t: Date): void {
    this.t = Math.max(this.t, t.getTime());
  }
}

/** The lifecycle path from `proposed` to each demo status. */
const PATH: Record<ModelStatus, readonly ModelStatus[]> = {
  proposed: [],
  development: ['development'],
  validation: ['development', 'validation'],
  approved: ['development', 'validation', 'approved'],
  production: ['development', 'validation', 'approved', 'production'],
  retired: ['development', 'validation', 'approved', 'production', 'retired'],
};

function fakeSha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Where a demo dataset is and its hash: a repository file by its real URL and content hash. */
function datasetLocation(location: string): { locationUri: string; sha256: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(location)) return { locationUri: location, sha256: fakeSha(location) };
  const file = path.join(installRoot(), location);
  return {
    locationUri: pathToFileURL(file).href,
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
  };
}

/** The demo as seeded so far, and its production monitoring still to compute (when asked for). */
export interface DemoSeed {
  /** One line: what was seeded. */
  summary: string;
  /** The monitoring story (plans, 90 days of windows, alerts, the incident), still to run; null without `monitoringDir`. */
  monitoring: DemoMonitoringRun | null;
}

/** The demo's production monitoring, left to run after the rest of the seed (`assay serve` runs it in the background). */
export interface DemoMonitoringRun {
  /** Deployments the story monitors. */
  deployments: number;
  /** Windows it computes in all (deployments x DEMO_MONITORING_DAYS). */
  windows: number;
  /** Windows computed so far (progress while it runs). */
  computed(): Promise<number>;
  /** Runs the story; returns its one-line summary. Call once. */
  run(): Promise<string>;
}

/**
 * Seeds the demo organisation into an empty store: its people, datasets with lineage, 26 models
 * across statuses with versions and deployments. Runs through the real services, so every record
 * has its audit events; time is spread over the last 18 months so history and "as of" reads show
 * something. The models with a real ONNX artifact (data/models/) get explanation and stress
 * evidence computed by the engine, and the GenAI assistant its red-team runs, when `blobStore` (the
 * server's blob store, where the evidence files go) is given. With `options.monitoringDir` (the server's `<dataDir>/monitoring`) it also seeds
 * production monitoring: plans, 90 days of windows, alerts and an incident (demo-monitoring.ts).
 * Returns a one-line summary. (`seedDemo` is the same, leaving the monitoring to run later.)
 */
export async function seedDemoPortfolio(
  db: Db,
  identity: IdentityService,
  now: Date = new Date(),
  /** The server's blob store: evidence computed from the demo models and the GenAI evaluation files go there (demo-model-evidence.ts, demo-genai.ts). */
  blobStore?: BlobStore,
  /** With `monitoringDir` (the server's `<dataDir>/monitoring`), production monitoring is seeded too. */
  options: { monitoringDir?: string } = {},
): Promise<string> {
  const seed = await seedDemo(db, identity, now, blobStore, options);
  return seed.monitoring ? `${seed.summary}; monitoring: ${await seed.monitoring.run()}` : seed.summary;
}

/**
 * Seeds everything `seedDemoPortfolio` does except the production monitoring, which it returns to
 * run (its story keeps its own clock, so it gives the same demo whenever it runs, as long as
 * nothing else computes windows meanwhile: `assay serve` holds the scheduler's windows until it is done).
 */
export async function seedDemo(
  db: Db,
  identity: IdentityService,
  now: Date = new Date(),
  blobStore?: BlobStore,
  options: { monitoringDir?: string } = {},
): Promise<DemoSeed> {
  const start = new Date(now.getTime() - 540 * 86_400_000);
  const clock = new SteppingClock(start, 2 * 3600_000);
  const { policy, models, datasets, exceptions, evidence, blobs } = demoServices(db, clock, blobStore);
  // The production gate (legacy deployments ask it) reads the policy.
  await policy.ensureDefault({ actor: 'system', requestId: 'demo-seed' });
  // The portfolio's own versions open no change reviews (the workflow demo opens the one it shows).
  const versions = new VersionsService(db, clock, models);

  const system = { actor: 'system', requestId: 'demo-seed' };
  const ids = new Map<string, string>();
  for (const p of DEMO_PEOPLE) {
    const user = await identity.createUser(system, {
      username: p.username,
      displayName: p.displayName,
      role: p.role,
      email: p.email,
      ...(process.env.ASSAY_DEMO_PASSWORD ? { password: process.env.ASSAY_DEMO_PASSWORD } : {}),
    });
    ids.set(p.username, user.id);
  }
  const steward: Principal = {
    userId: ids.get('grace.hopper')!,
    username: 'grace.hopper',
    role: 'governance',
    scope: 'write',
    tokenId: 'demo-seed',
  };
  const caller: Caller = { principal: steward, audit: { actor: steward.username, requestId: 'demo-seed' } };
  const person = (username: string, role: Principal['role']): Caller => ({
    principal: { userId: ids.get(username)!, username, role, scope: 'write', tokenId: 'demo-seed' },
    audit: { actor: username, requestId: 'demo-seed' },
  });

  const datasetIds = new Map<string, string>();
  for (const d of DEMO_DATASETS) {
    const created = await datasets.create(caller, {
      name: d.name,
      role: d.role,
      ...datasetLocation(d.location),
      rowCount: d.rows,
      owner: 'grace.hopper',
      containsPii: d.pii.length > 0,
      piiColumns: [...d.pii],
      derivedFrom: d.derivedFrom.map((n) => datasetIds.get(n)!),
      retentionNote: d.pii.length
        ? 'Retain 7 years after account closure, then delete (GDPR Art. 5(1)(e))'
        : null,
    });
    datasetIds.set(d.name, created.id);
  }

  let versionCount = 0;
  let deploymentCount = 0;
  for (const m of DEMO_MODELS) {
    await seedModel(m);
  }
  await seedDemoDocumentation(db, clock, caller);
  const workflow = await seedDemoWorkflow(db, clock, now);
  // What follows happens within minutes of the workflow's end, so the monitoring story keeps its
  // days before `now` however many readings the evidence below takes.
  clock.stepBy(60_000);
  // Evidence files need the server's blob store (the package and the console read them from it).
  const modelEvidence = blobStore
    ? await seedDemoModelEvidence(evidence, blobs, clock, (u) => person(u, 'validator'))
    : 0;
  const genai = blobStore
    ? `; ${await seedDemoGenAi(db, clock, { models, versions, blobs: blobStore }, { developer: person('dev.priya', 'developer'), validator: person('val.wen', 'validator') })}`
    : '';
  const monitoringDir = options.monitoringDir;
  const monitoringStart = clock.now();
  let ran = false;
  return {
    summary: `${DEMO_PEOPLE.length} people, ${DEMO_DATASETS.length} datasets, ${DEMO_MODELS.length} models, ${versionCount} versions, ${deploymentCount} deployments; workflow: ${workflow}; ${modelEvidence} evidence from the models themselves${genai}`,
    monitoring: monitoringDir
      ? {
          deployments: DEMO_MONITORED.length,
          windows: DEMO_MONITORED.length * DEMO_MONITORING_DAYS,
          computed: () => countMonitoringWindows(db),
          run() {
            if (ran) throw new Error('the demo monitoring has run already');
            ran = true;
            return seedDemoMonitoring(db, monitoringStart, now, monitoringDir);
          },
        }
      : null,
  };

  async function seedModel(m: DemoModel): Promise<void> {
    await models.register(caller, {
      key: m.key,
      name: m.name,
      description: m.description,
      purpose: m.purpose,
      intendedUse: m.intendedUse,
      intendedUsers: m.intendedUsers,
      outOfScopeUses: m.outOfScopeUses,
      type: m.type,
      businessUnit: m.businessUnit,
      owner: m.owner,
      developers: m.developers,
      vendor: m.vendor,
      vendorName: m.vendorName ?? null,
      genai: m.genai,
      decisionImpact: m.decisionImpact,
      tags: m.tags,
      links: m.repository ? { repository: m.repository } : {},
    });
    if (m.validators.length) {
      await models.setRelations(caller, m.key, {
        owner: m.owner,
        developers: m.developers,
        validators: m.validators,
      });
    }
    // Models the workflow demo approves stop at validation here: their decisions (and, for
    // production, the gate) move them on. The others are legacy models approved or in production
    // before Assay: they stand on a recorded exception.
    const governed = WORKFLOW_APPROVED.has(m.key);
    const path = governed
      ? PATH[m.status].filter((s) => s === 'development' || s === 'validation')
      : PATH[m.status];
    // Versions are added while the model is being developed, deployments once it is approved.
    const preApproval: ModelStatus[] = path.filter((s) => s === 'development' || s === 'validation');
    for (const s of preApproval) await models.transition(caller, m.key, s);
    for (const [i, label] of m.versions.entries()) {
      const current = i === m.versions.length - 1;
      // A version with a real artifact in data/models/ registers that file and its SHA-256.
      const artifact = demoArtifact(m.key, label);
      await versions.create(caller, m.key, {
        label,
        artifactUri:
          artifact?.artifactUri ?? (m.vendor ? null : `s3://northwind-models/${m.key}/${label}/model.bin`),
        artifactSha256: artifact?.artifactSha256 ?? (m.vendor ? null : fakeSha(`${m.key}@${label}`)),
        codeRepo: m.repository ?? null,
        codeCommit: m.repository ? fakeSha(`${m.key}:${label}:commit`).slice(0, 12) : null,
        changeSummary:
          i === 0
            ? 'Initial version'
            : `Retrained on refreshed data; ${current ? 'current candidate' : 'superseded'}`,
        materialChange: i > 0 && i % 2 === 0,
        trainingDatasetIds: current ? (m.trainedOn ?? []).map((n) => datasetIds.get(n)!) : [],
        evaluationDatasetIds: current ? (m.evaluatedOn ?? []).map((n) => datasetIds.get(n)!) : [],
      });
      versionCount++;
      if (i > 0) await versions.supersede(caller, m.key, m.versions[i - 1]!, label);
    }
    const current = m.versions[m.versions.length - 1];
    const legacy = LEGACY_EXCEPTIONS.find((e) => e.key === m.key);
    if (legacy && current) {
      await recordLegacyException(exceptions, person(m.owner, 'owner'), person('gov.tariq', 'governance'), {
        key: m.key,
        version: current,
        status: m.status,
        reason: legacy.reason,
        until: daysAfter(clock.now(), 360),
        approve: true,
        note: 'Legacy model: recorded so that its status stands on something; validation to follow',
      });
    }
    for (const s of path.filter((x) => !preApproval.includes(x))) {
      if (s === 'approved' && m.versions.length)
        await versions.freeze(caller, m.key, m.versions[m.versions.length - 1]!);
      if (s === 'retired') continue;
      await models.transition(caller, m.key, s);
    }
    if (current) {
      // A production deployment of a governed model waits for its approval (the workflow demo).
      for (const env of m.deployedTo.filter((e) => !governed || e !== 'production')) {
        await versions.deploy(caller, m.key, {
          version: current,
          environment: env,
          endpoint: `https://${env}.ml.northwind.example/${m.key}`,
        });
        deploymentCount++;
      }
    }
    if (m.status === 'retired') {
      // A retired model ran in production once; retiring it ends that deployment.
      if (current)
        await versions.deploy(caller, m.key, { version: current, environment: 'production', endpoint: null });
      await models.transition(caller, m.key, 'retired', 'Replaced by a newer approach; decommissioned');
    }
  }
}
