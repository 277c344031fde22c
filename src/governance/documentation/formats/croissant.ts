import type { Datasheet } from '../../../contracts/documentation.ts';
import type { Dataset } from '../../../contracts/inventory.ts';

/**
 * MLCommons Croissant 1.0 metadata (JSON-LD) of a dataset and its datasheet: the dataset-level
 * schema.org properties Croissant requires, one `cr:FileObject` for the file the inventory points at
 * (with its SHA-256), one `cr:RecordSet` whose fields are the inventory's columns with their data
 * types, and the Croissant RAI (responsible AI) properties the datasheet's sections answer.
 * docs/documentation-formats.md ("Croissant") lists the field mapping.
 *
 * Deterministic for a dataset record and a datasheet revision.
 */

export const CROISSANT_CONFORMS_TO = 'http://mlcommons.org/croissant/1.0';

/**
 * The JSON-LD context every Croissant 1.0 document carries (the one in the Croissant 1.0
 * specification's examples and mlcroissant's `make_context`).
 */
export const CROISSANT_CONTEXT = {
  '@language': 'en',
  '@vocab': 'https://schema.org/',
  citeAs: 'cr:citeAs',
  column: 'cr:column',
  conformsTo: 'dct:conformsTo',
  cr: 'http://mlcommons.org/croissant/',
  rai: 'http://mlcommons.org/croissant/RAI/',
  data: { '@id': 'cr:data', '@type': '@json' },
  dataType: { '@id': 'cr:dataType', '@type': '@vocab' },
  dct: 'http://purl.org/dc/terms/',
  examples: { '@id': 'cr:examples', '@type': '@json' },
  extract: 'cr:extract',
  field: 'cr:field',
  fileProperty: 'cr:fileProperty',
  fileObject: 'cr:fileObject',
  fileSet: 'cr:fileSet',
  format: 'cr:format',
  includes: 'cr:includes',
  isLiveDataset: 'cr:isLiveDataset',
  jsonPath: 'cr:jsonPath',
  key: 'cr:key',
  md5: 'cr:md5',
  parentField: 'cr:parentField',
  path: 'cr:path',
  recordSet: 'cr:recordSet',
  references: 'cr:references',
  regex: 'cr:regex',
  repeated: 'cr:repeated',
  replace: 'cr:replace',
  sc: 'https://schema.org/',
  separator: 'cr:separator',
  source: 'cr:source',
  subField: 'cr:subField',
  transform: 'cr:transform',
} as const;

export interface CroissantInput {
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
    | 'updatedAt'
  >;
  datasheet: Datasheet | null;
}

type Json = Record<string, unknown>;

const isUri = (s: string | null | undefined): s is string =>
  !!s && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s);
const text = (...parts: (string | null | undefined)[]) =>
  parts
    .map((p) => p?.trim())
    .filter(Boolean)
    .join('\n\n') || undefined;

/** Croissant `dataType` (schema.org) of a column type as the inventory records it (DuckDB names). */
export function croissantDataType(type: string): string {
  const t = type.trim().toUpperCase();
  if (/^(BOOL|BOOLEAN)$/.test(t)) return 'sc:Boolean';
  if (/^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|INT\d)/.test(t))
    return 'sc:Integer';
  if (/^(FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)/.test(t)) return 'sc:Float';
  if (/^TIMESTAMP|^DATETIME/.test(t)) return 'sc:DateTime';
  if (/^DATE$/.test(t)) return 'sc:Date';
  if (/^TIME/.test(t)) return 'sc:Time';
  return 'sc:Text';
}

/** The media type of a file from its name, as Croissant's `encodingFormat` wants. */
export function encodingFormatOf(uri: string): string {
  const path = uri.split(/[?#]/)[0]!.toLowerCase();
  const ext = (path.match(/\.([a-z0-9]+)(\.(gz|zst|bz2))?$/)?.[1] ?? '').toLowerCase();
  const map: Record<string, string> = {
    csv: 'text/csv',
    tsv: 'text/tab-separated-values',
    parquet: 'application/x-parquet',
    json: 'application/json',
    jsonl: 'application/jsonlines',
    ndjson: 'application/jsonlines',
    arrow: 'application/vnd.apache.arrow.file',
    feather: 'application/vnd.apache.arrow.file',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    zip: 'application/zip',
    txt: 'text/plain',
  };
  return map[ext] ?? 'application/octet-stream';
}

/** A column from the datasheet's composition list: `name (TYPE)` or a bare name. */
function parseColumn(s: string): { name: string; type: string | null } {
  const m = s.match(/^\s*(.+?)\s*\(([^()]+)\)\s*$/);
  return m ? { name: m[1]!, type: m[2]! } : { name: s.trim(), type: null };
}

/** The dataset's licence: an SPDX licence URL, or a creative-commons one, named in the datasheet. */
function licenseOf(sheet: Datasheet | null): Json | string {
  const sources = [sheet?.content.distribution.text, sheet?.content.uses.text].filter(Boolean).join('\n');
  const url = sources.match(
    /https?:\/\/(spdx\.org\/licenses|creativecommons\.org\/licenses|opensource\.org\/licenses?)\/[^\s)\]>"']+/,
  );
  if (url) return url[0].replace(/[.,;]+$/, '');
  return {
    '@type': 'sc:CreativeWork',
    name: 'Licence not recorded',
    description:
      text(sheet?.content.distribution.text) ??
      'The datasheet names no licence; ask the dataset owner before any use outside the organisation.',
  };
}

/** The Croissant 1.0 JSON-LD document (an object; `JSON.stringify` it to write). */
export function datasheetToCroissant(input: CroissantInput): Json {
  const { record, datasheet } = input;
  const s = datasheet?.content ?? null;
  const file = isUri(record.locationUri) ? record.locationUri : null;
  const fileId = 'data-file';
  const pii = new Set([...(s?.piiAndRetention.piiColumns ?? []), ...record.piiColumns]);
  const columns = record.schema?.length
    ? record.schema.map((c) => ({ name: c.name, type: c.type as string | null }))
    : (s?.composition.columns ?? []).map(parseColumn);
  const rows = s?.composition.rowCount ?? record.rowCount;
  const containsPii = s?.piiAndRetention.containsPii ?? record.containsPii;

  const fields = columns.map((c) => ({
    '@type': 'cr:Field',
    '@id': `records/${c.name}`,
    name: c.name,
    description: text(
      c.type ? `Column type ${c.type}.` : 'Column type not recorded.',
      pii.has(c.name) ? 'Personal data.' : null,
    ),
    dataType: c.type ? croissantDataType(c.type) : 'sc:Text',
    ...(file ? { source: { fileObject: { '@id': fileId }, extract: { column: c.name } } } : {}),
  }));

  const doc: Json = {
    '@context': CROISSANT_CONTEXT,
    '@type': 'sc:Dataset',
    '@id': `urn:assay:dataset:${encodeURIComponent(record.id)}`,
    conformsTo: CROISSANT_CONFORMS_TO,
    name: record.name,
    description:
      text(s?.motivation.text, s?.composition.text) ??
      `Dataset ${record.name} (${record.role}) registered in Assay; its datasheet says nothing yet.`,
    license: licenseOf(datasheet),
    url: file ?? `urn:assay:dataset:${encodeURIComponent(record.id)}`,
    creator: record.owner
      ? { '@type': 'sc:Person', name: record.owner }
      : { '@type': 'sc:Organization', name: 'Not recorded (the dataset has no owner in Assay)' },
    datePublished: (datasheet?.status === 'published' ? datasheet.createdAt : record.createdAt).slice(0, 10),
    dateModified: [record.updatedAt, datasheet?.createdAt ?? ''].sort().at(-1)!.slice(0, 10),
    keywords: [record.role],
    distribution: file
      ? [
          {
            '@type': 'cr:FileObject',
            '@id': fileId,
            name: decodeURIComponent(file.split(/[?#]/)[0]!.split('/').pop() || record.name),
            contentUrl: file,
            encodingFormat: encodingFormatOf(file),
            ...(record.sha256 ? { sha256: record.sha256 } : {}),
          },
        ]
      : [],
    recordSet: fields.length
      ? [
          {
            '@type': 'cr:RecordSet',
            '@id': 'records',
            name: 'records',
            description: text(
              rows !== null && rows !== undefined ? `${rows} records.` : null,
              'One record per row of the dataset.',
            ),
            field: fields,
          },
        ]
      : [],
  };
  // Croissant RAI 1.0, where the datasheet answers.
  const rai: [string, string | undefined][] = [
    ['rai:dataCollection', text(s?.collection.text)],
    ['rai:dataPreprocessingProtocol', text(s?.preprocessing.text)],
    ['rai:dataUseCases', text(s?.uses.text)],
    ['rai:dataReleaseMaintenancePlan', text(s?.maintenance.text)],
    [
      'rai:personalSensitiveInformation',
      containsPii === null
        ? undefined
        : text(
            containsPii ? 'Contains personal data.' : 'Contains no personal data.',
            pii.size ? `Personal data columns: ${[...pii].join(', ')}.` : null,
            s?.piiAndRetention.text,
            (s?.piiAndRetention.retention ?? record.retentionNote)
              ? `Retention: ${s?.piiAndRetention.retention ?? record.retentionNote}`
              : null,
          ),
    ],
  ];
  for (const [k, v] of rai) if (v) doc[k] = v;
  return doc;
}

/**
 * The Croissant 1.0 specification's rules a document must meet (its "Required" dataset properties,
 * and FileObject, RecordSet and Field structure). Empty when the document meets them. Croissant
 * publishes no JSON schema; the tests also check every term against the published vocabulary.
 */
export function croissantErrors(doc: Json): string[] {
  const errors: string[] = [];
  const str = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  if (JSON.stringify(doc['@context']) !== JSON.stringify(CROISSANT_CONTEXT))
    errors.push('@context is not the Croissant 1.0 context');
  if (doc['@type'] !== 'sc:Dataset') errors.push('@type must be sc:Dataset');
  if (doc.conformsTo !== CROISSANT_CONFORMS_TO) errors.push(`conformsTo must be ${CROISSANT_CONFORMS_TO}`);
  for (const k of ['name', 'description', 'url'] as const) if (!str(doc[k])) errors.push(`${k} is required`);
  if (!str(doc.license) && !(doc.license && typeof doc.license === 'object'))
    errors.push('license is required (a URL or a CreativeWork)');
  const creator = doc.creator as Json | undefined;
  if (
    !creator ||
    !['sc:Person', 'sc:Organization'].includes(creator['@type'] as string) ||
    !str(creator.name)
  )
    errors.push('creator is required (a Person or an Organization with a name)');
  if (!/^\d{4}-\d{2}-\d{2}/.test(String(doc.datePublished ?? ''))) errors.push('datePublished is required');
  const ids = new Set<string>();
  for (const [i, f] of ((doc.distribution as Json[] | undefined) ?? []).entries()) {
    if (f['@type'] !== 'cr:FileObject') errors.push(`distribution[${i}] must be a cr:FileObject`);
    for (const k of ['@id', 'name', 'contentUrl', 'encodingFormat'])
      if (!str(f[k])) errors.push(`distribution[${i}].${k} is required`);
    if (f.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(String(f.sha256)))
      errors.push(`distribution[${i}].sha256 must be a SHA-256`);
    ids.add(String(f['@id']));
  }
  for (const [i, rs] of ((doc.recordSet as Json[] | undefined) ?? []).entries()) {
    if (rs['@type'] !== 'cr:RecordSet') errors.push(`recordSet[${i}] must be a cr:RecordSet`);
    if (!str(rs['@id'])) errors.push(`recordSet[${i}].@id is required`);
    for (const [j, f] of ((rs.field as Json[] | undefined) ?? []).entries()) {
      const at = `recordSet[${i}].field[${j}]`;
      if (f['@type'] !== 'cr:Field') errors.push(`${at} must be a cr:Field`);
      if (!str(f['@id']) || !str(f.name)) errors.push(`${at} needs an @id and a name`);
      if (!/^sc:[A-Z][A-Za-z]+$/.test(String(f.dataType)))
        errors.push(`${at}.dataType must be a schema.org type`);
      const ref = ((f.source as Json | undefined)?.fileObject as Json | undefined)?.['@id'];
      if (f.source !== undefined && !ids.has(String(ref)))
        errors.push(`${at}.source names no FileObject of the distribution`);
    }
  }
  return errors;
}
