import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DATASHEET_SCHEMA,
  type Datasheet,
  datasheetContentSchema,
} from '../../../contracts/documentation.ts';
import {
  CROISSANT_CONTEXT,
  type CroissantInput,
  croissantDataType,
  croissantErrors,
  datasheetToCroissant,
  encodingFormatOf,
} from './croissant.ts';

const fixture = (name: string) =>
  fs.readFileSync(new URL(`../../../../test/fixtures/croissant/${name}`, import.meta.url), 'utf8');

const datasheet: Datasheet = {
  schema: DATASHEET_SCHEMA,
  id: 'sheet_01',
  datasetId: 'ds_01',
  datasetName: 'adult-train',
  revision: 2,
  status: 'published',
  note: null,
  content: datasheetContentSchema.parse({
    motivation: { text: 'Census income extract.' },
    composition: { text: 'One row per person.', rowCount: 30_162, columns: ['age (BIGINT)'] },
    collection: { text: '1994 US Census database.' },
    preprocessing: { text: 'Rows with missing values removed.' },
    uses: { text: 'Fairness benchmarks.' },
    distribution: { text: 'Published under https://creativecommons.org/licenses/by/4.0/.' },
    maintenance: { text: 'Not updated.' },
    piiAndRetention: { text: 'Demographics.', containsPii: true, piiColumns: ['sex'], retention: 'Keep' },
  }),
  sha256: 'e'.repeat(64),
  createdBy: 'dana',
  createdAt: '2026-02-01T12:00:00.000Z',
};

const input = (
  over: Partial<CroissantInput['record']> = {},
  sheet: Datasheet | null = datasheet,
): CroissantInput => ({
  record: {
    id: 'ds_01',
    name: 'adult-train',
    role: 'training',
    locationUri: 'file:///data/adult/adult.csv',
    sha256: 'a'.repeat(64),
    schema: [
      { name: 'age', type: 'BIGINT' },
      { name: 'sex', type: 'VARCHAR' },
      { name: 'hours', type: 'DOUBLE' },
      { name: 'seen', type: 'TIMESTAMP' },
      { name: 'ok', type: 'BOOLEAN' },
    ],
    rowCount: 30_162,
    owner: 'dana',
    containsPii: true,
    piiColumns: ['sex'],
    retentionNote: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-05T00:00:00.000Z',
    ...over,
  },
  datasheet: sheet,
});

/** The IRIs a Croissant document's keys and types expand to, through its context (JSON-LD 1.1 term rules). */
function expandedTerms(doc: Record<string, unknown>): Set<string> {
  const ctx = doc['@context'] as Record<string, unknown>;
  const prefix = (p: string) => (typeof ctx[p] === 'string' ? (ctx[p] as string) : null);
  const expand = (term: string): string => {
    const def = ctx[term];
    const id =
      typeof def === 'string'
        ? def
        : def && typeof def === 'object'
          ? ((def as { '@id': string })['@id'] ?? null)
          : null;
    const t = id ?? term;
    const m = t.match(/^([A-Za-z]+):(.+)$/);
    if (m && prefix(m[1]!)) return prefix(m[1]!)! + m[2]!;
    if (/^https?:/.test(t)) return t;
    return (ctx['@vocab'] as string) + t;
  };
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === '@context') continue;
        if (!k.startsWith('@')) out.add(expand(k));
        if (k === '@type' || k === 'dataType') out.add(expand(x as string));
        walk(x);
      }
  };
  walk(doc);
  return out;
}

/** Terms a Turtle vocabulary declares (`prefix:term a rdf:Property|rdf:Class`). */
function declared(ttl: string, prefix: string, ns: string): Set<string> {
  const re = new RegExp(`^${prefix}:([A-Za-z]+) a rdf:(Property|Class)`, 'gm');
  return new Set([...ttl.matchAll(re)].map((m) => ns + m[1]));
}

describe('Croissant 1.0 export of a datasheet', () => {
  it('meets the Croissant 1.0 required properties and structure', () => {
    expect(croissantErrors(datasheetToCroissant(input()))).toEqual([]);
    // No file, no columns, no owner, no datasheet: still a valid Croissant description.
    const bare = datasheetToCroissant(
      input({ locationUri: null, sha256: null, schema: null, owner: null, piiColumns: [] }, null),
    );
    expect(croissantErrors(bare)).toEqual([]);
    expect(bare.distribution).toEqual([]);
    expect(bare.license).toMatchObject({ '@type': 'sc:CreativeWork', name: 'Licence not recorded' });
  });

  it('refuses what the rules refuse (so the test above can fail)', () => {
    const broken = (mutate: (d: Record<string, unknown>) => void) => {
      const d = structuredClone(datasheetToCroissant(input()));
      mutate(d);
      return croissantErrors(d);
    };
    expect(
      broken((d) => {
        delete d.license;
      }),
    ).toEqual(['license is required (a URL or a CreativeWork)']);
    expect(
      broken((d) => {
        delete d.creator;
      }),
    ).toEqual(['creator is required (a Person or an Organization with a name)']);
    expect(
      broken((d) => {
        d.conformsTo = 'http://mlcommons.org/croissant/0.8';
      }),
    ).toHaveLength(1);
    expect(
      broken((d) => {
        (d['@context'] as Record<string, unknown>).cr = 'x';
      }),
    ).toEqual(['@context is not the Croissant 1.0 context']);
    expect(
      broken((d) => {
        (d.distribution as Record<string, unknown>[])[0]!.sha256 = 'abc';
      }),
    ).toEqual(['distribution[0].sha256 must be a SHA-256']);
    expect(
      broken((d) => {
        (d.distribution as Record<string, unknown>[])[0]!['@id'] = 'other';
      }),
    ).toHaveLength(5);
  });

  it('carries the context of the published Croissant 1.0 examples', () => {
    expect(CROISSANT_CONTEXT).toEqual(JSON.parse(fixture('context-1.0.json')));
    expect(datasheetToCroissant(input())['@context']).toEqual(JSON.parse(fixture('context-1.0.json')));
  });

  it('uses only terms the Croissant and Croissant RAI vocabularies declare (and schema.org ones)', () => {
    const cr = declared(fixture('croissant.ttl'), 'croissant', 'http://mlcommons.org/croissant/');
    const rai = declared(fixture('croissant_rai.ttl'), 'rai', 'http://mlcommons.org/croissant/RAI/');
    // schema.org terms the Croissant 1.0 specification's tables use, plus dct:conformsTo.
    const schemaOrg = [
      'Dataset',
      'Person',
      'Organization',
      'CreativeWork',
      'Boolean',
      'Integer',
      'Float',
      'Text',
      'Date',
      'DateTime',
      'name',
      'description',
      'license',
      'url',
      'creator',
      'datePublished',
      'dateModified',
      'keywords',
      'distribution',
      'contentUrl',
      'encodingFormat',
      'sha256',
    ].map((t) => `https://schema.org/${t}`);
    const known = new Set([...cr, ...rai, ...schemaOrg, 'http://purl.org/dc/terms/conformsTo']);
    const used = expandedTerms(datasheetToCroissant(input()));
    expect([...used].filter((t) => !known.has(t))).toEqual([]);
    expect(used.has('http://mlcommons.org/croissant/RAI/dataCollection')).toBe(true);
    expect(used.has('http://mlcommons.org/croissant/recordSet')).toBe(true);
  });

  it('maps the datasheet and the inventory record', () => {
    const doc = datasheetToCroissant(input());
    expect(doc).toMatchObject({
      '@type': 'sc:Dataset',
      conformsTo: 'http://mlcommons.org/croissant/1.0',
      name: 'adult-train',
      description: 'Census income extract.\n\nOne row per person.',
      license: 'https://creativecommons.org/licenses/by/4.0/',
      url: 'file:///data/adult/adult.csv',
      creator: { '@type': 'sc:Person', name: 'dana' },
      datePublished: '2026-02-01',
      distribution: [
        {
          '@type': 'cr:FileObject',
          '@id': 'data-file',
          name: 'adult.csv',
          contentUrl: 'file:///data/adult/adult.csv',
          encodingFormat: 'text/csv',
          sha256: 'a'.repeat(64),
        },
      ],
      'rai:dataCollection': '1994 US Census database.',
      'rai:dataPreprocessingProtocol': 'Rows with missing values removed.',
      'rai:dataUseCases': 'Fairness benchmarks.',
      'rai:dataReleaseMaintenancePlan': 'Not updated.',
    });
    expect(doc['rai:personalSensitiveInformation']).toContain('Personal data columns: sex.');
    const fields = (doc.recordSet as { field: Record<string, unknown>[] }[])[0]!.field;
    expect(fields.map((f) => [f.name, f.dataType])).toEqual([
      ['age', 'sc:Integer'],
      ['sex', 'sc:Text'],
      ['hours', 'sc:Float'],
      ['seen', 'sc:DateTime'],
      ['ok', 'sc:Boolean'],
    ]);
    expect(fields[1]).toMatchObject({
      '@id': 'records/sex',
      description: 'Column type VARCHAR.\n\nPersonal data.',
      source: { fileObject: { '@id': 'data-file' }, extract: { column: 'sex' } },
    });
    // Without inventory columns, the datasheet's column list is used.
    const fromSheet = datasheetToCroissant(input({ schema: null }));
    expect(
      (fromSheet.recordSet as { field: Record<string, unknown>[] }[])[0]!.field.map((f) => [
        f.name,
        f.dataType,
      ]),
    ).toEqual([['age', 'sc:Integer']]);
  });

  it('guesses media types and data types', () => {
    expect(encodingFormatOf('s3://b/x.PARQUET')).toBe('application/x-parquet');
    expect(encodingFormatOf('https://h/x.csv.gz?sig=1')).toBe('text/csv');
    expect(encodingFormatOf('s3://b/blob')).toBe('application/octet-stream');
    expect(croissantDataType('DECIMAL(18,2)')).toBe('sc:Float');
    expect(croissantDataType('DATE')).toBe('sc:Date');
    expect(croissantDataType('STRUCT(a INT)')).toBe('sc:Text');
  });
});
