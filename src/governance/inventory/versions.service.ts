import type { Kysely } from 'kysely';
import type { Deployment, Version, VersionCreate } from '../../contracts/inventory.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  DeploymentsTable,
  ModelsTable,
  ModelVersionsTable,
} from '../../platform/db/tables/inventory.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { existingDatasetIds } from './datasets.store.ts';
import { deploymentView } from './deployments.ts';
import type { ModelsService } from './models.service.ts';
import { deploymentRefusal, supersedeCycle } from './version-rules.ts';
import {
  datasetLinksOf,
  deploymentById,
  deploymentsOfModel,
  endDeploymentRow,
  freezeVersionRow,
  insertDeployment,
  insertVersion,
  replaceDatasetLinks,
  runningDeploymentSlots,
  supersedeChainOf,
  supersedeVersionRow,
  updateVersion,
  versionByLabel,
  versionsOfModel,
  versionView,
} from './versions.store.ts';

type VersionPatch = Omit<Partial<VersionCreate>, 'label'>;

/**
 * Called inside the transaction that creates a version (the workflow opens a change review on a
 * material change there): a listener that fails rolls the version back too, so the version and
 * what it triggers are saved together or not at all.
 */
export type VersionCreatedListener = (event: {
  tx: Kysely<Database>;
  model: ModelsTable;
  version: Version;
  audit: AuditContext;
}) => Promise<void> | void;

/** Model versions and their deployments. */
export class VersionsService {
  private readonly listeners: VersionCreatedListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly models: ModelsService,
  ) {}

  /** Subscribes to new versions. */
  onVersionCreated(listener: VersionCreatedListener): void {
    this.listeners.push(listener);
  }

  /** Tells the subscribers about versions created outside `create` (bulk import), in the same transaction. */
  async announceCreated(
    tx: Kysely<Database>,
    events: readonly Omit<Parameters<VersionCreatedListener>[0], 'tx'>[],
  ): Promise<void> {
    for (const event of events) for (const l of this.listeners) await l({ ...event, tx });
  }

  /** The API view of version rows. */
  async views(
    model: ModelsTable,
    rows: readonly ModelVersionsTable[],
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<Version[]> {
    if (rows.length === 0) return [];
    const links = await datasetLinksOf(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => versionView(model.key, r, links));
  }

  /** A version row by model and label. */
  async find(
    model: ModelsTable,
    label: string,
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<ModelVersionsTable> {
    const row = await versionByLabel(tx, model.id, label);
    if (!row) throw new NotFoundError('version', `${model.key}@${label}`);
    return row;
  }

  /** Versions of a model, oldest first. */
  async list(caller: Caller, key: string): Promise<Version[]> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    return this.views(model, await versionsOfModel(this.db.kysely, model.id));
  }

  async get(caller: Caller, key: string, label: string): Promise<Version> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    return (await this.views(model, [await this.find(model, label)]))[0]!;
  }

  /** Adds a version to a model. */
  async create(caller: Caller, key: string, input: VersionCreate): Promise<Version> {
    const now = this.clock.now().toISOString();
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'version.write', tx);
      if (model.status === 'retired')
        throw new ConflictError(`model '${key}' is retired; it takes no new versions`);
      if (await versionByLabel(tx, model.id, input.label)) {
        throw new ConflictError(`version '${input.label}' of '${key}' already exists`, { field: 'label' });
      }
      const row: ModelVersionsTable = {
        id: newId(),
        model_id: model.id,
        label: input.label,
        artifact_uri: input.artifactUri ?? null,
        artifact_sha256: input.artifactSha256 ?? null,
        code_repo: input.codeRepo ?? null,
        code_commit: input.codeCommit ?? null,
        registry_ref: input.registryRef ?? null,
        change_summary: input.changeSummary ?? null,
        material_change: input.materialChange ? 1 : 0,
        status: 'active',
        superseded_by: null,
        frozen_at: null,
        created_by: caller.principal.username,
        created_at: now,
        updated_at: now,
        row_version: 1,
      };
      await insertVersion(tx, row);
      await this.setDatasets(tx, row.id, input.trainingDatasetIds ?? [], input.evaluationDatasetIds ?? []);
      const [after] = await this.views(model, [row], tx);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'version.created',
        entityType: 'version',
        entityId: row.id,
        modelId: model.id,
        after,
      });
      for (const l of this.listeners) await l({ tx, model, version: after!, audit: caller.audit });
      return after!;
    });
  }

  /** Edits a version; frozen versions refuse. */
  async update(
    caller: Caller,
    key: string,
    label: string,
    patch: VersionPatch,
    ifMatch?: number,
  ): Promise<Version> {
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'version.write', tx);
      const row = await this.find(model, label, tx);
      if (row.frozen_at)
        throw new ConflictError(
          `version '${key}@${label}' is frozen (since ${row.frozen_at}) and cannot be edited; add a new version`,
        );
      if (ifMatch !== undefined && ifMatch !== row.row_version)
        throw new ConflictError(`version '${key}@${label}' was changed by someone else; reload and retry`);
      const [before] = await this.views(model, [row], tx);
      const next: ModelVersionsTable = {
        ...row,
        artifact_uri: patch.artifactUri === undefined ? row.artifact_uri : patch.artifactUri,
        artifact_sha256: patch.artifactSha256 === undefined ? row.artifact_sha256 : patch.artifactSha256,
        code_repo: patch.codeRepo === undefined ? row.code_repo : patch.codeRepo,
        code_commit: patch.codeCommit === undefined ? row.code_commit : patch.codeCommit,
        registry_ref: patch.registryRef === undefined ? row.registry_ref : patch.registryRef,
        change_summary: patch.changeSummary === undefined ? row.change_summary : patch.changeSummary,
        material_change:
          patch.materialChange === undefined ? row.material_change : patch.materialChange ? 1 : 0,
        updated_at: this.clock.now().toISOString(),
        row_version: row.row_version + 1,
      };
      await updateVersion(tx, next);
      if (patch.trainingDatasetIds !== undefined || patch.evaluationDatasetIds !== undefined) {
        await this.setDatasets(
          tx,
          row.id,
          patch.trainingDatasetIds ?? before!.trainingDatasetIds,
          patch.evaluationDatasetIds ?? before!.evaluationDatasetIds,
        );
      }
      const [after] = await this.views(model, [next], tx);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'version.updated',
        entityType: 'version',
        entityId: row.id,
        modelId: model.id,
        before,
        after,
      });
      return after!;
    });
  }

  /** Freezes a version (governance by hand, or an approval): it refuses edits from then on. */
  async freeze(caller: Caller, key: string, label: string): Promise<Version> {
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'version.freeze', tx);
      return this.freezeIn(tx, caller.audit, model, label);
    });
  }

  /** Freezes inside an existing write transaction (used by the workflow's decisions). */
  async freezeIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    model: ModelsTable,
    label: string,
  ): Promise<Version> {
    const row = await this.find(model, label, tx);
    if (row.frozen_at) return (await this.views(model, [row], tx))[0]!;
    const [before] = await this.views(model, [row], tx);
    const next = { ...row, frozen_at: this.clock.now().toISOString(), row_version: row.row_version + 1 };
    await freezeVersionRow(tx, next);
    const [after] = await this.views(model, [next], tx);
    await appendAuditEvent(tx, this.clock, audit, {
      action: 'version.frozen',
      entityType: 'version',
      entityId: row.id,
      modelId: model.id,
      before,
      after,
    });
    return after!;
  }

  /** Marks a version superseded by a newer one of the same model. */
  async supersede(caller: Caller, key: string, label: string, by: string): Promise<Version> {
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'version.write', tx);
      const row = await this.find(model, label, tx);
      const successor = await this.find(model, by, tx);
      if (successor.id === row.id) throw new ValidationError('a version cannot supersede itself', 'by');
      const chain = await supersedeChainOf(tx, model.id);
      const cycle = supersedeCycle(new Map(chain.map((v) => [v.label, v.superseded_by])), row.label, by);
      if (cycle) {
        const message = `superseding ${key}@${label} by ${by} would close a cycle: ${cycle.join(' → ')}`;
        throw new ConflictError(message, { rule: 'supersede_cycle', cycle, field: 'by' });
      }
      const [before] = await this.views(model, [row], tx);
      const next = {
        ...row,
        status: 'superseded',
        superseded_by: successor.label,
        row_version: row.row_version + 1,
      };
      await supersedeVersionRow(tx, next);
      const [after] = await this.views(model, [next], tx);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'version.superseded',
        entityType: 'version',
        entityId: row.id,
        modelId: model.id,
        before,
        after,
      });
      return after!;
    });
  }

  /** Deployment API view. */
  deploymentView(
    model: ModelsTable,
    version: { id: string; label: string },
    d: DeploymentsTable,
  ): Deployment {
    return deploymentView(model, version, d);
  }

  /** Records that a version runs in an environment. */
  async deploy(
    caller: Caller,
    key: string,
    input: {
      version: string;
      environment: string;
      endpoint?: string | null | undefined;
      startedAt?: string | undefined;
      /** Its id when it has one outside (an id monitoring saw serving; a taken id fails the key); not from the API. */
      id?: string | undefined;
    },
  ): Promise<Deployment> {
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'deployment.write', tx);
      const version = await this.find(model, input.version, tx);
      const endpoint = input.endpoint ?? null;
      const active = await runningDeploymentSlots(tx, model.id);
      const refusal = deploymentRefusal({
        modelStatus: model.status,
        versionStatus: version.status,
        versionId: version.id,
        environment: input.environment,
        endpoint,
        active: active.map((d) => ({ ...d, versionId: d.version_id })),
      });
      if (refusal) {
        const { message, ...details } = refusal;
        throw new ConflictError(`cannot deploy ${key}@${version.label}: ${message}`, details);
      }
      // Production is where the gate stands: the version passes it now, or a valid exception covers it.
      const allowedBy =
        input.environment === 'production'
          ? await this.models.lifecycleGuard().productionDeployment(tx, model, version)
          : null;
      const row: DeploymentsTable = {
        id: input.id ?? newId(),
        model_id: model.id,
        version_id: version.id,
        environment: input.environment,
        endpoint,
        started_at: input.startedAt
          ? new Date(input.startedAt).toISOString()
          : this.clock.now().toISOString(),
        ended_at: null,
        created_by: caller.principal.username,
        row_version: 1,
      };
      await insertDeployment(tx, row);
      const after = this.deploymentView(model, version, row);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'deployment.started',
        entityType: 'deployment',
        entityId: row.id,
        modelId: model.id,
        after: allowedBy
          ? { ...after, allowedBy: allowedBy.basis, exceptionId: allowedBy.exceptionId }
          : after,
      });
      return after;
    });
  }

  /** Ends a deployment. */
  async endDeployment(caller: Caller, id: string, endedAt?: string): Promise<Deployment> {
    return this.db.write(async (tx) => {
      const found = await deploymentById(tx, id);
      if (!found) throw new NotFoundError('deployment', id);
      const { label, model_key, ...d } = found;
      const model = await this.models.authorize(caller.principal, model_key, 'deployment.write', tx);
      const version = { id: d.version_id, label };
      if (d.ended_at) throw new ConflictError(`deployment ${id} already ended at ${d.ended_at}`);
      const end = endedAt ? new Date(endedAt).toISOString() : this.clock.now().toISOString();
      if (end < d.started_at)
        throw new ValidationError('endedAt is before the deployment started', 'endedAt');
      const before = this.deploymentView(model, version, d);
      const next = { ...d, ended_at: end, row_version: d.row_version + 1 };
      await endDeploymentRow(tx, next);
      const after = this.deploymentView(model, version, next);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'deployment.ended',
        entityType: 'deployment',
        entityId: id,
        modelId: model.id,
        before,
        after,
      });
      return after;
    });
  }

  /** Deployments of a model (active only when asked). */
  async deployments(caller: Caller, key: string, activeOnly: boolean): Promise<Deployment[]> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const rows = await deploymentsOfModel(this.db.kysely, model.id, activeOnly);
    return rows.map(({ label, ...r }) => this.deploymentView(model, { id: r.version_id, label }, r));
  }

  private async setDatasets(
    tx: Kysely<Database>,
    versionId: string,
    training: readonly string[],
    evaluation: readonly string[],
  ): Promise<void> {
    const ids = [...new Set([...training, ...evaluation])];
    if (ids.length) {
      const found = new Set(await existingDatasetIds(tx, ids));
      const missing = ids.filter((i) => !found.has(i));
      if (missing.length) {
        throw new ValidationError(
          `unknown dataset(s): ${missing.join(', ')}`,
          training.includes(missing[0]!) ? 'trainingDatasetIds' : 'evaluationDatasetIds',
        );
      }
    }
    await replaceDatasetLinks(tx, versionId, training, evaluation);
  }
}
