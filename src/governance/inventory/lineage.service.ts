import { type Deployment, deploymentSchema, type Model, modelSchema } from '../../contracts/inventory.ts';
import { parseSnapshot } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decodeCursor, encodeCursor } from '../../platform/db/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { DatasetsService } from './datasets.service.ts';
import {
  datasetRowsByIds,
  datasetUses,
  deploymentSnapshotsAt,
  modelEventsPage,
  modelSnapshotAt,
} from './lineage.queries.ts';
import type { ModelsService } from './models.service.ts';
import type { VersionsService } from './versions.service.ts';

/** Reads across the inventory: lineage both ways, "as of" state and per-model history. */
export class LineageService {
  constructor(
    private readonly db: Db,
    private readonly models: ModelsService,
    private readonly versions: VersionsService,
    private readonly datasets: DatasetsService,
  ) {}

  /** Versions → datasets (with every ancestor) → deployments of one model. */
  async modelLineage(caller: Caller, key: string) {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const versions = await this.versions.list(caller, key);
    const deployments = await this.versions.deployments(caller, key, false);
    const direct = [
      ...new Set(versions.flatMap((v) => [...v.trainingDatasetIds, ...v.evaluationDatasetIds])),
    ];
    const all = [...new Set([...direct, ...(await this.datasets.ancestorIds(direct))])];
    const rows = all.length ? await datasetRowsByIds(this.db.kysely, all) : [];
    return {
      model: { key: model.key, name: model.name },
      versions: versions.map((v) => ({ ...v, deployments: deployments.filter((d) => d.versionId === v.id) })),
      datasets: await this.datasets.views(rows),
    };
  }

  /** A dataset's ancestors and descendants, and the models and versions that used it or its descendants. */
  async datasetLineage(caller: Caller, idOrName: string) {
    const row = await this.datasets.find(idOrName);
    const ancestors = await this.datasets.ancestorIds([row.id]);
    const descendants = await this.datasets.descendantIds(row.id);
    const load = async (ids: string[]) =>
      ids.length ? this.datasets.views(await datasetRowsByIds(this.db.kysely, ids)) : [];
    const uses = await datasetUses(this.db.kysely, [row.id, ...descendants]);
    // Only models the caller may see are named.
    const usedBy = [];
    for (const u of uses) {
      const visible = await this.models.authorize(caller.principal, u.key, 'model.read').then(
        () => true,
        () => false,
      );
      if (visible) usedBy.push({ modelKey: u.key, modelName: u.name, version: u.label, usage: u.usage });
    }
    return {
      dataset: (await this.datasets.views([row]))[0]!,
      ancestors: await load(ancestors),
      descendants: await load(descendants),
      usedBy,
    };
  }

  /**
   * The model as it was at `at`: the `after` snapshot of its last model event at or before `at`, and
   * the deployments whose last event by then shows them running. 404 when the model did not exist yet.
   */
  async asOf(
    caller: Caller,
    key: string,
    at: string,
  ): Promise<{ asOf: string; model: Model; deployments: Deployment[] }> {
    const current = await this.models.authorize(caller.principal, key, 'model.read');
    const when = new Date(at).toISOString();
    const k = this.db.kysely;
    const last = await modelSnapshotAt(k, current.id, when);
    const snapshot = last ? parseSnapshot<unknown>(last.after_json) : null;
    if (!snapshot) throw new NotFoundError('model', `${key} as of ${when}`);
    const events = await deploymentSnapshotsAt(k, current.id, when);
    const deployments = events
      .map((e) => deploymentSchema.safeParse(parseSnapshot(e.after_json)))
      .filter((r) => r.success)
      .map((r) => r.data)
      .filter((d) => d.startedAt <= when && (d.endedAt === null || d.endedAt > when))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    return { asOf: when, model: modelSchema.parse(snapshot), deployments };
  }

  /** The audit events of one model (any entity that carries its id), newest first. */
  async history(caller: Caller, key: string, limit: number, cursor?: string) {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const before = cursor ? decodeCursor(cursor).value : undefined;
    if (before !== undefined && !(typeof before === 'number' && Number.isSafeInteger(before)))
      throw new ValidationError('cursor is not one this server issued', 'query.cursor');
    const rows = await modelEventsPage(this.db.kysely, model.id, limit, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((e) => ({
        seq: Number(e.seq),
        id: e.id,
        at: e.at,
        actor: e.actor,
        action: e.action,
        entityType: e.entity_type,
        entityId: e.entity_id,
        before: parseSnapshot(e.before_json),
        after: parseSnapshot(e.after_json),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(Number(last.seq), last.id) : null,
    };
  }
}
