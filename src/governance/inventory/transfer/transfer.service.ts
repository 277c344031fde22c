import type { ImportResult, TransferFormat, TransferKind } from '../../../contracts/transfer.ts';
import type { Caller } from '../../../platform/auth/caller.ts';
import { decide } from '../../../platform/auth/permissions.ts';
import type { Principal } from '../../../platform/auth/roles.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { ModelsTable } from '../../../platform/db/tables/inventory.ts';
import { ForbiddenError } from '../../../platform/errors.ts';
import type { DatasetsService } from '../datasets.service.ts';
import type { ModelsService } from '../models.service.ts';
import { type RelationRow, toModelView } from '../models.store.ts';
import type { VersionsService } from '../versions.service.ts';
import { writeCsv } from './csv-codec.ts';
import { importDatasets } from './import-datasets.ts';
import { chunks, ProblemList, readImportFile } from './import-file.ts';
import { importModels } from './import-models.ts';
import { importVersions } from './import-versions.ts';
import {
  allDatasetRows,
  datasetLinksOfVersions,
  relationsOfModels,
  versionsOfModels,
  visibleModelRows,
} from './transfer.queries.ts';
import { COLUMNS, cellsFromRecord } from './transfer-columns.ts';

/** An export ready to send: the text and how to label it. */
export interface ExportFile {
  contentType: string;
  filename: string;
  body: string;
}

function demand(principal: Principal, action: 'inventory.import' | 'inventory.export'): void {
  if (decide(principal, action) !== 'allow')
    throw new ForbiddenError(
      `your role '${principal.role}' with a '${principal.scope}' token may not do ${action}`,
      {
        action,
      },
    );
}

/** A dataset as a file refers to it: its name, or its id when the name cannot sit in a `;` list. */
const refOf = (d: { id: string; name: string }) => (d.name.includes(';') ? d.id : d.name);

/**
 * Bulk import and export of models, versions and datasets (CSV and JSON).
 * An import validates every row and writes nothing when any row is bad; a row equal to what is
 * stored changes nothing, so importing the same file twice is a no-op the second time.
 */
export class TransferService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly inventory: {
      versions: VersionsService;
      datasets: DatasetsService;
      models: ModelsService;
    },
  ) {}

  /** Imports a whole file in one transaction (all rows or none). */
  async importFile(
    caller: Caller,
    kind: TransferKind,
    format: TransferFormat,
    body: unknown,
  ): Promise<ImportResult> {
    demand(caller.principal, 'inventory.import');
    const rows = readImportFile(kind, format, body);
    const { created, updated, unchanged } = await this.db.write(async (tx) => {
      const run = { tx, clock: this.clock, caller, problems: new ProblemList() };
      if (kind === 'models') return importModels(run, rows, this.inventory.models);
      if (kind === 'datasets') return importDatasets(run, this.inventory.datasets, rows);
      const result = await importVersions(run, this.inventory.versions, rows);
      // Like a version added by hand, an imported material change opens its change review, in the
      // import's transaction (all or nothing).
      await this.inventory.versions.announceCreated(
        tx,
        result.createdVersions.map((v) => ({ ...v, audit: caller.audit })),
      );
      return result;
    });
    return { kind, rows: rows.length, created, updated, unchanged };
  }

  /** Exports every row of a kind the caller may see, as CSV (formula-like cells escaped) or JSON. */
  async exportFile(principal: Principal, kind: TransferKind, format: TransferFormat): Promise<ExportFile> {
    demand(principal, 'inventory.export');
    const items =
      kind === 'models'
        ? await this.modelRecords(principal)
        : kind === 'versions'
          ? await this.versionRecords(principal)
          : await this.datasetRecords();
    const filename = `assay-${kind}.${format}`;
    if (format === 'json') {
      const body = `${JSON.stringify({ kind, exportedAt: this.clock.now().toISOString(), items }, null, 1)}\n`;
      return { contentType: 'application/json; charset=utf-8', filename, body };
    }
    const header = COLUMNS[kind].map(([name]) => name);
    const rows = items.map((r) => {
      const cells = cellsFromRecord(kind, r);
      return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    });
    const body = writeCsv(header, rows);
    return { contentType: 'text/csv; charset=utf-8', filename, body };
  }

  private async visibleModels(principal: Principal): Promise<ModelsTable[]> {
    return visibleModelRows(this.db.kysely, principal);
  }

  private async modelRecords(principal: Principal): Promise<Record<string, unknown>[]> {
    const models = await this.visibleModels(principal);
    const relations = new Map<string, RelationRow[]>();
    for (const part of chunks(models.map((m) => m.id))) {
      const rows = await relationsOfModels(this.db.kysely, part);
      for (const r of rows) relations.set(r.model_id, [...(relations.get(r.model_id) ?? []), r]);
    }
    return models.map((m) => {
      const { owner, ...view } = toModelView(m, relations.get(m.id) ?? []);
      return owner === null ? view : { ...view, owner };
    });
  }

  private async versionRecords(principal: Principal): Promise<Record<string, unknown>[]> {
    const models = await this.visibleModels(principal);
    const keyOf = new Map(models.map((m) => [m.id, m.key]));
    const out: Record<string, unknown>[] = [];
    for (const part of chunks(models.map((m) => m.id))) {
      const versions = await versionsOfModels(this.db.kysely, part);
      const links = new Map<string, { usage: string; ref: string }[]>();
      for (const vpart of chunks(versions.map((v) => v.id))) {
        const rows = await datasetLinksOfVersions(this.db.kysely, vpart);
        for (const r of rows)
          links.set(r.version_id, [...(links.get(r.version_id) ?? []), { usage: r.usage, ref: refOf(r) }]);
      }
      for (const v of versions) {
        const refs = (usage: string) =>
          (links.get(v.id) ?? [])
            .filter((l) => l.usage === usage)
            .map((l) => l.ref)
            .sort();
        out.push({
          modelKey: keyOf.get(v.model_id)!,
          label: v.label,
          artifactUri: v.artifact_uri,
          artifactSha256: v.artifact_sha256,
          codeRepo: v.code_repo,
          codeCommit: v.code_commit,
          registryRef: v.registry_ref,
          trainingDatasets: refs('training'),
          evaluationDatasets: refs('evaluation'),
          changeSummary: v.change_summary,
          materialChange: v.material_change === 1,
          status: v.status,
          supersededBy: v.superseded_by,
          frozen: v.frozen_at !== null,
          frozenAt: v.frozen_at,
          createdBy: v.created_by,
          id: v.id,
          createdAt: v.created_at,
          updatedAt: v.updated_at,
          rowVersion: Number(v.row_version),
        });
      }
    }
    return out.sort(
      (a, b) =>
        String(a.modelKey).localeCompare(String(b.modelKey)) ||
        String(a.createdAt).localeCompare(String(b.createdAt)) ||
        String(a.id).localeCompare(String(b.id)),
    );
  }

  private async datasetRecords(): Promise<Record<string, unknown>[]> {
    const rows = await allDatasetRows(this.db.kysely);
    const refById = new Map(rows.map((r) => [r.id, refOf(r)]));
    const out: Record<string, unknown>[] = [];
    for (const part of chunks(rows)) {
      for (const view of await this.inventory.datasets.views(part))
        out.push({ ...view, derivedFrom: view.derivedFrom.map((id) => refById.get(id) ?? id).sort() });
    }
    return out;
  }
}
