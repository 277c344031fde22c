import type { ModelCreate } from '../../contracts/inventory.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import { ReconciliationQueries } from './reconciliation.queries.ts';
import {
  observedPrefill,
  type ReconItem,
  type ReconRegistryModel,
  reconcile,
  registryPrefill,
} from './reconciliation-rules.ts';
import { RegistrySyncStore } from './registry-sync.store.ts';

/** A deployment some system saw serving that the inventory does not know (e.g. monitoring ingestion). */
export interface ObservedDeployment {
  deploymentId: string;
  endpoint?: string | null;
  firstSeenAt?: string | null;
  lastSeenAt?: string | null;
}

/** A source of observed deployments, wired by the composition root (monitoring's unknown ids, …). */
export interface DeploymentObservationSource {
  readonly name: string;
  unknownDeployments(): Promise<ObservedDeployment[]>;
}

/**
 * The inventory-completeness report: every model is registered and deployed, registered but not
 * deployed, or deployed but not registered (a shadow model: in an ML registry, or seen serving,
 * but not in the inventory); and the one-click registration that pre-fills what is known.
 */
export class ReconciliationService {
  private readonly queries: ReconciliationQueries;
  private readonly registry: RegistrySyncStore;
  private readonly sources: DeploymentObservationSource[] = [];

  constructor(
    db: Db,
    private readonly models: ModelsService,
    /** Registers the version and deployment of a shadow seen serving (composition root). */
    private readonly versions: Pick<VersionsService, 'create' | 'deploy'>,
  ) {
    this.queries = new ReconciliationQueries(db.kysely);
    this.registry = new RegistrySyncStore(db.kysely);
  }

  /** Adds a source of observed deployments (composition root). */
  addObservationSource(source: DeploymentObservationSource): void {
    this.sources.push(source);
  }

  private authorize(caller: Caller): void {
    if (decide(caller.principal, 'connector.read') !== 'allow')
      throw new ForbiddenError(`your role '${caller.principal.role}' may not read the reconciliation report`);
  }

  async report(caller: Caller): Promise<{ items: ReconItem[]; counts: Record<string, number> }> {
    this.authorize(caller);
    const [models, artifacts, deployments, entries] = await Promise.all([
      this.queries.models(),
      this.queries.versionArtifacts(),
      this.queries.openDeployments(),
      this.registry.allEntries(),
    ]);
    const observed: { source: string; deployment: ObservedDeployment }[] = [];
    for (const s of this.sources)
      for (const d of await s.unknownDeployments()) observed.push({ source: s.name, deployment: d });
    const items = reconcile({ models, artifacts, deployments, registry: groupEntries(entries), observed });
    const counts: Record<string, number> = {
      registered_and_deployed: 0,
      registered_not_deployed: 0,
      deployed_not_registered: 0,
    };
    for (const i of items) counts[i.category] = (counts[i.category] ?? 0) + 1;
    return { items, counts };
  }

  /**
   * Registers a shadow model with what is known pre-filled (the caller may override any field). A
   * shadow an observation source saw serving also gets its deployment, under the id that was seen
   * (a version `observed` deployed in environment `observed` unless told otherwise), so the id is
   * no longer unknown: later ingestion lands on it and the report shows it registered and deployed.
   */
  async register(
    caller: Caller,
    input: {
      source: string;
      externalId: string;
      overrides: Partial<ModelCreate>;
      deployment?: { version?: string; environment?: string; endpoint?: string | null } | undefined;
    },
  ): Promise<Awaited<ReturnType<ModelsService['register']>>> {
    if (decide(caller.principal, 'connector.manage') !== 'allow')
      throw new ForbiddenError(
        `your role '${caller.principal.role}' may not register models from a connector`,
      );
    const { items } = await this.report(caller);
    const item = items.find(
      (i) =>
        i.category === 'deployed_not_registered' &&
        i.sources.some((s) => s.source === input.source && s.id === input.externalId),
    );
    if (!item) throw new NotFoundError('shadow model', `${input.source}:${input.externalId}`);
    const prefill = item.prefill;
    if (!prefill) throw new ValidationError('nothing is known to pre-fill this model', 'externalId');
    const observed = this.sources.some((s) => s.name === input.source);
    if (input.deployment && !observed)
      throw new ValidationError(
        `'${input.source}' is a registry, not a source that saw a deployment serving: register the model, then deploy it`,
        'deployment',
      );
    const model = await this.models.register(caller, { ...prefill, ...input.overrides } as ModelCreate);
    if (!observed) return model;
    const version = input.deployment?.version ?? 'observed';
    await this.versions.create(caller, model.key, {
      label: version,
      changeSummary: `Registered from the deployment '${input.externalId}' ${input.source} saw serving`,
    });
    await this.versions.deploy(caller, model.key, {
      id: input.externalId,
      version,
      environment: input.deployment?.environment ?? 'observed',
      endpoint: input.deployment?.endpoint ?? null,
    });
    return this.models.get(caller.principal, model.key);
  }
}

function groupEntries(entries: Awaited<ReturnType<RegistrySyncStore['allEntries']>>): ReconRegistryModel[] {
  const by = new Map<string, ReconRegistryModel>();
  for (const e of entries) {
    if (e.removed_at) continue;
    const key = `${e.source}\u0000${e.external_id}`;
    let m = by.get(key);
    if (!m) {
      m = { source: e.source, name: e.external_id, description: null, tags: {}, versions: [] };
      by.set(key, m);
    }
    const payload = JSON.parse(e.payload_json) as Record<string, unknown>;
    if (e.version === '') {
      m.description =
        typeof payload.description === 'string' && payload.description ? payload.description : null;
      for (const t of (payload.tags as { key: string; value?: string }[] | undefined) ?? [])
        m.tags[t.key] = t.value ?? '';
    } else {
      m.versions.push({
        version: e.version,
        artifactUri: e.artifact_uri,
        aliases: JSON.parse(e.aliases_json) as string[],
        stage: typeof payload.current_stage === 'string' ? payload.current_stage : null,
      });
    }
  }
  return [...by.values()];
}

export { observedPrefill, registryPrefill };
