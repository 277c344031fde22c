import path from 'node:path';
import { describe, expect, it } from 'vitest';
import finosCrosswalk from './catalogs/crosswalk-finos.json' with { type: 'json' };
import { CATALOG_FILES, Catalogs, parseCatalog, shippedCatalogs } from './catalogs.ts';
import { RequirementGraph } from './crosswalk.ts';
import { readFinosDir } from './finos-files.ts';
import { importFinos } from './finos-import.ts';

describe('compliance catalogs', () => {
  it('every shipped catalog validates and carries source, version, date and licence', () => {
    const c = shippedCatalogs();
    expect(c.catalogs.map((x) => x.id).sort()).toEqual(
      ['assay-controls', 'eu-ai-act', 'iso-42001', 'nist-ai-600-1', 'nist-ai-rmf', 'sr-26-2'].sort(),
    );
    for (const cat of c.catalogs) {
      expect(cat.source.title.length, cat.id).toBeGreaterThan(5);
      expect(cat.licence.name.length, cat.id).toBeGreaterThan(5);
      expect(cat.version.length, cat.id).toBeGreaterThan(0);
      expect(cat.coverage.length, cat.id).toBeGreaterThan(20);
    }
  });

  it('holds all 72 AI RMF subcategories, 19 categories, 4 functions; 38 ISO 42001 Annex A controls', () => {
    const rmf = shippedCatalogs().catalog('nist-ai-rmf');
    const count = (k: string) => rmf?.requirements.filter((r) => r.kind === k).length;
    expect([count('function'), count('category'), count('subcategory')]).toEqual([4, 19, 72]);
    const perFunction = Object.fromEntries(
      ['GOVERN', 'MAP', 'MEASURE', 'MANAGE'].map((f) => [
        f,
        rmf?.requirements.filter((r) => r.kind === 'subcategory' && r.id.startsWith(`${f}-`)).length,
      ]),
    );
    expect(perFunction).toEqual({ GOVERN: 19, MAP: 18, MEASURE: 22, MANAGE: 13 });
    const iso = shippedCatalogs().catalog('iso-42001');
    expect(iso?.requirements.filter((r) => r.kind === 'control')).toHaveLength(38);
  });

  it('has every Annex IV item and the obligations the issue names, with their dates as data', () => {
    const eu = shippedCatalogs().catalog('eu-ai-act');
    const annex = eu?.requirements.filter((r) => r.kind === 'annex-item').map((r) => r.id.split('.')[1]);
    expect(annex).toEqual([
      '1a',
      '1b',
      '1c',
      '1d',
      '1e',
      '1f',
      '1g-h',
      '2a',
      '2b',
      '2c',
      '2d',
      '2e',
      '2f',
      '2g',
      '2h',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    const groups = new Set(eu?.requirements.map((r) => r.group));
    for (const a of [9, 10, 11, 12, 13, 14, 15, 17, 26, 27, 43, 49, 50, 72, 73])
      expect(groups).toContain(`Art. ${a}`);
    const art14 = shippedCatalogs().find('eu-ai-act:euaia-14.1-3')?.requirement;
    expect(art14?.appliesFrom).toContainEqual({ route: 'annex_iii', date: '2027-12-02' });
    expect(shippedCatalogs().find('eu-ai-act:euaia-50.1')?.requirement.appliesFrom?.[0]?.date).toBe(
      '2026-08-02',
    );
  });

  it('refuses a bad catalog naming the file and the field', () => {
    const bad = structuredClone(CATALOG_FILES['sr-26-2.json']) as { requirements: { id: string }[] };
    bad.requirements[1] = { ...bad.requirements[1], id: '9bad id' } as never;
    expect(() => parseCatalog('sr-26-2.json', bad)).toThrow(/catalog sr-26-2\.json: requirements\.1\.id/);
    const dup = structuredClone(CATALOG_FILES['sr-26-2.json']) as { requirements: { id: string }[] };
    dup.requirements[2] = { ...dup.requirements[2], id: dup.requirements[0]?.id } as never;
    expect(() => parseCatalog('sr-26-2.json', dup)).toThrow(/duplicate 'sr262-scope'/);
    expect(
      () =>
        new Catalogs(CATALOG_FILES, {
          'x.json': {
            id: 'x',
            title: 't',
            source: 's',
            licence: 'l',
            attribution: 'a',
            edges: [
              {
                from: 'eu-ai-act:nope',
                to: 'iso-42001:A.2.2',
                relationship: 'related',
                confidence: 'low',
                source: 's',
                licence: 'l',
              },
            ],
          },
        }),
    ).toThrow(/'eu-ai-act:nope' is not a requirement/);
  });
});

describe('crosswalk', () => {
  it('answers what else evidence for NIST MEASURE 2.11 satisfies, with source and confidence per edge', () => {
    const graph = new RequirementGraph(shippedCatalogs());
    const answer = graph.related('nist-ai-rmf:MEASURE-2.11', 2);
    const refs = answer.related.map((r) => r.ref);
    expect(refs).toEqual(
      expect.arrayContaining(['eu-ai-act:euaia-10.2f-g', 'iso-42001:A.5.4', 'nist-ai-600-1:gai-risk-06']),
    );
    // Through the FINOS mapping: the GAI bias risk is tied to the EU AI Act articles FINOS names for it.
    const viaFinos = answer.related.find((r) => r.path.some((e) => e.source.startsWith('FINOS')));
    expect(viaFinos?.path).toHaveLength(2);
    expect(viaFinos?.confidence).toBe('low');
    const direct = answer.related.find((r) => r.ref === 'nist-ai-600-1:gai-risk-06');
    expect(direct).toMatchObject({ relationship: 'related', confidence: 'high' });
    expect(graph.related('nist-ai-rmf:MEASURE-2.11', 1).related.every((r) => r.path.length === 1)).toBe(true);
    expect(() => graph.related('nist-ai-rmf:MEASURE-9.9')).toThrow(/not found/);
  });
});

describe('FINOS importer', () => {
  const dir = path.join(import.meta.dirname, 'finos');
  it('regenerates the committed crosswalk from the committed extract', () => {
    const { crosswalk, skipped } = importFinos(readFinosDir(dir), shippedCatalogs().catalogs);
    expect(crosswalk).toEqual(finosCrosswalk);
    expect(crosswalk.licence).toMatch(/CC BY 4\.0/);
    expect(skipped).toContain("ri-16 eu c2-a5: Art. 5 is not in Assay's EU AI Act catalog");
    // ri-16 (bias) names Art. 10 and NIST AI 600-1 2.6: a related edge with its source page.
    expect(crosswalk.edges).toContainEqual(
      expect.objectContaining({
        from: 'eu-ai-act:euaia-10.2a-c',
        to: 'nist-ai-600-1:gai-risk-06',
        relationship: 'related',
      }),
    );
    // mi-4 (observability, ISO A.6.2.6) mitigates ri-19 (Art. 15, 600-1 2.8).
    const e = crosswalk.edges.find(
      (x) => x.from === 'eu-ai-act:euaia-15.1-3' && x.to === 'iso-42001:A.6.2.6',
    );
    expect(e?.source).toMatch(/mi-4 AI System Observability\) mitigates ri-19/);
  });
  it('names the file when the front matter is broken', () => {
    expect(() =>
      importFinos([{ path: 'docs/_risks/ri-1_x.md', text: 'no front matter' }], shippedCatalogs().catalogs),
    ).toThrow(/docs\/_risks\/ri-1_x\.md: no YAML front matter/);
    expect(() =>
      importFinos(
        [{ path: 'docs/_risks/ri-1_x.md', text: '---\neu-ai-act_references: 3\n---\n' }],
        shippedCatalogs().catalogs,
      ),
    ).toThrow(/eu-ai-act_references must be a list/);
  });
});
