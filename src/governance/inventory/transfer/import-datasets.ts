import { type DatasetImportRow, datasetImportRowSchema } from '../../../contracts/transfer.ts';
import { appendAuditEvent } from '../../../platform/audit/audit-trail.ts';
import type { DatasetsTable } from '../../../platform/db/tables/inventory.ts';
import { newId } from '../../../platform/ids.ts';
import type { DatasetsService } from '../datasets.service.ts';
import {
  allDatasetParents,
  datasetRowById,
  datasetsByNames,
  insertDataset,
  replaceDatasetParents,
  updateDataset,
} from '../datasets.store.ts';
import { chunks, type FileRow, type ImportCounts, type ImportRun, validateRows } from './import-file.ts';
import { datasetIdsByRef } from './import-versions.ts';
import { userIdsByName } from './transfer.queries.ts';

interface DatasetPlan {
  at: FileRow;
  row: DatasetsTable;
  parents: string[];
  current?: DatasetsTable;
}

const FIELDS = [
  'role',
  'location_uri',
  'sha256',
  'schema_json',
  'row_count',
  'owner_id',
  'contains_pii',
  'pii_columns',
  'retention_note',
] as const;

/** The PII rules of a dataset: listed PII columns need the flag, and must be columns of the schema. */
function piiProblem(row: DatasetsTable): string | null {
  const pii = JSON.parse(row.pii_columns) as string[];
  if (pii.length && row.contains_pii !== 1) return 'piiColumns given but containsPii is false';
  if (row.schema_json) {
    const names = new Set((JSON.parse(row.schema_json) as { name: string }[]).map((c) => c.name));
    const unknown = pii.filter((c) => !names.has(c));
    if (unknown.length) return `piiColumns not in the schema: ${unknown.join(', ')}`;
  }
  return null;
}

/** Whether `start` would be its own ancestor through derived-from edges. */
function cycleFrom(start: string, parentsOf: ReadonlyMap<string, readonly string[]>): boolean {
  const seen = new Set<string>();
  const stack = [...(parentsOf.get(start) ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === start) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(parentsOf.get(id) ?? []));
  }
  return false;
}

function nextRow(
  value: DatasetImportRow,
  base: DatasetsTable,
  ownerId: string | null | undefined,
): DatasetsTable {
  const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
  return {
    ...base,
    role: value.role,
    location_uri: pick(value.locationUri, base.location_uri),
    sha256: pick(value.sha256, base.sha256),
    schema_json:
      value.schema === undefined ? base.schema_json : value.schema ? JSON.stringify(value.schema) : null,
    row_count: pick(value.rowCount, base.row_count === null ? null : Number(base.row_count)),
    owner_id: ownerId === undefined ? base.owner_id : ownerId,
    contains_pii: value.containsPii === undefined ? base.contains_pii : value.containsPii ? 1 : 0,
    pii_columns: value.piiColumns === undefined ? base.pii_columns : JSON.stringify(value.piiColumns),
    retention_note: pick(value.retentionNote, base.retention_note),
  };
}

/** Plans every dataset row (recording problems), then, if there are none, writes the changes. */
export async function importDatasets(
  run: ImportRun,
  datasetsService: DatasetsService,
  rows: readonly FileRow[],
): Promise<ImportCounts> {
  const { tx, problems, caller } = run;
  const valid = validateRows(rows, datasetImportRowSchema, problems);
  const existing = new Map<string, DatasetsTable>();
  for (const part of chunks(valid.map((v) => v.value.name)))
    for (const d of await datasetsByNames(tx, part)) existing.set(d.name, d);
  const owners = valid.map(
    (v) => v.value.owner ?? (existing.has(v.value.name) ? null : caller.principal.username),
  );
  const userIds = await userIdsByName(
    tx,
    owners.filter((o): o is string => typeof o === 'string'),
  );
  // Rows of this file may derive from rows further down: their ids are known before anything is written.
  const idOfFileName = new Map(valid.map((v) => [v.value.name, existing.get(v.value.name)?.id ?? newId()]));
  const known = await datasetIdsByRef(
    run,
    valid.flatMap((v) => v.value.derivedFrom ?? []),
  );
  const originalParents = new Map<string, string[]>();
  for (const e of await allDatasetParents(tx))
    originalParents.set(e.dataset_id, [...(originalParents.get(e.dataset_id) ?? []), e.parent_id]);
  // The lineage as it would be after the whole file (rows of the file replace their own edges).
  const parentsOf = new Map(originalParents);

  const now = run.clock.now().toISOString();
  const firstRow = new Map<string, number>();
  const plans: DatasetPlan[] = [];
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  valid.forEach(({ at, value }, i) => {
    if (firstRow.has(value.name)) {
      problems.add(at, 'name', `dataset '${value.name}' already appears in row ${firstRow.get(value.name)}`);
      return;
    }
    firstRow.set(value.name, at.row);
    const stored = existing.get(value.name);
    const id = idOfFileName.get(value.name)!;
    const ownerName = owners[i];
    if (typeof ownerName === 'string' && !userIds.has(ownerName))
      problems.add(at, 'owner', `unknown user '${ownerName}'`);
    const refs = value.derivedFrom;
    const unknown = (refs ?? []).filter((r) => !idOfFileName.has(r) && !known.has(r));
    if (unknown.length) problems.add(at, 'derivedFrom', `unknown dataset(s): ${unknown.join(', ')}`);
    const parents =
      refs === undefined
        ? [...(originalParents.get(id) ?? [])].sort()
        : [...new Set(refs.map((r) => idOfFileName.get(r) ?? known.get(r)!))].sort();
    if (parents.includes(id)) problems.add(at, 'derivedFrom', 'a dataset cannot be derived from itself');
    parentsOf.set(id, parents);
    const base: DatasetsTable = stored ?? {
      id,
      name: value.name,
      role: value.role,
      location_uri: null,
      sha256: null,
      schema_json: null,
      row_count: null,
      owner_id: null,
      contains_pii: 0,
      pii_columns: '[]',
      retention_note: null,
      status: 'active',
      created_at: now,
      updated_at: now,
      row_version: 1,
    };
    const ownerId = ownerName === undefined ? undefined : ownerName === null ? null : userIds.get(ownerName);
    const row = nextRow(value, base, stored && value.owner === undefined ? undefined : ownerId);
    const pii = piiProblem(row);
    if (pii) problems.add(at, 'piiColumns', pii);
    plans.push({ at, row, parents, ...(stored ? { current: stored } : {}) });
  });
  // Cycles are judged on the lineage as it would be after the whole file.
  for (const plan of plans)
    if (cycleFrom(plan.row.id, parentsOf))
      problems.add(plan.at, 'derivedFrom', `dataset '${plan.row.name}' would be its own ancestor`);

  const changed = plans.filter(({ at, row, parents, current }) => {
    if (!current) return true;
    const same =
      FIELDS.every((f) => String(row[f]) === String(current[f])) &&
      (originalParents.get(current.id) ?? []).join() === parents.join();
    if (same) counts.unchanged++;
    else if (current.status === 'archived')
      problems.add(at, 'name', `dataset '${current.name}' is archived and cannot be edited`);
    return !same;
  });
  problems.throwIfAny('datasets');
  await writeDatasets(run, datasetsService, changed, now, counts);
  return counts;
}

/** Writes planned datasets: rows first, then lineage edges (parents may be rows of the same file). */
async function writeDatasets(
  run: ImportRun,
  datasetsService: DatasetsService,
  plans: readonly DatasetPlan[],
  now: string,
  counts: ImportCounts,
): Promise<void> {
  const { tx } = run;
  const befores = new Map<string, unknown>();
  for (const { current } of plans)
    if (current) befores.set(current.id, (await datasetsService.views([current], tx))[0]);
  for (const { row, current } of plans) {
    if (current) {
      await updateDataset(tx, { ...row, updated_at: now, row_version: current.row_version + 1 });
      counts.updated++;
    } else {
      await insertDataset(tx, row);
      counts.created++;
    }
  }
  for (const { row, parents } of plans) {
    await replaceDatasetParents(tx, row.id, parents);
  }
  for (const { row, current } of plans) {
    const stored = await datasetRowById(tx, row.id);
    await appendAuditEvent(tx, run.clock, run.caller.audit, {
      action: current ? 'dataset.updated' : 'dataset.registered',
      entityType: 'dataset',
      entityId: row.id,
      before: current ? befores.get(row.id) : null,
      after: (await datasetsService.views([stored], tx))[0],
    });
  }
}
