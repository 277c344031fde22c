import { createHash } from 'node:crypto';
import type { CardMetric, DatasetRef, Datasheet, ModelCard } from '../../../contracts/documentation.ts';
import type { Dataset, Model, Version } from '../../../contracts/inventory.ts';

/**
 * CycloneDX 1.6 ML-BOM of a model card: one `machine-learning-model` component carrying the
 * `modelCard` (model parameters with dataset references, quantitative analysis, considerations),
 * one `data` component per dataset the card names (with its datasheet where CycloneDX has a field
 * for it: owners as governance, PII as classification and sensitiveData, location, hash), and the
 * dependency graph model → datasets. What CycloneDX has no field for travels as `assay:` properties.
 *
 * The output is deterministic for a card revision and the datasheets it was built with: the
 * timestamp is the card revision's, and the serial number is derived from the BOM's content.
 */

export interface CycloneDxDataset {
  /** The inventory record (null when the card names a dataset that is not in the inventory). */
  record: Dataset | null;
  /** The datasheet used (latest published, else latest), or null. */
  datasheet: Datasheet | null;
}

export interface CycloneDxInput {
  card: ModelCard;
  model?: Pick<
    Model,
    'name' | 'type' | 'description' | 'tags' | 'tier' | 'status' | 'vendor' | 'vendorName' | 'links'
  > | null;
  version?: Pick<
    Version,
    'artifactUri' | 'artifactSha256' | 'codeRepo' | 'codeCommit' | 'registryRef'
  > | null;
  /** Looked up by dataset id, then by name. */
  datasets?: Map<string, CycloneDxDataset>;
  tool: { name: string; version: string };
}

type Property = { name: string; value: string };
type Json = Record<string, unknown>;

/** A URI CycloneDX accepts as an IRI reference (a scheme and no spaces). */
const isUri = (s: string | null | undefined): s is string =>
  !!s && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s);

function props(entries: [string, string | number | boolean | null | undefined][]): Property[] {
  return entries
    .filter(
      (e): e is [string, string | number | boolean] => e[1] !== null && e[1] !== undefined && e[1] !== '',
    )
    .map(([name, value]) => ({ name, value: String(value) }));
}

const nonEmpty = <T>(xs: T[]) => (xs.length ? xs : undefined);

/** Drops undefined members (CycloneDX refuses nulls where a string is expected). */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object') {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
    return out as T;
  }
  return v;
}

/** A UUID (version 5 layout) from a SHA-256 of the content. */
function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex').slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

function approachOf(type: string | undefined): string | undefined {
  if (!type) return undefined;
  if (['classification', 'regression', 'ranking', 'forecasting'].includes(type)) return 'supervised';
  if (type === 'clustering') return 'unsupervised';
  return undefined;
}

const fmt = (n: number) => String(n);

function performanceMetric(m: CardMetric): Json {
  const slice = [m.dataset, m.group ? `${m.group.attribute}=${m.group.value}` : null]
    .filter(Boolean)
    .join(': ');
  const ci =
    m.lower !== null || m.upper !== null
      ? {
          lowerBound: m.lower === null ? undefined : fmt(m.lower),
          upperBound: m.upper === null ? undefined : fmt(m.upper),
        }
      : undefined;
  return {
    type: m.name,
    value: m.value === null ? undefined : fmt(m.value),
    slice: slice || undefined,
    confidenceInterval: ci,
  };
}

/** The card content CycloneDX has no field for, as properties (names `assay:card:*`). */
function cardProperties(card: ModelCard): Property[] {
  const c = card.content;
  const entries: [string, string | null][] = [
    ['assay:card:overview', c.overview.text],
    ['assay:card:intendedUse', c.intendedUse.text],
    ['assay:card:outOfScopeUses', c.outOfScopeUses.text],
    ...c.outOfScopeUses.items.map((i): [string, string] => ['assay:card:outOfScopeUse', i]),
    ['assay:card:modelDetails', c.modelDetails.text],
    ['assay:card:trainingProcedure', c.modelDetails.trainingProcedure],
    ...c.modelDetails.hyperparameters.map((h): [string, string] => [
      `assay:card:hyperparameter:${h.key}`,
      h.value,
    ]),
    ['assay:card:data', c.data.text],
    ['assay:card:evaluation', c.evaluation.text],
    ['assay:card:fairness', c.fairness.text],
    ['assay:card:explainability', c.explainability.text],
    ['assay:card:humanOversight', c.humanOversight.text],
    ['assay:card:humanOversight:reviewers', c.humanOversight.reviewers],
    ['assay:card:humanOversight:reviewedDecisions', c.humanOversight.reviewedDecisions],
    ['assay:card:humanOversight:overrideProcess', c.humanOversight.overrideProcess],
    ['assay:card:assumptions', c.assumptions.text],
    ...c.assumptions.items.map((i): [string, string] => ['assay:card:assumption', i]),
    ['assay:card:limitations', c.limitations.text],
    ['assay:card:risks', c.risks.text],
    ['assay:card:monitoring', c.monitoring.text],
    ...c.monitoring.metrics.map((i): [string, string] => ['assay:card:monitoring:metric', i]),
    ['assay:card:monitoring:frequency', c.monitoring.frequency],
    ['assay:card:changeLog', c.changeLog.text],
    ['assay:card:changeLog:previousVersion', c.changeLog.previousVersion],
    ...c.changeLog.items.map((i): [string, string] => ['assay:card:changeLog:item', i]),
  ];
  return props(entries);
}

/** Considerations: users, use cases, limitations, risks (ethical considerations), fairness. */
function considerations(card: ModelCard): Json {
  const c = card.content;
  const attributes = new Map<string, string[]>();
  for (const m of c.evaluation.metrics)
    if (m.group) {
      const values = attributes.get(m.group.attribute) ?? [];
      if (!values.includes(m.group.value)) values.push(m.group.value);
      attributes.set(m.group.attribute, values);
    }
  const fairness: Json[] = [...attributes].map(([attribute, values]) => ({
    groupAtRisk: `${attribute}: ${values.join(', ')}`,
    harms: c.fairness.text || undefined,
  }));
  if (!fairness.length && c.fairness.text) fairness.push({ harms: c.fairness.text });
  const limitations = c.limitations.items.length
    ? c.limitations.items
    : c.limitations.text
      ? [c.limitations.text]
      : [];
  return {
    users: nonEmpty(c.intendedUse.users),
    useCases: c.intendedUse.text ? [c.intendedUse.text] : undefined,
    technicalLimitations: nonEmpty(limitations),
    ethicalConsiderations: nonEmpty(
      c.risks.items.map((r) => ({ name: r.risk, mitigationStrategy: r.mitigation || undefined })),
    ),
    fairnessAssessments: nonEmpty(fairness),
  };
}

interface DatasetEntry {
  ref: string;
  name: string;
  usage: Set<'training' | 'evaluation'>;
  refs: DatasetRef[];
  found: CycloneDxDataset | null;
}

function datasetEntries(input: CycloneDxInput): DatasetEntry[] {
  const entries = new Map<string, DatasetEntry>();
  const { training, evaluation } = input.card.content.data;
  const uses: [DatasetRef, 'training' | 'evaluation'][] = [
    ...training.map((r): [DatasetRef, 'training'] => [r, 'training']),
    ...evaluation.map((r): [DatasetRef, 'evaluation'] => [r, 'evaluation']),
  ];
  for (const [r, usage] of uses) {
    const found =
      (r.id !== null ? input.datasets?.get(r.id) : undefined) ?? input.datasets?.get(r.name) ?? null;
    const key = found?.record?.id ?? r.id ?? r.name;
    const entry = entries.get(key) ?? {
      ref: `dataset:${key}`,
      name: found?.record?.name ?? r.name,
      usage: new Set(),
      refs: [],
      found,
    };
    entry.usage.add(usage);
    entry.refs.push(r);
    entries.set(key, entry);
  }
  return [...entries.values()];
}

function dataComponent(e: DatasetEntry): Json {
  const record = e.found?.record ?? null;
  const sheet = e.found?.datasheet ?? null;
  const s = sheet?.content;
  const containsPii = s?.piiAndRetention.containsPii ?? record?.containsPii ?? null;
  const piiColumns = [...new Set([...(s?.piiAndRetention.piiColumns ?? []), ...(record?.piiColumns ?? [])])];
  const columns = s?.composition.columns.length
    ? s.composition.columns
    : (record?.schema ?? []).map((c) => `${c.name} (${c.type})`);
  const rowCount = s?.composition.rowCount ?? record?.rowCount ?? null;
  return {
    type: 'data',
    'bom-ref': e.ref,
    name: e.name,
    description: s?.motivation.text || e.refs.find((r) => r.note)?.note || undefined,
    hashes: record?.sha256 ? [{ alg: 'SHA-256', content: record.sha256 }] : undefined,
    externalReferences: isUri(record?.locationUri)
      ? [{ type: 'distribution', url: record.locationUri }]
      : undefined,
    data: [
      {
        type: 'dataset',
        name: e.name,
        contents:
          isUri(record?.locationUri) || rowCount !== null || columns.length
            ? {
                url: isUri(record?.locationUri) ? record.locationUri : undefined,
                properties: nonEmpty(
                  props([
                    ['assay:dataset:rowCount', rowCount],
                    ...columns.map((c): [string, string] => ['assay:dataset:column', c]),
                  ]),
                ),
              }
            : undefined,
        classification:
          containsPii === null ? undefined : containsPii ? 'personal data (PII)' : 'no personal data',
        sensitiveData: nonEmpty(piiColumns.map((c) => `column ${c}: personal data`)),
        governance: record?.owner ? { owners: [{ contact: { name: record.owner } }] } : undefined,
      },
    ],
    properties: nonEmpty(
      props([
        ['assay:dataset:usage', [...e.usage].sort().join(',')],
        ['assay:dataset:id', record?.id],
        ['assay:dataset:role', record?.role],
        ['assay:dataset:inventory', record ? 'registered' : 'not in the inventory'],
        [
          'assay:dataset:locationUri',
          record?.locationUri && !isUri(record.locationUri) ? record.locationUri : null,
        ],
        ['assay:dataset:derivedFrom', record?.derivedFrom.join(',') || null],
        ['assay:datasheet:revision', sheet?.revision],
        ['assay:datasheet:status', sheet?.status],
        ['assay:datasheet:sha256', sheet?.sha256],
        ['assay:datasheet:composition', s?.composition.text],
        ['assay:datasheet:collection', s?.collection.text],
        ['assay:datasheet:preprocessing', s?.preprocessing.text],
        ['assay:datasheet:uses', s?.uses.text],
        ['assay:datasheet:distribution', s?.distribution.text],
        ['assay:datasheet:maintenance', s?.maintenance.text],
        ['assay:datasheet:piiAndRetention', s?.piiAndRetention.text],
        ['assay:datasheet:retention', s?.piiAndRetention.retention ?? record?.retentionNote],
        ...e.refs.filter((r) => r.note).map((r): [string, string] => ['assay:card:datasetNote', r.note!]),
      ]),
    ),
  };
}

/** The CycloneDX 1.6 JSON document (an object; `JSON.stringify` it to write). */
export function cardToCycloneDx(input: CycloneDxInput): Json {
  const { card, model, version } = input;
  const c = card.content;
  const modelRef = `model:${card.modelKey}@${card.versionLabel}`;
  const datasets = datasetEntries(input);

  const externalReferences: Json[] = [];
  if (isUri(version?.artifactUri))
    externalReferences.push({ type: 'distribution', url: version.artifactUri });
  if (isUri(version?.codeRepo))
    externalReferences.push({
      type: 'vcs',
      url: version.codeRepo,
      comment: version.codeCommit ? `commit ${version.codeCommit}` : undefined,
    });
  if (isUri(model?.links.repository)) externalReferences.push({ type: 'vcs', url: model.links.repository });
  if (isUri(model?.links.dashboard))
    externalReferences.push({ type: 'other', url: model.links.dashboard, comment: 'dashboard' });
  for (const ev of c.evaluation.evidence)
    externalReferences.push({
      type: 'evidence',
      url: isUri(ev.evidenceId) ? ev.evidenceId : `urn:assay:evidence:${encodeURIComponent(ev.evidenceId)}`,
      comment: 'validation evidence cited by the model card',
      hashes: ev.sha256 ? [{ alg: 'SHA-256', content: ev.sha256 }] : undefined,
    });

  const modelComponent: Json = {
    type: 'machine-learning-model',
    'bom-ref': modelRef,
    supplier: model?.vendor && model.vendorName ? { name: model.vendorName } : undefined,
    name: card.modelKey,
    version: card.versionLabel,
    description: c.overview.text || model?.description || card.modelName,
    hashes: version?.artifactSha256 ? [{ alg: 'SHA-256', content: version.artifactSha256 }] : undefined,
    externalReferences: nonEmpty(externalReferences),
    modelCard: {
      'bom-ref': `model-card:${card.id}`,
      modelParameters: {
        approach: approachOf(model?.type) ? { type: approachOf(model?.type) } : undefined,
        task: model?.type,
        modelArchitecture: c.modelDetails.architecture || undefined,
        datasets: nonEmpty(datasets.map((d) => ({ ref: d.ref }))),
      },
      quantitativeAnalysis: c.evaluation.metrics.length
        ? { performanceMetrics: c.evaluation.metrics.map(performanceMetric) }
        : undefined,
      considerations: considerations(card),
      properties: nonEmpty(cardProperties(card)),
    },
    properties: props([
      ['assay:model:key', card.modelKey],
      ['assay:model:name', card.modelName],
      ['assay:model:tier', model?.tier],
      ['assay:model:status', model?.status],
      ['assay:version:registryRef', version?.registryRef],
      [
        'assay:version:artifactUri',
        version?.artifactUri && !isUri(version.artifactUri) ? version.artifactUri : null,
      ],
      ['assay:card:id', card.id],
      ['assay:card:revision', card.revision],
      ['assay:card:status', card.status],
      ['assay:card:sha256', card.sha256],
      ['assay:card:createdBy', card.createdBy],
    ]),
    tags: nonEmpty(model?.tags ?? []),
  };

  const bom: Json = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: '',
    version: 1,
    metadata: {
      timestamp: card.createdAt,
      tools: { components: [{ type: 'application', name: input.tool.name, version: input.tool.version }] },
      properties: [
        {
          name: 'assay:export',
          value: `model card ${card.modelKey}@${card.versionLabel} revision ${card.revision}`,
        },
      ],
    },
    components: [modelComponent, ...datasets.map(dataComponent)],
    dependencies: [
      { ref: modelRef, dependsOn: datasets.map((d) => d.ref) },
      ...datasets.map((d) => ({ ref: d.ref, dependsOn: [] })),
    ],
  };
  const out = clean(bom);
  out.serialNumber = `urn:uuid:${uuidFrom(JSON.stringify(out))}`;
  return out;
}
