import type { Kysely } from 'kysely';
import {
  type Completeness,
  type Datasheet,
  type DatasheetDraft,
  type DatasheetSave,
  type DocumentExportFormat,
  type DocumentRevision,
  datasheetContentSchema,
} from '../../contracts/documentation.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole, type Principal } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { DatasetsService } from '../inventory/datasets.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { datasheetCompletenessOf } from './document-standing.ts';
import {
  datasetRowsById,
  datasetUses,
  datasheetRow,
  describeRevision,
  type RevisionSelector,
} from './documentation.queries.ts';
import {
  contentDigest,
  datasheetRevisionRows,
  datasheetView,
  insertDatasheetRevision,
} from './documentation.store.ts';
import { draftDatasheet } from './documentation-draft.ts';
import { type DocumentExport, fileSafe, renderExport } from './documentation-export.ts';
import { datasheetToHtml, datasheetToMarkdown } from './documentation-render.ts';

/** What the datasheet use cases need. */
export interface DatasheetsDeps {
  policy: PolicyService;
  models: ModelsService;
  datasets: DatasetsService;
}

/** Datasheets (one per inventory dataset): revisions, drafts, completeness, exports. */
export class DatasheetsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: DatasheetsDeps,
  ) {}

  async getDatasheet(caller: Caller, idOrName: string, sel: RevisionSelector = {}): Promise<Datasheet> {
    this.allow(caller.principal, 'dataset.read');
    const dataset = await this.deps.datasets.find(idOrName);
    const row = await datasheetRow(this.db.kysely, dataset.id, sel);
    if (!row) throw new NotFoundError('datasheet', `${dataset.name}${describeRevision(sel)}`);
    return datasheetView(row);
  }

  async datasheetRevisions(caller: Caller, idOrName: string): Promise<DocumentRevision[]> {
    this.allow(caller.principal, 'dataset.read');
    const dataset = await this.deps.datasets.find(idOrName);
    return datasheetRevisionRows(this.db.kysely, dataset.id);
  }

  /** Saves a new datasheet revision; the dataset's owner or governance may. Audited. */
  async saveDatasheet(caller: Caller, idOrName: string, input: DatasheetSave): Promise<Datasheet> {
    const content = datasheetContentSchema.parse(input.content);
    return this.db.write(async (tx) => {
      const dataset = await this.writableDataset(caller.principal, idOrName, tx);
      const latest = await datasheetRow(tx, dataset.id);
      if (input.baseRevision !== undefined && (latest?.revision ?? 0) !== input.baseRevision)
        throw new ConflictError(
          `the datasheet of '${dataset.name}' is at revision ${latest?.revision ?? 0}, not ${input.baseRevision}; reload and retry`,
          { revision: latest?.revision ?? 0 },
        );
      const status = input.publish ? 'published' : 'draft';
      return this.insertDatasheet(tx, caller, dataset, content, status, input.note);
    });
  }

  async publishDatasheet(
    caller: Caller,
    idOrName: string,
    input: { revision?: number | undefined; note?: string | undefined },
  ): Promise<Datasheet> {
    return this.db.write(async (tx) => {
      const dataset = await this.writableDataset(caller.principal, idOrName, tx);
      const source = await datasheetRow(tx, dataset.id, { revision: input.revision });
      if (!source)
        throw new NotFoundError(
          'datasheet',
          `${dataset.name}${describeRevision({ revision: input.revision })}`,
        );
      if (input.revision === undefined && source.status === 'published') return datasheetView(source);
      const note = input.note ?? `published revision ${source.revision}`;
      return this.insertDatasheet(tx, caller, dataset, JSON.parse(source.content_json), 'published', note);
    });
  }

  /**
   * Completeness of a datasheet against the strictest tier of the models whose versions use the
   * dataset (Tier 1 rules when no tiered model uses it).
   */
  async datasheetCompleteness(
    caller: Caller,
    idOrName: string,
    sel: RevisionSelector = {},
  ): Promise<Completeness> {
    this.allow(caller.principal, 'dataset.read');
    const dataset = await this.deps.datasets.find(idOrName);
    const row = await datasheetRow(this.db.kysely, dataset.id, sel);
    if (sel.revision !== undefined && !row)
      throw new NotFoundError('datasheet', `${dataset.name}${describeRevision(sel)}`);
    const deps = { clock: this.clock, policy: this.deps.policy };
    return datasheetCompletenessOf(this.db.kysely, deps, dataset.id, row ?? null);
  }

  /** Generates a draft from the dataset's inventory entry, its parents and the versions that use it. */
  async draftDatasheet(caller: Caller, idOrName: string, save: boolean): Promise<DatasheetDraft> {
    this.allow(caller.principal, 'dataset.read');
    const row = await this.deps.datasets.find(idOrName);
    const [dataset] = await this.deps.datasets.views([row]);
    const parents = await this.deps.datasets.views(
      await datasetRowsById(this.db.kysely, dataset!.derivedFrom),
    );
    const visible = [];
    for (const u of await datasetUses(this.db.kysely, row.id))
      if (await this.canSee(caller.principal, u.key))
        visible.push({ modelKey: u.key, version: u.label, usage: u.usage });
    const { content, sources } = draftDatasheet(dataset!, parents, visible);
    if (!save) return { content, sources, saved: null };
    const saved = await this.db.write(async (tx) => {
      const ds = await this.writableDataset(caller.principal, idOrName, tx);
      return this.insertDatasheet(tx, caller, ds, content, 'draft', 'generated draft');
    });
    return { content, sources, saved };
  }

  /** A datasheet revision as Markdown, self-contained HTML, PDF or JSON. */
  async exportDatasheet(
    caller: Caller,
    idOrName: string,
    format: DocumentExportFormat,
    sel: RevisionSelector = {},
  ): Promise<DocumentExport> {
    const sheet = await this.getDatasheet(caller, idOrName, sel);
    const completeness = await this.datasheetCompleteness(caller, idOrName, { revision: sheet.revision });
    const base = `datasheet-${fileSafe(sheet.datasetName)}-r${sheet.revision}`;
    return renderExport(format, base, sheet, completeness, datasheetToMarkdown, datasheetToHtml);
  }

  private async insertDatasheet(
    tx: Kysely<Database>,
    caller: Caller,
    dataset: { id: string; name: string },
    content: unknown,
    status: 'draft' | 'published',
    note: string | undefined,
  ): Promise<Datasheet> {
    const parsed = datasheetContentSchema.parse(content);
    const { json, sha256 } = contentDigest(parsed);
    const row = await insertDatasheetRevision(tx, {
      id: newId(),
      dataset_id: dataset.id,
      status,
      note: note ?? null,
      content_json: json,
      sha256,
      created_by: caller.audit.actor,
      created_at: this.clock.now().toISOString(),
    });
    const view = datasheetView({ ...row, dataset_name: dataset.name });
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action: status === 'published' ? 'datasheet.published' : 'datasheet.saved',
      entityType: 'datasheet',
      entityId: row.id,
      after: view,
    });
    return view;
  }

  private async writableDataset(principal: Principal, idOrName: string, tx: Kysely<Database>) {
    this.allow(principal, 'datasheet.write');
    const row = await this.deps.datasets.find(idOrName, tx);
    const steward = principal.role === 'admin' || principal.role === 'governance';
    if (!steward && row.owner_id !== principal.userId)
      throw new ForbiddenError(
        `only the dataset's owner or governance may change the datasheet of '${row.name}'`,
        {
          action: 'datasheet.write',
        },
      );
    return row;
  }

  private async canSee(principal: Principal, key: string): Promise<boolean> {
    return this.deps.models.authorize(principal, key, 'model.read').then(
      () => true,
      () => false,
    );
  }

  private allow(principal: Principal, action: 'dataset.read' | 'datasheet.write'): void {
    if (decide(principal, action) !== 'allow')
      throw new ForbiddenError(`${aRole(principal.role)} may not ${action.replace('.', ' ')}`, { action });
  }
}
