import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER1_ANSWERS } from '../../../test/support/tier-answers.ts';
import { shippedCatalogs } from './catalogs.ts';
import { catalogToOscal, oscalCatalogHref } from './oscal-catalog.ts';
import { uuidV5 } from './oscal-common.ts';
import { type OscalModel, oscalReferenceErrors, oscalSchemaErrors } from './oscal-schema.ts';

/**
 * OSCAL out: every export validates against NIST's OSCAL 1.1.3 JSON schemas (vendored) and passes
 * the reference-integrity checks; the validators themselves reject broken documents.
 */
const catalogs = shippedCatalogs();
const ids = new Map(
  catalogs.catalogs.map((c) => [oscalCatalogHref(c.id), new Set(c.requirements.map((r) => r.id))]),
);
const controlIds = (h: string) => ids.get(h);
const valid = (model: OscalModel, doc: Record<string, unknown>) => {
  expect(oscalSchemaErrors(model, doc)).toEqual([]);
  expect(oscalReferenceErrors(doc, controlIds)).toEqual([]);
};
type Ctl = { id: string; title: string; links?: { href: string; rel: string }[]; controls?: Ctl[] };
type Grp = { id: string; groups?: Grp[]; controls?: Ctl[] };
function allControls(g: { groups?: Grp[]; controls?: Ctl[] }): Ctl[] {
  const own = (g.controls ?? []).flatMap((c) => [c, ...allControls(c)]);
  return [...own, ...(g.groups ?? []).flatMap(allControls)];
}

describe('OSCAL catalogs', () => {
  it('gives RFC 4122 version 5 UUIDs (the RFC test vector)', () => {
    // python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });

  it.each(catalogs.catalogs.map((c) => [c.id, c] as const))(
    'exports %s as a valid OSCAL catalog with every assessable requirement as a control',
    (_id, c) => {
      const doc = catalogToOscal(c, catalogs.crosswalks);
      valid('catalog', doc);
      const controls = allControls(doc.catalog as never).map((x) => x.id);
      const assessable = c.requirements.filter(
        (r) => !['function', 'category', 'group', 'note'].includes(r.kind),
      );
      expect(controls.sort()).toEqual(assessable.map((r) => r.id).sort());
    },
  );

  it('carries the crosswalk as links: MEASURE 2.11 links to EU Art. 10(2)(f)-(g)', () => {
    const doc = catalogToOscal(catalogs.catalog('nist-ai-rmf')!, catalogs.crosswalks);
    const m211 = allControls(doc.catalog as never).find((c) => c.id === 'MEASURE-2.11');
    expect(m211?.links?.map((l) => l.href)).toContain(`${oscalCatalogHref('eu-ai-act')}#euaia-10.2f-g`);
  });

  it('rejects broken documents: schema (missing uuid, bad control id) and references', () => {
    const doc = catalogToOscal(catalogs.catalog('sr-26-2')!) as { catalog: Record<string, unknown> };
    const { uuid: _u, ...noUuid } = doc.catalog;
    expect(oscalSchemaErrors('catalog', { catalog: noUuid }).join('\n')).toMatch(/uuid/);
    const badId = structuredClone(doc) as { catalog: { controls: { id: string }[] } };
    badId.catalog.controls[0]!.id = '1 not a token';
    expect(oscalSchemaErrors('catalog', badId).join('\n')).toMatch(/\/catalog\/controls\/0\/id/);
    const dup = structuredClone(doc) as { catalog: { 'back-matter': { resources: { uuid: string }[] } } };
    const res = dup.catalog['back-matter'].resources;
    res[1]!.uuid = res[0]!.uuid;
    expect(oscalReferenceErrors(dup, controlIds).join('\n')).toMatch(/also at/);
  });
});

describe.each(ENGINES)('OSCAL exports over HTTP on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const get = async (who: string, url: string, want = 200) => {
    const res = await t.call('GET', url, undefined, tok[who]);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(want);
    return res;
  };

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-09-01T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['audrey', 'auditor'],
      ]),
    );
    const call = async (who: string, method: string, url: string, body: unknown) => {
      const res = await t.call(method, url, body, tok[who]);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res;
    };
    await call('admin', 'POST', '/api/v1/models', {
      key: 'credit',
      name: 'Credit scoring',
      type: 'classification',
      owner: 'olivia',
      developers: ['dev'],
      intendedUse: 'Scoring applications',
    });
    await call('dev', 'POST', '/api/v1/models/credit/versions', { label: '1.0.0' });
    await call('olivia', 'POST', '/api/v1/models/credit/versions/1.0.0/tiering', {
      answers: TIER1_ANSWERS,
      euAiAct: {
        annexIIIAreas: ['essential_services'],
        profilesNaturalPersons: true,
        creditOrInsuranceAssessment: true,
      },
    });
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  it('serves each catalog as OSCAL JSON', async () => {
    const res = await get('audrey', '/api/v1/compliance/catalogs/eu-ai-act/oscal');
    expect(res.headers['content-type']).toMatch(/application\/oscal\+json/);
    valid('catalog', res.json());
    await get('audrey', '/api/v1/compliance/catalogs/nope/oscal', 404);
  });

  it("serves the policy's mapping as a component definition", async () => {
    const doc = (await get('audrey', '/api/v1/compliance/oscal/component-definition')).json();
    valid('component-definition', doc);
    const impls = doc['component-definition'].components[0]['control-implementations'] as {
      source: string;
      'implemented-requirements': { 'control-id': string; description: string }[];
    }[];
    const eu = impls.find((i) => i.source === oscalCatalogHref('eu-ai-act'));
    expect(
      eu?.['implemented-requirements'].find((r) => r['control-id'] === 'euaia-14.1-3')?.description,
    ).toMatch(/evidence of type human_oversight/);
  });

  it("serves a version's computed status as assessment results that move with the evidence", async () => {
    type Finding = {
      target: { 'target-id': string; status: { state: string } };
      props: { name: string; value: string }[];
      'related-observations'?: { 'observation-uuid': string }[];
    };
    type Result = {
      props: { name: string; value: string }[];
      findings: Finding[];
      observations: {
        uuid: string;
        'relevant-evidence'?: { href?: string; props: { name: string; value: string }[] }[];
      }[];
      'reviewed-controls': { 'control-selections': { 'exclude-controls'?: { 'control-id': string }[] }[] };
    };
    const results = async () => {
      const doc = (await get('audrey', '/api/v1/models/credit/compliance/oscal?catalog=eu-ai-act')).json();
      valid('assessment-results', doc);
      return doc['assessment-results'].results as Result[];
    };
    const art14 = (r: Result) => r.findings.find((f) => f.target['target-id'] === 'euaia-14.1-3')!;
    const [before] = await results();
    expect(before!.props.find((p) => p.name === 'catalog-id')?.value).toBe('eu-ai-act');
    expect(art14(before!).target.status.state).toBe('not-satisfied');
    expect(art14(before!).props.find((p) => p.name === 'compliance-state')?.value).toBe('not_met');
    // Art. 50(1) does not apply to the credit model: excluded, with the reason as an observation.
    const excluded = before!['reviewed-controls']['control-selections'][0]!['exclude-controls'] ?? [];
    expect(excluded.map((e) => e['control-id'])).toContain('euaia-50.1');

    const ev = (
      await t.call(
        'POST',
        '/api/v1/models/credit/versions/1.0.0/evidence',
        { type: 'human_oversight', title: 'Oversight design', externalUrl: 'https://evidence.example/ho' },
        tok.dev,
      )
    ).json() as { id: string };
    const [after] = await results();
    const f = art14(after!);
    expect(f.props.find((p) => p.name === 'compliance-state')?.value).toBe('partly_met');
    const obs = after!.observations.find(
      (o) => o.uuid === f['related-observations']?.[0]?.['observation-uuid'],
    );
    expect(obs?.['relevant-evidence']?.map((e) => e.href)).toContain(`/api/v1/evidence/${ev.id}`);
    // All catalogs without ?catalog: one result per catalog.
    const all = (await get('audrey', '/api/v1/models/credit/compliance/oscal')).json();
    valid('assessment-results', all);
    expect(all['assessment-results'].results).toHaveLength(catalogs.catalogs.length);
  });
});
