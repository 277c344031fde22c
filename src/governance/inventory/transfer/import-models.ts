import type { Model } from '../../../contracts/inventory.ts';
import { type ModelImportRow, modelImportRowSchema } from '../../../contracts/transfer.ts';
import { appendAuditEvent } from '../../../platform/audit/audit-trail.ts';
import type { ModelsTable } from '../../../platform/db/tables/inventory.ts';
import { newId } from '../../../platform/ids.ts';
import type { ModelsService } from '../models.service.ts';
import {
  insertModel,
  modelsByKeys,
  overwriteModel,
  type RelationRow,
  relationsOfModels,
  replaceModelRelations,
  toModelView,
} from '../models.store.ts';
import {
  chunks,
  type FileRow,
  type ImportCounts,
  type ImportRun,
  sameView,
  validateRows,
} from './import-file.ts';
import { userIdsByName } from './transfer.queries.ts';

interface ModelPlan {
  row: ModelsTable;
  relations: RelationRow[];
  /** The stored row and relations when the key exists; absent for a new model. */
  current?: { row: ModelsTable; relations: RelationRow[] };
}

async function loadExisting(run: ImportRun, keys: readonly string[]) {
  const rows = new Map<string, ModelsTable>();
  for (const part of chunks(keys)) {
    for (const r of await modelsByKeys(run.tx, part)) rows.set(r.key, r);
  }
  const relations = new Map<string, RelationRow[]>();
  for (const part of chunks([...rows.values()].map((r) => r.id))) {
    const rels = await relationsOfModels(run.tx, part);
    for (const r of rels) relations.set(r.model_id, [...(relations.get(r.model_id) ?? []), r]);
  }
  return { rows, relations };
}

/** The row a file row asks for: the stored row with the file's fields laid over it (or a new row). */
function nextRow(value: ModelImportRow, current: ModelsTable | undefined, now: string): ModelsTable {
  const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
  const base: ModelsTable = current ?? {
    id: newId(),
    key: value.key,
    name: value.name,
    description: null,
    purpose: null,
    intended_use: null,
    intended_users: null,
    out_of_scope_uses: null,
    type: value.type,
    business_unit: null,
    owner_id: null,
    vendor: 0,
    vendor_name: null,
    genai: 0,
    decision_impact: null,
    status: value.status ?? 'proposed',
    tier: null,
    eu_ai_act_class: null,
    tags: '[]',
    links: '{}',
    created_at: now,
    updated_at: now,
    retired_at: null,
    row_version: 1,
  };
  return {
    ...base,
    name: value.name,
    type: value.type,
    description: pick(value.description, base.description),
    purpose: pick(value.purpose, base.purpose),
    intended_use: pick(value.intendedUse, base.intended_use),
    intended_users: pick(value.intendedUsers, base.intended_users),
    out_of_scope_uses: pick(value.outOfScopeUses, base.out_of_scope_uses),
    business_unit: pick(value.businessUnit, base.business_unit),
    vendor: value.vendor === undefined ? base.vendor : value.vendor ? 1 : 0,
    vendor_name: pick(value.vendorName, base.vendor_name),
    genai: value.genai === undefined ? base.genai : value.genai ? 1 : 0,
    decision_impact: pick(value.decisionImpact, base.decision_impact),
    tags: value.tags === undefined ? base.tags : JSON.stringify([...new Set(value.tags)]),
    links:
      value.links === undefined
        ? base.links
        : JSON.stringify(withoutEmptyLinks({ ...(JSON.parse(base.links) as object), ...value.links })),
  };
}

/** Links without empty entries: a blank link cell and a missing link mean the same. */
function withoutEmptyLinks(links: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(links).filter(([, v]) => v !== null && v !== undefined && v !== ''),
  );
}

/** Whether the file changes nothing of a stored model (empty links count as absent on both sides). */
function unchanged(a: Model, b: Model): boolean {
  return sameView({ ...a, links: withoutEmptyLinks(a.links) }, { ...b, links: withoutEmptyLinks(b.links) });
}

/** Plans every model row (recording problems), then, if there are none, writes the changes. */
export async function importModels(
  run: ImportRun,
  rows: readonly FileRow[],
  models: Pick<ModelsService, 'relationsChangingIn'>,
): Promise<ImportCounts> {
  const { tx, problems, caller } = run;
  const valid = validateRows(rows, modelImportRowSchema, problems);
  const firstRow = new Map<string, number>();
  const existing = await loadExisting(
    run,
    valid.map((v) => v.value.key),
  );
  const names = valid.flatMap(({ value }) => [
    value.owner ?? caller.principal.username,
    ...(value.developers ?? []),
  ]);
  const userIds = await userIdsByName(tx, names);
  for (const rels of existing.relations.values()) for (const r of rels) userIds.set(r.username, r.user_id);
  const now = run.clock.now().toISOString();
  const plans: ModelPlan[] = [];
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };

  for (const { at, value } of valid) {
    const seen = firstRow.get(value.key);
    if (seen !== undefined) {
      problems.add(at, 'key', `model '${value.key}' already appears in row ${seen}`);
      continue;
    }
    firstRow.set(value.key, at.row);
    const stored = existing.rows.get(value.key);
    const storedRelations = stored ? (existing.relations.get(stored.id) ?? []) : [];
    const namesOf = (rel: string) => storedRelations.filter((r) => r.relation === rel).map((r) => r.username);
    const owner = value.owner ?? namesOf('owner')[0] ?? caller.principal.username;
    const developers = [...new Set(value.developers ?? namesOf('developer'))].filter((d) => d !== owner);
    const validators = namesOf('validator');
    const before = problems.items.length;
    if (!userIds.has(owner)) problems.add(at, 'owner', `unknown user '${owner}'`);
    const unknownDevs = developers.filter((d) => !userIds.has(d));
    if (unknownDevs.length) problems.add(at, 'developers', `unknown user(s): ${unknownDevs.join(', ')}`);
    const overlap = [owner, ...developers].filter((n) => validators.includes(n));
    if (overlap.length)
      problems.add(
        at,
        'developers',
        `validators must stay independent: ${overlap.join(', ')} validate this model`,
      );
    if (value.vendor === false && value.vendorName)
      problems.add(at, 'vendorName', 'vendorName is only for vendor models');
    if (!stored && value.status && !['proposed', 'development'].includes(value.status))
      problems.add(at, 'status', `a new model starts as proposed or development, not '${value.status}'`);
    if (stored && value.status && value.status !== stored.status)
      problems.add(
        at,
        'status',
        `is '${stored.status}' in the inventory; lifecycle moves go through POST /api/v1/models/${value.key}/transition`,
      );
    if (problems.items.length > before) continue;

    const row = nextRow(value, stored, now);
    row.owner_id = userIds.get(owner)!;
    const relations: RelationRow[] = [
      { user_id: row.owner_id, username: owner, relation: 'owner' },
      ...developers.map((d) => ({ user_id: userIds.get(d)!, username: d, relation: 'developer' })),
      ...storedRelations.filter((r) => r.relation === 'validator'),
    ];
    if (stored && unchanged(toModelView(stored, storedRelations), toModelView(row, relations))) {
      counts.unchanged++;
      continue;
    }
    if (stored?.status === 'retired') {
      problems.add(at, 'key', `model '${value.key}' is retired and cannot be edited`);
      continue;
    }
    if (stored) {
      row.updated_at = now;
      row.row_version = stored.row_version + 1;
    }
    plans.push({
      row,
      relations,
      ...(stored ? { current: { row: stored, relations: storedRelations } } : {}),
    });
  }
  problems.throwIfAny('models');

  for (const plan of plans) {
    const { row, relations, current } = plan;
    if (current) {
      await overwriteModel(tx, row);
      // Separation of duties sees an imported relation change like one made through the API.
      await models.relationsChangingIn(tx, caller.audit, row.id, relations);
      counts.updated++;
    } else {
      await insertModel(tx, row);
      counts.created++;
    }
    await replaceModelRelations(
      tx,
      row.id,
      relations.map((r) => ({ user_id: r.user_id, relation: r.relation })),
    );
    await appendAuditEvent(tx, run.clock, caller.audit, {
      action: current ? 'model.updated' : 'model.registered',
      entityType: 'model',
      entityId: row.id,
      modelId: row.id,
      before: current ? toModelView(current.row, current.relations) : null,
      after: toModelView(row, relations),
    });
  }
  return counts;
}
