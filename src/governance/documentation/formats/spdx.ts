import type { CardMetric, Datasheet, ModelCard } from '../../../contracts/documentation.ts';
import type { Dataset, Model, Version } from '../../../contracts/inventory.ts';

/**
 * SPDX 3.0.1 JSON-LD of a model version and its datasets (AI and Dataset profiles): one
 * `ai_AIPackage` for the version (from the inventory record and its model card), one
 * `dataset_DatasetPackage` per dataset the version was trained or tested on (from the inventory
 * record and its datasheet), `trainedOn` / `testedOn` relationships between them, the agents they
 * name, and the `SpdxDocument` that holds them, all sharing one `CreationInfo`.
 *
 * The output is deterministic for its inputs: `created` is the card revision's time (else the
 * version's), and identifiers are URNs built from the model key, version label and dataset ids.
 * docs/documentation-formats.md ("SPDX 3.0") lists the field mapping.
 */

export const SPDX_CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';

/** A dataset of the version, with the datasheet revision used (or none). */
export interface SpdxDataset {
  record: Pick<
    Dataset,
    | 'id'
    | 'name'
    | 'role'
    | 'locationUri'
    | 'sha256'
    | 'schema'
    | 'rowCount'
    | 'owner'
    | 'containsPii'
    | 'piiColumns'
    | 'retentionNote'
    | 'createdAt'
  >;
  datasheet: Datasheet | null;
}

export interface SpdxInput {
  /** The card revision exported (null: the version has no card; the package says what the inventory knows). */
  card: ModelCard | null;
  model: Pick<
    Model,
    | 'key'
    | 'name'
    | 'description'
    | 'purpose'
    | 'intendedUse'
    | 'type'
    | 'owner'
    | 'developers'
    | 'vendor'
    | 'vendorName'
    | 'businessUnit'
    | 'tier'
    | 'euAiActClass'
    | 'tags'
  >;
  version: Pick<
    Version,
    | 'label'
    | 'artifactUri'
    | 'artifactSha256'
    | 'codeRepo'
    | 'codeCommit'
    | 'trainingDatasetIds'
    | 'evaluationDatasetIds'
    | 'frozenAt'
    | 'createdBy'
    | 'createdAt'
  >;
  /** The version's datasets by id (unknown ids are named in `ai_informationAboutTraining`). */
  datasets: Map<string, SpdxDataset>;
  tool: { name: string; version: string };
}

type Json = Record<string, unknown>;

const CREATION_INFO = '_:creationinfo';

/** SPDX `DateTime`: UTC, whole seconds (`2024-05-01T10:00:00Z`). */
export function spdxDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${iso}`);
  return `${d.toISOString().slice(0, 19)}Z`;
}

const isUri = (s: string | null | undefined): s is string =>
  !!s && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s);
const enc = encodeURIComponent;
const text = (...parts: (string | null | undefined)[]) =>
  parts
    .map((p) => p?.trim())
    .filter(Boolean)
    .join('\n\n') || undefined;
const nonEmpty = <T>(xs: T[]) => (xs.length ? xs : undefined);

/** Drops undefined members. */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object') {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
    return out as T;
  }
  return v;
}

/**
 * SPDX `ai_safetyRiskAssessment` (EU AI Act risk levels serious/high/medium/low) from Assay's tiering:
 * a prohibited EU AI Act class is `serious`; a high-risk class or Tier 1 (the highest tier) is
 * `high`; Tier 2 is `medium`; Tier 3 and below, or a limited/minimal class without a tier, is
 * `low`; an untiered model has no assessment.
 */
export function safetyRiskOf(
  tier: number | null,
  euClass: Model['euAiActClass'],
): 'serious' | 'high' | 'medium' | 'low' | undefined {
  if (euClass === 'prohibited') return 'serious';
  if (euClass === 'high_risk' || tier === 1) return 'high';
  if (tier === 2) return 'medium';
  if (tier !== null || euClass !== null) return 'low';
  return undefined;
}

const EU_CLASS_TEXT: Record<NonNullable<Model['euAiActClass']>, string> = {
  prohibited: 'prohibited practice (Art. 5)',
  high_risk: 'high-risk AI system',
  limited_risk: 'limited risk (transparency obligations)',
  minimal: 'minimal risk',
};

/**
 * `dataset_datasetType` from the columns Assay knows (the inventory's schema, else the datasheet's
 * column list; DuckDB type names): `structured` when there are columns, plus the kinds of values.
 */
export function datasetTypesOf(columns: readonly { type: string | null }[] | null): string[] {
  if (!columns?.length) return ['noAssertion'];
  const types = new Set(['structured']);
  for (const { type } of columns) {
    const t = (type ?? '').toUpperCase();
    if (
      /^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)/.test(
        t,
      )
    )
      types.add('numeric');
    else if (/^(VARCHAR|TEXT|STRING|CHAR|BOOL|BOOLEAN|ENUM)/.test(t)) types.add('categorical');
    else if (/^(DATE|TIME|TIMESTAMP)/.test(t)) types.add('timestamp');
  }
  return [...types].sort();
}

function metricEntry(m: CardMetric): Json {
  const slice = [
    m.dataset ? `dataset=${m.dataset}` : null,
    m.group ? `${m.group.attribute}=${m.group.value}` : null,
  ]
    .filter(Boolean)
    .join('; ');
  const ci =
    m.lower !== null || m.upper !== null
      ? ` (${m.confidenceLevel !== null ? `${+(m.confidenceLevel * 100).toPrecision(12)}% ` : ''}interval ${m.lower ?? '…'}–${m.upper ?? '…'})`
      : '';
  return {
    type: 'DictionaryEntry',
    key: slice ? `${m.name} [${slice}]` : m.name,
    value: m.value === null ? undefined : `${m.value}${ci}`,
  };
}

/** A dictionary's keys are unique: a repeated key gets ` (2)`, ` (3)`… */
function uniqueKeys(entries: Json[]): Json[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const n = (seen.get(e.key as string) ?? 0) + 1;
    seen.set(e.key as string, n);
    return n === 1 ? e : { ...e, key: `${e.key as string} (${n})` };
  });
}

/** The agents the document names, one element each (by id). */
class Agents {
  readonly elements = new Map<string, Json>();
  person(username: string): string {
    return this.add(`urn:assay:user:${enc(username)}`, 'Person', username);
  }
  organization(name: string): string {
    return this.add(`urn:assay:organization:${enc(name)}`, 'Organization', name);
  }
  private add(id: string, type: string, name: string): string {
    if (!this.elements.has(id))
      this.elements.set(id, { type, spdxId: id, creationInfo: CREATION_INFO, name });
    return id;
  }
}

function datasetPackage(ds: SpdxDataset, agents: Agents): Json {
  const { record, datasheet } = ds;
  const s = datasheet?.content;
  const pii = s?.piiAndRetention.containsPii ?? record.containsPii;
  const piiColumns = [...new Set([...(s?.piiAndRetention.piiColumns ?? []), ...record.piiColumns])];
  const rows = s?.composition.rowCount ?? record.rowCount;
  const columns = record.schema?.length
    ? record.schema.map((c) => `${c.name} (${c.type})`)
    : (s?.composition.columns ?? []);
  return {
    type: 'dataset_DatasetPackage',
    spdxId: `urn:assay:dataset:${enc(record.id)}`,
    creationInfo: CREATION_INFO,
    name: record.name,
    summary: `Assay dataset ${record.id}, role ${record.role}`,
    description: text(s?.motivation.text, s?.composition.text),
    comment: text(
      rows !== null && rows !== undefined ? `Rows: ${rows}.` : null,
      columns.length ? `Columns: ${columns.join(', ')}.` : null,
      piiColumns.length ? `Personal data columns: ${piiColumns.join(', ')}.` : null,
      (s?.piiAndRetention.retention ?? record.retentionNote)
        ? `Retention: ${s?.piiAndRetention.retention ?? record.retentionNote}`
        : null,
      datasheet
        ? `Datasheet revision ${datasheet.revision} (${datasheet.status}, sha256 ${datasheet.sha256}).`
        : 'No datasheet.',
    ),
    originatedBy: record.owner ? [agents.person(record.owner)] : undefined,
    builtTime: spdxDateTime(record.createdAt),
    software_primaryPurpose: 'data',
    software_downloadLocation: isUri(record.locationUri) ? record.locationUri : undefined,
    verifiedUsing: record.sha256
      ? [{ type: 'Hash', algorithm: 'sha256', hashValue: record.sha256 }]
      : undefined,
    dataset_datasetType: datasetTypesOf(
      record.schema?.length
        ? record.schema
        : (s?.composition.columns ?? []).map((c) => ({ type: c.match(/\(([^()]+)\)\s*$/)?.[1] ?? null })),
    ),
    dataset_dataCollectionProcess: text(s?.collection.text),
    dataset_intendedUse: text(s?.uses.text),
    dataset_dataPreprocessing: s?.preprocessing.text.trim() ? [s.preprocessing.text.trim()] : undefined,
    dataset_datasetUpdateMechanism: text(s?.maintenance.text),
    dataset_hasSensitivePersonalInformation: pii ? 'yes' : 'no',
  };
}

/** The SPDX 3.0.1 JSON-LD document (an object; `JSON.stringify` it to write). */
export function versionToSpdx(input: SpdxInput): Json {
  const { card, model, version } = input;
  const c = card?.content ?? null;
  const agents = new Agents();
  const author = agents.person(card?.createdBy ?? version.createdBy);
  const created = spdxDateTime(card?.createdAt ?? version.createdAt);

  const used = new Map<string, { training: boolean; evaluation: boolean }>();
  for (const id of version.trainingDatasetIds) used.set(id, { training: true, evaluation: false });
  for (const id of version.evaluationDatasetIds)
    used.set(id, { training: used.get(id)?.training ?? false, evaluation: true });
  const unknown = [...used.keys()].filter((id) => !input.datasets.has(id));

  const datasets: Json[] = [];
  const trained: string[] = [];
  const tested: string[] = [];
  let sensitive: 'yes' | 'no' | 'noAssertion' = used.size ? 'no' : 'noAssertion';
  for (const [id, use] of used) {
    const ds = input.datasets.get(id);
    if (!ds) {
      sensitive = sensitive === 'yes' ? 'yes' : 'noAssertion';
      continue;
    }
    const pkg = datasetPackage(ds, agents);
    if (pkg.dataset_hasSensitivePersonalInformation === 'yes') sensitive = 'yes';
    datasets.push(pkg);
    if (use.training) trained.push(pkg.spdxId as string);
    if (use.evaluation) tested.push(pkg.spdxId as string);
  }

  const hyper = c?.modelDetails.hyperparameters ?? [];
  const entry = (h: { key: string; value: string }) => ({
    type: 'DictionaryEntry',
    key: h.key,
    value: h.value || undefined,
  });
  const limitations = c ? text(c.limitations.text, ...c.limitations.items.map((i) => `- ${i}`)) : undefined;
  const oversight = c?.humanOversight;
  const humanInLoop =
    !!oversight && !!(oversight.reviewers || oversight.reviewedDecisions || oversight.overrideProcess);
  const domains = model.tags.filter((t) => t.startsWith('domain:')).map((t) => t.slice('domain:'.length));
  const supplier =
    model.vendor && model.vendorName
      ? agents.organization(model.vendorName)
      : model.owner
        ? agents.person(model.owner)
        : undefined;
  const risk = safetyRiskOf(model.tier, model.euAiActClass);
  const modelId = `urn:assay:model:${enc(model.key)}:version:${enc(version.label)}`;

  const aiPackage: Json = {
    type: 'ai_AIPackage',
    spdxId: modelId,
    creationInfo: CREATION_INFO,
    name: model.name,
    summary: text(model.purpose ?? undefined),
    description: text(c?.overview.text || model.description),
    comment: text(
      card
        ? `Model card revision ${card.revision} (${card.status}, sha256 ${card.sha256}).`
        : 'No model card.',
      model.tier !== null ? `Assay risk tier ${model.tier} (1 is the highest).` : null,
    ),
    software_packageVersion: version.label,
    software_primaryPurpose: 'model',
    software_downloadLocation: isUri(version.artifactUri) ? version.artifactUri : undefined,
    software_sourceInfo: version.codeRepo
      ? `${version.codeRepo}${version.codeCommit ? ` at commit ${version.codeCommit}` : ''}`
      : undefined,
    verifiedUsing: version.artifactSha256
      ? [{ type: 'Hash', algorithm: 'sha256', hashValue: version.artifactSha256 }]
      : undefined,
    suppliedBy: supplier,
    originatedBy: nonEmpty(model.developers.map((d) => agents.person(d))),
    builtTime: spdxDateTime(version.createdAt),
    releaseTime: version.frozenAt ? spdxDateTime(version.frozenAt) : undefined,
    ai_autonomyType: humanInLoop ? 'no' : 'noAssertion',
    ai_domain: nonEmpty(domains.length ? domains : model.businessUnit ? [model.businessUnit] : []),
    ai_informationAboutApplication: text(c?.intendedUse.text || model.intendedUse),
    ai_informationAboutTraining: text(
      c?.modelDetails.trainingProcedure,
      c?.data.text,
      unknown.length ? `Also used (not in the inventory): ${unknown.join(', ')}.` : null,
    ),
    ai_limitation: limitations,
    ai_hyperparameter: nonEmpty(hyper.filter((h) => !/threshold/i.test(h.key)).map(entry)),
    ai_metricDecisionThreshold: nonEmpty(hyper.filter((h) => /threshold/i.test(h.key)).map(entry)),
    ai_metric: nonEmpty(uniqueKeys((c?.evaluation.metrics ?? []).map(metricEntry))),
    ai_modelExplainability: c?.explainability.text.trim() ? [c.explainability.text.trim()] : undefined,
    ai_safetyRiskAssessment: risk,
    ai_standardCompliance: model.euAiActClass
      ? [`EU AI Act (Regulation (EU) 2024/1689): ${EU_CLASS_TEXT[model.euAiActClass]}`]
      : undefined,
    ai_typeOfModel: nonEmpty([model.type, c?.modelDetails.architecture].filter((x): x is string => !!x)),
    ai_useSensitivePersonalInformation: sensitive,
  };

  const relationship = (kind: 'trainedOn' | 'testedOn', to: string[]): Json => ({
    type: 'Relationship',
    spdxId: `${modelId}:${kind}`,
    creationInfo: CREATION_INFO,
    from: modelId,
    relationshipType: kind,
    to,
    completeness: unknown.length ? 'incomplete' : 'complete',
  });
  const relationships = [
    ...(trained.length ? [relationship('trainedOn', trained)] : []),
    ...(tested.length ? [relationship('testedOn', tested)] : []),
  ];
  const tool = {
    type: 'Tool',
    spdxId: `urn:assay:tool:${enc(input.tool.name)}:${enc(input.tool.version)}`,
    creationInfo: CREATION_INFO,
    name: `${input.tool.name} ${input.tool.version}`,
  };
  const elements = [aiPackage, ...datasets, ...relationships, ...agents.elements.values(), tool];
  const document: Json = {
    type: 'SpdxDocument',
    spdxId: `${modelId}:spdx-document`,
    creationInfo: CREATION_INFO,
    name: `${model.name} ${version.label}: AI and dataset bill of materials`,
    profileConformance: ['core', 'software', 'ai', 'dataset'],
    rootElement: [modelId],
    element: elements.map((e) => e.spdxId),
  };
  return clean({
    '@context': SPDX_CONTEXT,
    '@graph': [
      {
        type: 'CreationInfo',
        '@id': CREATION_INFO,
        specVersion: '3.0.1',
        created,
        createdBy: [author],
        createdUsing: [tool.spdxId],
      },
      document,
      ...elements,
    ],
  });
}
