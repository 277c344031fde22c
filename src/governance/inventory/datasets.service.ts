import type { Kysely } from 'kysely';
import type { Dataset, DatasetCreate } from '../../contracts/inventory.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole, type Principal } from '../../platform/auth/roles.ts';
import { userIdOf } from '../../platform/auth/users.queries.ts';
import type { Clock } from '../../platform/clock.ts';
import { encodeCursor } from '../../platform/db/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { DatasetsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import {
  archiveDataset,
  datasetAncestorIds,
  datasetByIdOrName,
  datasetDescendantIds,
  datasetNameTaken,
  datasetViews,
  existingDatasetIds,
  insertDataset,
  listDatasetRows,
  replaceDatasetParents,
  updateDataset,
} from './datasets.store.ts';

type DatasetPatch = Partial<Omit<DatasetCreate, 'name'>>;

/** Datasets with schema, PII flags and lineage (derived-from). */
export class DatasetsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The API view of dataset rows (parents and owner names resolved in two queries). */
  async views(rows: readonly DatasetsTable[], tx: Kysely<Database> = this.db.kysely): Promise<Dataset[]> {
    return datasetViews(tx, rows);
  }

  /** One dataset by id or by name. */
  async find(idOrName: string, tx: Kysely<Database> = this.db.kysely): Promise<DatasetsTable> {
    const row = await datasetByIdOrName(tx, idOrName);
    if (!row) throw new NotFoundError('dataset', idOrName);
    return row;
  }

  async get(idOrName: string): Promise<Dataset> {
    return (await this.views([await this.find(idOrName)]))[0]!;
  }

  /** Registers a dataset. */
  async create(caller: Caller, input: DatasetCreate): Promise<Dataset> {
    this.allow(caller.principal, 'dataset.create');
    checkPii(input.schema ?? null, input.containsPii ?? false, input.piiColumns ?? []);
    const now = this.clock.now().toISOString();
    return this.db.write(async (tx) => {
      if (await datasetNameTaken(tx, input.name)) {
        throw new ConflictError(`dataset '${input.name}' already exists`, { field: 'name' });
      }
      const row: DatasetsTable = {
        id: newId(),
        name: input.name,
        role: input.role,
        location_uri: input.locationUri ?? null,
        sha256: input.sha256 ?? null,
        schema_json: input.schema ? JSON.stringify(input.schema) : null,
        row_count: input.rowCount ?? null,
        owner_id: await this.userId(tx, input.owner ?? caller.principal.username, 'owner'),
        contains_pii: input.containsPii ? 1 : 0,
        pii_columns: JSON.stringify(input.piiColumns ?? []),
        retention_note: input.retentionNote ?? null,
        status: 'active',
        created_at: now,
        updated_at: now,
        row_version: 1,
      };
      await insertDataset(tx, row);
      await this.setParents(tx, row.id, input.derivedFrom ?? []);
      const [after] = await this.views([row], tx);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'dataset.registered',
        entityType: 'dataset',
        entityId: row.id,
        after,
      });
      return after!;
    });
  }

  /** Updates a dataset; its owner or governance may. */
  async update(caller: Caller, idOrName: string, patch: DatasetPatch, ifMatch?: number): Promise<Dataset> {
    return this.db.write(async (tx) => {
      const row = await this.find(idOrName, tx);
      this.allowOwner(caller.principal, row);
      if (ifMatch !== undefined && ifMatch !== row.row_version)
        throw new ConflictError(`dataset '${row.name}' was changed by someone else; reload and retry`);
      const [before] = await this.views([row], tx);
      const next: DatasetsTable = {
        ...row,
        role: patch.role ?? row.role,
        location_uri: patch.locationUri === undefined ? row.location_uri : patch.locationUri,
        sha256: patch.sha256 === undefined ? row.sha256 : patch.sha256,
        schema_json:
          patch.schema === undefined ? row.schema_json : patch.schema ? JSON.stringify(patch.schema) : null,
        row_count: patch.rowCount === undefined ? row.row_count : patch.rowCount,
        owner_id:
          patch.owner === undefined
            ? row.owner_id
            : patch.owner === null
              ? null
              : await this.userId(tx, patch.owner, 'owner'),
        contains_pii: patch.containsPii === undefined ? row.contains_pii : patch.containsPii ? 1 : 0,
        pii_columns: patch.piiColumns === undefined ? row.pii_columns : JSON.stringify(patch.piiColumns),
        retention_note: patch.retentionNote === undefined ? row.retention_note : patch.retentionNote,
        updated_at: this.clock.now().toISOString(),
        row_version: row.row_version + 1,
      };
      checkPii(
        next.schema_json ? JSON.parse(next.schema_json) : null,
        next.contains_pii === 1,
        JSON.parse(next.pii_columns),
      );
      await updateDataset(tx, next);
      if (patch.derivedFrom !== undefined) await this.setParents(tx, row.id, patch.derivedFrom);
      const [after] = await this.views([next], tx);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'dataset.updated',
        entityType: 'dataset',
        entityId: row.id,
        before,
        after,
      });
      return after!;
    });
  }

  /** Archives a dataset (nothing is deleted). */
  async archive(caller: Caller, idOrName: string): Promise<Dataset> {
    return this.db.write(async (tx) => {
      const row = await this.find(idOrName, tx);
      this.allowOwner(caller.principal, row);
      if (row.status === 'archived') return (await this.views([row], tx))[0]!;
      const [before] = await this.views([row], tx);
      const next = {
        ...row,
        status: 'archived',
        updated_at: this.clock.now().toISOString(),
        row_version: row.row_version + 1,
      };
      await archiveDataset(tx, next);
      const [after] = await this.views([next], tx);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'dataset.archived',
        entityType: 'dataset',
        entityId: row.id,
        before,
        after,
      });
      return after!;
    });
  }

  /** A page of datasets. */
  async list(query: {
    limit: number;
    cursor?: string | undefined;
    q?: string | undefined;
    role?: string | undefined;
    pii?: boolean | undefined;
    status?: string | undefined;
  }) {
    const rows = await listDatasetRows(this.db.kysely, query);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: await this.views(page),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.name, last.id) : null,
    };
  }

  /** Ids of all ancestors of the given datasets (recursive, both engines). */
  async ancestorIds(ids: readonly string[], tx: Kysely<Database> = this.db.kysely): Promise<string[]> {
    if (ids.length === 0) return [];
    return datasetAncestorIds(tx, ids);
  }

  /** Ids of all descendants of one dataset. */
  async descendantIds(id: string, tx: Kysely<Database> = this.db.kysely): Promise<string[]> {
    return datasetDescendantIds(tx, id);
  }

  private async setParents(tx: Kysely<Database>, id: string, parents: readonly string[]): Promise<void> {
    const unique = [...new Set(parents)];
    if (unique.includes(id))
      throw new ValidationError('a dataset cannot be derived from itself', 'derivedFrom');
    if (unique.length) {
      const found = await existingDatasetIds(tx, unique);
      const missing = unique.filter((p) => !found.includes(p));
      if (missing.length)
        throw new ValidationError(`unknown dataset(s) in derivedFrom: ${missing.join(', ')}`, 'derivedFrom');
      // A parent that already descends from this dataset would close a cycle.
      const descendants = new Set(await this.descendantIds(id, tx));
      const cyclic = unique.filter((p) => descendants.has(p));
      if (cyclic.length)
        throw new ValidationError(
          `derivedFrom would create a lineage cycle through ${cyclic.join(', ')}`,
          'derivedFrom',
        );
    }
    await replaceDatasetParents(tx, id, unique);
  }

  private async userId(tx: Kysely<Database>, username: string, field: string): Promise<string> {
    const u = await userIdOf(tx, username);
    if (u === undefined) throw new ValidationError(`unknown user '${username}'`, field);
    return u;
  }

  private allow(principal: Principal, action: 'dataset.create' | 'dataset.update'): void {
    if (decide(principal, action) !== 'allow')
      throw new ForbiddenError(`${aRole(principal.role)} may not ${action.replace('.', ' ')}`, { action });
  }

  private allowOwner(principal: Principal, row: DatasetsTable): void {
    this.allow(principal, 'dataset.update');
    const steward = principal.role === 'admin' || principal.role === 'governance';
    if (!steward && row.owner_id !== principal.userId) {
      throw new ForbiddenError(`only the dataset's owner or governance may change dataset '${row.name}'`, {
        action: 'dataset.update',
      });
    }
  }
}

function checkPii(
  schema: { name: string }[] | null,
  containsPii: boolean,
  piiColumns: readonly string[],
): void {
  if (piiColumns.length && !containsPii)
    throw new ValidationError('piiColumns given but containsPii is false', 'piiColumns');
  if (schema) {
    const names = new Set(schema.map((c) => c.name));
    const unknown = piiColumns.filter((c) => !names.has(c));
    if (unknown.length)
      throw new ValidationError(`piiColumns not in the schema: ${unknown.join(', ')}`, 'piiColumns');
  }
}
