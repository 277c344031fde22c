import type { Datasheet, DocumentRevision, ModelCard } from '../../contracts/documentation.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { assertValid } from '../documentation/documentation-formats.service.ts';
import {
  type CroissantInput,
  croissantErrors,
  datasheetToCroissant,
} from '../documentation/formats/croissant.ts';
import { type SpdxDataset, type SpdxInput, versionToSpdx } from '../documentation/formats/spdx.ts';
import { spdxErrors } from '../documentation/formats/spdx-schema.ts';
import type { EntityState } from './package-state.ts';
import type { PackageZip } from './package-zip.ts';

/** What the standard exports read from the documentation service: revisions, and one revision. */
export interface StandardExportDocuments {
  cardRevisions(caller: Caller, key: string, label: string): Promise<DocumentRevision[]>;
  getCard(caller: Caller, key: string, label: string, sel: { revision: number }): Promise<ModelCard>;
  datasheetRevisions(caller: Caller, idOrName: string): Promise<DocumentRevision[]>;
  getDatasheet(caller: Caller, idOrName: string, sel: { revision: number }): Promise<Datasheet>;
}

/** A standard document written into the package. */
export interface StandardExportFile {
  label: string;
  path: string;
  format: 'spdx-3.0.1' | 'croissant-1.0' | 'eu-ai-act-annex-iv';
  /** The version label or the dataset name. */
  subject: string;
}

type Snapshot = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The model fields SPDX reads, from the model's audit snapshot (older snapshots may lack some). */
function modelOf(m: Snapshot, key: string): SpdxInput['model'] {
  return {
    key,
    name: str(m.name) ?? key,
    description: str(m.description),
    purpose: str(m.purpose),
    intendedUse: str(m.intendedUse),
    type: (str(m.type) ?? 'other') as SpdxInput['model']['type'],
    owner: str(m.owner),
    developers: strs(m.developers),
    vendor: m.vendor === true,
    vendorName: str(m.vendorName),
    businessUnit: str(m.businessUnit),
    tier: num(m.tier),
    euAiActClass: (str(m.euAiActClass) ?? null) as SpdxInput['model']['euAiActClass'],
    tags: strs(m.tags),
  };
}

function versionOf(v: Snapshot): SpdxInput['version'] {
  return {
    label: String(v.label),
    artifactUri: str(v.artifactUri),
    artifactSha256: str(v.artifactSha256),
    codeRepo: str(v.codeRepo),
    codeCommit: str(v.codeCommit),
    trainingDatasetIds: strs(v.trainingDatasetIds),
    evaluationDatasetIds: strs(v.evaluationDatasetIds),
    frozenAt: str(v.frozenAt),
    createdBy: str(v.createdBy) ?? 'unknown',
    createdAt: String(v.createdAt),
  };
}

function datasetOf(d: Snapshot): CroissantInput['record'] {
  return {
    id: String(d.id),
    name: String(d.name),
    role: (str(d.role) ?? 'reference') as CroissantInput['record']['role'],
    locationUri: str(d.locationUri),
    sha256: str(d.sha256),
    schema: Array.isArray(d.schema) ? (d.schema as { name: string; type: string }[]) : null,
    rowCount: num(d.rowCount),
    owner: str(d.owner),
    containsPii: d.containsPii === true,
    piiColumns: strs(d.piiColumns),
    retentionNote: str(d.retentionNote),
    createdAt: String(d.createdAt),
    updatedAt: str(d.updatedAt) ?? String(d.createdAt),
  };
}

/** The revision an as-of package shows: the last published one by then, else the last one. */
export function revisionAsOf(revisions: readonly DocumentRevision[], asOf: string | null): number | null {
  const by = revisions.filter((r) => asOf === null || r.createdAt <= asOf);
  const newest = (list: readonly DocumentRevision[]) =>
    list.reduce<DocumentRevision | null>((a, r) => (a === null || r.revision > a.revision ? r : a), null);
  return (newest(by.filter((r) => r.status === 'published')) ?? newest(by))?.revision ?? null;
}

async function orNull<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || '_';
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/**
 * Writes an SPDX 3.0.1 document per version and a Croissant 1.0 document per dataset the versions
 * use, built from the package's own as-of snapshots (model, versions, datasets) and the card and
 * datasheet revisions current at the package's time, each validated before it is written. Listed in
 * the manifest like every file, so the signature covers them.
 */
export async function addStandardExports(o: {
  zip: PackageZip;
  caller: Caller;
  docs: StandardExportDocuments;
  asOf: string | null;
  modelKey: string;
  model: Snapshot | null;
  versions: readonly EntityState[];
  /** Dataset snapshots (the versions' datasets and their ancestors). */
  datasets: readonly Snapshot[];
  /** The dataset ids the versions use directly. */
  direct: readonly string[];
  tool: { name: string; version: string };
}): Promise<StandardExportFile[]> {
  const out: StandardExportFile[] = [];
  if (!o.model) return out;
  const model = modelOf(o.model, o.modelKey);
  const snapshots = new Map(o.datasets.map((d) => [String(d.id), d]));
  const sheets = new Map<string, Datasheet | null>();
  const sheetOf = async (id: string): Promise<Datasheet | null> => {
    if (!sheets.has(id)) {
      const revision = revisionAsOf(
        (await orNull(() => o.docs.datasheetRevisions(o.caller, id))) ?? [],
        o.asOf,
      );
      sheets.set(id, revision === null ? null : await o.docs.getDatasheet(o.caller, id, { revision }));
    }
    return sheets.get(id)!;
  };

  for (const v of o.versions) {
    const version = versionOf(v.state);
    const revision = revisionAsOf(
      (await orNull(() => o.docs.cardRevisions(o.caller, o.modelKey, version.label))) ?? [],
      o.asOf,
    );
    const card =
      revision === null ? null : await o.docs.getCard(o.caller, o.modelKey, version.label, { revision });
    const datasets = new Map<string, SpdxDataset>();
    for (const id of [...version.trainingDatasetIds, ...version.evaluationDatasetIds]) {
      const snap = snapshots.get(id);
      if (snap && !datasets.has(id))
        datasets.set(id, { record: datasetOf(snap), datasheet: await sheetOf(id) });
    }
    const doc = versionToSpdx({ card, model, version, datasets, tool: o.tool });
    assertValid(`SPDX 3.0.1 (version ${version.label})`, spdxErrors(doc));
    const path = `standard/model-${fileSafe(version.label)}.spdx.json`;
    o.zip.addBytes(path, json(doc));
    out.push({
      label: `SPDX 3.0.1 of version ${version.label} and its datasets`,
      path,
      format: 'spdx-3.0.1',
      subject: version.label,
    });
  }

  for (const id of [...new Set(o.direct)]) {
    const snap = snapshots.get(id);
    if (!snap) continue;
    const record = datasetOf(snap);
    const doc = datasheetToCroissant({ record, datasheet: await sheetOf(id) });
    assertValid(`Croissant 1.0 (dataset ${record.name})`, croissantErrors(doc));
    const path = `standard/dataset-${fileSafe(record.name)}.croissant.json`;
    o.zip.addBytes(path, json(doc));
    out.push({
      label: `Croissant 1.0 of dataset ${record.name}`,
      path,
      format: 'croissant-1.0',
      subject: record.name,
    });
  }
  return out;
}
