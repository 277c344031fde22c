import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelStatus } from '../contracts/inventory.ts';
import { DatasetsService } from '../governance/inventory/datasets.service.ts';
import { DEFAULT_REQUIRED_FIELDS } from '../governance/inventory/model-rules.ts';
import { type Caller, ModelsService } from '../governance/inventory/models.service.ts';
import { VersionsService } from '../governance/inventory/versions.service.ts';
import type { IdentityService } from '../platform/auth/identity.service.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { seedDemoDocumentation } from './demo-documentation.ts';
import { DEMO_PEOPLE } from './demo-people.ts';
import { DEMO_DATASETS, DEMO_MODELS, type DemoModel } from './demo-portfolio.ts';
import { seedDemoWorkflow } from './demo-workflow.ts';

/** A clock that starts in the past and moves forward a little at every reading, ending before now. */
class SteppingClock implements Clock {
  private t: number;
  constructor(
    start: Date,
    private readonly stepMs: number,
  ) {
    this.t = start.getTime();
  }
  now(): Date {
    this.t += this.stepMs;
    return new Date(this.t);
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

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Where a demo dataset is and its hash: a repository file by its real URL and content hash. */
function datasetLocation(location: string): { locationUri: string; sha256: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(location)) return { locationUri: location, sha256: fakeSha(location) };
  const file = path.join(REPO_ROOT, location);
  return {
    locationUri: pathToFileURL(file).href,
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
  };
}

/**
 * Seeds the demo organisation into an empty store: its people, datasets with lineage, 26 models
 * across statuses with versions and deployments. Runs through the real services, so every record
 * has its audit events; time is spread over the last 18 months so history and "as of" reads show
 * something. Returns a one-line summary.
 */
export async function seedDemoPortfolio(
  db: Db,
  identity: IdentityService,
  now: Date = new Date(),
): Promise<string> {
  const start = new Date(now.getTime() - 540 * 86_400_000);
  const clock = new SteppingClock(start, 2 * 3600_000);
  const models = new ModelsService(db, clock, DEFAULT_REQUIRED_FIELDS);
  const versions = new VersionsService(db, clock, models);
  const datasets = new DatasetsService(db, clock);

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
  return `${DEMO_PEOPLE.length} people, ${DEMO_DATASETS.length} datasets, ${DEMO_MODELS.length} models, ${versionCount} versions, ${deploymentCount} deployments; workflow: ${workflow}`;

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
    const path = PATH[m.status];
    // Versions are added while the model is being developed, deployments once it is approved.
    const preApproval: ModelStatus[] = path.filter((s) => s === 'development' || s === 'validation');
    for (const s of preApproval) await models.transition(caller, m.key, s);
    for (const [i, label] of m.versions.entries()) {
      const current = i === m.versions.length - 1;
      await versions.create(caller, m.key, {
        label,
        artifactUri: m.vendor ? null : `s3://northwind-models/${m.key}/${label}/model.bin`,
        artifactSha256: m.vendor ? null : fakeSha(`${m.key}@${label}`),
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
    for (const s of path.filter((x) => !preApproval.includes(x))) {
      if (s === 'approved' && m.versions.length)
        await versions.freeze(caller, m.key, m.versions[m.versions.length - 1]!);
      if (s === 'retired') continue;
      await models.transition(caller, m.key, s);
    }
    const current = m.versions[m.versions.length - 1];
    if (current) {
      for (const env of m.deployedTo) {
        await versions.deploy(caller, m.key, {
          version: current,
          environment: env,
          endpoint: `https://${env}.ml.northwind.example/${m.key}`,
        });
        deploymentCount++;
      }
    }
    if (m.status === 'retired') {
      // A retired model ran in production once; its deployment ends before it retires.
      if (current)
        await versions.deploy(caller, m.key, { version: current, environment: 'production', endpoint: null });
      const deployed = await versions.deployments(caller, m.key, true);
      for (const d of deployed) await versions.endDeployment(caller, d.id);
      await models.transition(caller, m.key, 'retired', 'Replaced by a newer approach; decommissioned');
    }
  }
}
