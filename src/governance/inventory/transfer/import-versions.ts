import type { Version } from '../../../contracts/inventory.ts';
import { type VersionImportRow, versionImportRowSchema } from '../../../contracts/transfer.ts';
import { appendAuditEvent } from '../../../platform/audit/audit-trail.ts';
import type { ModelsTable, ModelVersionsTable } from '../../../platform/db/tables/inventory.ts';
import { newId } from '../../../platform/ids.ts';
import { datasetsByIdsOrNames } from '../datasets.store.ts';
import { modelsByKeys } from '../models.store.ts';
import type { VersionsService } from '../versions.service.ts';
import {
  datasetLinksOf,
  insertVersion,
  replaceDatasetLinks,
  updateVersion,
  versionsOfModels,
} from '../versions.store.ts';
import { chunks, type FileRow, type ImportCounts, type ImportRun, validateRows } from './import-file.ts';

/** Resolves dataset references (ids or names) to ids; unknown references are absent. */
export async function datasetIdsByRef(run: ImportRun, refs: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(refs)])) {
    for (const d of await datasetsByIdsOrNames(run.tx, part)) {
      out.set(d.id, d.id);
      out.set(d.name, d.id);
    }
  }
  return out;
}

interface VersionPlan {
  model: ModelsTable;
  row: ModelVersionsTable;
  training: string[];
  evaluation: string[];
  current?: ModelVersionsTable;
}

const key = (modelId: string, label: string) => `${modelId}\u0000${label}`;

async function loadState(run: ImportRun, valid: readonly { value: VersionImportRow }[]) {
  const models = new Map<string, ModelsTable>();
  for (const part of chunks([...new Set(valid.map((v) => v.value.modelKey))])) {
    for (const m of await modelsByKeys(run.tx, part)) models.set(m.key, m);
  }
  const versions = new Map<string, ModelVersionsTable>();
  const links = new Map<string, { training: string[]; evaluation: string[] }>();
  for (const part of chunks([...models.values()].map((m) => m.id))) {
    for (const v of await versionsOfModels(run.tx, part)) versions.set(key(v.model_id, v.label), v);
  }
  for (const part of chunks([...versions.values()].map((v) => v.id))) {
    for (const l of await datasetLinksOf(run.tx, part)) {
      const entry = links.get(l.version_id) ?? { training: [], evaluation: [] };
      (l.usage === 'training' ? entry.training : entry.evaluation).push(l.dataset_id);
      links.set(l.version_id, entry);
    }
  }
  const refs = valid.flatMap((v) => [
    ...(v.value.trainingDatasets ?? []),
    ...(v.value.evaluationDatasets ?? []),
  ]);
  return { models, versions, links, datasets: await datasetIdsByRef(run, refs) };
}

const sorted = (ids: readonly string[]) => [...new Set(ids)].sort();

/** Plans every version row (recording problems), then, if there are none, writes the changes. */
export async function importVersions(
  run: ImportRun,
  versionsService: VersionsService,
  rows: readonly FileRow[],
): Promise<ImportCounts & { createdVersions: { model: ModelsTable; version: Version }[] }> {
  const { tx, problems, caller } = run;
  const valid = validateRows(rows, versionImportRowSchema, problems);
  const createdVersions: { model: ModelsTable; version: Version }[] = [];
  const state = await loadState(run, valid);
  const now = run.clock.now().toISOString();
  const firstRow = new Map<string, number>();
  const plans: VersionPlan[] = [];
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };

  for (const { at, value } of valid) {
    const id = `${value.modelKey}@${value.label}`;
    if (firstRow.has(id)) {
      problems.add(at, 'label', `version '${id}' already appears in row ${firstRow.get(id)}`);
      continue;
    }
    firstRow.set(id, at.row);
    const model = state.models.get(value.modelKey);
    if (!model) {
      problems.add(at, 'modelKey', `no model '${value.modelKey}' in the inventory`);
      continue;
    }
    const resolve = (field: string, refs: readonly string[] | undefined, old: readonly string[]) => {
      if (refs === undefined) return sorted(old);
      const unknown = refs.filter((r) => !state.datasets.has(r));
      if (unknown.length) problems.add(at, field, `unknown dataset(s): ${unknown.join(', ')}`);
      return sorted(refs.map((r) => state.datasets.get(r) ?? r));
    };
    const stored = state.versions.get(key(model.id, value.label));
    const oldLinks = (stored && state.links.get(stored.id)) || { training: [], evaluation: [] };
    const before = problems.items.length;
    const training = resolve('trainingDatasets', value.trainingDatasets, oldLinks.training);
    const evaluation = resolve('evaluationDatasets', value.evaluationDatasets, oldLinks.evaluation);
    if (problems.items.length > before) continue;
    const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
    const base: ModelVersionsTable = stored ?? {
      id: newId(),
      model_id: model.id,
      label: value.label,
      artifact_uri: null,
      artifact_sha256: null,
      code_repo: null,
      code_commit: null,
      registry_ref: null,
      change_summary: null,
      material_change: 0,
      status: 'active',
      superseded_by: null,
      frozen_at: null,
      created_by: caller.principal.username,
      created_at: now,
      updated_at: now,
      row_version: 1,
    };
    const row: ModelVersionsTable = {
      ...base,
      artifact_uri: pick(value.artifactUri, base.artifact_uri),
      artifact_sha256: pick(value.artifactSha256, base.artifact_sha256),
      code_repo: pick(value.codeRepo, base.code_repo),
      code_commit: pick(value.codeCommit, base.code_commit),
      registry_ref: pick(value.registryRef, base.registry_ref),
      change_summary: pick(value.changeSummary, base.change_summary),
      material_change:
        value.materialChange === undefined ? base.material_change : value.materialChange ? 1 : 0,
    };
    if (stored) {
      const same =
        (
          [
            'artifact_uri',
            'artifact_sha256',
            'code_repo',
            'code_commit',
            'registry_ref',
            'change_summary',
            'material_change',
          ] as const
        ).every((f) => row[f] === stored[f]) &&
        training.join() === sorted(oldLinks.training).join() &&
        evaluation.join() === sorted(oldLinks.evaluation).join();
      if (same) {
        counts.unchanged++;
        continue;
      }
      if (stored.frozen_at) {
        problems.add(
          at,
          'label',
          `version '${id}' is frozen (since ${stored.frozen_at}) and cannot be edited`,
        );
        continue;
      }
      row.updated_at = now;
      row.row_version = stored.row_version + 1;
    } else if (model.status === 'retired') {
      problems.add(at, 'modelKey', `model '${model.key}' is retired; it takes no new versions`);
      continue;
    }
    plans.push({ model, row, training, evaluation, ...(stored ? { current: stored } : {}) });
  }
  problems.throwIfAny('versions');

  for (const { model, row, training, evaluation, current } of plans) {
    const beforeView = current ? (await versionsService.views(model, [current], tx))[0] : null;
    if (current) {
      await updateVersion(tx, row);
      counts.updated++;
    } else {
      await insertVersion(tx, row);
      counts.created++;
    }
    await replaceDatasetLinks(tx, row.id, training, evaluation);
    const after = (await versionsService.views(model, [row], tx))[0]!;
    await appendAuditEvent(tx, run.clock, caller.audit, {
      action: current ? 'version.updated' : 'version.created',
      entityType: 'version',
      entityId: row.id,
      modelId: model.id,
      before: beforeView,
      after,
    });
    if (!current) createdVersions.push({ model, version: after });
  }
  return { ...counts, createdVersions };
}
